/**
 * Terraform reads every string of the synthesized JSON as a template: `${…}` is an expression and `%{…}` a
 * directive, evaluated at plan time on the deploying machine. cdktf writes literal text through unchanged, so a
 * literal that contains either sequence must be escaped (`$${`, `%%{`) before it reaches a resource.
 */

/** Escapes Terraform template sequences (`${` and `%{`) in a literal. */
export function escapeTemplate(value: string): string {
  return value.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

// cdktf's marker for an unresolved string token inside a string (lib/tokens/private/encoding.js).
const STRING_TOKEN = /\$\{TfToken\[[a-zA-Z0-9:._-]+\]\}/g;

/**
 * Escapes the literal parts of a string that may also hold cdktf tokens: the tokens stay references, every
 * other `${` and `%{` becomes literal text. For whole scripts written with `${` of their own (bash arrays).
 */
export function escapeTemplateLiterals(value: string): string {
  let out = '';
  let last = 0;
  for (const match of value.matchAll(STRING_TOKEN)) {
    out += escapeTemplate(value.slice(last, match.index)) + match[0];
    last = match.index! + match[0].length;
  }
  return out + escapeTemplate(value.slice(last));
}
