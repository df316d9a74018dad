import { AppProfile } from './profile';

/** Options of the Perseus preset. */
export interface PerseusProfileOptions {
  /** Name used in resource and image names. @default 'perseus' */
  readonly name?: string;
  /** Port the standalone server listens on. @default 8080 */
  readonly port?: number;
  /** Host label the site is served at (`app` gives `app.<domain>`). @default 'app' */
  readonly hostLabel?: string;
  /** Path the load balancer probes. @default '/' */
  readonly healthCheckPath?: string;
  /** Further fixed environment variables (a mutable store's location, say). @default {} */
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * A Perseus standalone server, as `perseus deploy` builds it into `pkg/`: one port, `PERSEUS_STANDALONE=true`,
 * and `PERSEUS_HOST`/`PERSEUS_PORT` so it listens on all interfaces at the port the platform routes to. It has no
 * roles of its own, so it runs as the same process on a cluster (`monolith`) and on Cloud Run (`serverless`).
 */
export function perseusProfile(options: PerseusProfileOptions = {}): AppProfile {
  const port = options.port ?? 8080;
  return new AppProfile({
    name: options.name ?? 'perseus',
    ports: [{ name: 'web', port, hostLabel: options.hostLabel ?? 'app', healthCheckPath: options.healthCheckPath ?? '/' }],
    roles: ['monolith', 'serverless'],
    environment: {
      ...options.environment,
      PERSEUS_STANDALONE: 'true',
      PERSEUS_HOST: '0.0.0.0',
      PERSEUS_PORT: String(port),
    },
  });
}
