import { holdsTokenEncoding } from '../terraform-strings';
import { ProblemCollector } from '../validation';
import { ReservedVariables, SECRETS_HINT, environmentProblems } from './environment';
import { GeneratedSecret, SECRET_KEY } from './secrets';

/**
 * What a server process is asked to do. Serverpod reads it from the `role` variable:
 * `monolith` serves traffic and runs maintenance (clusters), `serverless` only serves traffic (Cloud Run),
 * `maintenance` runs future calls and health checks once and exits (a scheduled job).
 */
export type ServerRole = 'monolith' | 'serverless' | 'maintenance';

/** Every `ServerRole`. */
export const SERVER_ROLES: readonly ServerRole[] = ['monolith', 'serverless', 'maintenance'];

/** A port the server listens on, named so load balancers and instance groups can refer to it. */
export interface AppPort {
  /** Name used for named ports, backends and target groups (`api`, `insights`, `web`). Lowercase letters and digits. */
  readonly name: string;
  /** Container port. */
  readonly port: number;
  /**
   * Host label this port is served at (`api` gives `api.<domain>`); the load balancers route that host to this port.
   * @default - the port's name
   */
  readonly hostLabel?: string;
  /**
   * Readiness: the path a load balancer probes on this port with `GET` before it routes traffic there. Only an
   * HTTP 200 answer counts as ready (Google's load balancer health checks accept nothing else, so both clouds
   * use that rule). It may fail while a dependency is down; that only stops traffic, never replaces a server.
   * @default '/'
   */
  readonly healthCheckPath?: string;
  /**
   * Liveness: a path answered with 200 whenever the process can answer at all, whatever its database or cache
   * is doing. Platforms replace (or restart) a server only when this fails, so an outage of a dependency never
   * replaces healthy servers.
   * @default - a TCP connect to the port
   */
  readonly livenessPath?: string;
}

/** How a platform decides an instance of the server is healthy. */
export interface HealthCheck {
  /** Name of the port to probe (one of the profile's ports). */
  readonly portName: string;
  /** HTTP path to request. */
  readonly path: string;
  /** Seconds between probes. */
  readonly intervalSec: number;
  /** Seconds before a probe counts as failed. */
  readonly timeoutSec: number;
  /** Consecutive successes before an instance counts as healthy. */
  readonly healthyThreshold: number;
  /** Consecutive failures before an instance counts as unhealthy. */
  readonly unhealthyThreshold: number;
  /** Seconds after start during which failures do not replace an instance (boot, image pull, migrations). */
  readonly gracePeriodSec: number;
}

/** A secret the platform injects at run time: the logical name the stack created it under. Never a value. */
export interface SecretRef {
  /** Logical secret name (`database-password`, `service-secret`); the cloud layer maps it to its secret store. */
  readonly secret: string;
}

/** Where the server finds Postgres. */
export interface DatabaseConnection {
  /** Host name or address, or a socket path with `isUnixSocket`. */
  readonly host: string;
  /** @default 5432 */
  readonly port?: number;
  /** @default 'serverpod' */
  readonly name?: string;
  /** @default 'postgres' */
  readonly user?: string;
  /** The password's secret. */
  readonly password: SecretRef;
  /** @default true */
  readonly requireSsl?: boolean;
  /** True when `host` is a Unix socket path (Cloud SQL on Cloud Run). @default false */
  readonly isUnixSocket?: boolean;
}

/** Where the server finds Redis. */
export interface RedisConnection {
  /** Host name or address. */
  readonly host: string;
  /** @default 6379 */
  readonly port?: number;
  /** @default - no user (Redis AUTH with a password only) */
  readonly user?: string;
  /** @default - no password */
  readonly password?: SecretRef;
  /** @default false */
  readonly requireSsl?: boolean;
}

/** Kinds of mutable store a platform can provision next to the server. */
export type MutableStoreKind = 'bucket' | 'redis' | 'postgres';

/** Every `MutableStoreKind`. */
export const MUTABLE_STORE_KINDS: readonly MutableStoreKind[] = ['bucket', 'redis', 'postgres'];

/**
 * Where the server keeps data it changes while running (Perseus' mutable store), when that is not its own
 * filesystem. `region` is where the store lives, for the latency check.
 */
export type MutableStoreConnection =
  | {
      /** A bucket (Cloud Storage or S3). */
      readonly kind: 'bucket';
      /** The bucket's location. */
      readonly region: string;
      /** The bucket's name. */
      readonly bucket: string;
      /** `gs://<bucket>` or `s3://<bucket>`. */
      readonly url: string;
    }
  | {
      /** A Redis instance. */
      readonly kind: 'redis';
      /** Its region. */
      readonly region: string;
      /** How to reach it. */
      readonly redis: RedisConnection;
    }
  | {
      /** A Postgres database. */
      readonly kind: 'postgres';
      /** Its region. */
      readonly region: string;
      /** How to reach it. */
      readonly database: DatabaseConnection;
    };

/** Everything a platform knows about one running copy of the server. */
export interface RuntimeContext {
  /** Environment name: `production` or `staging` (Serverpod's run mode). */
  readonly runmode: string;
  /** What this copy is asked to do. */
  readonly role: ServerRole;
  /**
   * Server id. Platforms that can tell instances apart pass an expression they expand at boot (the instance
   * id or name); others pass a fixed id.
   */
  readonly serverId: string;
  /**
   * Public host name per port name (`api` → `api.example.com`), served over HTTPS on 443.
   * @default - none: the copy is served at no public host
   */
  readonly publicHosts?: Readonly<Record<string, string>>;
  /**
   * The environment's Postgres.
   * @default - none: the environment has no database
   */
  readonly database?: DatabaseConnection;
  /**
   * The environment's Redis.
   * @default - none: the environment has no Redis
   */
  readonly redis?: RedisConnection;
  /**
   * Further secrets by the profile's own key (`serviceSecret`, Serverpod passwords such as `jwtHmacSha512PrivateKey`).
   * @default - none
   */
  readonly secrets?: Readonly<Record<string, SecretRef>>;
  /** The mutable store the platform provisioned for a profile with `mutableData`. @default - its own filesystem */
  readonly mutableStore?: MutableStoreConnection;
  /**
   * Environment variable of a secret in `secrets`, where the deployment names it (a declared secret's
   * `variable`). @default - the profile's `secretVariable(key)`
   */
  readonly secretVariables?: Readonly<Record<string, string>>;
  /**
   * This copy applies pending database migrations when it starts (a profile with `appliesMigrations`).
   * @default false
   */
  readonly applyMigrations?: boolean;
  /** Most database connections this copy may open, from the environment's connection budget. @default - the server's own default */
  readonly databasePoolSize?: number;
}

/** The container environment for one context: plain values, and secrets by reference. */
export interface ContainerEnvironment {
  /** Variables with their values. */
  readonly plain: Readonly<Record<string, string>>;
  /** Variables whose values the platform reads from its secret store at start. */
  readonly secrets: Readonly<Record<string, SecretRef>>;
}

/** A server process's database connection pool. */
export interface DatabasePool {
  /** Connections one process opens when nothing limits it. */
  readonly preferred: number;
  /** The fewest connections it works with. */
  readonly minimum: number;
  /** Whether `RuntimeContext.databasePoolSize` changes it (false: it always opens up to `preferred`). */
  readonly configurable: boolean;
}

/** What a profile's server is built with (`AppProfileProps.framework`). */
export type AppFramework = 'serverpod' | 'perseus' | 'custom';

/** Props of a user-described server. */
export interface AppProfileProps {
  /** Short name, used in resource names and image names. Lowercase letters, digits and hyphens. */
  readonly name: string;
  /**
   * The framework the server is built with, for what depends on it outside the server: a `serverpod` profile gets the
   * patterns' `<env>_serverpod_config` output (Serverpod's `config/<runmode>.yaml` settings).
   * @default 'custom'
   */
  readonly framework?: AppFramework;
  /** Ports the server listens on; the first is the main one. */
  readonly ports: readonly AppPort[];
  /**
   * @default - HTTP GET on the first port's health-check path every 10 s, 5 s timeout, 2 healthy / 3 unhealthy,
   * 300 s grace period
   */
  readonly healthCheck?: Partial<HealthCheck>;
  /**
   * Roles this server can take. A platform that needs a role the profile lacks leaves that part out
   * (no maintenance job for a server without `maintenance`).
   * @default ['monolith', 'serverless'] - one process that serves traffic wherever it runs
   */
  readonly roles?: readonly ServerRole[];
  /**
   * Fixed environment for every copy: one-line values without NUL bytes (multi-line values and anything secret
   * belong in secrets), none of the `reservedVariables`.
   * @default {}
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Variables the profile sets itself from the runtime context (names, or prefixes ending in `*`): refused in
   * `environment`, so a user value never silently loses to the platform's or lands a password in plain text.
   * @default - none
   */
  readonly reservedVariables?: readonly string[];
  /** Whether the server needs Postgres; stacks create a database only if so. @default false */
  readonly usesDatabase?: boolean;
  /** Whether the server can use Redis. @default false */
  readonly usesRedis?: boolean;
  /**
   * Secrets the platform generates for the server and passes in `RuntimeContext.secrets` under these keys
   * (Serverpod's `serviceSecret`), as random letters and digits of the given length (32 by default). Each
   * environment gets its own values.
   * @default []
   */
  readonly generatedSecrets?: readonly (string | GeneratedSecret)[];
  /**
   * The environment variable a secret key reaches the server as (Serverpod: `SERVERPOD_PASSWORD_<key>`).
   * @default - the key itself
   */
  readonly secretVariable?: (key: string) => string;
  /**
   * The server applies pending database migrations at start when `RuntimeContext.applyMigrations` asks it to,
   * and serialises concurrent servers itself (Serverpod takes a Postgres advisory lock), so every server of a
   * cluster may do it. A platform that runs migrations as a job starts one copy in the `maintenance` role with
   * `applyMigrations`.
   * @default false
   */
  readonly appliesMigrations?: boolean;
  /**
   * The server's database connection pool, for the environment's connection budget: what one process opens
   * by default, the fewest it works with, and whether `RuntimeContext.databasePoolSize` can change it.
   * @default - unknown: no budget is computed
   */
  readonly databasePool?: DatabasePool;
  /**
   * The server changes data while it runs that later requests read (Perseus' revalidation and incremental
   * generation). Without a mutable store, Cloud Run refuses such a profile (its filesystem is lost when an
   * instance stops), except a Perseus one, whose pages the image rebuilds: then, like server clusters, it warns
   * that each instance keeps its own copy.
   * @default false
   */
  readonly mutableData?: boolean;
  /**
   * Time to first byte matters: a mutable store or database outside the servers' region is an error rather
   * than a warning.
   * @default false
   */
  readonly latencySensitive?: boolean;
  /**
   * Turns a runtime context into environment variables, for servers that read their settings from the
   * environment. The fixed `environment` is merged under it.
   * @default - only the fixed environment
   */
  readonly contextEnvironment?: (ctx: RuntimeContext) => ContainerEnvironment;
  /**
   * Extra container arguments per role.
   * @default - none
   */
  readonly args?: (ctx: RuntimeContext) => readonly string[];
  /**
   * The full command (entrypoint and arguments) that applies database migrations and exits, for platforms
   * that run migrations as a separate job.
   * @default - the profile has no migrations step
   */
  readonly migrationCommand?: (ctx: RuntimeContext) => readonly string[];
}

/** The health check's timings where the profile's props leave them out (the config schema compares against them too). */
export const HEALTH_CHECK_DEFAULTS = {
  /** Seconds between probes. */
  intervalSec: 10,
  /** Seconds before a probe counts as failed. */
  timeoutSec: 5,
  /** Consecutive successes before an instance counts as healthy. */
  healthyThreshold: 2,
  /** Consecutive failures before an instance counts as unhealthy. */
  unhealthyThreshold: 3,
  /** Seconds after start during which failures do not replace an instance. */
  gracePeriodSec: 300,
} as const;

const NAME = /^[a-z][a-z0-9-]{0,29}$/;
/** A port's name: it names Cloud Run services, named ports and backends, so it stays short and plain. */
export const PORT_NAME = /^(?!storage$)[a-z][a-z0-9]{0,14}$/;
/** What `PORT_NAME` allows, in words. */
export const PORT_NAME_RULE = 'lowercase letters and digits, starting with a letter, at most 15 characters, not storage (the storage bucket\'s host, records and outputs use that name)';
/** One DNS label, the host a port is served at (`www` of `www.example.com`). */
export const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** What `HOST_LABEL` allows, in words. */
export const HOST_LABEL_RULE = 'one DNS label: lowercase letters, digits and inner hyphens, at most 63 characters';
/**
 * An HTTP path a probe requests: no whitespace, and no braces, which a URL path carries only percent-encoded and
 * which would make `${` or `%{` a Terraform expression in the synthesized JSON.
 */
export const HTTP_PATH = /^\/[^\s{}]*$/;
const HTTP_PATH_RULE = 'a path starting with /, without spaces or braces ({ and } percent-encoded)';

/**
 * A cloud-neutral description of the server every stack deploys: its ports, health check, roles and how a
 * runtime context becomes its environment. Use a preset (`serverpod()`, `perseus()` in this folder) or
 * describe your own with `new AppProfile({...})`.
 *
 * @example
 * ```ts
 * import { AppProfile, ContainerEnvironment } from 'cdktf-serverpod';
 *
 * // A Node.js API on port 3000 with a /healthz endpoint, reading its settings from the environment.
 * export const ordersApi = new AppProfile({
 *   name: 'orders-api',
 *   ports: [{ name: 'api', port: 3000, healthCheckPath: '/healthz' }],
 *   environment: { NODE_ENV: 'production' },
 *   usesDatabase: true,
 *   contextEnvironment: (ctx): ContainerEnvironment =>
 *     ctx.database
 *       ? { plain: { APP_ENV: ctx.runmode, PGHOST: ctx.database.host }, secrets: { PGPASSWORD: ctx.database.password } }
 *       : { plain: { APP_ENV: ctx.runmode }, secrets: {} },
 * });
 * // Hand it to a pattern as `profile`: gcp.GcpServerCluster, gcp.GcpServerlessApp or aws.ServerCluster.
 * ```
 */
export class AppProfile {
  /** Short name, used in resource and image names. */
  public readonly name: string;
  /** The framework the server is built with (`AppProfileProps.framework`). */
  public readonly framework: AppFramework;
  /** The ports the server listens on; the first is the main one. */
  public readonly ports: readonly AppPort[];
  /** The health check, with every default filled in. */
  public readonly healthCheck: HealthCheck;
  /**
   * The health check's fields the props gave, without defaults: a platform whose own default differs (Cloud Run's
   * startup window) uses it only where the user did not choose.
   */
  public readonly healthCheckGiven: Partial<HealthCheck>;
  /** The roles the server can take. */
  public readonly roles: readonly ServerRole[];
  /** Fixed environment for every copy. */
  public readonly environment: Readonly<Record<string, string>>;
  /** Variables the profile sets itself; platforms add their own (`CLOUD_RUN_RESERVED`). */
  public readonly reservedVariables: ReservedVariables;
  /** Whether the server needs Postgres. */
  public readonly usesDatabase: boolean;
  /** Whether the server can use Redis. */
  public readonly usesRedis: boolean;
  /** The secrets the platform generates for the server, each with its key and (optional) length. */
  public readonly generatedSecrets: readonly GeneratedSecret[];
  /** Whether the server applies pending migrations at start when asked (`RuntimeContext.applyMigrations`). */
  public readonly appliesMigrations: boolean;
  /** The server's database pool, when known (undefined: no connection budget is computed). */
  public readonly databasePool?: DatabasePool;
  /** Whether the server changes data while it runs that later requests read (needs a store on Cloud Run). */
  public readonly mutableData: boolean;
  /** Whether a store or database outside the servers' region is an error rather than a warning. */
  public readonly latencySensitive: boolean;
  private readonly contextEnvironment?: (ctx: RuntimeContext) => ContainerEnvironment;
  private readonly argsFor?: (ctx: RuntimeContext) => readonly string[];
  private readonly migrationCommandFor?: (ctx: RuntimeContext) => readonly string[];
  private readonly secretVariableFor?: (key: string) => string;

  constructor(props: AppProfileProps) {
    const problems = new ProblemCollector('profile.');
    problems.check(NAME.test(props.name), 'name', props.name, 'lowercase letters, digits and hyphens, starting with a letter, at most 30 characters');
    problems.check(props.ports.length > 0, 'ports', props.ports, 'at least one port');
    const seen = new Set<string>();
    const numbers = new Set<number>();
    const labels = new Set<string>();
    props.ports.forEach((p, i) => {
      problems.check(PORT_NAME.test(p.name), `ports[${i}].name`, p.name, PORT_NAME_RULE);
      problems.check(!seen.has(p.name), `ports[${i}].name`, p.name, 'a name not used by another port');
      seen.add(p.name);
      problems.check(Number.isInteger(p.port) && p.port >= 1 && p.port <= 65535, `ports[${i}].port`, p.port, 'an integer from 1 to 65535');
      // One container publishes every port on its machine, and each host routes to one port.
      problems.check(!numbers.has(p.port), `ports[${i}].port`, p.port, 'a port number no other port uses');
      numbers.add(p.port);
      const label = p.hostLabel ?? p.name;
      if (p.hostLabel !== undefined) {
        problems.check(HOST_LABEL.test(p.hostLabel) && !holdsTokenEncoding(p.hostLabel), `ports[${i}].hostLabel`, p.hostLabel, HOST_LABEL_RULE);
      }
      problems.check(!labels.has(label), `ports[${i}].hostLabel`, label, 'a host label no other port is served at');
      labels.add(label);
    });
    const first = props.ports[0];
    // Fields given as undefined keep their defaults.
    const healthCheckGiven: Partial<HealthCheck> = Object.fromEntries(Object.entries(props.healthCheck ?? {}).filter(([, v]) => v !== undefined));
    const healthCheck: HealthCheck = {
      portName: first?.name ?? '',
      path: first?.healthCheckPath ?? '/',
      ...HEALTH_CHECK_DEFAULTS,
      ...healthCheckGiven,
    };
    problems.check(seen.has(healthCheck.portName), 'healthCheck.portName', healthCheck.portName, `one of the port names (${[...seen].join(', ') || 'none'})`);
    problems.check(HTTP_PATH.test(healthCheck.path), 'healthCheck.path', healthCheck.path, HTTP_PATH_RULE);
    props.ports.forEach((p, i) => {
      if (p.healthCheckPath !== undefined) problems.check(HTTP_PATH.test(p.healthCheckPath), `ports[${i}].healthCheckPath`, p.healthCheckPath, HTTP_PATH_RULE);
      if (p.livenessPath !== undefined) problems.check(HTTP_PATH.test(p.livenessPath), `ports[${i}].livenessPath`, p.livenessPath, HTTP_PATH_RULE);
    });
    const generated = (props.generatedSecrets ?? []).map((g) => (typeof g === 'string' ? { key: g } : g));
    generated.forEach((g, i) => {
      problems.check(SECRET_KEY.test(g.key), `generatedSecrets[${i}].key`, g.key, 'letters, digits and _, starting with a letter');
      if (g.length !== undefined) problems.check(Number.isInteger(g.length) && g.length >= 16 && g.length <= 128, `generatedSecrets[${i}].length`, g.length, 'a whole number from 16 to 128');
    });
    if (props.databasePool) {
      const pool = props.databasePool;
      problems.check(Number.isInteger(pool.minimum) && pool.minimum >= 1, 'databasePool.minimum', pool.minimum, 'a whole number of at least 1');
      problems.check(Number.isInteger(pool.preferred) && pool.preferred >= pool.minimum, 'databasePool.preferred', pool.preferred, `a whole number of at least minimum (${pool.minimum})`);
    }
    problems.check(healthCheck.timeoutSec <= healthCheck.intervalSec, 'healthCheck.timeoutSec', healthCheck.timeoutSec, `at most intervalSec (${healthCheck.intervalSec})`);
    for (const key of ['intervalSec', 'timeoutSec', 'healthyThreshold', 'unhealthyThreshold'] as const) {
      problems.wholeNumber(`healthCheck.${key}`, healthCheck[key], 1);
    }
    problems.wholeNumber('healthCheck.gracePeriodSec', healthCheck.gracePeriodSec, 0);
    const reserved: ReservedVariables = { owner: `the ${props.name} profile`, names: props.reservedVariables ?? [], hint: SECRETS_HINT };
    environmentProblems(problems, 'environment', props.environment ?? {}, { reserved: [reserved] });
    const roles = props.roles ?? ['monolith', 'serverless'];
    problems.check(roles.length > 0, 'roles', roles, 'at least one role');
    problems.throwIfAny(`App profile "${props.name}"`);

    this.name = props.name;
    this.framework = props.framework ?? 'custom';
    this.ports = props.ports;
    this.healthCheck = healthCheck;
    this.healthCheckGiven = healthCheckGiven;
    this.roles = roles;
    this.environment = props.environment ?? {};
    this.reservedVariables = reserved;
    this.usesDatabase = props.usesDatabase ?? false;
    this.usesRedis = props.usesRedis ?? false;
    this.generatedSecrets = generated;
    this.appliesMigrations = props.appliesMigrations ?? false;
    this.databasePool = props.databasePool;
    this.secretVariableFor = props.secretVariable;
    this.mutableData = props.mutableData ?? false;
    this.latencySensitive = props.latencySensitive ?? false;
    this.contextEnvironment = props.contextEnvironment;
    this.argsFor = props.args;
    this.migrationCommandFor = props.migrationCommand;
  }

  /** The main port (the first one). */
  get mainPort(): AppPort {
    return this.ports[0];
  }

  /** Whether the server can take `role`. */
  supportsRole(role: ServerRole): boolean {
    return this.roles.includes(role);
  }

  /** The port named `name`; throws when the profile has none of that name. */
  port(name: string): AppPort {
    const found = this.ports.find((p) => p.name === name);
    if (!found) throw new Error(`App profile "${this.name}" has no port named "${name}"; it has ${this.ports.map((p) => p.name).join(', ')}`);
    return found;
  }

  /** Host label a port is served at (`api` for `api.<domain>`). */
  hostLabel(port: AppPort): string {
    return port.hostLabel ?? port.name;
  }

  /** The environment variable a secret key reaches the server as. */
  secretVariable(key: string): string {
    return this.secretVariableFor?.(key) ?? key;
  }

  /**
   * The container environment for one runtime context. Secrets stay references; the platform injects them.
   * Each secret of `ctx.secrets` the profile's own mapping did not place reaches the server under its variable
   * (`ctx.secretVariables`, else `secretVariable(key)`).
   */
  containerEnvironment(ctx: RuntimeContext): ContainerEnvironment {
    if (!this.supportsRole(ctx.role)) {
      throw new Error(`App profile "${this.name}" does not support the role "${ctx.role}"; it supports ${this.roles.join(', ')}`);
    }
    const fromContext = this.contextEnvironment?.(ctx) ?? { plain: {}, secrets: {} };
    const secrets: Record<string, SecretRef> = { ...fromContext.secrets };
    const placed = new Set(Object.values(secrets).map((ref) => ref.secret));
    for (const [key, ref] of Object.entries(ctx.secrets ?? {})) {
      if (!placed.has(ref.secret)) secrets[ctx.secretVariables?.[key] ?? this.secretVariable(key)] = ref;
    }
    const plain = { ...this.environment, ...fromContext.plain };
    const problems = new ProblemCollector('profile.');
    for (const name of Object.keys(this.environment)) {
      problems.check(!(name in fromContext.plain), `environment.${name}`, name, `a name the profile does not set itself for the ${ctx.role} role (list such names in reservedVariables)`);
    }
    for (const name of Object.keys(secrets)) {
      problems.check(!(name in plain), `secrets.${name}`, name, 'a variable no plain environment variable has: a secret and a plain value cannot share a name');
    }
    problems.throwIfAny(`App profile "${this.name}"`);
    return { plain, secrets };
  }

  /** The command that applies migrations and exits, when the profile has one. */
  migrationCommand(ctx: RuntimeContext): readonly string[] | undefined {
    return this.migrationCommandFor?.(ctx);
  }

  /** Container arguments for one runtime context. */
  args(ctx: RuntimeContext): readonly string[] {
    return this.argsFor?.(ctx) ?? [];
  }
}

/** The readiness path of a port: the profile's health-check path for its health-check port, else the port's own. */
export function readinessPath(profile: AppProfile, port: AppPort): string {
  return port.name === profile.healthCheck.portName ? profile.healthCheck.path : port.healthCheckPath ?? '/';
}
