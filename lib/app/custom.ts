import { AppPort, AppProfile, ContainerEnvironment, HealthCheck, RuntimeContext, SecretRef, ServerRole } from './profile';

/** Options of the custom preset: any containerised server, described by its ports. */
export interface CustomProfileOptions {
  /** Name used in resource and image names. @default 'app' */
  readonly name?: string;
  /** The ports it listens on, each with its host label and probe paths; the first is the main one. */
  readonly ports: readonly AppPort[];
  /**
   * The roles it can take; it learns which one a copy runs in from `APP_ROLE`. With `maintenance`, serverless-gcp
   * runs the image as a scheduled job in that role, which must do its periodic work and exit.
   * @default ['monolith', 'serverless'] - one process that serves traffic wherever it runs
   */
  readonly roles?: readonly ServerRole[];
  /** Whether it needs Postgres; stacks create a database only if so. @default false */
  readonly usesDatabase?: boolean;
  /** Further fixed environment variables. @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /** Probe timings and the boot grace period. @default - AppProfile's */
  readonly healthCheck?: Partial<Omit<HealthCheck, 'portName' | 'path'>>;
}

/**
 * What the custom preset sets itself: where it runs and the public URLs, the database in libpq's variables, and
 * Redis. A user value there would be overridden, or sit in plain text beside the real secret.
 */
export const CUSTOM_RESERVED_VARIABLES: readonly string[] = [
  'APP_ENVIRONMENT',
  'APP_ROLE',
  'APP_SERVER_ID',
  'APP_PUBLIC_URL_*',
  'PGHOST',
  'PGPORT',
  'PGDATABASE',
  'PGUSER',
  'PGPASSWORD',
  'PGSSLMODE',
  'REDIS_HOST',
  'REDIS_PORT',
  'REDIS_USER',
  'REDIS_PASSWORD',
  'REDIS_TLS',
];

/**
 * Any containerised server (`app.preset: custom`), as `new AppProfile({...})` describes it, with an environment
 * most servers can read without glue: `APP_ENVIRONMENT` (production, staging), `APP_ROLE`, `APP_SERVER_ID`,
 * `APP_PUBLIC_URL_<PORT NAME>` (`https://<host>` of each port), the database as libpq reads it (`PGHOST`, `PGPORT`,
 * `PGDATABASE`, `PGUSER`, `PGPASSWORD`, `PGSSLMODE`: node-postgres, psycopg, pgx and psql take them as they are),
 * Redis as `REDIS_HOST`, `REDIS_PORT`, `REDIS_TLS` and `REDIS_PASSWORD`, and each secret under its key (or the
 * `variable` it was declared with). It applies no migrations and has no database pool the stacks size.
 *
 * @example
 * ```ts
 * import { customProfile } from 'cdktf-serverpod';
 *
 * // A Node.js server on port 3000 served at www.<domain>, ready when /healthz answers 200, with Postgres in PGHOST & co.
 * export const shop = customProfile({
 *   name: 'shop',
 *   ports: [{ name: 'web', port: 3000, hostLabel: 'www', healthCheckPath: '/healthz' }],
 *   usesDatabase: true,
 * });
 * // Hand it to a pattern as `profile`: gcp.GcpServerCluster, gcp.GcpServerlessApp or aws.ServerCluster.
 * ```
 */
export function customProfile(options: CustomProfileOptions): AppProfile {
  const usesDatabase = options.usesDatabase ?? false;
  return new AppProfile({
    name: options.name ?? 'app',
    ports: options.ports,
    healthCheck: options.healthCheck,
    roles: options.roles,
    environment: options.environment,
    reservedVariables: CUSTOM_RESERVED_VARIABLES,
    usesDatabase,
    usesRedis: true,
    contextEnvironment: (ctx) => customEnvironment(ctx, usesDatabase),
  });
}

function customEnvironment(ctx: RuntimeContext, usesDatabase: boolean): ContainerEnvironment {
  const plain: Record<string, string> = { APP_ENVIRONMENT: ctx.runmode, APP_ROLE: ctx.role, APP_SERVER_ID: ctx.serverId };
  for (const [port, host] of Object.entries(ctx.publicHosts ?? {})) plain[`APP_PUBLIC_URL_${port.toUpperCase()}`] = `https://${host}`;
  const secrets: Record<string, SecretRef> = {};
  const db = usesDatabase ? ctx.database : undefined;
  if (db) {
    // libpq takes a Unix socket's directory as the host and adds `.s.PGSQL.<port>` itself.
    plain.PGHOST = db.isUnixSocket ? db.host.replace(/\/\.s\.PGSQL\.\d+$/, '') : db.host;
    plain.PGPORT = String(db.port ?? 5432);
    plain.PGDATABASE = db.name ?? 'serverpod';
    plain.PGUSER = db.user ?? 'postgres';
    plain.PGSSLMODE = db.isUnixSocket ? 'disable' : (db.requireSsl ?? true) ? 'require' : 'prefer';
    secrets.PGPASSWORD = db.password;
  }
  const redis = ctx.redis;
  if (redis) {
    plain.REDIS_HOST = redis.host;
    plain.REDIS_PORT = String(redis.port ?? 6379);
    if (redis.user) plain.REDIS_USER = redis.user;
    plain.REDIS_TLS = String(redis.requireSsl ?? false);
    if (redis.password) secrets.REDIS_PASSWORD = redis.password;
  }
  return { plain, secrets };
}
