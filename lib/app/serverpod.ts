import { ProblemCollector } from '../validation';
import { holdsTokenEncoding } from '../terraform-strings';
import { AppPort, AppProfile, ContainerEnvironment, HOST_LABEL, HOST_LABEL_RULE, HealthCheck, RuntimeContext, SecretRef } from './profile';
import { GeneratedSecret } from './secrets';

/**
 * The Serverpod release the image is built with, as `major.minor`. Where releases differ, the preset follows
 * it (see docs/serverpod.md for each difference and the source it was checked against).
 */
export type ServerpodVersion = string;

/** The current stable release line, the default (Serverpod 3.4.12 at the time of writing). */
export const SERVERPOD_STABLE_VERSION = '3.4';
/** The oldest release the preset supports: 2.9.0 added `SERVERPOD_PASSWORD_<key>` variables, which the stacks need. */
export const SERVERPOD_OLDEST_VERSION = '2.9';

/** Options of the Serverpod preset. */
export interface ServerpodProfileOptions {
  /** Name used in resource and image names. @default 'serverpod' */
  readonly name?: string;
  /** Serverpod's startup logging: `normal` or `verbose`. @default 'normal' */
  readonly logging?: 'normal' | 'verbose';
  /**
   * The Serverpod release the image is built with (`3.4`, `2.9`, `4.0`). It decides the health routes
   * (`/livez` and `/readyz` from 3.3), whether the pool size can be set (3.0) and which passwords the project
   * template needs (the 3.x auth keys).
   * @default '3.4'
   */
  readonly version?: ServerpodVersion;
  /**
   * Whether the server uses Postgres. Serverpod mini runs without it; stacks then create no database, and the
   * server has no Insights (Serverpod starts it only with a database) and no maintenance role.
   * @default true
   */
  readonly usesDatabase?: boolean;
  /**
   * Whether the web server (port 8082, `app.`) is published. Serverpod starts it only when the project adds
   * web routes: `serverpod create` adds them, Serverpod mini does not.
   * @default - the same as usesDatabase (the full template has routes; mini has none)
   */
  readonly web?: boolean;
  /**
   * The host label each server is published at, by port name: `{ web: 'www' }` serves the web server at
   * `www.<domain>` (`www-staging.` in staging). The servers are told their hosts (`SERVERPOD_*_PUBLIC_HOST`).
   * @default { api: 'api', insights: 'insights', web: 'app' }
   */
  readonly hostLabels?: Readonly<Partial<Record<'api' | 'insights' | 'web', string>>>;
  /** Further fixed environment variables. @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Readiness path of the API server (a load balancer routes to a server while it answers 200 here).
   * @default '/readyz' from 3.3 (database and Redis checks), '/' before (database check)
   */
  readonly healthCheckPath?: string;
  /** Probe timings and the boot grace period (a first boot that migrates a large database needs more). @default - AppProfile's */
  readonly healthCheck?: Partial<Omit<HealthCheck, 'portName' | 'path'>>;
}

/** Environment variable prefix per Serverpod server, as the server reads it (`SERVERPOD_API_SERVER_PORT`, ...). */
const SERVER_ENV: Readonly<Record<string, string>> = { api: 'API_SERVER', insights: 'INSIGHTS_SERVER', web: 'WEB_SERVER' };

/** Serverpod's own port numbers (api 8080, insights 8081, web 8082). */
export const SERVERPOD_PORTS = {
  /** The API server. */
  api: 8080,
  /** Insights, Serverpod's monitoring server. */
  insights: 8081,
  /** The web server (Relic routes). */
  web: 8082,
} as const;

/**
 * The `redis` password the servers send to a Redis without AUTH: its `default` user has no password and takes
 * any. Not a secret; it exists because Serverpod 3 refuses to start Redis without one.
 */
export const REDIS_WITHOUT_AUTH = 'no-auth-token';
/** The Redis user the servers log in as when Redis has no AUTH (Redis's own `default` user, Redis 6+). */
export const REDIS_DEFAULT_USER = 'default';

/** `3.4` → [3, 4]; undefined when it is not `major.minor`. */
export function parseServerpodVersion(version: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(version);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** Whether `version` is at least `min` (both `major.minor`). */
export function serverpodAtLeast(version: string, min: string): boolean {
  const [a, b] = parseServerpodVersion(version) ?? [0, 0];
  const [c, d] = parseServerpodVersion(min) ?? [0, 0];
  return a > c || (a === c && b >= d);
}

/** Problems with a Serverpod version: `major.minor`, from 2.9 to 4.x. */
export function serverpodVersionProblems(problems: ProblemCollector, field: string, version: string): void {
  const parsed = parseServerpodVersion(version);
  problems.check(
    parsed !== undefined && serverpodAtLeast(version, SERVERPOD_OLDEST_VERSION) && parsed[0] <= 4,
    field,
    version,
    `a Serverpod release as major.minor from ${SERVERPOD_OLDEST_VERSION} to 4.x, such as ${SERVERPOD_STABLE_VERSION}`,
  );
}

/**
 * The passwords the project `serverpod create` makes reads, generated like `serverpod create` does (random,
 * 32 characters; `generateRandomString` in packages/serverpod_shared/lib/src/util.dart @3.4.12), except the
 * JWT key: HS512 keys must be at least 64 bytes (RFC 7518, 3.2), which Serverpod does not check.
 * - `serviceSecret`: Insights and service calls; Serverpod disables Insights below 21 characters.
 * - From 3.0 the template's `JwtConfigFromPasswords()` reads `jwtHmacSha512PrivateKey` and
 *   `jwtRefreshTokenHashPepper` (at least 10 characters), and `EmailIdpConfigFromPasswords` reads
 *   `emailSecretHashPepper`, all with getPasswordOrThrow: the server does not start without them.
 */
export function serverpodTemplateSecrets(version: string, usesDatabase: boolean): GeneratedSecret[] {
  const secrets: GeneratedSecret[] = [{ key: 'serviceSecret', length: 32 }];
  // The auth module keeps its users in the database; Serverpod mini has no auth.
  if (usesDatabase && serverpodAtLeast(version, '3.0')) {
    secrets.push({ key: 'jwtHmacSha512PrivateKey', length: 64 }, { key: 'jwtRefreshTokenHashPepper', length: 32 }, { key: 'emailSecretHashPepper', length: 32 });
  }
  return secrets;
}

/**
 * What the preset sets itself: the Dockerfile's flags and their SERVERPOD_* forms, the servers' ports and public
 * hosts, the database, Redis, migrations and every password (packages/serverpod/lib/src/server/serverpod.dart and
 * config/ at 3.4.12). A user's value there would be overridden, or sit in plain text beside the real secret.
 */
export const SERVERPOD_RESERVED_VARIABLES: readonly string[] = [
  'runmode',
  'serverid',
  'logging',
  'role',
  'SERVERPOD_RUN_MODE',
  'SERVERPOD_SERVER_ID',
  'SERVERPOD_LOGGING_MODE',
  'SERVERPOD_SERVER_ROLE',
  'SERVERPOD_API_SERVER_*',
  'SERVERPOD_INSIGHTS_SERVER_*',
  'SERVERPOD_WEB_SERVER_*',
  'SERVERPOD_DATABASE_*',
  'SERVERPOD_REDIS_*',
  'SERVERPOD_PASSWORD_*',
  'SERVERPOD_SERVICE_SECRET',
  'SERVERPOD_APPLY_MIGRATIONS',
];

/** `serviceSecret` is Serverpod's `SERVERPOD_SERVICE_SECRET`; every other password is `SERVERPOD_PASSWORD_<key>` (since 2.9.0). */
export function serverpodPasswordVariable(key: string): string {
  return key === 'serviceSecret' ? 'SERVERPOD_SERVICE_SECRET' : `SERVERPOD_PASSWORD_${key}`;
}

/** The servers the preset publishes, by port name: api always, insights with a database, web when published. */
export function serverpodPortNames(usesDatabase: boolean, web: boolean): string[] {
  return ['api', ...(usesDatabase ? ['insights'] : []), ...(web ? ['web'] : [])];
}

/**
 * The Serverpod server: api on 8080, Insights on 8081 (with a database), the web server on 8082 at `app.`
 * (when published); the `runmode`, `serverid`, `logging` and `role` variables of Serverpod's Dockerfile; the
 * database, Redis and secret settings the way the server reads them (`SERVERPOD_DATABASE_*`,
 * `SERVERPOD_REDIS_*`, `SERVERPOD_PASSWORD_<key>`, `SERVERPOD_SERVICE_SECRET`), so `config/production.yaml`
 * needs no host names; the passwords the project template needs; migrations applied at start
 * (`SERVERPOD_APPLY_MIGRATIONS`) where the platform asks; and the pool size the connection budget allows.
 *
 * @example
 * ```ts
 * import { serverpodProfile } from 'cdktf-serverpod';
 *
 * // The project `serverpod create` makes, built with Serverpod 3.4: api., insights. and app. hosts, Postgres.
 * export const server = serverpodProfile({ name: 'myshop', version: '3.4' });
 * // Serverpod mini: no database, so no Insights, no web server and no maintenance role.
 * export const mini = serverpodProfile({ name: 'mini', usesDatabase: false });
 * // Hand either to a pattern as `profile`: gcp.GcpServerCluster, gcp.GcpServerlessApp or aws.ServerCluster.
 * ```
 */
export function serverpodProfile(options: ServerpodProfileOptions = {}): AppProfile {
  const version = options.version ?? SERVERPOD_STABLE_VERSION;
  const usesDatabase = options.usesDatabase ?? true;
  const web = options.web ?? usesDatabase;
  const problems = new ProblemCollector('options.');
  serverpodVersionProblems(problems, 'version', version);
  // A label for a server that is not published would be dropped without a word.
  const published = serverpodPortNames(usesDatabase, web);
  for (const [name, label] of Object.entries(options.hostLabels ?? {})) {
    problems.check(published.includes(name), `hostLabels.${name}`, name, `a server the preset publishes (${published.join(', ')})`);
    problems.check(label !== undefined && HOST_LABEL.test(label) && !holdsTokenEncoding(label), `hostLabels.${name}`, label, HOST_LABEL_RULE);
  }
  problems.throwIfAny(`Serverpod profile "${options.name ?? 'serverpod'}"`);

  const logging = options.logging ?? 'normal';
  // /livez (always 200 while the process answers) and /readyz (database and Redis) arrived in 3.3.0
  // (packages/serverpod/lib/src/server/server.dart); before, only GET / (503 when the database check fails).
  const probes = serverpodAtLeast(version, '3.3');
  const labels = options.hostLabels ?? {};
  const apiLike = (name: 'api' | 'insights', readiness: string): AppPort => ({
    name,
    port: SERVERPOD_PORTS[name],
    hostLabel: labels[name],
    healthCheckPath: readiness,
    livenessPath: probes ? '/livez' : undefined,
  });
  const ports: AppPort[] = [apiLike('api', options.healthCheckPath ?? (probes ? '/readyz' : '/'))];
  // Insights starts only with a database (Features.enableInsights, packages/serverpod/lib/src/server/features.dart).
  if (usesDatabase) ports.push(apiLike('insights', probes ? '/readyz' : '/'));
  // The web server has no health route before 4.0; the template's root route answers 200.
  if (web) ports.push({ name: 'web', port: SERVERPOD_PORTS.web, hostLabel: labels.web ?? 'app', healthCheckPath: '/', livenessPath: serverpodAtLeast(version, '4.0') ? '/livez' : undefined });

  return new AppProfile({
    name: options.name ?? 'serverpod',
    framework: 'serverpod',
    ports,
    healthCheck: options.healthCheck,
    // The maintenance role runs future calls and health checks, which live in the database (and without one it never exits).
    roles: usesDatabase ? ['monolith', 'serverless', 'maintenance'] : ['monolith', 'serverless'],
    environment: options.environment,
    reservedVariables: SERVERPOD_RESERVED_VARIABLES,
    usesDatabase,
    usesRedis: true,
    generatedSecrets: serverpodTemplateSecrets(version, usesDatabase),
    secretVariable: serverpodPasswordVariable,
    appliesMigrations: usesDatabase,
    // One pool per process, 10 by default; SERVERPOD_DATABASE_MAX_CONNECTION_COUNT from 3.0.0 (2.9 always opens up to 10).
    // Two is the least that migrates: the advisory lock holds one connection while the migration runs on another.
    databasePool: usesDatabase ? { preferred: 10, minimum: 2, configurable: serverpodAtLeast(version, '3.0') } : undefined,
    contextEnvironment: (ctx) => serverpodEnvironment(ctx, logging, usesDatabase),
  });
}

function serverpodEnvironment(ctx: RuntimeContext, logging: string, usesDatabase: boolean): ContainerEnvironment {
  // Serverpod's Dockerfile passes these as --mode/--server-id/--logging/--role, which win over SERVERPOD_RUN_MODE & co.
  const plain: Record<string, string> = {
    runmode: ctx.runmode,
    serverid: ctx.serverId,
    logging,
    role: ctx.role,
  };
  const secrets: Record<string, SecretRef> = {};

  for (const [portName, host] of Object.entries(ctx.publicHosts ?? {})) {
    const prefix = SERVER_ENV[portName];
    if (!prefix) continue;
    // All four or none: Serverpod refuses a server section with only some of its keys.
    plain[`SERVERPOD_${prefix}_PORT`] = String(SERVERPOD_PORTS[portName as keyof typeof SERVERPOD_PORTS]);
    plain[`SERVERPOD_${prefix}_PUBLIC_HOST`] = host;
    plain[`SERVERPOD_${prefix}_PUBLIC_PORT`] = '443';
    plain[`SERVERPOD_${prefix}_PUBLIC_SCHEME`] = 'https';
  }

  const db = usesDatabase ? ctx.database : undefined;
  if (db) {
    plain.SERVERPOD_DATABASE_HOST = db.host;
    plain.SERVERPOD_DATABASE_PORT = String(db.port ?? 5432);
    plain.SERVERPOD_DATABASE_NAME = db.name ?? 'serverpod';
    plain.SERVERPOD_DATABASE_USER = db.user ?? 'postgres';
    plain.SERVERPOD_DATABASE_REQUIRE_SSL = String(db.requireSsl ?? true);
    plain.SERVERPOD_DATABASE_IS_UNIX_SOCKET = String(db.isUnixSocket ?? false);
    if (ctx.databasePoolSize !== undefined) plain.SERVERPOD_DATABASE_MAX_CONNECTION_COUNT = String(ctx.databasePoolSize);
    // Exactly `true`: Serverpod refuses any other spelling (packages/serverpod_shared/lib/src/config.dart).
    if (ctx.applyMigrations) plain.SERVERPOD_APPLY_MIGRATIONS = 'true';
    secrets.SERVERPOD_PASSWORD_database = db.password;
  }

  const redis = ctx.redis;
  plain.SERVERPOD_REDIS_ENABLED = String(redis !== undefined);
  if (redis) {
    plain.SERVERPOD_REDIS_HOST = redis.host;
    plain.SERVERPOD_REDIS_PORT = String(redis.port ?? 6379);
    plain.SERVERPOD_REDIS_REQUIRE_SSL = String(redis.requireSsl ?? false);
    if (redis.password) {
      if (redis.user) plain.SERVERPOD_REDIS_USER = redis.user;
      secrets.SERVERPOD_PASSWORD_redis = redis.password;
    } else {
      // Serverpod 3 does not start with Redis on and no `redis` password (RedisConfig._fromJson,
      // packages/serverpod_shared/lib/src/config.dart @ 3.4.12). A Redis without AUTH (ElastiCache here) has a
      // `default` user with no password, which takes any in the two-argument AUTH Serverpod sends with a user
      // (Redis 6+; the one-argument form is refused). So: that user, and a word that is no secret.
      plain.SERVERPOD_REDIS_USER = redis.user ?? REDIS_DEFAULT_USER;
      plain.SERVERPOD_PASSWORD_redis = REDIS_WITHOUT_AUTH;
    }
  }
  // ctx.secrets reach the server through AppProfile.containerEnvironment, as SERVERPOD_PASSWORD_<key>.
  return { plain, secrets };
}
