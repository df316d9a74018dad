import { stringify } from 'yaml';
import { SERVERPOD_PORTS } from './app/serverpod';
import { EnvironmentHosts } from './hosts';

/** What one environment's `config/<runmode>.yaml` is written from (`serverpodConfigYaml`). */
export interface ServerpodConfigSettings {
  /** The environment's public hosts: each Serverpod server's `publicHost`. */
  readonly hosts: EnvironmentHosts;
  /**
   * The database the servers connect to.
   * @default - no `database` section
   */
  readonly database?: {
    /** Host name or address (a socket path with `isUnixSocket`). */
    readonly host: string;
    /** @default 5432 */
    readonly port?: number;
    /** @default 'serverpod' */
    readonly name?: string;
    /** @default 'postgres' */
    readonly user?: string;
    /** @default true */
    readonly requireSsl?: boolean;
    /**
     * `host` is a Unix socket (Cloud SQL on Cloud Run).
     * @default false
     */
    readonly isUnixSocket?: boolean;
    /**
     * The pool size the environment's connection budget gives each server.
     * @default - not written: Serverpod's own default
     */
    readonly maxConnectionCount?: number;
  };
  /**
   * The Redis the servers connect to.
   * @default - `redis: { enabled: false }`
   */
  readonly redis?: {
    /** Host name or address. */
    readonly host: string;
    /** Port, 6379 on both clouds' managed Redis (6378 with Memorystore's in-transit encryption). */
    readonly port: number;
    /** Whether the connection uses TLS. */
    readonly requireSsl: boolean;
    /**
     * The Redis user Serverpod sends with its password (`default` for a Redis without AUTH).
     * @default - not written: AUTH with the password alone
     */
    readonly user?: string;
  };
}

const SERVERS: readonly [keyof typeof SERVERPOD_PORTS, string][] = [
  ['api', 'apiServer'],
  ['insights', 'insightsServer'],
  ['web', 'webServer'],
];

/**
 * The part of Serverpod's `config/<runmode>.yaml` that depends on the infrastructure, for one environment.
 * The servers also receive these values as `SERVERPOD_*` variables, so the file is for local tooling and
 * for reading; passwords stay in the secret stores.
 */
export function serverpodConfigYaml(settings: ServerpodConfigSettings): string {
  const config: Record<string, unknown> = {};
  for (const [port, key] of SERVERS) {
    const host = settings.hosts.primary[port];
    if (host) config[key] = { port: SERVERPOD_PORTS[port], publicHost: host, publicPort: 443, publicScheme: 'https' };
  }
  if (settings.database) {
    const db = settings.database;
    config.database = {
      host: db.host,
      port: db.port ?? 5432,
      name: db.name ?? 'serverpod',
      user: db.user ?? 'postgres',
      requireSsl: db.requireSsl ?? true,
      isUnixSocket: db.isUnixSocket ?? false,
      ...(db.maxConnectionCount !== undefined ? { maxConnectionCount: db.maxConnectionCount } : {}),
    };
  }
  config.redis = settings.redis
    ? { enabled: true, host: settings.redis.host, port: settings.redis.port, ...(settings.redis.user !== undefined ? { user: settings.redis.user } : {}), requireSsl: settings.redis.requireSsl }
    : { enabled: false };
  return stringify(config, { lineWidth: 0 });
}
