import { Construct } from 'constructs';
import { Annotations, ITerraformDependable } from 'cdktf';
import { SERVER_ID_FROM_MACHINE, bootScriptSizeProblems, renderBootScript, shellQuote } from '../app/boot-script';
import { imageReferenceProblem, imageRegistryHost, imageRegistryKind } from '../app/image';
import { MutableStoreOptions, checkMutableStore } from '../app/mutable-store';
import { rendersPagesPerRequest } from '../app/perseus';
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
import { InstanceGroup, rollingSurge } from './instance-group';
import { EnvironmentIdentity, GCS_HMAC_KEYS, cloudSqlPools, dataRegion, deployIdentityOutputs, environmentDataOutputs, environmentMutableStore, environmentRedis, environmentStorage, servePublicHosts } from './environment-kit';
import { StorageHmacCredentials } from './storage-credentials';
import { HttpsLoadBalancer } from './load-balancer';
import { ExistingNetwork, ExistingNetworkOptions, Network, NetworkRef, existingNetworkProblems } from './network';
import { gcpPatternProblems } from './pattern-props';
import { RULES, checkRules } from '../rules';
import { MemorystoreRedis } from './redis';
import { ContainerRegistry } from './registry';
import { Secret } from './secrets';
import { ServerBuckets } from './storage';
import { zonesOf } from './zones';
import { literalStrings } from '../terraform-strings';
import { PatternOutputs, outputWriter, outputsProblems } from '../outputs';
import { serverpodConfigYaml } from '../serverpod-config';
import { markEnvironment } from '../model/environment';
import { suppressGuardrails } from '../guardrails/suppress';

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

/** Memorystore for each environment (`GcpServerClusterProps.redis`). */
export interface GcpRedisOptions {
  /** @default 'BASIC' */
  readonly tier?: 'BASIC' | 'STANDARD_HA';
  /** TLS to Redis; the server must trust Memorystore's CA (docs/cluster-gcp.md). @default false */
  readonly transitEncryption?: boolean;
}

/** Each environment's public and private buckets (`GcpServerClusterProps.storage`). */
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

/** Props of `GcpServerCluster`. */
export interface GcpServerClusterProps {
  /** The GCP project id. */
  readonly project: string;
  /** The region the servers and their data run in. */
  readonly region: string;
  /** Prefix of every resource name (`serverpod` gives `serverpod-production-database`). */
  readonly namePrefix: string;
  /** The domain the hosts live under. */
  readonly domain: string;
  /** What runs on the servers. */
  readonly profile: AppProfile;
  /** The repository the servers pull from; each environment runs the tag named after it. */
  readonly registry: ContainerRegistry;
  /**
   * An image from elsewhere, run instead of `registry`'s in every environment: a full reference with a tag or digest
   * (`ghcr.io/my-org/server:1.2`, `docker.io/library/nginx:1.27`). The servers log in to an Artifact Registry host with
   * their own identity (grant it `roles/artifactregistry.reader` on a repository of another project) and pull from any
   * other anonymously, through Cloud NAT, so the image must be public there. Terraform then owns the version: change the
   * reference and apply, and the groups roll to it.
   * @default - `registry`'s image, tagged with the environment
   */
  readonly image?: string;
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
   * environment's Cloud SQL. The profile receives its location (`RuntimeContext.mutableStore`); Perseus uses it
   * only through the app's own `MutableStore` (docs/perseus.md), a synth warning until the profile says so.
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
  /**
   * Cloud CDN in front of the web backends. It keys its cache by URL, never by cookie, and stores only responses
   * marked `public` (docs/perseus.md, "Caching and the CDN"). Off by default for a Perseus profile whose pages are
   * rendered per request (`PerseusProfile.rendersPerRequest`): one visitor's page must never reach another. Turned
   * on for such a profile, it is a synth warning: those templates must send `Cache-Control: private`.
   * @default - true; false for a Perseus profile that renders pages per request
   */
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
  /** An existing Cloud DNS zone (its name) that holds the domain. @default - a new public zone */
  readonly dnsZone?: string;
  /**
   * The earlier name of `dnsZone`.
   * @deprecated use `dnsZone`, the name both clouds' patterns share
   * @default - `dnsZone`
   */
  readonly dnsZoneName?: string;
  /**
   * The VPC's private services range (Cloud SQL, Memorystore), or `auto` for Google's pick; fixed once created
   * (`NetworkProps.privateServicesRange`).
   * @default '10.100.0.0/16'
   */
  readonly privateServicesRange?: string;
  /**
   * Cloud NAT for outbound internet access; with `existingNetwork`, a Cloud Router and NAT for its subnet only.
   * @default - true for a new network; false with existingNetwork (it may have a NAT of its own)
   */
  readonly nat?: boolean;
  /** SSH through Identity-Aware Proxy (with OS Login). @default true */
  readonly iapSsh?: boolean;
  /**
   * Run in a VPC network someone else owns instead of creating one (`ExistingNetwork`): its subnet (required, in
   * `region`, with Private Google Access) holds the servers, and Cloud SQL and Memorystore take private IPs from its
   * private services access, which must exist unless `privateServicesAccess: 'create'`. Only the servers' firewall
   * rules are added to it (and a NAT with `nat: true`). docs/cluster-gcp.md lists what the network must have.
   * @default - a new network (`Network`)
   */
  readonly existingNetwork?: ExistingNetworkOptions;
  /** Create a keyless deploy identity for this GitHub repository (`owner/name`). @default - none */
  readonly githubRepository?: string;
  /** Refs of that repository allowed to deploy. @default DEFAULT_DEPLOY_REFS */
  readonly githubRefs?: readonly string[];
  /** Resources that must exist first (project APIs). @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** Terraform outputs for what comes next (URLs, load balancer IP, database, Serverpod config). @default {} */
  readonly outputs?: PatternOutputs | false;
}

/** One environment's servers, data and names. */
export class GcpClusterEnvironment extends Construct {
  /** The environment's name. */
  public readonly environment: EnvironmentName;
  /** Its public hosts. */
  public readonly hosts: EnvironmentHosts;
  /** The servers' service account. */
  public readonly serviceAccount: ServiceAccount;
  /** Its secrets by key, the database password and Redis AUTH string among them. */
  public readonly secrets: Readonly<Record<string, Secret>>;
  /** Its Cloud SQL, when there is a database. */
  public readonly database?: CloudSqlPostgres;
  /** Its Memorystore, with `redis`. */
  public readonly redis?: MemorystoreRedis;
  /** Its public and private buckets, with storage. */
  public readonly buckets?: ServerBuckets;
  /** The HMAC key pair for the buckets (Serverpod's GoogleCloudStorage), with storage. */
  public readonly storageCredentials?: StorageHmacCredentials;
  /** The shared mutable-store bucket, with `mutableStore.kind` bucket. */
  public readonly storeBucket?: StorageBucket;
  /** Where the servers find their shared mutable store, when there is one. */
  public readonly mutableStore?: MutableStoreConnection;
  /** The private zone the servers find the database and Redis in. */
  public readonly privateDns: PrivateDns;
  /** `database.private-<env>.<domain>`, when there is a database. */
  public readonly databaseHost?: string;
  /** `redis.private-<env>.<domain>`, when there is Redis. */
  public readonly redisHost?: string;
  /** The servers. */
  public readonly group: InstanceGroup;
  /** The image the servers run. */
  public readonly image: string;
  /** The database pool each server may open (Serverpod's maxConnectionCount), from the connection budget. */
  public readonly databasePoolSize?: number;

  constructor(
    scope: Construct,
    environment: EnvironmentName,
    props: GcpServerClusterProps & {
      readonly network: NetworkRef;
      readonly size: GcpEnvironmentSize;
      readonly serverTag: string;
      readonly environmentSecrets: readonly EnvironmentSecret[];
      /** The pool each server may open, from the environment's connection budget. @default - the server's own default */
      readonly databasePoolSize?: number;
    },
  ) {
    super(scope, environment);
    markEnvironment(this, environment);
    literalStrings(this);
    this.environment = environment;
    const { project, region, profile, size } = props;
    this.databasePoolSize = props.databasePoolSize;
    const prefix = `${props.namePrefix}-${environment}`;
    const storage = props.storage === false ? undefined : props.storage ?? {};
    this.hosts = environmentHosts(profile, props.domain, environment, { storage: storage !== undefined, webOnTopDomain: props.webOnTopDomain ?? false });
    this.image = props.image ?? props.registry.imageUri(profile.name, environment);
    // The VM's token opens any Artifact Registry host; other registries are pulled from without logging in.
    const loginHost = props.image === undefined ? undefined : imageRegistryKind(props.image) === 'artifact-registry' ? imageRegistryHost(props.image) : undefined;

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
      network: props.network.networkId,
    });

    let dbConnection: DatabaseConnection | undefined;
    if (database) {
      const password = secret('databasePassword', 'database-password');
      this.database = new CloudSqlPostgres(this, 'Database', {
        project,
        region: dataRegion('postgres', region, store),
        instanceName: `${prefix}-database`,
        databaseName: profile.usesDatabase ? undefined : 'store',
        network: props.network.networkId,
        dependsOn: [...props.network.privateServicesReady],
        password: secrets.databasePassword.password!.result,
        tier: size.databaseTier,
        diskSizeGb: size.databaseStorageGb,
        availabilityType: size.databaseAvailability,
        maxConnections: size.databaseMaxConnections,
        deletionProtection: size.deletionProtection ?? environment === 'production',
        databaseVersion: size.databaseVersion,
      });
      // The props checks accept acknowledgeDataLoss only beside deletionProtection: false; the rule checks production only.
      if (size.acknowledgeDataLoss !== undefined && environment === 'production') {
        suppressGuardrails(this.database.instance, [
          { rule: 'GCP-SQL-DELETION-PROTECTION', reason: `deletion protection turned off with acknowledgeDataLoss: ${size.acknowledgeDataLoss}`, attributes: ['deletion_protection'] },
        ]);
      }
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
      registryLogin:
        props.image === undefined
          ? [`gcp_token | docker login -u oauth2accesstoken --password-stdin https://${props.registry.host}`]
          : loginHost === undefined
            ? []
            : [`gcp_token | docker login -u oauth2accesstoken --password-stdin ${shellQuote(`https://${loginHost}`)}`],
      // Files Container-Optimized OS's logging agent ships (google-logging-enabled), not the gcplogs driver, which
      // pings Cloud Logging when a container starts and fails the start (at boot, or a restart after a crash) while
      // it is out of reach. Rotated: the boot disk keeps at most 50 MB of them.
      dockerFlags: ['--log-driver=json-file', '--log-opt max-size=10m', '--log-opt max-file=5'],
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
      subnetwork: props.network.subnetId!,
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
 *
 * @example
 * ```ts
 * import { App, TerraformOutput, TerraformStack } from 'cdktf';
 * import { GoogleProvider, RandomProvider, gcp, serverpodProfile } from 'cdktf-serverpod';
 *
 * const app = new App();
 * const stack = new TerraformStack(app, 'cluster');
 * new GoogleProvider(stack, 'google', { project: 'my-project', region: 'us-east1' });
 * new RandomProvider(stack, 'random'); // the generated passwords
 * // The APIs the pattern needs, and every Google resource waiting for them on a first apply.
 * const apis = new gcp.ProjectServices(stack, 'apis', { project: 'my-project', services: gcp.GcpServerCluster.REQUIRED_APIS });
 * gcp.WaitForApis.apply(stack, apis);
 * const registry = new gcp.ContainerRegistry(stack, 'images', { project: 'my-project', location: 'us-east1', repositoryId: 'mypod-images' });
 * const cluster = new gcp.GcpServerCluster(stack, 'cluster', {
 *   project: 'my-project',
 *   region: 'us-east1',
 *   namePrefix: 'mypod',
 *   domain: 'mypod.dev',
 *   profile: serverpodProfile({ name: 'mypod' }),
 *   registry, // each environment runs the tag named after it: mypod:production, mypod:staging
 *   environments: { production: { machineType: 'e2-small', maxInstances: 4 }, staging: {} },
 *   redis: {},
 *   githubRepository: 'my-org/mypod', // a keyless deploy identity for GitHub Actions
 * });
 * new TerraformOutput(stack, 'ip', { value: cluster.loadBalancer.ipAddress });
 * app.synth();
 * ```
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

  /** The VPC every environment shares: a `Network` created, or the `ExistingNetwork` joined. */
  public readonly network: NetworkRef;
  /** Each environment's servers and data. */
  public readonly environments: Readonly<Partial<Record<EnvironmentName, GcpClusterEnvironment>>>;
  /** One managed certificate per host. */
  public readonly certificates: ManagedCertificates;
  /** The HTTPS load balancer in front of every environment. */
  public readonly loadBalancer: HttpsLoadBalancer;
  /** The public zone with every host's A record. */
  public readonly dns: PublicDns;
  /** The GitHub Actions deploy identity, with `githubRepository`. */
  public readonly deployIdentity?: GithubDeployIdentity;

  constructor(scope: Construct, id: string, props: GcpServerClusterProps) {
    super(scope, id);
    literalStrings(this);
    const problems = new ProblemCollector('props.');
    gcpPatternProblems(problems, props, this);
    checkRules(problems, { zone: [props.zone, RULES.gcpZone] });
    if (props.image !== undefined) {
      const imageProblem = imageReferenceProblem(props.image);
      problems.check(imageProblem === undefined, 'image', props.image, imageProblem ?? '');
      problems.check(
        // An existing network may reach the internet through a NAT of its own.
        imageProblem !== undefined || props.nat !== false || props.existingNetwork !== undefined || imageRegistryKind(props.image) === 'artifact-registry',
        'image',
        props.image,
        "an image in Artifact Registry (<location>-docker.pkg.dev or gcr.io) with nat: false (without Cloud NAT the servers reach only Google's APIs), or nat: true",
      );
    }
    if (props.existingNetwork) {
      existingNetworkProblems(problems, props.existingNetwork, { project: props.project, region: props.region, field: 'existingNetwork.' });
      problems.check(props.existingNetwork.subnet !== undefined, 'existingNetwork.subnet', props.existingNetwork.subnet, `the subnet in ${props.region} the servers take their addresses from`);
      problems.check(
        props.privateServicesRange === undefined || props.existingNetwork.privateServicesAccess === 'create',
        'privateServicesRange',
        props.privateServicesRange,
        "none with existingNetwork, unless existingNetwork.privateServicesAccess is create (the network's own private services access is used)",
      );
    }
    outputsProblems(problems, props.outputs);
    problems.check(props.environments.production !== undefined, 'environments', Object.keys(props.environments), 'production, optionally with staging');
    problems.check(props.profile.supportsRole('monolith'), 'profile', props.profile.name, 'a profile that supports the monolith role');
    const maxInstances = Math.max(...Object.values(props.environments).map((e) => e?.maxInstances ?? 2));
    checkMutableStore(this, problems, { profile: props.profile, filesystem: 'writable', serverRegion: props.region, store: props.mutableStore, maxInstances });
    // A string such as "false" would be truthy: only a boolean is a choice.
    problems.check(props.webCdn === undefined || typeof props.webCdn === 'boolean', 'webCdn', props.webCdn, 'true or false');
    const secrets = environmentSecrets(props.profile, props.secrets, problems, 'secrets', props.storage === false ? [] : GCS_HMAC_KEYS);
    const pools = cloudSqlPools(this, problems, {
      profile: props.profile,
      database: props.database,
      environments: props.environments,
      // A rolling update adds instances beside the running ones (InstanceGroup.maxSurge).
      consumers: (size) => [{ name: 'servers', processes: (size.maxInstances ?? 2) + rollingSurge(props.zone, props.zones ?? zonesOf(props.region).slice(0, 3)) }],
    });
    problems.throwIfAny(`GcpServerCluster "${this.node.path}"`);

    const serverTag = `${props.namePrefix}-server`;
    const networkProps = {
      project: props.project,
      region: props.region,
      namePrefix: props.namePrefix,
      serverPorts: props.profile.ports.map((p) => p.port),
      serverTag,
      privateServicesRange: props.privateServicesRange,
      nat: props.nat,
      iapSsh: props.iapSsh,
      dependsOn: props.dependsOn,
    };
    this.network = props.existingNetwork ? new ExistingNetwork(this, 'Network', { ...props.existingNetwork, ...networkProps }) : new Network(this, 'Network', networkProps);

    const environments: Partial<Record<EnvironmentName, GcpClusterEnvironment>> = {};
    for (const name of ['production', 'staging'] as const) {
      const size = props.environments[name];
      if (size) environments[name] = new GcpClusterEnvironment(this, name, { ...props, network: this.network, size, serverTag, environmentSecrets: secrets, databasePoolSize: pools[name]?.servers });
    }
    this.environments = environments;
    const envs = Object.values(environments) as GcpClusterEnvironment[];

    this.dns = new PublicDns(this, 'Dns', { project: props.project, domain: props.domain, existingZoneName: props.dnsZone ?? props.dnsZoneName, namePrefix: props.namePrefix });
    const perRequest = rendersPagesPerRequest(props.profile);
    const webCdn = props.webCdn ?? !perRequest;
    if (webCdn && perRequest) {
      Annotations.of(this).addWarning(
        `GcpServerCluster: Cloud CDN is on (webCdn) in front of "${props.profile.name}", whose pages are rendered per request (request state, or global state generated at request time), and it keys its cache by URL, never by cookie. ` +
          "It stores only responses marked public, which Perseus' default Cache-Control (max-age=300) is not; so no template that renders per request may send public: " +
          'send Cache-Control: private from its set_headers, or set webCdn: false (docs/perseus.md, "Caching and the CDN").',
      );
    }
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
    this.writeOutputs(props);
  }

  private writeOutputs(props: GcpServerClusterProps): void {
    const out = outputWriter(this, props.outputs);
    out('load_balancer_ip', this.loadBalancer.ipAddress, 'The one IP address every host points at');
    if (this.dns.zone) out('dns_name_servers', this.dns.zone.nameServers, 'Point your registrar at these');
    for (const env of Object.values(this.environments)) {
      if (!env) continue;
      const e = env.environment;
      for (const [port, hosts] of Object.entries(env.hosts.byPort)) out(`${e}_${port}_url`, `https://${hosts[0]}/`, `${e}: the ${port} server`);
      if (env.hosts.storage) out(`${e}_storage_url`, `https://${env.hosts.storage}/`, `${e}: the public bucket`);
      out(`${e}_instance_group`, env.group.groupName, `${e}: roll it with gcloud compute instance-groups managed rolling-action replace`);
      out(`${e}_service_account`, env.serviceAccount.email, `${e}: the servers' identity`);
      environmentDataOutputs(out, e, env);
      if (env.database) out(`${e}_database_private_ip`, env.database.privateIp, `${e}: Cloud SQL private IP`);
      if (env.redis) out(`${e}_redis_host`, env.redis.host, `${e}: Memorystore private IP`);
      if (props.profile.framework !== 'serverpod') continue;
      out(
        `${e}_serverpod_config`,
        serverpodConfigYaml({
          hosts: env.hosts,
          database: env.database && env.databaseHost ? { host: env.databaseHost, requireSsl: true, maxConnectionCount: env.databasePoolSize } : undefined,
          redis: env.redis && env.redisHost ? { host: env.redis.transitEncryption ? env.redis.host : env.redisHost, port: env.redis.port, requireSsl: env.redis.transitEncryption } : undefined,
        }),
        `${e}: the settings of config/${e}.yaml (the server also receives them as environment variables)`,
      );
    }
    deployIdentityOutputs(out, this.deployIdentity);
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
