import { ProblemCollector } from '../validation';
import { DOCKER_CLI_VARIABLE, ENV_VAR_NAME, ReservedVariables, isReserved } from './environment';

/**
 * Where a secret's value comes from: `generated` (random letters and digits, made per environment when the
 * stack is applied or the first server boots) or `empty` (created without a value, for you to fill; servers
 * that read it wait for it).
 */
export type SecretValueSource = 'generated' | 'empty';

/** Every `SecretValueSource`. */
export const SECRET_VALUE_SOURCES: readonly SecretValueSource[] = ['generated', 'empty'];

/** A secret the server reads, as declared in deploy.yaml (`secrets:`) or in a pattern's `secrets` prop. */
export interface SecretSpec {
  /** Where the value comes from. */
  readonly value: SecretValueSource;
  /** Length of a generated value, 16 to 128 letters and digits. @default 32 */
  readonly length?: number;
  /**
   * Environment variable the server reads it from.
   * @default - the profile's name for the key (`SERVERPOD_PASSWORD_<key>` for Serverpod, the key itself otherwise)
   */
  readonly variable?: string;
}

/** `'generated'`, `'empty'`, or the full form. */
export type SecretDeclaration = SecretValueSource | SecretSpec;

/** A secret the profile itself needs generated (Serverpod's `serviceSecret`, its JWT key and peppers). */
export interface GeneratedSecret {
  /** The key the server reads (`jwtHmacSha512PrivateKey`). */
  readonly key: string;
  /** Letters and digits. @default 32 */
  readonly length?: number;
}

/** One secret of an environment, with everything a platform needs to create and inject it. */
export interface EnvironmentSecret {
  /** The key the server reads (`serviceSecret`, `stripeApiKey`). */
  readonly key: string;
  /** Where the value comes from. */
  readonly value: SecretValueSource;
  /** Length of a generated value. */
  readonly length: number;
  /** The container's environment variable. */
  readonly variable: string;
}

/** Secret keys: letters, digits and `_`, starting with a letter (how Serverpod names passwords). */
export const SECRET_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
export { ENV_VAR_NAME } from './environment';
/** Keys the platforms wire themselves (the database and Redis passwords). */
export const PLATFORM_SECRET_KEYS: readonly string[] = ['database', 'redis', 'databasePassword', 'redisAuth'];
/** Length of a generated secret when neither the profile nor the declaration says. */
export const DEFAULT_SECRET_LENGTH = 32;
/** Secret names the stacks use themselves (`<prefix>-<environment>-<part>` on GCP). */
const RESERVED_SECRET_ID_PARTS = ['database-password', 'redis-auth', 'storage-hmac-access-id', 'storage-hmac-secret'];

/**
 * The secrets one environment gets: the profile's generated ones, then the declared ones (a declaration with a
 * profile key replaces the profile's: `serviceSecret: empty` lets you supply Serverpod's service secret).
 * Problems go to `problems` under `field`.
 */
export function environmentSecrets(
  profile: {
    readonly generatedSecrets: readonly GeneratedSecret[];
    /** Variables a declared secret's `variable` may not take. @default - none */
    readonly reservedVariables?: ReservedVariables;
    secretVariable(key: string): string;
  },
  declared: Readonly<Record<string, SecretDeclaration>> | undefined,
  problems: ProblemCollector,
  field = 'secrets',
  /** Further keys the platform wires itself here (storage credentials it creates). */
  reserved: readonly string[] = [],
): EnvironmentSecret[] {
  const platformKeys = [...PLATFORM_SECRET_KEYS, ...reserved];
  const byKey = new Map<string, EnvironmentSecret>();
  for (const g of profile.generatedSecrets) {
    byKey.set(g.key, { key: g.key, value: 'generated', length: g.length ?? DEFAULT_SECRET_LENGTH, variable: profile.secretVariable(g.key) });
  }
  for (const [key, declaration] of Object.entries(declared ?? {})) {
    const spec: SecretSpec = typeof declaration === 'string' ? { value: declaration } : declaration;
    const length = spec.length ?? byKey.get(key)?.length ?? DEFAULT_SECRET_LENGTH;
    problems.check(SECRET_KEY.test(key), `${field}.${key}`, key, 'a secret key of letters, digits and _, starting with a letter, at most 64 characters');
    problems.check(!platformKeys.includes(key), `${field}.${key}`, key, `a key other than ${platformKeys.join(', ')} (the stacks create and wire those)`);
    problems.check(SECRET_VALUE_SOURCES.includes(spec.value), `${field}.${key}.value`, spec.value, `one of ${SECRET_VALUE_SOURCES.join(', ')}`);
    problems.check(Number.isInteger(length) && length >= 16 && length <= 128, `${field}.${key}.length`, length, 'a whole number from 16 to 128');
    if (spec.variable !== undefined) {
      const at = `${field}.${key}.variable`;
      problems.check(ENV_VAR_NAME.test(spec.variable), at, spec.variable, 'an environment variable name: letters, digits and _');
      problems.check(!DOCKER_CLI_VARIABLE.test(spec.variable), at, spec.variable, 'a name the Docker CLI process does not read itself (not DOCKER_*, GO runtime settings, LD_*, HOME, PATH or TMPDIR)');
      // A chosen variable must not stand in for one the profile sets (the database password, the run mode).
      const owned = profile.reservedVariables;
      if (owned) problems.check(!isReserved(spec.variable, owned), at, spec.variable, `a name not set by ${owned.owner} (${owned.names.join(', ')})`);
    }
    byKey.set(key, { key, value: spec.value, length, variable: spec.variable ?? profile.secretVariable(key) });
  }
  const secrets = [...byKey.values()];
  const seen = new Map<string, string>();
  // Secret stores name secrets in kebab-case: two keys must not land on one name, nor on one the platform uses.
  const ids = new Map<string, string>(RESERVED_SECRET_ID_PARTS.map((part) => [part, 'the stacks']));
  for (const s of secrets) {
    const other = seen.get(s.variable);
    problems.check(other === undefined, `${field}.${s.key}.variable`, s.variable, `a variable no other secret uses (${other} uses it)`);
    seen.set(s.variable, s.key);
    const id = secretIdPart(s.key);
    const owner = ids.get(id);
    problems.check(owner === undefined, `${field}.${s.key}`, s.key, `a key whose secret name (${id}) no other secret has (${owner === 'the stacks' ? 'the stacks use it' : `${owner} has it`})`);
    ids.set(id, s.key);
  }
  return secrets;
}

/** A secret's id in a cloud's secret store: `jwtHmacSha512PrivateKey` → `jwt-hmac-sha512-private-key`. */
export function secretIdPart(key: string): string {
  return key.replace(/[A-Z]/g, (c, i: number) => `${i === 0 ? '' : '-'}${c.toLowerCase()}`);
}
