import { AppProfile, ContainerEnvironment, RuntimeContext, SecretRef } from './profile';

/** Options of the Serverpod preset. */
export interface ServerpodProfileOptions {
  /** Name used in resource and image names. @default 'serverpod' */
  readonly name?: string;
  /** Serverpod's startup logging: `normal` or `verbose`. @default 'normal' */
  readonly logging?: 'normal' | 'verbose';
  /**
   * Whether the server uses Postgres. Serverpod mini runs without it; stacks then create no database.
   * @default true
   */
  readonly usesDatabase?: boolean;
  /** Further fixed environment variables. @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Path the load balancer probes on the API port. Serverpod answers `GET /` on its API server with 200.
   * @default '/'
   */
  readonly healthCheckPath?: string;
  /**
   * Path of the server binary in the image, for commands that replace the entrypoint (the migrations job).
   * Serverpod's Dockerfile puts it at `/server`.
   * @default '/server'
   */
  readonly binaryPath?: string;
}

/** Environment variable prefix per Serverpod server, as the server reads it (`SERVERPOD_API_SERVER_PORT`, ...). */
const SERVER_ENV: Readonly<Record<string, string>> = { api: 'API_SERVER', insights: 'INSIGHTS_SERVER', web: 'WEB_SERVER' };

/** Serverpod's own port numbers (api 8080, insights 8081, web 8082). */
export const SERVERPOD_PORTS = { api: 8080, insights: 8081, web: 8082 } as const;

/**
 * The Serverpod server: api on 8080, Insights on 8081, the web server on 8082 (served at `app.`); the
 * `runmode`, `serverid`, `logging` and `role` variables of Serverpod's Dockerfile; and the database, Redis and
 * secret settings the way the server reads them (`SERVERPOD_DATABASE_*`, `SERVERPOD_REDIS_*`,
 * `SERVERPOD_PASSWORD_<key>`, `SERVERPOD_SERVICE_SECRET`), so `config/production.yaml` needs no host names.
 */
export function serverpodProfile(options: ServerpodProfileOptions = {}): AppProfile {
  const logging = options.logging ?? 'normal';
  return new AppProfile({
    name: options.name ?? 'serverpod',
    ports: [
      { name: 'api', port: SERVERPOD_PORTS.api, healthCheckPath: options.healthCheckPath ?? '/' },
      { name: 'insights', port: SERVERPOD_PORTS.insights },
      { name: 'web', port: SERVERPOD_PORTS.web, hostLabel: 'app' },
    ],
    roles: ['monolith', 'serverless', 'maintenance'],
    environment: options.environment,
    usesDatabase: options.usesDatabase ?? true,
    usesRedis: true,
    // The key Serverpod's Insights and server-to-server calls are signed with (SERVERPOD_SERVICE_SECRET).
    generatedSecrets: ['serviceSecret'],
    contextEnvironment: (ctx) => serverpodEnvironment(ctx, logging, options.usesDatabase ?? true),
    // Serverpod's Dockerfile uses a shell-form ENTRYPOINT, which ignores arguments: replace the whole command.
    migrationCommand: (ctx) => [options.binaryPath ?? '/server', `--mode=${ctx.runmode}`, `--server-id=${ctx.serverId}`, `--logging=${logging}`, '--role=maintenance', '--apply-migrations'],
  });
}

function serverpodEnvironment(ctx: RuntimeContext, logging: string, usesDatabase: boolean): ContainerEnvironment {
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
    secrets.SERVERPOD_PASSWORD_database = db.password;
  }

  const redis = ctx.redis;
  plain.SERVERPOD_REDIS_ENABLED = String(redis !== undefined);
  if (redis) {
    plain.SERVERPOD_REDIS_HOST = redis.host;
    plain.SERVERPOD_REDIS_PORT = String(redis.port ?? 6379);
    if (redis.user) plain.SERVERPOD_REDIS_USER = redis.user;
    plain.SERVERPOD_REDIS_REQUIRE_SSL = String(redis.requireSsl ?? false);
    if (redis.password) secrets.SERVERPOD_PASSWORD_redis = redis.password;
  }

  for (const [key, ref] of Object.entries(ctx.secrets ?? {})) {
    secrets[key === 'serviceSecret' ? 'SERVERPOD_SERVICE_SECRET' : `SERVERPOD_PASSWORD_${key}`] = ref;
  }
  return { plain, secrets };
}
