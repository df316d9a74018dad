import { ModelResource, StackModel } from '../model/stack-model';

/** How bad a finding is: an `error` fails the synth unless suppressed; a `warning` is reported only. */
export type GuardrailSeverity = 'error' | 'warning';

/** What a rule found wrong with one resource. */
export interface RuleViolation {
  /** The argument at fault, dotted (`settings.ip_configuration.ipv4_enabled`); what the message names. */
  readonly attribute: string;
  /** What is wrong, completing "<address>.<attribute>: ...", e.g. `true: the database has a public IP`. */
  readonly problem: string;
}

/** A guardrail: one check of the synthesized resources of some types. */
export interface GuardrailRule {
  /** Stable id, what a suppression names: `GCP-SQL-PUBLIC-IP`. */
  readonly id: string;
  /** `gcp` or `aws`. */
  readonly cloud: 'gcp' | 'aws';
  /** `error` fails the synth unless suppressed; `warning` is reported only. */
  readonly severity: GuardrailSeverity;
  /** One line: what the rule asks for. */
  readonly title: string;
  /** Why it matters and how to fix it, a few sentences; the docs show it. */
  readonly explanation: string;
  /** The checkov check(s) and/or CIS benchmark control(s) it corresponds to, where there is one. */
  readonly controls: readonly string[];
  /** The resource types it checks. */
  readonly types: readonly string[];
  /** The violations of one resource of those types (none: it passes). */
  check(resource: ModelResource, stack: StackModel): readonly RuleViolation[];
}

// Helpers for reading synthesized arguments. cdktf writes a nested block as an object or as a list of objects;
// an argument may hold a Terraform expression (`${var.x}`) whose value is not known at synth.

/** True for a value only known at apply (a Terraform expression). Rules do not flag what they cannot read. */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && (value.includes('${') || value.includes('%{'));
}

/** The blocks of a nested-block argument, whichever way cdktf wrote them. */
export function blocks(value: unknown): readonly Readonly<Record<string, unknown>>[] {
  if (Array.isArray(value)) return value.filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object');
  return value !== null && typeof value === 'object' ? [value as Record<string, unknown>] : [];
}

/**
 * The blocks of a nested block `name` of a resource: those written out and those of a `dynamic "<name>"` block
 * (cdktf's `TerraformIterator.dynamic`: its `content`, whose literal values are read like a block's; the iterator's
 * `${each.value...}` parts are expressions).
 */
export function nestedBlocks(config: Readonly<Record<string, unknown>>, name: string): readonly Readonly<Record<string, unknown>>[] {
  const dynamic = block(config.dynamic)?.[name];
  return [...blocks(config[name]), ...blocks(dynamic).flatMap((d) => blocks(d.content))];
}

/** The first block of a nested-block argument, if any. */
export function block(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return blocks(value)[0];
}

/** The value at a dotted path through nested blocks (first block at each step). */
export function at(config: Readonly<Record<string, unknown>>, path: string): unknown {
  let node: unknown = config;
  for (const key of path.split('.')) {
    const b = block(node);
    if (!b) return undefined;
    node = b[key];
  }
  return node;
}

/** A violation list of one, or none. */
export function violation(when: boolean, attribute: string, problem: string): readonly RuleViolation[] {
  return when ? [{ attribute, problem }] : [];
}

/** Whether a resource belongs to a production environment (by the environment the stack model gives it). */
export function isProduction(resource: ModelResource): boolean {
  return resource.environment === 'production' || resource.environment === 'prod';
}

/** One statement of an IAM policy document. */
export interface PolicyStatement {
  readonly Effect?: string;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly Sid?: string;
}

/**
 * The statements of an AWS policy argument, read from:
 * - an object with a `Statement` (one statement or a list);
 * - a JSON string of one (what `JSON.stringify` in cdktf code, or Terraform's `jsonencode` of a literal, leaves);
 * - a whole-value `${jsonencode(<object>)}`, what cdktf's `Fn.jsonencode` writes: an HCL object literal (quoted or
 *   bare keys, `=` or `:`, lists, strings, numbers, booleans, null). A value in it that is not a literal (a bare
 *   reference such as `aws_s3_bucket.b.arn`, a function call, a `for` expression) is read as the string
 *   `${<expression>}`, and a string with `${...}` inside is kept as written: both are expressions (`isExpression`),
 *   which no rule matches as a wildcard or as `"*"`.
 *
 * Statements that are not objects are left out. Empty for anything else: a malformed document, a document known only
 * at apply (`${data.aws_iam_policy_document.x.json}`, `${jsonencode(local.policy)}`), or one whose `Statement` is
 * itself an expression; `readPolicyStatements` tells those apart from a document with no statements.
 */
export function policyStatements(value: unknown): readonly PolicyStatement[] {
  return readPolicyStatements(value) ?? [];
}

/**
 * The statements of a policy argument as `policyStatements` reads them, or `undefined` when the document is not
 * readable at synth (malformed, an expression, or a `Statement` that is an expression or holds one in its list).
 */
export function readPolicyStatements(value: unknown): readonly PolicyStatement[] | undefined {
  let doc: unknown = value;
  if (typeof value === 'string') {
    doc = /^\s*\$\{\s*jsonencode\s*\(/.test(value) ? parseJsonencode(value) : parseJson(value);
    if (doc === undefined) return undefined;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const statements = (doc as { Statement?: unknown }).Statement;
  if (statements === undefined || statements === null) return [];
  const items: unknown[] = Array.isArray(statements) ? statements : [statements];
  if (items.some((s) => isExpression(s))) return undefined;
  return items.filter((s): s is PolicyStatement => s !== null && typeof s === 'object' && !Array.isArray(s));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The value of a whole-value `${jsonencode(<literal>)}`, or undefined when the text is anything else (more than the
 * call, an argument that is not an object literal, or text this reader cannot follow).
 */
function parseJsonencode(text: string): unknown {
  const reader = new HclReader(text);
  reader.expect(/\$\{\s*jsonencode\s*\(/y);
  const value = reader.value();
  reader.expect(/\s*\)\s*\}\s*$/y);
  if (!reader.ok || value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return value;
}

/** A small reader of HCL literal values (what cdktf writes inside `jsonencode(...)`); `ok` false once lost. */
class HclReader {
  public ok = true;
  private pos = 0;
  constructor(private readonly text: string) {}

  /** Consumes what `pattern` (sticky) matches here, or fails. */
  public expect(pattern: RegExp): void {
    if (!this.ok) return;
    pattern.lastIndex = this.pos;
    const m = pattern.exec(this.text);
    if (!m) this.ok = false;
    else this.pos += m[0].length;
  }

  /** A value; anything that is not a literal becomes the string `${<its text>}`. */
  public value(): unknown {
    this.space();
    const start = this.pos;
    const literal = this.literal();
    if (!this.ok) return undefined;
    this.space();
    // A literal followed by more than a separator was the start of an expression (`"a" == var.b ? ...`).
    if (literal.known && this.atSeparator()) return literal.value;
    this.pos = start;
    return this.expression();
  }

  private literal(): { known: boolean; value?: unknown } {
    const c = this.text[this.pos];
    if (c === '{' || c === '[') {
      if (/^[{[]\s*for\s/.test(this.text.slice(this.pos, this.pos + 8))) return { known: false };
      return { known: true, value: c === '{' ? this.object() : this.list() };
    }
    if (c === '"') {
      const s = this.string();
      return s === undefined ? { known: false } : { known: true, value: s };
    }
    const rest = this.text.slice(this.pos);
    const number = /^-?\d+(\.\d+)?([eE][+-]?\d+)?(?![\w.])/.exec(rest);
    if (number) {
      this.pos += number[0].length;
      return { known: true, value: Number(number[0]) };
    }
    const word = /^(true|false|null)(?![\w.[(-])/.exec(rest);
    if (word) {
      this.pos += word[0].length;
      return { known: true, value: word[1] === 'null' ? null : word[1] === 'true' };
    }
    return { known: false };
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.pos++; // {
    for (;;) {
      this.space(true);
      if (!this.ok || this.pos >= this.text.length) return this.fail(out);
      if (this.text[this.pos] === '}') {
        this.pos++;
        return out;
      }
      const key = this.key();
      if (key === undefined) return this.fail(out);
      this.space();
      if (this.text[this.pos] !== '=' && this.text[this.pos] !== ':') return this.fail(out);
      this.pos++;
      out[key] = this.value();
      if (!this.ok) return out;
      this.space();
      if (this.text[this.pos] === ',' || this.text[this.pos] === '\n') this.pos++;
      else if (this.text[this.pos] !== '}') return this.fail(out);
    }
  }

  private list(): unknown[] {
    const out: unknown[] = [];
    this.pos++; // [
    for (;;) {
      this.space(true);
      if (!this.ok || this.pos >= this.text.length) return this.fail(out);
      if (this.text[this.pos] === ']') {
        this.pos++;
        return out;
      }
      out.push(this.value());
      if (!this.ok) return out;
      this.space(true);
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== ']') return this.fail(out);
    }
  }

  /** An object key: a quoted string, a bare identifier, or a parenthesized expression (`${...}`, unknown). */
  private key(): string | undefined {
    const c = this.text[this.pos];
    if (c === '"') return this.string();
    if (c === '(') {
      const start = this.pos++;
      this.balanced(')');
      return this.ok ? `\${${this.text.slice(start, this.pos)}}` : undefined;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.text.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  /**
   * A quoted string with HCL's escapes decoded; a template interpolation or directive (`${...}`, `%{...}`) is kept
   * as written, so the string reads as an expression. Undefined (and `ok` false) when unterminated.
   */
  private string(): string | undefined {
    let out = '';
    this.pos++; // "
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === '\\') {
        const next = this.text[this.pos + 1];
        const unicode = /^u[0-9A-Fa-f]{4}/.exec(this.text.slice(this.pos + 1));
        if (unicode) {
          out += String.fromCharCode(parseInt(unicode[0].slice(1), 16));
          this.pos += 6;
          continue;
        }
        out += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next ?? '';
        this.pos += 2;
        continue;
      }
      if ((c === '$' || c === '%') && this.text[this.pos + 1] === '{') {
        const start = this.pos;
        this.pos += 2;
        this.balanced('}');
        if (!this.ok) return undefined;
        out += this.text.slice(start, this.pos);
        continue;
      }
      out += c;
      this.pos++;
    }
    this.ok = false;
    return undefined;
  }

  /** An expression, up to a separator at its own depth: read as the string `${<its text>}`. */
  private expression(): string | undefined {
    const start = this.pos;
    while (this.ok && this.pos < this.text.length && !this.atSeparator()) {
      const c = this.text[this.pos];
      if (c === '"') this.string();
      else if (c === '(' || c === '[' || c === '{') {
        this.pos++;
        this.balanced(c === '(' ? ')' : c === '[' ? ']' : '}');
      } else this.pos++;
    }
    const text = this.text.slice(start, this.pos).trim();
    if (!this.ok || text === '') return this.fail(undefined);
    return `\${${text}}`;
  }

  /** Skips to just past the `close` that ends the current bracket, over nested brackets and strings. */
  private balanced(close: string): void {
    const closers: string[] = [close];
    while (this.ok && this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '"') {
        this.string();
        continue;
      }
      this.pos++;
      if (c === '(') closers.push(')');
      else if (c === '[') closers.push(']');
      else if (c === '{') closers.push('}');
      else if (c === closers[closers.length - 1]) {
        closers.pop();
        if (closers.length === 0) return;
      }
    }
    this.ok = false;
  }

  private atSeparator(): boolean {
    const c = this.text[this.pos];
    return c === undefined || c === ',' || c === '}' || c === ']' || c === ')' || c === '\n';
  }

  private space(newlines = false): void {
    const pattern = newlines ? /^[ \t\r\n]*/ : /^[ \t\r]*/;
    this.pos += pattern.exec(this.text.slice(this.pos))![0].length;
  }

  private fail<T>(value: T): T {
    this.ok = false;
    return value;
  }
}

/** A policy element as a list (`"s3:*"` or `["s3:*"]`). */
export function list(value: string | readonly string[] | undefined): readonly string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}
