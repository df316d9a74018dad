import { stringify } from 'yaml';
import { SERVERPOD_PORTS } from './app/serverpod';
import { EnvironmentHosts } from './hosts';

export interface ServerpodConfigSettings {
  readonly hosts: EnvironmentHosts;
  readonly database?: {
    readonly host: string;
    readonly port?: number;
    readonly name?: string;
    readonly user?: string;
    readonly requireSsl?: boolean;
    /** `host` is a Unix socket (Cloud SQL on Cloud Run). */
    readonly isUnixSocket?: boolean;
    /** The pool size the environment's connection budget gives each server. */
    readonly maxConnectionCount?: number;
  };
  readonly redis?: { readonly host: string; readonly port: number; readonly requireSsl: boolean };
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
    ? { enabled: true, host: settings.redis.host, port: settings.redis.port, requireSsl: settings.redis.requireSsl }
    : { enabled: false };
  return stringify(config, { lineWidth: 0 });
}
