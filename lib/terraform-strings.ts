import { Aspects, IAspect, Lazy, TerraformElement, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * Terraform reads every string of the synthesized JSON as a template: `${…}` is an expression and `%{…}` a
 * directive, evaluated at plan time on the deploying machine. cdktf writes literal text through unchanged, so a
 * literal that contains either sequence must be escaped (`$${`, `%%{`) before it reaches a resource.
 *
 * One mechanism does this for every construct of this library: `literalStrings(scope)` escapes, at synthesis,
 * the literal parts of every string (and object key) each Terraform element of the scope writes, while cdktf
 * tokens (references, functions) stay expressions. A value given as a plain string is therefore always the
 * literal text it reads as, wherever it lands; a reference must be a token (`resource.attr`, `Fn.*`), never a
 * hand-written `"${…}"`. Strings a token carries inside itself are out of its reach: a lazy string is made
 * with `lazyLiteral`, which escapes what it produces, and user text never goes to `Fn.*` as a literal argument
 * (cdktf escapes only `${` there).
 */

// cdktf's encodings of unresolved values (lib/tokens/private/encoding.js): markers in strings, and numbers that
// decode as a token, which it also finds inside any string (`TokenString.forNumbers`) and turns into references.
const TOKEN_MARKER = /[$#&]\{TfToken\[/;
const NUMBER_LIKE = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/g;

/**
 * Whether text would be read by cdktf as a token rather than as text: a `${TfToken[…]}` marker, or a number
 * written in the form cdktf encodes a token as (`-8.109562212591379e+298`), which it resolves into a
 * reference, or fails on, wherever it appears in a string. Such text can only be forged: refuse it.
 */
export function holdsTokenEncoding(value: string | number): boolean {
  if (typeof value === 'number') return isNumberToken(value);
  if (TOKEN_MARKER.test(value)) return true;
  for (const match of value.matchAll(NUMBER_LIKE)) {
    if (isNumberToken(parseFloat(match[0]))) return true;
  }
  return false;
}

function isNumberToken(n: number): boolean {
  try {
    return Tokenization.reverseNumber(n) !== undefined;
  } catch {
    // A token's bit pattern with no token behind it: cdktf would fail on it.
    return true;
  }
}

/** Escapes Terraform template sequences (`${` and `%{`) in a literal. */
export function escapeTemplate(value: string): string {
  return value.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

// cdktf's marker for an unresolved string token inside a string (lib/tokens/private/encoding.js).
const STRING_TOKEN = /\$\{TfToken\[[a-zA-Z0-9:._-]+\]\}/g;

/** The parts of a string that may hold cdktf tokens, in order: literal text and whole token markers. */
export function tokenParts(value: string): { text: string; token: boolean }[] {
  const parts: { text: string; token: boolean }[] = [];
  let last = 0;
  for (const match of value.matchAll(STRING_TOKEN)) {
    if (match.index! > last) parts.push({ text: value.slice(last, match.index), token: false });
    parts.push({ text: match[0], token: true });
    last = match.index! + match[0].length;
  }
  if (last < value.length) parts.push({ text: value.slice(last), token: false });
  return parts;
}

/**
 * Escapes the literal parts of a string that may also hold cdktf tokens: the tokens stay references, every
 * other `${` and `%{` becomes literal text.
 */
export function escapeTemplateLiterals(value: string): string {
  const parts = tokenParts(value);
  return parts
    .map((p, i) => {
      if (p.token) return p.text;
      const escaped = escapeTemplate(p.text);
      // A `$` right before a reference would make `$${`, Terraform's escape: the reference would become text. Each
      // `$` of a final run is written as an expression instead.
      return parts[i + 1]?.token ? escaped.replace(/\$+$/, (run) => '${"$"}'.repeat(run.length)) : escaped;
    })
    .join('');
}

/**
 * Escapes every string and object key of a plain JSON-like value; tokens' objects are left to cdktf. Returns the
 * value itself when nothing in it needs escaping (the common case), so synthesis copies nothing.
 */
function escapeDeep(value: unknown): unknown {
  // Most strings hold no brace at all: nothing to escape, no token to keep.
  if (typeof value === 'string') return value.includes('{') ? escapeTemplateLiterals(value) : value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const e = escapeDeep(v);
      if (e !== v) (out ??= [...value])[i] = e;
    });
    return out ?? value;
  }
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    let changed = false;
    const entries = Object.entries(value).map(([k, v]) => {
      const key = k.includes('{') ? escapeTemplateLiterals(k) : k;
      const e = escapeDeep(v);
      if (key !== k || e !== v) changed = true;
      return [key, e] as const;
    });
    return changed ? Object.fromEntries(entries) : value;
  }
  return value;
}

const escaped = new WeakSet<TerraformElement>();

/** The aspect behind `literalStrings`; one instance, so cdktf visits each node once however many scopes add it. */
const LITERAL_STRINGS: IAspect = {
  visit(node: IConstruct): void {
    if (!(node instanceof TerraformElement) || escaped.has(node)) return;
    escaped.add(node);
    // Overrides (addOverride) are merged inside both, so they are escaped too.
    const toTerraform = node.toTerraform.bind(node);
    node.toTerraform = () => escapeDeep(toTerraform());
    const toHclTerraform = node.toHclTerraform.bind(node);
    node.toHclTerraform = () => escapeDeep(toHclTerraform());
  },
};

/**
 * Makes every string the Terraform elements under `scope` write literal text: see the module comment. Each
 * construct of this library calls it on itself, so its resources are covered wherever it is used.
 */
export function literalStrings(scope: IConstruct): void {
  Aspects.of(scope).add(LITERAL_STRINGS);
}

/** A string computed at synthesis (`Lazy.stringValue`) whose literal text is escaped like every other literal. */
export function lazyLiteral(produce: () => string | undefined): string {
  return Lazy.stringValue({ produce: () => {
    const value = produce();
    return value === undefined ? undefined : escapeTemplateLiterals(value);
  } });
}
