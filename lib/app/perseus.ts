import { AppProfile, ContainerEnvironment, HealthCheck, MutableStoreConnection, RuntimeContext } from './profile';
import { PerseusDeploymentChoice, RENDERING_STRATEGIES, RenderingStrategy, choosePerseusDeployment } from './perseus-strategies';

/** Options of the Perseus preset. */
export interface PerseusProfileOptions {
  /** Name used in resource and image names. @default 'perseus' */
  readonly name?: string;
  /** Port the standalone server listens on. @default 8080 */
  readonly port?: number;
  /** Host label the site is served at (`app` gives `app.<domain>`). @default 'app' */
  readonly hostLabel?: string;
  /** Readiness: the path a load balancer probes (an HTTP 200 answer routes traffic). @default '/' */
  readonly healthCheckPath?: string;
  /** Probe timings and the boot grace period. @default - AppProfile's */
  readonly healthCheck?: Partial<Omit<HealthCheck, 'portName' | 'path'>>;
  /** Further fixed environment variables. @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * The rendering strategies the app's templates use. Revalidation and incremental generation make the app
   * need a mutable store where the filesystem is read-only or ephemeral (Cloud Run refuses it without one).
   * @default - every strategy: the safe assumption until you say which
   */
  readonly strategies?: readonly RenderingStrategy[];
  /**
   * Time to first byte matters more than hosting cost: a mutable store outside the server's region is an error,
   * not a warning.
   * @default false
   */
  readonly latencySensitive?: boolean;
}

/** What the Perseus preset sets itself: the standalone settings and the mutable store. */
export const PERSEUS_RESERVED_VARIABLES: readonly string[] = ['PERSEUS_*'];

/** A Perseus standalone server, with the deployment its rendering strategies call for. */
export class PerseusProfile extends AppProfile {
  /** The rendering strategies the app uses. */
  public readonly strategies: readonly RenderingStrategy[];
  /** Which deployment fits, and why (`choosePerseusDeployment` with its default preferences). */
  public readonly deployment: PerseusDeploymentChoice;

  constructor(options: PerseusProfileOptions = {}) {
    const port = options.port ?? 8080;
    const strategies = options.strategies ?? RENDERING_STRATEGIES;
    const deployment = choosePerseusDeployment(strategies);
    super({
      name: options.name ?? 'perseus',
      ports: [{ name: 'web', port, hostLabel: options.hostLabel ?? 'app', healthCheckPath: options.healthCheckPath ?? '/' }],
      healthCheck: options.healthCheck,
      roles: ['monolith', 'serverless'],
      environment: options.environment,
      // The standalone settings and the mutable store: PERSEUS_* is the preset's.
      reservedVariables: PERSEUS_RESERVED_VARIABLES,
      mutableData: deployment.mutableData,
      latencySensitive: options.latencySensitive ?? false,
      usesDatabase: false,
      usesRedis: false,
      contextEnvironment: (ctx: RuntimeContext) => ({
        plain: { PERSEUS_STANDALONE: 'true', PERSEUS_HOST: '0.0.0.0', PERSEUS_PORT: String(port), ...storePlain(ctx.mutableStore) },
        secrets: storeSecrets(ctx.mutableStore),
      }),
    });
    this.strategies = deployment.strategies;
    this.deployment = deployment;
  }
}

/**
 * A Perseus standalone server, as `perseus deploy` builds it into `pkg/`: one port, `PERSEUS_STANDALONE=true`,
 * and `PERSEUS_HOST`/`PERSEUS_PORT` so it listens on all interfaces at the port the platform routes to. It has no
 * roles of its own, so it runs as the same process on a cluster (`monolith`) and on Cloud Run (`serverless`).
 * A mutable store the platform provisions reaches the app as `PERSEUS_MUTABLE_STORE` and `PERSEUS_STORE_*`
 * variables (see docs/perseus.md), for the app's own `MutableStore` implementation to read.
 */
export function perseusProfile(options: PerseusProfileOptions = {}): PerseusProfile {
  return new PerseusProfile(options);
}

/** The variables a Perseus `MutableStore` implementation reads; secrets are in `storeSecrets`. */
function storePlain(store: MutableStoreConnection | undefined): Record<string, string> {
  if (!store) return {};
  const plain: Record<string, string> = { PERSEUS_MUTABLE_STORE: store.kind, PERSEUS_STORE_REGION: store.region };
  if (store.kind === 'bucket') {
    plain.PERSEUS_STORE_BUCKET = store.bucket;
    plain.PERSEUS_STORE_URL = store.url;
  } else if (store.kind === 'redis') {
    plain.PERSEUS_STORE_REDIS_HOST = store.redis.host;
    plain.PERSEUS_STORE_REDIS_PORT = String(store.redis.port ?? 6379);
    plain.PERSEUS_STORE_REDIS_TLS = String(store.redis.requireSsl ?? false);
  } else {
    const db = store.database;
    // libpq and the Rust clients take a socket's directory as host and add `.s.PGSQL.<port>` themselves.
    plain.PERSEUS_STORE_DATABASE_HOST = db.isUnixSocket ? db.host.replace(/\/\.s\.PGSQL\.\d+$/, '') : db.host;
    plain.PERSEUS_STORE_DATABASE_PORT = String(db.port ?? 5432);
    plain.PERSEUS_STORE_DATABASE_NAME = db.name ?? 'perseus';
    plain.PERSEUS_STORE_DATABASE_USER = db.user ?? 'postgres';
    plain.PERSEUS_STORE_DATABASE_SSLMODE = db.isUnixSocket ? 'disable' : (db.requireSsl ?? true) ? 'require' : 'prefer';
  }
  return plain;
}

function storeSecrets(store: MutableStoreConnection | undefined): ContainerEnvironment['secrets'] {
  if (store?.kind === 'redis' && store.redis.password) return { PERSEUS_STORE_REDIS_PASSWORD: store.redis.password };
  if (store?.kind === 'postgres') return { PERSEUS_STORE_DATABASE_PASSWORD: store.database.password };
  return {};
}
