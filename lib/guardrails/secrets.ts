import { isExpression } from './rule';

// ---------------------------------------------------------------------------------------------------------------
// Secrets in plain variables: one heuristic for every cloud's rule pack. The rules word their own messages from the
// kind returned here; nothing here ever returns or prints a value.

/**
 * Why a variable holds a secret in plain text: its name says so (`name`), a URL with a literal password (`url`), or a
 * private key or API token by its format, whatever the name (`shape`).
 */
export type SecretKind = 'name' | 'url' | 'shape';

/** Words (whole, or a word's end: `PGPASSWORD`, `clientSecret`, `AUTHTOKEN`) that mark a name as holding a secret. */
const SECRET_WORD_END = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|CREDENTIAL)S?$/;
/** Whole words that mark a secret. `PWD` alone is the shell's working directory, not a password. */
const SECRET_WORDS: ReadonlySet<string> = new Set(['PASS', 'PWD', 'PEPPER', 'PRIVATEKEY', 'SECRETKEY']);
/** Words that mark a secret only as a name's last word (`STRIPE_SK`, not DynamoDB's `SK_ATTRIBUTE`). */
const SECRET_LAST_WORDS: ReadonlySet<string> = new Set(['SK']);
/** Words of a password's name: its value is a secret even when it looks like a number. */
const PASSWORD_WORD = /(PASSWORD|PASSWD|PASSPHRASE)S?$|^(PASS|PWD)$/;
/** Words that mark a key, which may be public, or not a cryptographic key at all (a sort key). */
const KEY_WORDS: ReadonlySet<string> = new Set(['KEY', 'KEYS', 'APIKEY', 'ACCESSKEY']);
/** Words saying a key or token is meant to be public: a publishable key, a public key. */
const PUBLIC_WORDS: ReadonlySet<string> = new Set(['PUBLIC', 'PUBLISHABLE', 'PUB']);
/**
 * Words before KEY that make it no secret: a (reCAPTCHA, Turnstile) site key, a sort, partition or cache key, a KMS
 * key (its name; the key never leaves KMS).
 */
const NOT_SECRET_KEY_QUALIFIERS: ReadonlySet<string> = new Set([
  'SITE', 'SORT', 'PARTITION', 'HASH', 'RANGE', 'PRIMARY', 'FOREIGN', 'CACHE', 'ROUTING', 'IDEMPOTENCY', 'DEDUPLICATION', 'LOOKUP', 'OBJECT', 'S3', 'KMS',
]);
/** Last words of a name that say it holds something about a secret, not the secret (`API_KEY_ID`, `TOKEN_TTL`, `SESSION_TOKEN_MAX_AGE`). */
const NOT_SECRET_SUFFIXES: ReadonlySet<string> = new Set([
  'ID', 'IDS', 'NAME', 'NAMES', 'PATH', 'FILE', 'DIR', 'URL', 'URI', 'ARN', 'REF', 'VERSION', 'TTL', 'EXPIRY', 'EXPIRES', 'EXPIRATION', 'LIFETIME', 'AGE',
  'DURATION', 'INTERVAL', 'LENGTH', 'TIMEOUT', 'HEADER', 'HEADERS', 'PARAM', 'FIELD', 'ENABLED', 'DISABLED', 'TYPE', 'PROVIDER', 'ALGORITHM', 'ROTATION',
  'ENDPOINT', 'HOST', 'PORT', 'MODE', 'SECONDS', 'MINUTES', 'HOURS', 'DAYS', 'REGION', 'PROJECT', 'LOCATION', 'FORMAT', 'PREFIX', 'SUFFIX', 'USER',
  'USERNAME', 'ISSUER', 'AUDIENCE', 'SCOPE', 'SCOPES', 'COUNT', 'SIZE', 'REQUIRED', 'POLICY', 'RING', 'KEYRING', 'ALIAS', 'HINT', 'RULE', 'RULES',
  'STORE', 'BACKEND', 'BUCKET', 'TABLE',
]);

/** A name's words, upper case: `stripeApiKey` and `STRIPE_API_KEY` are both STRIPE, API, KEY. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toUpperCase());
}

/** Whether a name is a key's (`API_KEY`, `stripeApiKey`) that is not a public, site, sort, cache or KMS key. */
function secretKeyName(words: readonly string[]): boolean {
  return words.some((w, i) => KEY_WORDS.has(w) && (w !== 'KEY' || i === 0 || !NOT_SECRET_KEY_QUALIFIERS.has(words[i - 1])));
}

/**
 * Whether a variable name says it holds a secret (`SERVERPOD_PASSWORD_database`, `stripeApiKey`, `DB_PASS`,
 * `MYSQL_PWD`, `STRIPE_SK`), and not a setting about one (`TOKEN_TTL`, `API_KEY_ID`) or a key meant to be public.
 */
export function secretLookingName(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0 || NOT_SECRET_SUFFIXES.has(words[words.length - 1])) return false;
  if (words.length === 1 && words[0] === 'PWD') return false; // the shell's working directory
  const strong = words.some((w, i) => SECRET_WORD_END.test(w) || SECRET_WORDS.has(w) || (i === words.length - 1 && SECRET_LAST_WORDS.has(w)));
  // A public or publishable key or token is meant to be seen; a password or secret is a secret whatever else the name says.
  if (words.some((w) => PUBLIC_WORDS.has(w))) return words.some((w) => PASSWORD_WORD.test(w) || /SECRET/.test(w) || w === 'PRIVATE' || w === 'PRIVATEKEY');
  return strong || secretKeyName(words);
}

/** Whether a name is a password's: then a number is a password too. */
function passwordName(name: string): boolean {
  return nameWords(name).some((w) => PASSWORD_WORD.test(w));
}

/** A URL with a literal password in it: `postgres://user:pw@host/db`, `redis://:pw@host` (not `:${var.pw}@`). */
const URL_WITH_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/@:$`{}]*:[^\s/@$`{}]+@/i;
/** Values that are secrets whatever the variable's name: Stripe secret, restricted and webhook keys, PEM private keys, GitHub, GitLab, Slack and npm tokens. */
const SECRET_SHAPES: readonly RegExp[] = [
  /\b[sr]k_(live|test)_[0-9A-Za-z]+/,
  /^whsec_[A-Za-z0-9]/,
  /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/,
  /\b(?:gh[pousr]_[0-9A-Za-z]{20,}|github_pat_\w{20,})/,
  /^glpat-/,
  /^xox[abposr]-|\bxox[abposr]-[0-9A-Za-z-]{10,}/,
  /^npm_[A-Za-z0-9]{20,}/,
];
/** Values meant to be public whatever the name: Stripe publishable keys, PEM public keys and certificates, SSH public keys. */
const PUBLIC_SHAPES: readonly RegExp[] = [/^pk_(live|test)_/, /^-----BEGIN (?:(?:RSA |EC )?PUBLIC KEY|CERTIFICATE)-----/, /^(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-\S+|sk-\S+@openssh\.com) AAAA/];
/** A resource's name, not the secret: `projects/p/.../cryptoKeys/k`, `projects/p/secrets/s/versions/1`, an ARN, a KMS alias. */
const RESOURCE_NAME = /^(?:(?:\/\/[a-z0-9.-]+\.googleapis\.com\/)?(?:projects|organizations|folders|billingAccounts)\/[^/\s]+\/[A-Za-z]+\/\S+|arn:\S+|alias\/\S+)$/;
/** Not a secret, just a switch. */
const FLAG = /^(true|false|yes|no|on|off|null|none)$/i;
/** A number or a duration (`3600`, `1.5`, `15m`, `1h30m`): a secret only when the name is a password's. */
const NUMBER_OR_DURATION = /^(\d+(\.\d+)?|(\d+(\.\d+)?(ms|s|m|h|d|w))+)$/i;

/** A file path (`/secrets/sa.json`, `./key.pem`, `~/.ssh/id_ed25519`, `file:///etc/key`): where a secret is, not the secret. */
function filePath(value: string): boolean {
  if (/^(\.{1,2}\/|~\/|file:\/\/)\S*$/.test(value)) return true;
  return /^\/(?:[\w.-]+\/)*[\w.-]+\/?$/.test(value) && (value.split('/').filter(Boolean).length >= 2 || /\.[A-Za-z0-9]+$/.test(value));
}

/** Whether a value is not literal text: a Terraform expression, a shell variable or a command substitution. */
function notLiteral(value: string): boolean {
  return isExpression(value) || /\$[{(A-Za-z_]|`/.test(value);
}

/**
 * Whether a variable `name` set to `value` holds a secret in plain text, and why (never the value); undefined when
 * it does not. In order: a URL with a literal password, a value shaped like a private key or live token (whatever the
 * name), then a secret-looking name, unless the value is empty, not literal, a flag, a public key, a resource's name, a
 * file path, or a number or duration under a name that is not a password's.
 */
export function plainSecret(name: string, value: unknown): SecretKind | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (URL_WITH_PASSWORD.test(v)) return 'url';
  if (notLiteral(v)) return undefined;
  if (SECRET_SHAPES.some((r) => r.test(v))) return 'shape';
  if (FLAG.test(v) || PUBLIC_SHAPES.some((r) => r.test(v)) || RESOURCE_NAME.test(v) || filePath(v)) return undefined;
  if (NUMBER_OR_DURATION.test(v) && !passwordName(name)) return undefined;
  return secretLookingName(name) ? 'name' : undefined;
}

/**
 * The variables a script sets to literal secrets, by name (the first assignment of each), with why: `NAME=value`,
 * `export NAME=value`, `-e NAME=value`, `--env NAME=value`, `Environment=NAME=value`; this package's boot scripts'
 * `printf '%s' '<base64>' | base64 -d > <dir>/env/NAME`; and a container declaration's `- name: NAME` / `value: ...`.
 * The caller decodes the script (base64, gzip) first.
 */
export function plainSecretsInScript(script: string): Map<string, SecretKind> {
  const found = new Map<string, SecretKind>();
  const add = (name: string, value: string) => {
    const kind = plainSecret(name, value);
    if (kind && !found.has(name)) found.set(name, kind);
  };
  for (const m of script.matchAll(/(?:^|[\s;&|("'=])(?:Environment="?)?([A-Za-z_][A-Za-z0-9_]*)=("[^"\n]*"|'[^'\n]*'|[^\s;&|)"']+)/gm)) {
    const [, name, raw] = m;
    add(name, raw.startsWith('"') || raw.startsWith("'") ? raw.slice(1, -1) : raw);
  }
  for (const m of script.matchAll(/printf '%s' '([A-Za-z0-9+/=]*)' \| base64 -d > \S*\/([A-Za-z_][A-Za-z0-9_.-]*)/g)) add(m[2], Buffer.from(m[1], 'base64').toString('utf8'));
  for (const m of script.matchAll(/-\s*name:\s*['"]?([A-Za-z_][A-Za-z0-9_.-]*)['"]?\s*\n\s*value:\s*(.*)/g)) add(m[1], m[2].trim().replace(/^["']|["']$/g, ''));
  return found;
}
