import { AppProfile, ContainerEnvironment, HealthCheck, MutableStoreConnection, RuntimeContext } from './profile';
import { PerseusAppFeatures, PerseusDeploymentChoice, RENDERING_STRATEGIES, RenderingStrategy, choosePerseusDeployment } from './perseus-strategies';

/**
 * Options of the Perseus preset. The features (`requestGlobalState`, `i18n`, `customRoutes`) are `PerseusAppFeatures`:
 * they decide the deployment with the strategies, each false unless given.
 */
export interface PerseusProfileOptions extends PerseusAppFeatures {
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
   * The rendering strategies the app's templates use. Revalidation and incremental generation write Perseus'
   * mutable store while the server runs: without a shared store each instance keeps its own copy (on Cloud Run
   * in its memory), which the platforms warn about.
   * @default - every strategy: the safe assumption until you say which
   */
  readonly strategies?: readonly RenderingStrategy[];
  /**
   * The app builds itself with `PerseusAppWithMutableStore` and a `MutableStore` of its own that uses the store
   * the platform provisions (the `PERSEUS_STORE_*` variables; docs/perseus.md). Perseus 0.4 ships only the
   * filesystem store (packages/perseus/src/stores/mutable.rs), so until the app does, a provisioned bucket,
   * Redis or Postgres goes unused and the platforms warn at synth; this says it is done.
   * @default false
   */
  readonly implementsMutableStore?: boolean;
  /**
   * Time to first byte matters more than hosting cost: a mutable store outside the server's region is an error,
   * not a warning.
   * @default false
   */
  readonly latencySensitive?: boolean;
}

/** What the Perseus preset sets itself: the host and port, and the mutable store's location. */
export const PERSEUS_RESERVED_VARIABLES: readonly string[] = ['PERSEUS_*'];

/** A Perseus standalone server, with the deployment its rendering strategies call for. */
export class PerseusProfile extends AppProfile {
  /** The rendering strategies the app uses. */
  public readonly strategies: readonly RenderingStrategy[];
  /** Which deployment fits, and why (`choosePerseusDeployment` with its default preferences). */
  public readonly deployment: PerseusDeploymentChoice;
  /** The app implements `MutableStore` over the provisioned store (`PerseusProfileOptions.implementsMutableStore`). */
  public readonly implementsMutableStore: boolean;
  /**
   * Its pages are rendered for each request (request state, or global state generated at request time), so no cache
   * that visitors share may keep them: `GcpServerCluster` leaves Cloud CDN off for its web port unless told otherwise.
   */
  public readonly rendersPerRequest: boolean;

  constructor(options: PerseusProfileOptions = {}) {
    const port = options.port ?? 8080;
    const strategies = options.strategies ?? RENDERING_STRATEGIES;
    const deployment = choosePerseusDeployment(strategies, { requestGlobalState: options.requestGlobalState, i18n: options.i18n, customRoutes: options.customRoutes });
    super({
      name: options.name ?? 'perseus',
      framework: 'perseus',
      ports: [{ name: 'web', port, hostLabel: options.hostLabel ?? 'app', healthCheckPath: options.healthCheckPath ?? '/' }],
      healthCheck: options.healthCheck,
      roles: ['monolith', 'serverless'],
      environment: options.environment,
      // The host, the port and the mutable store: PERSEUS_* is the preset's.
      reservedVariables: PERSEUS_RESERVED_VARIABLES,
      mutableData: deployment.mutableData,
      latencySensitive: options.latencySensitive ?? false,
      usesDatabase: false,
      usesRedis: false,
      contextEnvironment: (ctx: RuntimeContext) => ({
        // No PERSEUS_STANDALONE: Perseus ignores it since 0.3.0-beta.22 (CHANGELOG.md at v0.4.2: "removed `PERSEUS_STANDALONE`").
        plain: { PERSEUS_HOST: '0.0.0.0', PERSEUS_PORT: String(port), ...storePlain(ctx.mutableStore) },
        secrets: storeSecrets(ctx.mutableStore),
      }),
    });
    this.strategies = deployment.strategies;
    this.deployment = deployment;
    this.implementsMutableStore = options.implementsMutableStore ?? false;
    this.rendersPerRequest = deployment.rendersPerRequest;
  }
}

/**
 * Whether `profile` is a Perseus profile whose pages are rendered per request (`PerseusProfile.rendersPerRequest`):
 * a CDN keyed by URL must not keep them.
 */
export function rendersPagesPerRequest(profile: AppProfile): boolean {
  return profile instanceof PerseusProfile && profile.rendersPerRequest;
}

/**
 * A Perseus standalone server, as `perseus deploy` builds it into `pkg/`: one port, and `PERSEUS_HOST`/
 * `PERSEUS_PORT` so it listens on all interfaces at the port the platform routes to (the `server` binary needs
 * nothing else). It has no roles of its own, so it runs as the same process on a cluster (`monolith`) and on
 * Cloud Run (`serverless`). Perseus 0.4 ships only a filesystem mutable store (`FsMutableStore`, `dist/mutable`):
 * a bucket, Redis or Postgres the platform provisions reaches the app as `PERSEUS_MUTABLE_STORE` and
 * `PERSEUS_STORE_*` variables, and is used only by a `MutableStore` the app implements itself
 * (`PerseusAppWithMutableStore`; docs/perseus.md shows one); say so with `implementsMutableStore`.
 *
 * @example
 * ```ts
 * import { perseusProfile } from 'cdktf-serverpod';
 *
 * // A blog whose posts revalidate: it needs a server, and Perseus' mutable store for those posts.
 * const blog = perseusProfile({ name: 'blog', strategies: ['buildState', 'buildPaths', 'revalidation'] });
 * console.log(blog.deployment.target); // 'writable-filesystem': a server cluster keeps the store on its disk
 * // Hand it to gcp.GcpServerCluster, aws.ServerCluster or gcp.GcpServerlessApp; for one copy the servers share,
 * // add a `mutableStore` and implement MutableStore in the app (then `implementsMutableStore: true`).
 * ```
 */
export function perseusProfile(options: PerseusProfileOptions = {}): PerseusProfile {
  return new PerseusProfile(options);
}

/** The variables the app's own `MutableStore` implementation reads; secrets are in `storeSecrets`. */
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
