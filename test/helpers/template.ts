import { interpolationEnd } from './boot';

/**
 * Terraform template structure of a synthesized string, for the hostile-input sweeps: which text Terraform would
 * read as an expression or directive (`${…}`, `%{…}`), and which as literal text (`$${` and `%%{` are escapes).
 */

/**
 * Everything inside the string's interpolations and directives (quoted strings within them included: user text
 * must never be there, even as a function's literal argument). Throws when the string is not a well-formed
 * template (an unterminated `${` or quoted string), as Terraform would.
 */
export function templateCode(src: string): string {
  let code = '';
  let i = 0;
  while (i < src.length) {
    if (src.startsWith('$${', i) || src.startsWith('%%{', i)) {
      i += 3;
    } else if (src.startsWith('${', i) || src.startsWith('%{', i)) {
      const end = interpolationEnd(src, i + 2);
      code += `${src.slice(i, end + 1)}\n`;
      i = end + 1;
    } else {
      i++;
    }
  }
  return code;
}

/** Every string of a JSON value, object keys included. */
export function jsonStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => jsonStrings(v, out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      jsonStrings(v, out);
    }
  }
  return out;
}

/** The Terraform code (never literal text) of a whole synthesized stack. */
export function stackCode(json: unknown): string {
  return jsonStrings(json).map(templateCode).join('');
}
