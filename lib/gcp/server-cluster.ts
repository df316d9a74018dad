import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { SERVER_ID_FROM_MACHINE, bootScriptSizeProblems, renderBootScript } from '../app/boot-script';
import { MutableStoreOptions, checkMutableStore } from '../app/mutable-store';
import { AppProfile, DatabaseConnection, MutableStoreConnection, RedisConnection, readinessPath } from '../app/profile';
import { EnvironmentSecret, SecretDeclaration, environmentSecrets } from '../app/secrets';
import { EnvironmentHosts, environmentHosts } from '../hosts';
import { EnvironmentName, boundedName } from '../naming';
import { ArtifactRegistryRepositoryIamMember, ServiceAccount, StorageBucket } from '../providers/google';
import { ProblemCollector } from '../validation';
import { ManagedCertificates } from './certificates';
import { CloudSqlPostgres } from './database';
import { GithubDeployIdentity } from './deploy-identity';
import { PrivateDns, PublicDns } from './dns';
import { InstanceGroup } from './instance-group';
import { EnvironmentIdentity, GCS_HMAC_KEYS, cloudSqlPools, dataRegion, environmentMutableStore, environmentRedis, environmentStorage, servePublicHosts } from './environment-kit';
import { StorageHmacCredentials } from './storage-credentials';
import { HttpsLoadBalancer } from './load-balancer';
import { Network } from './network';
import { gcpPatternProblems } from './pattern-props';
import { RULES, checkRules } from '../rules';
import { MemorystoreRedis } from './redis';
import { ContainerRegistry } from './registry';
import { Secret } from './secrets';
import { ServerBuckets } from './storage';
import { zonesOf } from './zones';
import { literalStrings } from '../terraform-strings';

/** Sizes of one environment. */
export interface GcpEnvironmentSize {
  /** @default 'e2-micro' */
  readonly machineType?: string;
  /** @default 1 */
  readonly minInstances?: number;
  /** @default 2 */
  readonly maxInstances?: number;
  /** @default 60 */
  readonly cpuTargetPercent?: number;
  /** @default 'db-f1-micro' */
  readonly databaseTier?: string;
  /** `REGIONAL` keeps a standby in a second zone (about twice the database cost). @default 'ZONAL' */
  readonly databaseAvailability?: 'ZONAL' | 'REGIONAL';
  /**
   * The database's `max_connections` flag. The servers' pools are sized to fit the limit (the tier's default
   * without this).
   * @default - Cloud SQL's default for the tier
   */
  readonly databaseMaxConnections?: number;
  /** @default 1 */
  readonly redisMemoryGb?: number;
  /** @default - true for production, false for staging */
  readonly deletionProtection?: boolean;
  /**
   * Cloud SQL's `database_version`. Raising it upgrades the instance in place (same name, address and data; the
   * database is down for the upgrade); Cloud SQL cannot go back down.
   * @default 'POSTGRES_16'
   */
  readonly databaseVersion?: string;
}

export interface GcpRedisOptions {
  /** @default 'BASIC' */
  readonly tier?: 'BASIC' | 'STANDARD_HA';
  /** TLS to Redis; the server must trust Memorystore's CA (docs/cluster-gcp.md). @default false */
  readonly transitEncryption?: boolean;
}

export interface GcpStorageOptions {
  /**
   * `project`: `<gcp project>-<prefix>-<environment>-public` / `-private`, usable at once. `domain`: Serverpod's
   * names (`storage.example.com`, `private-storage.example.com`), which GCP creates only once the domain is
   * verified for the deploying account in Search Console.
   * @default 'project'
   */
  readonly bucketNaming?: 'project' | 'domain';
  /** @default - the cluster's region */
  readonly location?: string;
  /** Cloud CDN in front of the public bucket. @default false */
  readonly cdn?: boolean;
  /**
   * Accept the object ACLs uploads carry: Serverpod's `GoogleCloudStorage` up to 3.3 and `NativeGoogleCloudStorage`
   * send them (see `ServerBuckets.objectAcls`). @default false - uniform bucket-level access
   */
  readonly objectAcls?: boolean;
}

export interface GcpServerClusterProps {
  readonly project: string;
  readonly region: string;
  /** Prefix of every resource name (`serverpod` gives `serverpod-production-database`). */
  readonly namePrefix: string;
  /** The domain the hosts live under. */
  readonly domain: string;
  /** What runs on the servers. */
  readonly profile: AppProfile;
  /** The repository the servers pull from; each environment runs the tag named after it. */
  readonly registry: ContainerRegistry;
  /** The environments and their sizes; production is required. */
  readonly environments: Partial<Record<EnvironmentName, GcpEnvironmentSize>>;
  /** Create Cloud SQL for each environment. @default - when the profile uses a database */
  readonly database?: boolean;
  /** Memorystore per environment. @default - no Redis */
  readonly redis?: GcpRedisOptions;
  /** Public and private buckets per environment, the public one at `storage.`; `false` for none. @default {} */
  readonly storage?: GcpStorageOptions | false;
  /** Also serve production's web port at the bare domain. @default false */
  readonly webOnTopDomain?: boolean;
  /**
   * One mutable store per environment that all its servers share, for a profile with `mutableData` (Perseus with
   * revalidation or incremental generation). Without it each server keeps its own on its disk, which is fastest
   * but lets pages differ between servers until each regenerates them (a synth warning when an environment may
   * run more than one). `bucket`: a private bucket; `redis`: the environment's Memorystore; `postgres`: the
   * environment's Cloud SQL. The profile receives its location (`RuntimeContext.mutableStore`).
   * @default - each server's own disk
   */
  readonly mutableStore?: MutableStoreOptions;
  /**
   * Further passwords and secrets the server reads, by key, each environment its own: `generated` (random
   * letters and digits) or `empty` (for you to fill: `printf '%s' "$VALUE" | gcloud secrets versions add
   * <project>-<environment>-<key-in-kebab-case> --data-file=-`; servers retry their boot until it has a value).
   * They reach the server as `SERVERPOD_PASSWORD_<key>` (the profile's name for the key) unless `variable`
   * says otherwise. A key the profile generates (`serviceSecret`) is replaced by your declaration.
   * @default {}
   */
  readonly secrets?: Readonly<Record<string, SecretDeclaration>>;
  /**
   * Servers apply pending database migrations as they start, for a profile that can (Serverpod:
   * `SERVERPOD_APPLY_MIGRATIONS=true`; concurrent servers wait on Serverpod's advisory lock). `false` leaves
   * migrations to your own pipeline.
   * @default true
   */
  readonly applyMigrations?: boolean;
  /** Cloud CDN in front of the web backends (caches what the server marks cacheable). @default true */
  readonly webCdn?: boolean;
  /** Request and WebSocket timeout at the load balancer, in seconds. @default 3600 */
  readonly backendTimeoutSec?: number;
  /** Run each group in this zone instead of across the region. @default - regional groups */
  readonly zone?: string;
  /**
   * The zones the regional groups spread over, each a zone of `region` (`GCP_ZONES`); a rolling update adds one
   * instance per zone. Fixed when a group is created (`InstanceGroupProps.zones`).
   * @default - the region's first three zones
   */
  readonly zones?: readonly string[];
  /** Existing Cloud DNS zone for the domain. @default - a new public zone */
  readonly dnsZoneName?: string;
  /**
   * The VPC's private services range (Cloud SQL, Memorystore), or `auto` for Google's pick; fixed once created
   * (`NetworkProps.privateServicesRange`).
   * @default '10.100.0.0/16'
   */
  readonly privateServicesRange?: string;
  /** Cloud NAT for outbound internet access. @default true */
  readonly nat?: boolean;
  /** SSH through Identity-Aware Proxy (with OS Login). @default true */
  readonly iapSsh?: boolean;
  /** Create a keyless deploy identity for this GitHub repository (`owner/name`). @default - none */
  readonly githubRepository?: string;
  /** Refs of that repository allowed to deploy. @default DEFAULT_DEPLOY_REFS */
  readonly githubRefs?: readonly string[];
  /** Resources that must exist first (project APIs). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/** One environment's servers, data and names. */
export class GcpClusterEnvironment extends Construct {
  public readonly environment: EnvironmentName;
  public readonly hosts: EnvironmentHosts;
  public readonly serviceAccount: ServiceAccount;
  public readonly secrets: Readonly<Record<string, Secret>>;
  public readonly database?: CloudSqlPostgres;
  public readonly redis?: MemorystoreRedis;
  public readonly buckets?: ServerBuckets;
  /** The HMAC key pair for the buckets (Serverpod's GoogleCloudStorage), with storage. */
  public readonly storageCredentials?: StorageHmacCredentials;
  /** The shared mutable-store bucket, with `mutableStore.kind` bucket. */
  public readonly storeBucket?: StorageBucket;
  /** Where the servers find their shared mutable store, when there is one. */
  public readonly mutableStore?: MutableStoreConnection;
  public readonly privateDns: PrivateDns;
  /** `database.private-<env>.<domain>`, when there is a database. */
  public readonly databaseHost?: string;
  /** `redis.private-<env>.<domain>`, when there is Redis. */
  public readonly redisHost?: string;
  public readonly group: InstanceGroup;
  public readonly image: string;
  /** The database pool each server may open (Serverpod's maxConnectionCount), from the connection budget. */
  public readonly databasePoolSize?: number;

  constructor(
    scope: Construct,
    environment: EnvironmentName,
    props: GcpServerClusterProps & {
      readonly network: Network;
      readonly size: GcpEnvironmentSize;
      readonly serverTag: string;
      readonly environmentSecrets: readonly EnvironmentSecret[];
      /** The pool each server may open, from the environment's connection budget. */
      readonly databasePoolSize?: number;
    },
  ) {
    super(scope, environment);
    literalStrings(this);
    this.environment = environment;
    const { project, region, profile, size } = props;
    this.databasePoolSize = props.databasePoolSize;
    const prefix = `${props.namePrefix}-${environment}`;
    const storage = props.storage === false ? undefined : props.storage ?? {};
    this.hosts = environmentHosts(profile, props.domain, environment, { storage: storage !== undefined, webOnTopDomain: props.webOnTopDomain ?? false });
    this.image = props.registry.imageUri(profile.name, environment);

    const store = props.mutableStore;
    const database = ((props.database ?? profile.usesDatabase) && profile.usesDatabase) || store?.kind === 'postgres';
    const identity = new EnvironmentIdentity(this, {
      project,
      prefix,
      accountSuffix: 'vm',
      displayName: `${profile.name} servers (${environment})`,
      // Project-wide by nature: logs and metrics are written to the project, the only resource they have. No
      // Cloud SQL client role: the servers reach the database at its private IP with a password and TLS, never
      // through the Cloud SQL connector or Auth Proxy, the only clients that role is checked for.
      roles: ['roles/logging.logWriter', 'roles/monitoring.metricWriter'],
      secrets: props.environmentSecrets,
    });
    this.serviceAccount = identity.serviceAccount;
    const member = this.serviceAccount.member;
    new ArtifactRegistryRepositoryIamMember(this, 'RegistryReader', {
      project,
      // References, not the literal names: the grant must wait for the repository to exist.
      location: props.registry.repository.location,
      repository: props.registry.repository.repositoryId,
      role: 'roles/artifactregistry.reader',
      member,
    });

    const secrets = identity.secrets;
    const secret = identity.secret.bind(identity);

    this.privateDns = new PrivateDns(this, 'PrivateDns', {
      project,
      name: `${prefix}-private`,
      dnsName: privateZoneDomain(environment, props.domain),
      network: props.network.network.id,
    });

    let dbConnection: DatabaseConnection | undefined;
    if (database) {
      const password = secret('databasePassword', 'database-password');
      this.database = new CloudSqlPostgres(this, 'Database', {
        project,
        region: dataRegion('postgres', region, store),
        instanceName: `${prefix}-database`,
        databaseName: profile.usesDatabase ? undefined : 'store',
        network: props.network.network.id,
        dependsOn: [props.network.privateServicesConnection],
        password: secrets.databasePassword.password!.result,
        tier: size.databaseTier,
        availabilityType: size.databaseAvailability,
        maxConnections: size.databaseMaxConnections,
        deletionProtection: size.deletionProtection ?? environment === 'production',
        databaseVersion: size.databaseVersion,
      });
      this.databaseHost = this.privateDns.addARecord('database', this.database.privateIp);
      dbConnection = { host: this.databaseHost, name: this.database.databaseName, user: this.database.userName, password, requireSsl: true };
    }

    let redisConnection: RedisConnection | undefined;
    if (props.redis || store?.kind === 'redis') {
      const { redis, auth } = environmentRedis(this, identity, { project, prefix, network: props.network, region: dataRegion('redis', region, store), memorySizeGb: size.redisMemoryGb, options: props.redis });
      this.redis = redis;
      this.redisHost = this.privateDns.addARecord('redis', this.redis.host);
      // With TLS the server must connect to the IP: Memorystore's certificate names the IP, not our DNS name.
      redisConnection = { host: this.redis.transitEncryption ? this.redis.host : this.redisHost, port: this.redis.port, password: auth, requireSsl: this.redis.transitEncryption };
    }

    ({ bucket: this.storeBucket, connection: this.mutableStore } = environmentMutableStore(this, identity, { project, prefix, region, store, redis: redisConnection, database: dbConnection }));

    if (storage) {
      const naming = storage.bucketNaming ?? 'project';
      const storageHost = this.hosts.storage!;
      ({ buckets: this.buckets, credentials: this.storageCredentials } = environmentStorage(this, identity, {
        project,
        prefix,
        profile,
        hosts: this.hosts,
        location: storage.location ?? region,
        publicBucketName: naming === 'domain' ? storageHost : boundedName(`${project}-${prefix}-public`, 63),
        privateBucketName: naming === 'domain' ? `private-${storageHost}` : boundedName(`${project}-${prefix}-private`, 63),
        forceDestroy: false,
        objectAcls: storage.objectAcls,
      }));
    }

    const env = profile.containerEnvironment({
      runmode: environment,
      role: 'monolith',
      serverId: SERVER_ID_FROM_MACHINE,
      publicHosts: this.hosts.primary,
      database: dbConnection,
      redis: redisConnection,
      secrets: identity.declared,
      secretVariables: identity.variables,
      mutableStore: this.mutableStore,
      applyMigrations: (props.applyMigrations ?? true) && profile.appliesMigrations && dbConnection !== undefined,
      databasePoolSize: profile.databasePool?.configurable ? props.databasePoolSize : undefined,
    });
    const startupScript = renderBootScript({
      containerName: profile.name,
      image: this.image,
      environment: env,
      ports: profile.ports.map((p) => p.port),
      args: profile.args({ runmode: environment, role: 'monolith', serverId: SERVER_ID_FROM_MACHINE }),
      prelude: [
        // Container-Optimized OS has no gcloud: read tokens and secrets from the metadata server and the REST API.
        `export DOCKER_CONFIG=/run/${profile.name}/docker`,
        // Retries: at first boot the network, the metadata server or a fresh IAM grant may not be ready yet.
        "metadata() { curl -sf --retry 10 --retry-all-errors --retry-delay 3 -H 'Metadata-Flavor: Google' \"http://metadata.google.internal/computeMetadata/v1/$1\"; }",
        "gcp_token() { metadata instance/service-accounts/default/token | sed -n 's/.*\"access_token\" *: *\"\\([^\"]*\\)\".*/\\1/p'; }",
        'gcp_secret() { local data; data="$(curl -sf --retry 10 --retry-all-errors --retry-delay 3 -H "Authorization: Bearer $(gcp_token)" "https://secretmanager.googleapis.com/v1/projects/$1/secrets/$2/versions/latest:access" | tr -d \'\\n\' | sed -n \'s/.*"data" *: *"\\([^"]*\\)".*/\\1/p\')" && [ -n "$data" ] || { echo "secret $2 could not be read (missing, no value yet, or not readable by this server)" >&2; return 1; }; printf \'%s\' "$data" | base64 -d; }',
      ],
      serverIdCommand: 'metadata instance/name',
      secretCommand: (ref) => `gcp_secret ${project} ${ref.secret}`,
      registryLogin: [`gcp_token | docker login -u oauth2accesstoken --password-stdin https://${props.registry.host}`],
      dockerFlags: ['--log-driver=gcplogs'],
    });
    // Compute Engine takes at most 256 KiB in one metadata value; refused here, not at apply.
    const sizeProblems = new ProblemCollector('props.');
    bootScriptSizeProblems(sizeProblems, startupScript, env, { bytes: 256 * 1024, why: "Compute Engine's limit on one metadata value" });
    sizeProblems.throwIfAny(`GcpClusterEnvironment "${this.node.path}"`);
    this.group = new InstanceGroup(this, 'Servers', {
      project,
      region,
      namePrefix: prefix,
      profile,
      subnetwork: props.network.subnet.id,
      serviceAccountEmail: this.serviceAccount.email,
      startupScript,
      tags: [props.serverTag],
      machineType: size.machineType,
      minInstances: size.minInstances,
      maxInstances: size.maxInstances,
      cpuTargetPercent: size.cpuTargetPercent,
      zone: props.zone,
      zones: props.zones,
      labels: { environment },
      // Instances read their secrets at boot and connect to the database by its private name: on a first apply,
      // start them once the values, the grants, the database with its user and the private records exist, or they
      // fail their health checks and are recreated until then.
      dependsOn: [
        ...Object.values(secrets).flatMap((s) => s.readyToRead),
        ...(this.database ? [this.database.instance, this.database.database, this.database.user] : []),
        ...this.privateDns.records,
      ],
    });
    this.secrets = secrets;
  }
}

/**
 * Serverpod's server cluster on GCP: one network, a Compute Engine group per environment with its own Cloud
 * SQL, optional Memorystore, buckets and secrets, and one HTTPS load balancer with managed certificates and
 * DNS for every environment's hosts. Optionally a keyless deploy identity for GitHub Actions.
 */
export class GcpServerCluster extends Construct {
  /**
   * The Google APIs this pattern's resources need, to enable on the project before the first apply (the bundled
   * stacks enable them with `ProjectServices`; a missing one fails only at apply).
   */
  public static readonly REQUIRED_APIS: readonly string[] = [
    'artifactregistry.googleapis.com',
    'certificatemanager.googleapis.com',
    'dns.googleapis.com',
    'cloudresourcemanager.googleapis.com',
    'compute.googleapis.com',
    'servicenetworking.googleapis.com',
    'sqladmin.googleapis.com',
    'redis.googleapis.com',
    'secretmanager.googleapis.com',
    'iam.googleapis.com',
    'iamcredentials.googleapis.com',
    'sts.googleapis.com',
    'logging.googleapis.com',
    'monitoring.googleapis.com',
    // On by default in a new project, but a project may have it off: the buckets and HMAC keys need it.
    'storage.googleapis.com',
  ];

  public readonly network: Network;
  public readonly environments: Readonly<Partial<Record<EnvironmentName, GcpClusterEnvironment>>>;
  public readonly certificates: ManagedCertificates;
  public readonly loadBalancer: HttpsLoadBalancer;
  public readonly dns: PublicDns;
  public readonly deployIdentity?: GithubDeployIdentity;

  constructor(scope: Construct, id: string, props: GcpServerClusterProps) {
    super(scope, id);
    literalStrings(this);
    const problems = new ProblemCollector('props.');
    gcpPatternProblems(problems, props, this);
    checkRules(problems, { zone: [props.zone, RULES.gcpZone] });
    problems.check(props.environments.production !== undefined, 'environments', Object.keys(props.environments), 'production, optionally with staging');
    problems.check(props.profile.supportsRole('monolith'), 'profile', props.profile.name, 'a profile that supports the monolith role');
    const maxInstances = Math.max(...Object.values(props.environments).map((e) => e?.maxInstances ?? 2));
    checkMutableStore(this, problems, { profile: props.profile, filesystem: 'writable', serverRegion: props.region, store: props.mutableStore, maxInstances });
    const secrets = environmentSecrets(props.profile, props.secrets, problems, 'secrets', props.storage === false ? [] : GCS_HMAC_KEYS);
    const pools = cloudSqlPools(this, problems, {
      profile: props.profile,
      database: props.database,
      environments: props.environments,
      // A rolling update adds one instance per zone of the group (InstanceGroup.maxSurge).
      consumers: (size) => [{ name: 'servers', processes: (size.maxInstances ?? 2) + (props.zone ? 1 : props.zones?.length ?? Math.min(3, zonesOf(props.region).length)) }],
    });
    problems.throwIfAny(`GcpServerCluster "${this.node.path}"`);

    const serverTag = `${props.namePrefix}-server`;
    this.network = new Network(this, 'Network', {
      project: props.project,
      region: props.region,
      namePrefix: props.namePrefix,
      serverPorts: props.profile.ports.map((p) => p.port),
      serverTag,
      privateServicesRange: props.privateServicesRange,
      nat: props.nat,
      iapSsh: props.iapSsh,
      dependsOn: props.dependsOn,
    });

    const environments: Partial<Record<EnvironmentName, GcpClusterEnvironment>> = {};
    for (const name of ['production', 'staging'] as const) {
      const size = props.environments[name];
      if (size) environments[name] = new GcpClusterEnvironment(this, name, { ...props, network: this.network, size, serverTag, environmentSecrets: secrets, databasePoolSize: pools[name]?.servers });
    }
    this.environments = environments;
    const envs = Object.values(environments) as GcpClusterEnvironment[];

    this.dns = new PublicDns(this, 'Dns', { project: props.project, domain: props.domain, existingZoneName: props.dnsZoneName, namePrefix: props.namePrefix });
    const webCdn = props.webCdn ?? true;
    const front = servePublicHosts(this, {
      project: props.project,
      namePrefix: props.namePrefix,
      profile: props.profile,
      environments: envs.map((e) => ({ environment: e.environment, hosts: e.hosts, publicBucketName: e.buckets?.publicBucket.name })),
      routeFor: (env, port, key) => ({
        key,
        hosts: env.hosts.byPort[port.name],
        instanceGroup: environments[env.environment]!.group.instanceGroup,
        portName: port.name,
        port: port.port,
        healthCheck: { ...props.profile.healthCheck, path: readinessPath(props.profile, port) },
        cdn: port.name === 'web' && webCdn,
      }),
      storageCdn: props.storage ? props.storage.cdn : false,
      backendTimeoutSec: props.backendTimeoutSec,
      dns: this.dns,
    });
    this.certificates = front.certificates;
    this.loadBalancer = front.loadBalancer;

    if (props.githubRepository) {
      this.deployIdentity = new GithubDeployIdentity(this, 'GithubDeploy', {
        project: props.project,
        namePrefix: props.namePrefix,
        repository: props.githubRepository,
        refs: props.githubRefs,
        registry: { location: props.registry.repository.location, repositoryId: props.registry.repository.repositoryId },
        // The workflow's `rolling-action replace` reads each group and patches its update policy and versions
        // (compute.instanceGroupManagers.get/update); the patch names the group's template again, hence use of
        // the environment's templates; gcloud then polls the patch's operation. Nothing else in the project.
        grants: [
          {
            id: 'rollGroups',
            title: 'Roll the server groups',
            permissions: ['compute.instanceGroupManagers.get', 'compute.instanceGroupManagers.update', 'compute.instanceTemplates.useReadOnly'],
            resources: envs.flatMap((e) => [e.group.managerResourceName, `${e.group.templateResourceNamePrefix}*`]),
          },
          {
            id: 'readOperations',
            title: 'Follow deploy operations',
            // Operations have no name IAM Conditions know; reading them changes nothing.
            permissions: [...new Set(envs.map((e) => (e.group.zonal ? 'compute.zoneOperations.get' : 'compute.regionOperations.get')))],
          },
        ],
        // Replaced instances run as the environments' service accounts.
        actAs: envs.map((e) => e.serviceAccount.email),
      });
    }
  }
}

/**
 * The private zone's domain, `private-<env>.<domain>`; for a domain so long that `database.` names under it would pass
 * DNS's 253 characters, the same under the domain's longest parent that fits (only the VPC resolves these names).
 */
export function privateZoneDomain(environment: EnvironmentName, domain: string): string {
  const labels = domain.split('.');
  const fits = (i: number) => `database.private-${environment}.${labels.slice(i).join('.')}`.length <= 253;
  let i = 0;
  while (i < labels.length - 1 && !fits(i)) i++;
  return `private-${environment}.${labels.slice(i).join('.')}`;
}
