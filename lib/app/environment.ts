import { Token } from 'cdktf';
import { holdsTokenEncoding } from '../terraform-strings';
import { ProblemCollector } from '../validation';

/**
 * Rules for the plain (non-secret) environment a user gives a server, shared by the config schema, the app
 * profiles and the platform constructs, so a bad variable is refused once, by the same words, wherever it came in.
 */

/** An environment variable name. */
export const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Variables the Docker CLI process reads itself. The clusters' boot scripts hand the container's variables to
 * `docker run` through the CLI's own environment, so a server variable with one of these names would steer the
 * CLI instead. Refused as server variables.
 */
export const DOCKER_CLI_VARIABLE = /^(DOCKER_.*|GODEBUG|GOGC|GOMAXPROCS|GOMEMLIMIT|GOTRACEBACK|LD_.*|HOME|PATH|TMPDIR)$/;

/**
 * A set of variable names owned by someone other than the user (the profile, the platform): exact names, and
 * prefixes written with a final `*` (`SERVERPOD_DATABASE_*`).
 */
export interface ReservedVariables {
  /** Who sets them, completing "set by ..." (`the serverpod preset`, `Cloud Run`). */
  readonly owner: string;
  /** Exact names, and prefixes ending in `*`. */
  readonly names: readonly string[];
  /** Where the value belongs instead. @default - nothing said */
  readonly hint?: string;
}

/** Whether `name` is one of `reserved`'s names or starts with one of its `*` prefixes. */
export function isReserved(name: string, reserved: ReservedVariables): boolean {
  return reserved.names.some((r) => (r.endsWith('*') ? name.startsWith(r.slice(0, -1)) : name === r));
}

/**
 * What Cloud Run sets itself or refuses in a container's environment
 * (cloud.google.com/run/docs/container-contract#env-vars and #jobs-env-vars).
 */
export const CLOUD_RUN_RESERVED: ReservedVariables = {
  owner: 'Cloud Run',
  names: ['PORT', 'K_*', 'CLOUD_RUN_*'],
};

/** Where a value the preset owns belongs instead. */
export const SECRETS_HINT = 'passwords and keys go under secrets, which the stacks keep in the cloud\'s secret store';

/** Cloud Run's limit on one environment variable's value (cloud.google.com/run/quotas: 32 KiB). */
export const CLOUD_RUN_VALUE_BYTES = 32 * 1024;

const LINE_BREAK_OR_NUL = /[\r\n\0]/;

/**
 * Problems of one plain environment: names that are not variable names or that another party sets, values with
 * NUL bytes or line breaks (a process environment cannot hold NUL; multi-line values belong in a secret, which
 * reaches the server byte for byte), and values over `maxValueBytes`. Tokens (references) are only checked by
 * name. `field` is the dotted path of the environment (`app.environment`, `profile.environment`).
 */
export function environmentProblems(
  problems: ProblemCollector,
  field: string,
  environment: Readonly<Record<string, string>>,
  options: {
    readonly reserved?: readonly ReservedVariables[];
    readonly maxValueBytes?: { readonly bytes: number; readonly why: string };
    /** Check names and values (false: only `reserved` and `maxValueBytes`, for a second pass). @default true */
    readonly basics?: boolean;
  } = {},
): void {
  for (const [name, value] of Object.entries(environment)) {
    const at = `${field}.${name}`;
    const basics = options.basics ?? true;
    if (!ENV_VAR_NAME.test(name) || DOCKER_CLI_VARIABLE.test(name)) {
      if (!basics) continue;
      problems.check(false, at, name, 'an environment variable name (letters, digits and _, not starting with a digit) that the Docker CLI does not read itself (not DOCKER_*, GO runtime settings, LD_*, HOME, PATH or TMPDIR)');
      continue;
    }
    for (const reserved of options.reserved ?? []) {
      if (isReserved(name, reserved)) {
        problems.check(false, at, name, `a name not set by ${reserved.owner} (${reserved.names.join(', ')})${reserved.hint ? `: ${reserved.hint}` : ''}`);
      }
    }
    if (typeof value !== 'string') {
      if (basics) problems.check(false, at, value, 'a string');
      continue;
    }
    if (Token.isUnresolved(value)) continue;
    if (basics) problems.check(!holdsTokenEncoding(value), at, value, 'text without cdktf\'s token encodings (a number such as -8.109562212591379e+298 would become a reference)');
    if (basics) problems.check(!LINE_BREAK_OR_NUL.test(value), at, value, 'one line without NUL bytes: a multi-line value (a PEM, a JSON key) goes under secrets, which reach the server byte for byte');
    const max = options.maxValueBytes;
    if (max) {
      const bytes = Buffer.byteLength(value, 'utf8');
      problems.check(bytes <= max.bytes, at, `${bytes} bytes`, `at most ${max.bytes} bytes (${max.why})`);
    }
  }
}
