import { Construct } from 'constructs';
import { Annotations, ITerraformDependable } from 'cdktf';
import { MutableStoreOptions, checkMutableStore } from '../app/mutable-store';
import { AppProfile, DatabaseConnection, MutableStoreConnection, RedisConnection, RuntimeContext } from '../app/profile';
import { EnvironmentSecret, SecretDeclaration, environmentSecrets } from '../app/secrets';
import { EnvironmentHosts, environmentHosts } from '../hosts';
import { EnvironmentName, boundedName } from '../naming';
import {
  CloudRunDomainMapping,
  CloudRunV2JobIamMember,
  CloudRunV2ServiceIamMember,
  ComputeRegionNetworkEndpointGroup,
  ProjectIamMember,
  ServiceAccount,
  StorageBucket,
  VpcAccessConnector,
} from '../providers/google';
import { ProblemCollector } from '../validation';
import { ManagedCertificates } from './certificates';
import { CloudRunCpu, CloudRunJob, CloudRunMemory, CloudRunService, CloudRunVpcAccess, PLACEHOLDER_IMAGES, startupProbeTiming } from './cloud-run';
import { DOMAIN_MAPPING_REGIONS, cloudRunImageProblem, isCron } from './cloud-run-limits';
import { imageProblems } from '../app/image';
import { CloudSqlPostgres } from './database';
import { GithubDeployIdentity } from './deploy-identity';
import { PublicDns } from './dns';
import { EnvironmentIdentity, GCS_HMAC_KEYS, cloudSqlPools, dataRegion, deployIdentityOutputs, environmentDataOutputs, environmentMutableStore, environmentRedis, environmentStorage, servePublicHosts } from './environment-kit';
import { StorageHmacCredentials } from './storage-credentials';
import { HttpsLoadBalancer } from './load-balancer';
import { ExistingNetwork, ExistingNetworkOptions, Network, NetworkRef, existingNetworkIds, existingNetworkProblems } from './network';
import { RULES, ruleProblem } from '../rules';
import { gcpPatternProblems } from './pattern-props';
import { MemorystoreRedis } from './redis';
import { ContainerRegistry } from './registry';
import { Secret } from './secrets';
import { ServerBuckets } from './storage';
import { literalStrings } from '../terraform-strings';
import { PatternOutputs, outputWriter, outputsProblems } from '../outputs';
import { serverpodConfigYaml } from '../serverpod-config';
import { markEnvironment } from '../model/environment';
import { suppressGuardrails } from '../guardrails/suppress';

/** Longest run of the maintenance job. */
const MAINTENANCE_TIMEOUT_SEC = 300;
/** Names of the connection budget's consumers. */
const MAINTENANCE_POOL = 'maintenance job';
const MIGRATIONS_POOL = 'migrations job';
/** The connection budget's name for the processes of one service. */
export const servicePool = (port: string): string => `${port} service`;
/** Most instances of one service of an environment. */
function serviceMaxInstances(size: ServerlessSize, port: string): number {
  const given = size.serviceMaxInstances?.[port];
  if (given !== undefined) return given;
  // Insights by default: one instance, or as many as are kept warm.
  return port === 'insights' ? Math.max(1, size.minInstances ?? 0) : size.maxInstances ?? 3;
}
/**
 * Seconds a new container may take to open its port on Cloud Run: the profile's grace period where the user gave one,
 * else 240, what startup probes alone cover. More than 240 becomes initial delay, which every start waits (cold
 * starts and scale-outs included): the profile's default of 300 is for the clusters, whose servers migrate at boot;
 * here migrations run in their job.
 */
export function cloudRunStartupGrace(profile: AppProfile): number {
  return profile.healthCheckGiven.gracePeriodSec ?? 240;
}
/** The subnet Direct VPC egress takes addresses from, unless given. */
const DEFAULT_SUBNET = '10.10.0.0/20';
/** The Serverless VPC Access connector's own range (`vpcEgress: connector`). */
export const CONNECTOR_RANGE = '10.8.0.0/28';
/**
 * Subnet addresses Direct VPC egress may hold for this many instances of one service or job: about two per
 * instance, reserved 16 (a /28) at a time (cloud.google.com/run/docs/configuring/vpc-direct-vpc, IP address
 * allocation).
 */
export function directVpcAddresses(instances: number): number {
  return Math.ceil((2 * instances) / 16) * 16;
}

/** Sizes of one environment's services. */
export interface ServerlessSize {
  /** @default 0 */
  readonly minInstances?: number;
  /**
   * Most instances of each service. Every instance opens its own database pool, and a small Cloud SQL tier
   * allows few connections (db-f1-micro: 25), so the default keeps three services within it.
   * @default 3
   */
  readonly maxInstances?: number;
  /**
   * Most instances of particular services, by port name, over `maxInstances`. Insights serves the Insights
   * app of a few developers, so one instance is plenty.
   * @default { insights: 1 }
   */
  readonly serviceMaxInstances?: Readonly<Record<string, number>>;
  /** @default '1' */
  readonly cpu?: CloudRunCpu;
  /** @default '512Mi' */
  readonly memory?: CloudRunMemory;
  /** @default 80 */
  readonly concurrency?: number;
  /** @default 'db-f1-micro' */
  readonly databaseTier?: string;
  /**
   * The database's `max_connections` flag. Every service's and job's pools are sized to fit the limit (the
   * tier's default without this).
   * @default - Cloud SQL's default for the tier
   */
  readonly databaseMaxConnections?: number;
  /**
   * The database's data disk in GB (`CloudSqlPostgres.diskSizeGb`): 10 to 65,536, at most 3,062 on the shared-core
   * tiers. Cloud SQL grows it automatically as data grows; raising it grows it in place.
   * @default 10
   */
  readonly databaseStorageGb?: number;
  /** @default 1 */
  readonly redisMemoryGb?: number;
  /** @default - true for production, false for staging */
  readonly deletionProtection?: boolean;
  /**
   * Why production's database may go without deletion protection: required beside `deletionProtection: false`
   * in production, so the opt-out is never a stray `false`. Shown in errors only.
   * @default - none
   */
  readonly acknowledgeDataLoss?: string;
  /**
   * Cloud SQL's `database_version`. Raising it upgrades the instance in place (same name, address and data; the
   * database is down for the upgrade); Cloud SQL cannot go back down.
   * @default 'POSTGRES_16'
   */
  readonly databaseVersion?: string;
}

/** Props of `GcpServerlessApp`. */
export interface GcpServerlessAppProps {
  /** The GCP project id. */
  readonly project: string;
  /** The region the services, jobs and their data run in. */
  readonly region: string;
  /** Prefix of every resource name. */
  readonly namePrefix: string;
  /** The domain the hosts live under. */
  readonly domain: string;
  /** What runs: one service per port, in the `serverless` role (and the `maintenance` role's job, when it has it). */
  readonly profile: AppProfile;
  /** The repository the services pull from; each environment runs the tag named after it. */
  readonly registry: ContainerRegistry;
  /**
   * An image from elsewhere, run instead of `registry`'s by every service and job of every environment: a full
   * reference with a tag or digest, in Artifact Registry (another project's: grant the Cloud Run service agent
   * `roles/artifactregistry.reader` there) or public on Docker Hub or GitHub's registry, the ones Cloud Run pulls from
   * directly. Terraform then owns the image: the services run it from the first apply (no placeholder, so no
   * `initialImage`), and a deploy is a changed reference and an apply; a `gcloud run deploy` of another image is
   * reverted by the next apply.
   * @default - `registry`'s image, tagged with the environment, which the deploy workflow owns
   */
  readonly image?: string;
  /** The environments and their sizes; production is required. */
  readonly environments: Partial<Record<EnvironmentName, ServerlessSize>>;
  /** @default - when the profile uses a database */
  readonly database?: boolean;
  /** Memorystore per environment, reached through the VPC. @default - no Redis */
  readonly redis?: {
    /** @default 'BASIC' */
    readonly tier?: 'BASIC' | 'STANDARD_HA';
    /** TLS to Redis; the server must trust Memorystore's CA (docs/cluster-gcp.md). @default false */
    readonly transitEncryption?: boolean;
  };
  /**
   * A mutable store per environment, for a profile with `mutableData` (Perseus with revalidation or incremental
   * generation) whose instances should share one copy of those pages instead of each keeping its own in its
   * in-memory filesystem. Perseus uses it only through the app's own `MutableStore` (docs/perseus.md). `bucket`: a private bucket;
   * `redis`: the environment's Memorystore (through the VPC); `postgres`: the environment's Cloud SQL (reached as
   * `databaseConnectivity` says). The service account gets access and the profile receives its location
   * (`RuntimeContext.mutableStore`). Keep `region` at the service's: outside it is a synth warning, and an error
   * for a latency-sensitive profile.
   * @default - none: a Perseus app keeps its pages in each instance's memory (a synth warning); another profile with mutableData is refused
   */
  readonly mutableStore?: MutableStoreOptions;
  /**
   * How the services and jobs reach the VPC (the private Cloud SQL, Redis): Direct VPC egress (no cost of its own;
   * instance addresses come from `subnetCidr`), or a Serverless VPC Access connector (≈$15/month, for a region
   * where Cloud Run refuses Direct VPC egress). Only private ranges go through the VPC either way.
   * @default 'direct'
   */
  readonly vpcEgress?: 'direct' | 'connector';
  /**
   * How the services and jobs reach Cloud SQL. `private`: the instance has a private IP only (private services
   * access on the app's VPC) and no public IPv4; the server connects over `vpcEgress` to that IP with TLS and its
   * password, as on the cluster. `cloud-sql-connector`: a public IPv4 that admits no network, reached only through
   * Cloud Run's Cloud SQL connection (a Unix socket), with `roles/cloudsql.client` on the environment's instance
   * only. Pick it for the Cloud SQL Auth Proxy from a laptop or CI without a path into the VPC, or for no VPC at
   * all (without Redis); the instance then has a public address, however closed.
   * @default 'private'
   */
  readonly databaseConnectivity?: 'private' | 'cloud-sql-connector';
  /**
   * The subnet Direct VPC egress takes instance addresses from (`Network.subnetCidr`): /26 or larger, with room
   * for about two addresses per instance of every service and job, in blocks of 16 (`directVpcAddresses`). Set
   * it before the first apply: only a larger range containing this one changes it in place.
   * @default '10.10.0.0/20' - 4,092 addresses, about 2,000 instances
   */
  readonly subnetCidr?: string;
  /**
   * The VPC's private services range (Cloud SQL's private IP, Memorystore), or `auto` for Google's pick: apart from
   * `subnetCidr` and the connector's range (10.8.0.0/28). Fixed once created (`NetworkProps.privateServicesRange`).
   * @default '10.100.0.0/16'
   */
  readonly privateServicesRange?: string;
  /**
   * Reach the private database and Redis through a VPC network someone else owns instead of a new one
   * (`ExistingNetwork`; used only when something goes through the VPC). With `vpcEgress: 'direct'` its `subnet`, in
   * `region` and /26 or larger, holds the services' and jobs' addresses (no `subnetCidr` then); with `connector` the
   * network must be in `project` and have 10.8.0.0/28 free. Cloud SQL and Memorystore take private IPs from its
   * private services access, which must exist unless `privateServicesAccess: 'create'`. Nothing else is created in it.
   * @default - a new network (`Network`)
   */
  readonly existingNetwork?: ExistingNetworkOptions;
  /** Public and private buckets; `objectAcls` as on the cluster (`GcpStorageOptions`). @default {} */
  readonly storage?:
    | {
        /** @default - the app's region */
        readonly location?: string;
        /** Cloud CDN in front of the public bucket (load balancer only). @default false */
        readonly cdn?: boolean;
        /** Accept the object ACLs uploads carry (see `ServerBuckets.objectAcls`). @default false */
        readonly objectAcls?: boolean;
      }
    | false;
  /**
   * `load-balancer`: a global HTTPS load balancer with serverless NEGs, managed certificates and HTTP→HTTPS
   * redirect (about $18/month). `domain-mappings`: Cloud Run's own domain mappings (free; only in some regions;
   * no `storage.` host and no bare domain).
   * @default 'load-balancer'
   */
  readonly domains?: 'load-balancer' | 'domain-mappings';
  /** Also serve production's web port at the bare domain (load balancer only). @default false */
  readonly webOnTopDomain?: boolean;
  /** Longest request or WebSocket connection, in seconds. @default 3600 */
  readonly requestTimeoutSec?: number;
  /** Let anyone reach Insights; false keeps it to callers with IAM (run.invoker). @default true */
  readonly publicInsights?: boolean;
  /** When the `maintenance` role runs (cron, UTC); `off` for never. @default '* * * * *' */
  readonly maintenanceSchedule?: string;
  /**
   * A job that applies database migrations, for the deploy workflow to run before it moves traffic: the image's
   * own entrypoint in the `maintenance` role with `applyMigrations` (Serverpod: `SERVERPOD_APPLY_MIGRATIONS=true`;
   * it migrates and exits). `false` leaves migrations to your own pipeline.
   * @default true
   */
  readonly migrationsJob?: boolean;
  /**
   * Further passwords and secrets the server reads, by key, each environment its own: `generated` or `empty`
   * (fill it with `printf '%s' "$VALUE" | gcloud secrets versions add <prefix>-<environment>-<key-in-kebab-case>
   * --data-file=-`; Cloud Run refuses to create a revision that reads a secret with no value, so fill it before
   * the apply that first needs it, see docs/serverpod.md). They reach the server as `SERVERPOD_PASSWORD_<key>` (the
   * profile's name for the key) unless `variable` says otherwise.
   * @default {}
   */
  readonly secrets?: Readonly<Record<string, SecretDeclaration>>;
  /**
   * What the services and jobs run when Terraform creates them: `placeholder` (Google's sample images, so the
   * first apply succeeds before any image is pushed) or `registry` (the environment's tag, which must exist).
   * Either way the deploy workflow owns the image afterwards and applies never change it. Not with `image`.
   * @default 'placeholder'
   */
  readonly initialImage?: 'placeholder' | 'registry';
  /** An existing Cloud DNS zone (its name) that holds the domain. @default - a new public zone */
  readonly dnsZone?: string;
  /**
   * The earlier name of `dnsZone`.
   * @deprecated use `dnsZone`, the name both clouds' patterns share
   * @default - `dnsZone`
   */
  readonly dnsZoneName?: string;
  /** Keyless deploy identity for this GitHub repository. @default - none */
  readonly githubRepository?: string;
  /** Refs of that repository allowed to deploy. @default DEFAULT_DEPLOY_REFS */
  readonly githubRefs?: readonly string[];
  /** @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** Terraform outputs for what comes next (URLs, services, jobs, database, Serverpod config). @default {} */
  readonly outputs?: PatternOutputs | false;
}

/** One environment on Cloud Run. */
export class GcpServerlessEnvironment extends Construct {
  /** The environment's name. */
  public readonly environment: EnvironmentName;
  /** Its public hosts. */
  public readonly hosts: EnvironmentHosts;
  /** The service account its services and jobs run as. */
  public readonly serviceAccount: ServiceAccount;
  /** Its secrets by key, the database password and Redis AUTH string among them. */
  public readonly secrets: Readonly<Record<string, Secret>>;
  /** Its Cloud SQL, when there is a database. */
  public readonly database?: CloudSqlPostgres;
  /** Where the server finds the database: the private IP over TCP, or the Cloud SQL socket. */
  public readonly databaseConnection?: DatabaseConnection;
  /** Its Memorystore, with `redis`. */
  public readonly redis?: MemorystoreRedis;
  /** Its public and private buckets, with storage. */
  public readonly buckets?: ServerBuckets;
  /** The HMAC key pair for the buckets (Serverpod's GoogleCloudStorage), with storage. */
  public readonly storageCredentials?: StorageHmacCredentials;
  /** The mutable-store bucket, with `mutableStore.kind` bucket. */
  public readonly storeBucket?: StorageBucket;
  /** Where the profile finds its mutable store, when there is one. */
  public readonly mutableStore?: MutableStoreConnection;
  /** One service per port of the profile, by port name. */
  public readonly services: Readonly<Record<string, CloudRunService>>;
  /** The `maintenance` role's job, for a profile with that role (Cloud Scheduler starts it on `maintenanceSchedule`). */
  public readonly maintenanceJob?: CloudRunJob;
  /** The migrations job, with `migrationsJob`, a database, and a profile that applies migrations or names a command. */
  public readonly migrationsJob?: CloudRunJob;
  /** The image the services and jobs run. */
  public readonly image: string;
  /** The database pool each process may open, by kind (`api service`, `maintenance job`), from the connection budget. */
  public readonly databasePools?: Readonly<Record<string, number>>;

  constructor(
    scope: Construct,
    environment: EnvironmentName,
    props: GcpServerlessAppProps & {
      readonly size: ServerlessSize;
      /** How the services and jobs reach the VPC. @default - they do not */
      readonly vpc?: CloudRunVpcAccess;
      /** The app's network; required for a private database. @default - none */
      readonly network?: NetworkRef;
      readonly environmentSecrets: readonly EnvironmentSecret[];
      /**
       * The pool each kind of process may open (by `servicePool`/`MAINTENANCE_POOL` name), from the connection budget.
       * @default - no pool size is set: the server's own default
       */
      readonly databasePools?: Readonly<Record<string, number>>;
    },
  ) {
    super(scope, environment);
    markEnvironment(this, environment);
    literalStrings(this);
    this.environment = environment;
    const { project, region, profile, size } = props;
    this.databasePools = props.databasePools;
    const prefix = `${props.namePrefix}-${environment}`;
    const storage = props.storage === false ? undefined : props.storage ?? {};
    const viaLoadBalancer = (props.domains ?? 'load-balancer') === 'load-balancer';
    this.hosts = environmentHosts(profile, props.domain, environment, { storage: storage !== undefined && viaLoadBalancer, webOnTopDomain: viaLoadBalancer && (props.webOnTopDomain ?? false) });
    this.image = props.image ?? props.registry.imageUri(profile.name, environment);

    const store = props.mutableStore;
    const database = usesCloudSql(props);
    const privateDatabase = database && (props.databaseConnectivity ?? 'private') === 'private';
    new ProblemCollector('props.').check(!privateDatabase || props.network !== undefined, 'network', props.network, 'the app\'s Network for a private database').throwIfAny(`GcpServerlessEnvironment "${this.node.path}"`);
    const identity = new EnvironmentIdentity(this, {
      project,
      prefix,
      accountSuffix: 'sa',
      displayName: `${profile.name} on Cloud Run (${environment})`,
      // Cloud SQL Client only for the connector, on its own instance (below): the private IP needs no role.
      roles: ['roles/logging.logWriter', 'roles/monitoring.metricWriter'],
      secrets: props.environmentSecrets,
    });
    this.serviceAccount = identity.serviceAccount;
    const secrets = identity.secrets;
    const secret = identity.secret.bind(identity);

    let db: DatabaseConnection | undefined;
    if (database) {
      const password = secret('databasePassword', 'database-password');
      const instanceName = `${prefix}-database`;
      this.database = new CloudSqlPostgres(this, 'Database', {
        project,
        instanceName,
        region: dataRegion('postgres', region, store),
        databaseName: profile.usesDatabase ? undefined : 'store',
        network: privateDatabase ? props.network!.networkId : undefined,
        connectorsOnly: !privateDatabase,
        password: secrets.databasePassword.password!.result,
        tier: size.databaseTier,
        diskSizeGb: size.databaseStorageGb,
        maxConnections: size.databaseMaxConnections,
        deletionProtection: size.deletionProtection ?? environment === 'production',
        databaseVersion: size.databaseVersion,
        dependsOn: privateDatabase ? [...props.network!.privateServicesReady, ...(props.dependsOn ?? [])] : props.dependsOn,
      });
      // The props checks accept acknowledgeDataLoss only beside deletionProtection: false; the rule checks production only.
      if (size.acknowledgeDataLoss !== undefined && environment === 'production') {
        suppressGuardrails(this.database.instance, [
          { rule: 'GCP-SQL-DELETION-PROTECTION', reason: `deletion protection turned off with acknowledgeDataLoss: ${size.acknowledgeDataLoss}`, attributes: ['deletion_protection'] },
        ]);
      }
      const names = { name: this.database.databaseName, user: this.database.userName, password };
      if (privateDatabase) {
        // TCP to the private IP with TLS required (the instance refuses anything else), as the cluster connects.
        db = { host: this.database.privateIp, isUnixSocket: false, requireSsl: true, ...names };
      } else {
        // Cloud Run's Cloud SQL connection: a Unix socket under /cloudsql, encrypted and IAM-checked by the connector.
        db = { host: `/cloudsql/${this.database.connectionName}/.s.PGSQL.5432`, isUnixSocket: true, requireSsl: false, ...names };
        new ProjectIamMember(this, 'Role-cloudsql.client', {
          project,
          role: 'roles/cloudsql.client',
          member: this.serviceAccount.member,
          // This environment's instance only: staging's account cannot open production's database.
          condition: {
            title: boundedName(`${instanceName} only`, 100),
            expression: `resource.name == 'projects/${project}/instances/${instanceName}' && resource.type == 'sqladmin.googleapis.com/Instance'`,
          },
        });
      }
      this.databaseConnection = db;
    }

    let redis: RedisConnection | undefined;
    if ((props.redis || store?.kind === 'redis') && props.network) {
      const { redis: instance, auth } = environmentRedis(this, identity, { project, prefix, network: props.network, region: dataRegion('redis', region, store), memorySizeGb: size.redisMemoryGb, options: props.redis });
      this.redis = instance;
      redis = { host: this.redis.host, port: this.redis.port, password: auth, requireSsl: this.redis.transitEncryption };
    }

    ({ bucket: this.storeBucket, connection: this.mutableStore } = environmentMutableStore(this, identity, { project, prefix, region, store, redis, database: db }));

    if (storage) {
      ({ buckets: this.buckets, credentials: this.storageCredentials } = environmentStorage(this, identity, {
        project,
        prefix,
        profile,
        hosts: this.hosts,
        location: storage.location ?? region,
        publicBucketName: boundedName(`${project}-${prefix}-public`, 63),
        privateBucketName: boundedName(`${project}-${prefix}-private`, 63),
        objectAcls: storage.objectAcls,
      }));
    }

    // An image from elsewhere exists before the first apply, and its reference is the deploy: Terraform owns it.
    const external = props.image !== undefined;
    const placeholder = !external && (props.initialImage ?? 'placeholder') === 'placeholder';
    const common = {
      project,
      region,
      image: this.image,
      imageOwnedByDeploys: !external,
      serviceAccountEmail: this.serviceAccount.email,
      cpu: size.cpu,
      memory: size.memory,
      cloudSqlInstances: this.database && !privateDatabase ? [this.database.connectionName] : [],
      // Every service and job, the migrations and maintenance jobs too, when the database or Redis is in the VPC.
      vpcAccess: this.redis || privateDatabase ? props.vpc : undefined,
      // Cloud Run checks secret access when it creates a revision: wait for the values and the grants.
      dependsOn: Object.values(secrets).flatMap((s) => s.readyToRead),
    };
    const poolOf = (consumer: string) => (profile.databasePool?.configurable ? props.databasePools?.[consumer] : undefined);
    const context = (role: RuntimeContext['role'], serverId: string, applyMigrations = false, databasePoolSize?: number): RuntimeContext => ({
      runmode: environment,
      role,
      serverId,
      publicHosts: this.hosts.primary,
      database: db,
      redis,
      secrets: identity.declared,
      secretVariables: identity.variables,
      mutableStore: this.mutableStore,
      applyMigrations,
      databasePoolSize,
    });
    const hc = profile.healthCheck;

    const services: Record<string, CloudRunService> = {};
    for (const port of profile.ports) {
      const ctx = context('serverless', `${environment}-${port.name}`, false, poolOf(servicePool(port.name)));
      services[port.name] = new CloudRunService(this, `Service-${port.name}`, {
        ...common,
        image: placeholder ? PLACEHOLDER_IMAGES.service : this.image,
        name: `${prefix}-${port.name}`,
        port,
        environment: profile.containerEnvironment(ctx),
        args: profile.args(ctx).length ? profile.args(ctx) : undefined,
        minInstances: size.minInstances,
        maxInstances: serviceMaxInstances(size, port.name),
        concurrency: size.concurrency,
        requestTimeoutSec: props.requestTimeoutSec,
        ingress: viaLoadBalancer ? 'load-balancer' : 'all',
        public: port.name !== 'insights' || (props.publicInsights ?? true),
        startupGraceSec: cloudRunStartupGrace(profile),
        probeIntervalSec: hc.intervalSec,
        probeTimeoutSec: hc.timeoutSec,
        // Like autohealing on the clusters: slower to restart a container than a load balancer is to skip it.
        livenessFailures: hc.unhealthyThreshold * 2,
      });
      const invoker = services[port.name].publicInvoker;
      if (invoker && !viaLoadBalancer) {
        // With ingress ALL the run.app URL is public too: the warning GCP-RUN-PUBLIC-DIRECT, accepted here.
        suppressGuardrails(invoker, [
          {
            rule: 'GCP-RUN-PUBLIC-DIRECT',
            attributes: ['member'],
            reason:
              port.name === 'insights'
                ? 'domains: domain-mappings has no load balancer, Cloud Run serves the hosts itself; publicInsights opens Insights, which Serverpod guards with its service secret'
                : 'domains: domain-mappings has no load balancer: Cloud Run serves the public hosts itself, so anyone must be able to invoke it',
          },
        ]);
      }
    }
    this.services = services;

    const schedule = props.maintenanceSchedule ?? '* * * * *';
    if (profile.supportsRole('maintenance')) {
      const ctx = context('maintenance', `${environment}-maintenance`, false, poolOf(MAINTENANCE_POOL));
      this.maintenanceJob = new CloudRunJob(this, 'Maintenance', {
        ...common,
        image: placeholder ? PLACEHOLDER_IMAGES.job : this.image,
        name: `${prefix}-maintenance`,
        environment: profile.containerEnvironment(ctx),
        timeoutSec: MAINTENANCE_TIMEOUT_SEC,
        schedule: schedule === 'off' ? undefined : schedule,
      });
      // The image's own entrypoint in the maintenance role, told to migrate (it then exits); a profile that
      // cannot be told so names its own command.
      const migrations = context('maintenance', `${environment}-migrations`, profile.appliesMigrations, poolOf(MIGRATIONS_POOL));
      const command = profile.appliesMigrations ? undefined : profile.migrationCommand(migrations);
      if ((props.migrationsJob ?? true) && db && (profile.appliesMigrations || command)) {
        this.migrationsJob = new CloudRunJob(this, 'Migrations', {
          ...common,
          image: placeholder ? PLACEHOLDER_IMAGES.job : this.image,
          name: `${prefix}-migrations`,
          environment: profile.containerEnvironment(migrations),
          command,
          timeoutSec: 1800,
        });
      }
    }
    this.secrets = secrets;
  }
}

/** Whether the environments get Cloud SQL: the profile uses a database, or it is the mutable store. */
function usesCloudSql(props: GcpServerlessAppProps): boolean {
  return ((props.database ?? props.profile.usesDatabase) && props.profile.usesDatabase) || props.mutableStore?.kind === 'postgres';
}

/**
 * Serverpod (or any profile) on Cloud Run: per environment one service per port (`serverless` role), Cloud SQL
 * on a private IP (or, opted in, through the Cloud SQL connection), Memorystore, both reached through the VPC
 * (Direct VPC egress by default), buckets, secrets, the `maintenance`
 * role as a job Cloud Scheduler starts every minute, and a migrations job; the hosts on one HTTPS load
 * balancer with serverless NEGs (or Cloud Run domain mappings); optionally a keyless GitHub deploy identity.
 *
 * @example
 * ```ts
 * import { App, TerraformOutput, TerraformStack } from 'cdktf';
 * import { GoogleProvider, RandomProvider, gcp, serverpodProfile } from 'cdktf-serverpod';
 *
 * const app = new App();
 * const stack = new TerraformStack(app, 'serverless');
 * new GoogleProvider(stack, 'google', { project: 'my-project', region: 'us-central1' });
 * new RandomProvider(stack, 'random'); // the generated passwords
 * const apis = new gcp.ProjectServices(stack, 'apis', { project: 'my-project', services: gcp.GcpServerlessApp.REQUIRED_APIS });
 * gcp.WaitForApis.apply(stack, apis);
 * const registry = new gcp.ContainerRegistry(stack, 'images', { project: 'my-project', location: 'us-central1', repositoryId: 'mypod-images' });
 * const serverless = new gcp.GcpServerlessApp(stack, 'app', {
 *   project: 'my-project',
 *   region: 'us-central1',
 *   namePrefix: 'mypod',
 *   domain: 'mypod.dev',
 *   profile: serverpodProfile({ name: 'mypod' }),
 *   registry, // the services start on a placeholder image; the deploy workflow rolls out mypod:production
 *   environments: { production: { maxInstances: 3, databaseTier: 'db-f1-micro' } },
 * });
 * new TerraformOutput(stack, 'ip', { value: serverless.loadBalancer!.ipAddress });
 * app.synth();
 * ```
 */
export class GcpServerlessApp extends Construct {
  /**
   * The Google APIs this pattern's resources need, to enable on the project before the first apply (the bundled
   * stacks enable them with `ProjectServices`; a missing one fails only at apply).
   */
  public static readonly REQUIRED_APIS: readonly string[] = [
    'artifactregistry.googleapis.com',
    'run.googleapis.com',
    'cloudscheduler.googleapis.com',
    'sqladmin.googleapis.com',
    'cloudresourcemanager.googleapis.com',
    'secretmanager.googleapis.com',
    'compute.googleapis.com',
    'servicenetworking.googleapis.com',
    'redis.googleapis.com',
    'vpcaccess.googleapis.com',
    'dns.googleapis.com',
    'iam.googleapis.com',
    'iamcredentials.googleapis.com',
    'sts.googleapis.com',
    // On by default in a new project, but a project may have it off: the buckets and HMAC keys need it.
    'storage.googleapis.com',
  ];

  /** The VPC, when something is reached through it (a private database, Redis): a `Network` created, or the `ExistingNetwork` joined. */
  public readonly network?: NetworkRef;
  /** The Serverless VPC Access connector, with `vpcEgress: 'connector'`. */
  public readonly connector?: VpcAccessConnector;
  /** Each environment's services, jobs and data. */
  public readonly environments: Readonly<Partial<Record<EnvironmentName, GcpServerlessEnvironment>>>;
  /** The HTTPS load balancer, with `domains: 'load-balancer'`. */
  public readonly loadBalancer?: HttpsLoadBalancer;
  /** One managed certificate per host, with `domains: 'load-balancer'`. */
  public readonly certificates?: ManagedCertificates;
  /** Cloud Run's domain mappings, with `domains: 'domain-mappings'`. */
  public readonly domainMappings: CloudRunDomainMapping[] = [];
  /** The public zone with every host's record. */
  public readonly dns: PublicDns;
  /** The GitHub Actions deploy identity, with `githubRepository`. */
  public readonly deployIdentity?: GithubDeployIdentity;

  constructor(scope: Construct, id: string, props: GcpServerlessAppProps) {
    super(scope, id);
    literalStrings(this);
    const domains = props.domains ?? 'load-balancer';
    const schedule = props.maintenanceSchedule ?? '* * * * *';
    const problems = new ProblemCollector('props.');
    gcpPatternProblems(problems, props, this);
    problems.check(props.environments.production !== undefined, 'environments', Object.keys(props.environments), 'production, optionally with staging');
    problems.check(props.profile.supportsRole('serverless'), 'profile', props.profile.name, 'a profile that supports the serverless role');
    problems.check(schedule === 'off' || isCron(schedule), 'maintenanceSchedule', schedule, 'a five-field cron expression such as "* * * * *", or off');
    imageProblems(problems, props.image, cloudRunImageProblem);
    if (props.image !== undefined) {
      problems.check(props.initialImage === undefined, 'initialImage', props.initialImage, 'none with image (the services and jobs run it from the first apply)');
    }
    // Cloud Run's filesystem is writable, in memory, per instance: Perseus' own store works there, one copy each.
    const storeMaxInstances = Math.max(...Object.values(props.environments).map((e) => (e ? serviceMaxInstances(e, props.profile.mainPort.name) : 0)));
    checkMutableStore(this, problems, { profile: props.profile, filesystem: 'in-memory', serverRegion: props.region, store: props.mutableStore, maxInstances: storeMaxInstances });
    const secrets = environmentSecrets(props.profile, props.secrets, problems, 'secrets', props.storage === false ? [] : GCS_HMAC_KEYS);
    for (const [name, size] of Object.entries(props.environments)) {
      for (const port of Object.keys(size?.serviceMaxInstances ?? {})) {
        problems.check(props.profile.ports.some((p) => p.name === port), `environments.${name}.serviceMaxInstances.${port}`, port, `a port of the profile (${props.profile.ports.map((p) => p.name).join(', ')})`);
      }
    }
    const maintenance = props.profile.supportsRole('maintenance') && schedule !== 'off';
    const pools = cloudSqlPools(this, problems, {
      profile: props.profile,
      database: props.database,
      environments: props.environments,
      consumers: (size) => [
        ...props.profile.ports.map((p) => ({ name: servicePool(p.name), processes: serviceMaxInstances(size, p.name) })),
        // Scheduled every minute with a 5-minute timeout, up to five runs can overlap; each needs few connections.
        { name: MAINTENANCE_POOL, processes: maintenance ? Math.ceil(MAINTENANCE_TIMEOUT_SEC / 60) : 0, preferredPool: 2, minimumPool: 1 },
        // Two: Serverpod's migration lock holds one connection while the migration runs on another.
        { name: MIGRATIONS_POOL, processes: (props.migrationsJob ?? true) ? 1 : 0, preferredPool: 2 },
      ],
    });
    const grace = cloudRunStartupGrace(props.profile);
    problems.check(grace <= 480, 'profile.healthCheck.gracePeriodSec', grace, "at most 480 on Cloud Run (240 s of initial delay and 240 s of startup probes); migrations run in the migrations job, not at start");
    const delay = startupProbeTiming(grace, props.profile.healthCheck.intervalSec).initialDelaySec;
    if (delay > 0 && grace <= 480) {
      Annotations.of(this).addInfo(`healthCheck.gracePeriodSec ${grace}: Cloud Run's startup probes cover 240 s, so every new container (cold starts and scale-outs too) waits ${delay} s before its first probe and gets no request until then. Migrations run in the migrations job: leave it unset (240) unless the server itself starts that slowly.`);
    }
    if (domains === 'domain-mappings') {
      problems.check(DOMAIN_MAPPING_REGIONS.includes(props.region), 'region', props.region, `a region with Cloud Run domain mappings (${DOMAIN_MAPPING_REGIONS.join(', ')}), or domains: load-balancer`);
      problems.check(!props.webOnTopDomain, 'webOnTopDomain', props.webOnTopDomain, 'false with domain mappings (the bare domain needs the load balancer)');
    }
    const egress = props.vpcEgress ?? 'direct';
    const connectivity = props.databaseConnectivity ?? 'private';
    problems.check(egress === 'direct' || egress === 'connector', 'vpcEgress', egress, 'direct or connector');
    problems.check(connectivity === 'private' || connectivity === 'cloud-sql-connector', 'databaseConnectivity', connectivity, 'private or cloud-sql-connector');
    const inVpc = (usesCloudSql(props) && connectivity === 'private') || props.redis !== undefined || props.mutableStore?.kind === 'redis';
    const existing = props.existingNetwork;
    if (existing) this.checkExistingNetwork(problems, props, existing, inVpc ? egress : undefined);
    else if (inVpc && egress === 'direct') this.checkSubnet(problems, props, maintenance);
    outputsProblems(problems, props.outputs);
    problems.throwIfAny(`GcpServerlessApp "${this.node.path}"`);

    let vpc: CloudRunVpcAccess | undefined;
    if (inVpc) {
      // No NAT: only private ranges go through the VPC, the internet and Google APIs keep Cloud Run's own path.
      const networkProps = {
        project: props.project,
        region: props.region,
        namePrefix: props.namePrefix,
        privateServicesRange: props.privateServicesRange,
        otherRanges: egress === 'connector' ? { 'the Serverless VPC Access connector range': CONNECTOR_RANGE } : undefined,
        nat: false,
        iapSsh: false,
        dependsOn: props.dependsOn,
      };
      this.network = existing ? new ExistingNetwork(this, 'Network', { ...existing, ...networkProps }) : new Network(this, 'Network', { ...networkProps, subnetCidr: props.subnetCidr });
      if (egress === 'direct') {
        vpc = { kind: 'direct', network: this.network.networkId, subnetwork: this.network.subnetId! };
      } else {
        this.connector = new VpcAccessConnector(this, 'Connector', {
          project: props.project,
          region: props.region,
          name: boundedName(`${props.namePrefix}-vpc`, 25),
          network: this.network.networkName,
          ipCidrRange: CONNECTOR_RANGE,
          minInstances: 2,
          maxInstances: 3,
          machineType: 'e2-micro',
        });
        vpc = { kind: 'connector', connector: this.connector.id };
      }
    }

    const environments: Partial<Record<EnvironmentName, GcpServerlessEnvironment>> = {};
    for (const name of ['production', 'staging'] as const) {
      const size = props.environments[name];
      if (size) environments[name] = new GcpServerlessEnvironment(this, name, { ...props, size, vpc, network: this.network, environmentSecrets: secrets, databasePools: pools[name] });
    }
    this.environments = environments;
    const envs = Object.values(environments) as GcpServerlessEnvironment[];

    this.dns = new PublicDns(this, 'Dns', { project: props.project, domain: props.domain, existingZoneName: props.dnsZone ?? props.dnsZoneName, namePrefix: props.namePrefix });
    if (domains === 'load-balancer') {
      const front = servePublicHosts(this, {
        project: props.project,
        namePrefix: props.namePrefix,
        profile: props.profile,
        environments: envs.map((e) => ({ environment: e.environment, hosts: e.hosts, publicBucketName: e.buckets?.publicBucket.name })),
        routeFor: (env, port, key) => {
          const neg = new ComputeRegionNetworkEndpointGroup(this, `Neg-${key}`, {
            project: props.project,
            name: `${props.namePrefix}-${key}-neg`,
            region: props.region,
            networkEndpointType: 'SERVERLESS',
            cloudRun: { service: environments[env.environment]!.services[port.name].service.name },
          });
          return { key, hosts: env.hosts.byPort[port.name], serverlessNeg: neg.id };
        },
        storageCdn: props.storage ? props.storage.cdn : false,
        dns: this.dns,
      });
      this.certificates = front.certificates;
      this.loadBalancer = front.loadBalancer;
    } else {
      for (const env of envs) {
        for (const [portName, service] of Object.entries(env.services)) {
          for (const host of env.hosts.byPort[portName]) {
            this.domainMappings.push(
              new CloudRunDomainMapping(this, `Mapping-${host}`, {
                project: props.project,
                location: props.region,
                name: host,
                metadata: { namespace: props.project },
                spec: { routeName: service.service.name },
              }),
            );
            this.dns.addRecord(host, 'CNAME', ['ghs.googlehosted.com.']);
          }
        }
      }
    }

    if (props.githubRepository) {
      this.deployIdentity = new GithubDeployIdentity(this, 'GithubDeploy', {
        project: props.project,
        namePrefix: props.namePrefix,
        repository: props.githubRepository,
        refs: props.githubRefs,
        registry: { location: props.registry.repository.location, repositoryId: props.registry.repository.repositoryId },
        // Logs viewer: the workflow reads the migrations job's log (Serverpod exits 0 even when a migration failed).
        // Without a migrations job (Perseus, no database) nothing reads a log, and the role would be project-wide.
        projectRoles: envs.some((e) => e.migrationsJob) ? ['roles/logging.viewer'] : [],
        actAs: envs.map((e) => e.serviceAccount.email),
      });
      // Deploying revisions, updating and executing the jobs: Cloud Run Developer on these services and jobs only
      // (its lowest grantable level), so the workflow cannot touch any other Cloud Run workload of the project.
      const grant = { project: props.project, location: props.region, role: 'roles/run.developer', member: this.deployIdentity.serviceAccount.member };
      for (const env of envs) {
        for (const [port, service] of Object.entries(env.services)) {
          new CloudRunV2ServiceIamMember(this, `Deployer-${env.environment}-${port}`, { ...grant, name: service.service.name });
        }
        for (const [kind, job] of [['maintenance', env.maintenanceJob], ['migrations', env.migrationsJob]] as const) {
          if (job) new CloudRunV2JobIamMember(this, `Deployer-${env.environment}-${kind}`, { ...grant, name: job.job.name });
        }
      }
    }
    this.writeOutputs(props);
  }

  private writeOutputs(props: GcpServerlessAppProps): void {
    const out = outputWriter(this, props.outputs);
    if (this.loadBalancer) out('load_balancer_ip', this.loadBalancer.ipAddress, 'The one IP address every host points at');
    if (this.dns.zone) out('dns_name_servers', this.dns.zone.nameServers, 'Point your registrar at these');
    for (const env of Object.values(this.environments)) {
      if (!env) continue;
      const e = env.environment;
      for (const [port, service] of Object.entries(env.services)) {
        out(`${e}_${port}_url`, `https://${env.hosts.byPort[port][0]}/`, `${e}: the ${port} server`);
        out(`${e}_${port}_service`, service.service.name, `${e}: the Cloud Run service behind ${port}`);
      }
      if (env.hosts.storage) out(`${e}_storage_url`, `https://${env.hosts.storage}/`, `${e}: the public bucket`);
      if (env.maintenanceJob) out(`${e}_maintenance_job`, env.maintenanceJob.job.name, `${e}: the scheduled maintenance job`);
      if (env.migrationsJob) out(`${e}_migrations_job`, env.migrationsJob.job.name, 'gcloud run jobs execute <name> --wait, before deploying a revision that needs it');
      environmentDataOutputs(out, e, env);
      if (props.profile.framework !== 'serverpod') continue;
      out(
        `${e}_serverpod_config`,
        serverpodConfigYaml({
          hosts: env.hosts,
          // The pool of the api service, which serves the app's endpoints.
          database: env.databaseConnection
            ? { host: env.databaseConnection.host, requireSsl: env.databaseConnection.requireSsl, isUnixSocket: env.databaseConnection.isUnixSocket, maxConnectionCount: env.databasePools?.[servicePool('api')] }
            : undefined,
          redis: env.redis ? { host: env.redis.host, port: env.redis.port, requireSsl: env.redis.transitEncryption } : undefined,
        }),
        `${e}: the settings of config/${e}.yaml (the services also receive them as environment variables)`,
      );
    }
    deployIdentityOutputs(out, this.deployIdentity);
  }

  /**
   * Refuses what an existing network cannot do here (`egress`: how the services reach it, when they do): a subnet
   * Direct VPC egress needs but is not given, or is given where a connector takes its own range; a connector on
   * another project's network; and the new network's own ranges.
   */
  private checkExistingNetwork(problems: ProblemCollector, props: GcpServerlessAppProps, existing: ExistingNetworkOptions, egress: 'direct' | 'connector' | undefined): void {
    existingNetworkProblems(problems, existing, { project: props.project, region: props.region, field: 'existingNetwork.' });
    problems.check(props.subnetCidr === undefined, 'subnetCidr', props.subnetCidr, 'none with existingNetwork (Direct VPC egress takes addresses from existingNetwork.subnet)');
    problems.check(
      props.privateServicesRange === undefined || existing.privateServicesAccess === 'create',
      'privateServicesRange',
      props.privateServicesRange,
      "none with existingNetwork, unless existingNetwork.privateServicesAccess is create (the network's own private services access is used)",
    );
    if (egress === 'direct') {
      problems.check(existing.subnet !== undefined, 'existingNetwork.subnet', existing.subnet, `the subnet in ${props.region} that Direct VPC egress takes the services' and jobs' addresses from (/26 or larger), or vpcEgress: connector`);
    } else if (egress === 'connector') {
      problems.check(existing.subnet === undefined, 'existingNetwork.subnet', existing.subnet, `none with vpcEgress: connector (the connector takes its own range, ${CONNECTOR_RANGE}, in the network)`);
      const project = typeof existing.network === 'string' && ruleProblem(RULES.gcpNetwork, existing.network) === undefined ? existingNetworkIds(existing, props.project, props.region).networkProject : props.project;
      problems.check(
        project === props.project,
        'existingNetwork.network',
        existing.network,
        `a network of the project ${props.project} with vpcEgress: connector (a connector for a Shared VPC belongs in its host project), or vpcEgress: direct`,
      );
    }
  }

  /**
   * Refuses a subnet too small for Direct VPC egress: about two addresses per instance of every service and job of
   * both environments, reserved 16 at a time, in a range of /26 or larger (Cloud Run's minimum).
   */
  private checkSubnet(problems: ProblemCollector, props: GcpServerlessAppProps, maintenanceScheduled: boolean): void {
    const cidr = props.subnetCidr ?? DEFAULT_SUBNET;
    const match = /^\d{1,3}(\.\d{1,3}){3}\/(\d{1,2})$/.exec(cidr);
    const prefix = match ? Number(match[2]) : NaN;
    if (!(prefix >= 16 && prefix <= 26)) {
      problems.check(false, 'subnetCidr', cidr, 'an IPv4 CIDR block from /16 to /26 (Direct VPC egress needs /26 or larger) such as 10.10.0.0/20');
      return;
    }
    const perEnvironment: string[] = [];
    let needed = 0;
    for (const [name, size] of Object.entries(props.environments)) {
      if (!size) continue;
      const instances = [
        ...props.profile.ports.map((p) => serviceMaxInstances(size, p.name)),
        // Overlapping maintenance runs (see the connection budget), and one migrations run.
        ...(props.profile.supportsRole('maintenance') ? [maintenanceScheduled ? Math.ceil(MAINTENANCE_TIMEOUT_SEC / 60) : 1, 1] : []),
      ];
      const addresses = instances.reduce((sum, n) => sum + directVpcAddresses(n), 0);
      perEnvironment.push(`${name} ${addresses}`);
      needed += addresses;
    }
    // Google reserves four addresses of every subnet.
    const available = 2 ** (32 - prefix) - 4;
    problems.check(
      needed <= available,
      'subnetCidr',
      cidr,
      `a range with at least ${needed} usable addresses (${perEnvironment.join(', ')}): Direct VPC egress holds about two per instance, 16 at a time; or lower maxInstances/serviceMaxInstances, or vpcEgress: connector`,
    );
  }
}
