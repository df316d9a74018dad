import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { MutableStoreOptions, checkMutableStore } from '../app/mutable-store';
import { AppProfile, DatabaseConnection, MutableStoreConnection, RedisConnection, RuntimeContext } from '../app/profile';
import { EnvironmentHosts, environmentHosts } from '../hosts';
import { EnvironmentName, boundedName } from '../naming';
import { CloudRunDomainMapping, ComputeRegionNetworkEndpointGroup, ServiceAccount, StorageBucket, VpcAccessConnector } from '../providers/google';
import { ProblemCollector } from '../validation';
import { ManagedCertificates } from './certificates';
import { CloudRunCpu, CloudRunJob, CloudRunMemory, CloudRunService, CloudRunVpcAccess, PLACEHOLDER_IMAGES } from './cloud-run';
import { DOMAIN_MAPPING_REGIONS, isCron } from './cloud-run-limits';
import { CloudSqlPostgres } from './database';
import { GithubDeployIdentity } from './deploy-identity';
import { PublicDns } from './dns';
import { EnvironmentIdentity, dataRegion, environmentMutableStore, environmentRedis, servePublicHosts } from './environment-kit';
import { HttpsLoadBalancer } from './load-balancer';
import { Network } from './network';
import { MemorystoreRedis } from './redis';
import { ContainerRegistry } from './registry';
import { Secret } from './secrets';
import { ServerBuckets } from './storage';

/** Sizes of one environment's services. */
export interface ServerlessSize {
  /** @default 0 */
  readonly minInstances?: number;
  /** @default 10 */
  readonly maxInstances?: number;
  /** @default '1' */
  readonly cpu?: CloudRunCpu;
  /** @default '512Mi' */
  readonly memory?: CloudRunMemory;
  /** @default 80 */
  readonly concurrency?: number;
  /** @default 'db-f1-micro' */
  readonly databaseTier?: string;
  /** @default 1 */
  readonly redisMemoryGb?: number;
  /** @default - true for production, false for staging */
  readonly deletionProtection?: boolean;
}

export interface GcpServerlessAppProps {
  readonly project: string;
  readonly region: string;
  /** Prefix of every resource name. */
  readonly namePrefix: string;
  readonly domain: string;
  readonly profile: AppProfile;
  readonly registry: ContainerRegistry;
  /** The environments and their sizes; production is required. */
  readonly environments: Partial<Record<EnvironmentName, ServerlessSize>>;
  /** @default - when the profile uses a database */
  readonly database?: boolean;
  /** Memorystore per environment, reached through the VPC. @default - no Redis */
  readonly redis?: { readonly tier?: 'BASIC' | 'STANDARD_HA'; readonly transitEncryption?: boolean };
  /**
   * A mutable store per environment, for a profile with `mutableData` (Perseus with revalidation or incremental
   * generation), which Cloud Run's in-memory, per-instance filesystem cannot keep. `bucket`: a private bucket;
   * `redis`: the environment's Memorystore (through the VPC); `postgres`: the environment's Cloud SQL (through
   * the Cloud SQL connection). The service account gets access and the profile receives its location
   * (`RuntimeContext.mutableStore`). Keep `region` at the service's: outside it is a synth warning, and an error
   * for a latency-sensitive profile.
   * @default - none; required for a profile with mutableData
   */
  readonly mutableStore?: MutableStoreOptions;
  /** How the services reach the VPC for Redis: Direct VPC egress, or a Serverless VPC Access connector. @default 'direct' */
  readonly vpcEgress?: 'direct' | 'connector';
  /** @default {} */
  readonly storage?: { readonly location?: string; readonly cdn?: boolean } | false;
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
  /** A job that applies database migrations, for a deploy to run. @default true */
  readonly migrationsJob?: boolean;
  /**
   * What the services and jobs run when Terraform creates them: `placeholder` (Google's sample images, so the
   * first apply succeeds before any image is pushed) or `registry` (the environment's tag, which must exist).
   * Either way the deploy workflow owns the image afterwards and applies never change it.
   * @default 'placeholder'
   */
  readonly initialImage?: 'placeholder' | 'registry';
  /** Existing Cloud DNS zone for the domain. @default - a new public zone */
  readonly dnsZoneName?: string;
  /** Keyless deploy identity for this GitHub repository. @default - none */
  readonly githubRepository?: string;
  /** Refs of that repository allowed to deploy. @default DEFAULT_DEPLOY_REFS */
  readonly githubRefs?: readonly string[];
  /** @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/** One environment on Cloud Run. */
export class GcpServerlessEnvironment extends Construct {
  public readonly environment: EnvironmentName;
  public readonly hosts: EnvironmentHosts;
  public readonly serviceAccount: ServiceAccount;
  public readonly secrets: Readonly<Record<string, Secret>>;
  public readonly database?: CloudSqlPostgres;
  public readonly redis?: MemorystoreRedis;
  public readonly buckets?: ServerBuckets;
  /** The mutable-store bucket, with `mutableStore.kind` bucket. */
  public readonly storeBucket?: StorageBucket;
  /** Where the profile finds its mutable store, when there is one. */
  public readonly mutableStore?: MutableStoreConnection;
  /** One service per port of the profile, by port name. */
  public readonly services: Readonly<Record<string, CloudRunService>>;
  public readonly maintenanceJob?: CloudRunJob;
  public readonly migrationsJob?: CloudRunJob;
  public readonly image: string;

  constructor(scope: Construct, environment: EnvironmentName, props: GcpServerlessAppProps & { readonly size: ServerlessSize; readonly vpc?: CloudRunVpcAccess; readonly network?: Network }) {
    super(scope, environment);
    this.environment = environment;
    const { project, region, profile, size } = props;
    const prefix = `${props.namePrefix}-${environment}`;
    const storage = props.storage === false ? undefined : props.storage ?? {};
    const viaLoadBalancer = (props.domains ?? 'load-balancer') === 'load-balancer';
    this.hosts = environmentHosts(profile, props.domain, environment, { storage: storage !== undefined && viaLoadBalancer, webOnTopDomain: viaLoadBalancer && (props.webOnTopDomain ?? false) });
    this.image = props.registry.imageUri(profile.name, environment);

    const store = props.mutableStore;
    const database = ((props.database ?? profile.usesDatabase) && profile.usesDatabase) || store?.kind === 'postgres';
    const identity = new EnvironmentIdentity(this, {
      project,
      prefix,
      accountSuffix: 'sa',
      displayName: `${profile.name} on Cloud Run (${environment})`,
      roles: ['roles/logging.logWriter', 'roles/monitoring.metricWriter', ...(database ? ['roles/cloudsql.client'] : [])],
      profile,
    });
    this.serviceAccount = identity.serviceAccount;
    const member = this.serviceAccount.member;
    const secrets = identity.secrets;
    const secret = identity.secret.bind(identity);
    const generated = identity.generated;

    let db: DatabaseConnection | undefined;
    if (database) {
      const password = secret('databasePassword', 'database-password');
      this.database = new CloudSqlPostgres(this, 'Database', {
        project,
        instanceName: `${prefix}-database`,
        region: dataRegion('postgres', region, store),
        databaseName: profile.usesDatabase ? undefined : 'store',
        connectorsOnly: true,
        password: secrets.databasePassword.password!.result,
        tier: size.databaseTier,
        deletionProtection: size.deletionProtection ?? environment === 'production',
        dependsOn: props.dependsOn,
      });
      // Cloud Run's Cloud SQL connection: a Unix socket under /cloudsql, encrypted and IAM-checked by the connector.
      db = { host: `/cloudsql/${this.database.connectionName}/.s.PGSQL.5432`, isUnixSocket: true, requireSsl: false, name: this.database.databaseName, user: this.database.userName, password };
    }

    let redis: RedisConnection | undefined;
    if ((props.redis || store?.kind === 'redis') && props.network) {
      const { redis: instance, auth } = environmentRedis(this, identity, { project, prefix, network: props.network, region: dataRegion('redis', region, store), memorySizeGb: size.redisMemoryGb, options: props.redis });
      this.redis = instance;
      redis = { host: this.redis.host, port: this.redis.port, password: auth, requireSsl: this.redis.transitEncryption };
    }

    ({ bucket: this.storeBucket, connection: this.mutableStore } = environmentMutableStore(this, identity, { project, prefix, region, store, redis, database: db }));

    if (storage) {
      this.buckets = new ServerBuckets(this, 'Buckets', {
        project,
        location: storage.location ?? region,
        publicBucketName: boundedName(`${project}-${prefix}-public`, 63),
        privateBucketName: boundedName(`${project}-${prefix}-private`, 63),
        writers: [member],
      });
    }

    const placeholder = (props.initialImage ?? 'placeholder') === 'placeholder';
    const common = {
      project,
      region,
      image: this.image,
      imageOwnedByDeploys: true,
      serviceAccountEmail: this.serviceAccount.email,
      cpu: size.cpu,
      memory: size.memory,
      cloudSqlInstances: this.database ? [this.database.connectionName] : [],
      vpcAccess: this.redis ? props.vpc : undefined,
      // Cloud Run checks secret access when it creates a revision: wait for the values and the grants.
      dependsOn: Object.values(secrets).flatMap((s) => s.readyToRead),
    };
    const context = (role: RuntimeContext['role'], serverId: string): RuntimeContext => ({
      runmode: environment,
      role,
      serverId,
      publicHosts: this.hosts.primary,
      database: db,
      redis,
      secrets: generated,
      mutableStore: this.mutableStore,
    });

    const services: Record<string, CloudRunService> = {};
    for (const port of profile.ports) {
      const ctx = context('serverless', `${environment}-${port.name}`);
      services[port.name] = new CloudRunService(this, `Service-${port.name}`, {
        ...common,
        image: placeholder ? PLACEHOLDER_IMAGES.service : this.image,
        name: `${prefix}-${port.name}`,
        port,
        environment: profile.containerEnvironment(ctx),
        args: profile.args(ctx).length ? profile.args(ctx) : undefined,
        minInstances: size.minInstances,
        maxInstances: size.maxInstances,
        concurrency: size.concurrency,
        requestTimeoutSec: props.requestTimeoutSec,
        ingress: viaLoadBalancer ? 'load-balancer' : 'all',
        public: port.name !== 'insights' || (props.publicInsights ?? true),
      });
    }
    this.services = services;

    const schedule = props.maintenanceSchedule ?? '* * * * *';
    if (profile.supportsRole('maintenance')) {
      const ctx = context('maintenance', `${environment}-maintenance`);
      this.maintenanceJob = new CloudRunJob(this, 'Maintenance', {
        ...common,
        image: placeholder ? PLACEHOLDER_IMAGES.job : this.image,
        name: `${prefix}-maintenance`,
        environment: profile.containerEnvironment(ctx),
        timeoutSec: 300,
        schedule: schedule === 'off' ? undefined : schedule,
      });
      const migrate = profile.migrationCommand(context('maintenance', `${environment}-migrations`));
      if ((props.migrationsJob ?? true) && migrate && database) {
        this.migrationsJob = new CloudRunJob(this, 'Migrations', {
          ...common,
          image: placeholder ? PLACEHOLDER_IMAGES.job : this.image,
          name: `${prefix}-migrations`,
          environment: profile.containerEnvironment(context('maintenance', `${environment}-migrations`)),
          command: migrate,
          timeoutSec: 1800,
        });
      }
    }
    this.secrets = secrets;
  }
}

/**
 * Serverpod (or any profile) on Cloud Run: per environment one service per port (`serverless` role), Cloud SQL
 * through the Cloud SQL connection, optional Memorystore through the VPC, buckets, secrets, the `maintenance`
 * role as a job Cloud Scheduler starts every minute, and a migrations job; the hosts on one HTTPS load
 * balancer with serverless NEGs (or Cloud Run domain mappings); optionally a keyless GitHub deploy identity.
 */
export class GcpServerlessApp extends Construct {
  public readonly network?: Network;
  public readonly connector?: VpcAccessConnector;
  public readonly environments: Readonly<Partial<Record<EnvironmentName, GcpServerlessEnvironment>>>;
  public readonly loadBalancer?: HttpsLoadBalancer;
  public readonly certificates?: ManagedCertificates;
  public readonly domainMappings: CloudRunDomainMapping[] = [];
  public readonly dns: PublicDns;
  public readonly deployIdentity?: GithubDeployIdentity;

  constructor(scope: Construct, id: string, props: GcpServerlessAppProps) {
    super(scope, id);
    const domains = props.domains ?? 'load-balancer';
    const schedule = props.maintenanceSchedule ?? '* * * * *';
    const problems = new ProblemCollector('props.');
    problems.check(props.environments.production !== undefined, 'environments', Object.keys(props.environments), 'production, optionally with staging');
    problems.check(props.profile.supportsRole('serverless'), 'profile', props.profile.name, 'a profile that supports the serverless role');
    problems.check(schedule === 'off' || isCron(schedule), 'maintenanceSchedule', schedule, 'a five-field cron expression such as "* * * * *", or off');
    checkMutableStore(this, problems, { profile: props.profile, filesystem: 'read-only', serverRegion: props.region, store: props.mutableStore, maxInstances: 0 });
    if (domains === 'domain-mappings') {
      problems.check(DOMAIN_MAPPING_REGIONS.includes(props.region), 'region', props.region, `a region with Cloud Run domain mappings (${DOMAIN_MAPPING_REGIONS.join(', ')}), or domains: load-balancer`);
      problems.check(!props.webOnTopDomain, 'webOnTopDomain', props.webOnTopDomain, 'false with domain mappings (the bare domain needs the load balancer)');
    }
    problems.throwIfAny(`GcpServerlessApp "${this.node.path}"`);

    let vpc: CloudRunVpcAccess | undefined;
    if (props.redis || props.mutableStore?.kind === 'redis') {
      this.network = new Network(this, 'Network', { project: props.project, region: props.region, namePrefix: props.namePrefix, nat: false, iapSsh: false, dependsOn: props.dependsOn });
      if ((props.vpcEgress ?? 'direct') === 'direct') {
        vpc = { kind: 'direct', network: this.network.network.id, subnetwork: this.network.subnet.id };
      } else {
        this.connector = new VpcAccessConnector(this, 'Connector', {
          project: props.project,
          region: props.region,
          name: boundedName(`${props.namePrefix}-vpc`, 25),
          network: this.network.network.name,
          ipCidrRange: '10.8.0.0/28',
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
      if (size) environments[name] = new GcpServerlessEnvironment(this, name, { ...props, size, vpc, network: this.network });
    }
    this.environments = environments;
    const envs = Object.values(environments) as GcpServerlessEnvironment[];

    this.dns = new PublicDns(this, 'Dns', { project: props.project, domain: props.domain, existingZoneName: props.dnsZoneName, namePrefix: props.namePrefix });
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
        // Deploying a revision and updating the jobs; acting as the runtime accounts they run as.
        projectRoles: ['roles/run.developer'],
        actAs: envs.map((e) => e.serviceAccount.email),
      });
    }
  }
}
