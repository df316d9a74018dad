import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { SERVER_ID_FROM_MACHINE, bootScriptSizeProblems } from '../app/boot-script';
import { imageProblems } from '../app/image';
import { MutableStoreOptions, checkMutableStore } from '../app/mutable-store';
import { AppProfile, MutableStoreConnection, RuntimeContext, SecretRef, readinessPath } from '../app/profile';
import { SecretDeclaration, environmentSecrets } from '../app/secrets';
import { REDIS_WITHOUT_AUTH } from '../app/serverpod';
import { environmentPools } from '../app/connection-budget';
import { rdsMaxConnections } from './rds-limits';
import { EnvironmentHosts, appOrigins, environmentHosts, inZone } from '../hosts';
import { ENVIRONMENT_NAMES, EnvironmentName, resourceName } from '../naming';
import { RULES, checkRules, dataLossProblems } from '../rules';
import { CloudwatchLogGroup, SecretsmanagerSecret } from '../providers/aws';
import { ProblemCollector } from '../validation';
import { PrivateBucket } from './bucket';
import { StorageAccessKey } from './storage-credentials';
import { BucketDistribution, LoadBalancerDistribution } from './cdn';
import {
  Architecture,
  CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST,
  CLOUDFRONT_ZONE_ID,
  PREFIX_LIST_ID,
  WEB_VIA,
  WebVia,
  cloudFrontOriginFacingPrefixListId,
  fitName,
} from './common';
import { AliasRecord, DnsZone } from './dns';
import { InstanceRole } from './instance-role';
import { AppLoadBalancer } from './load-balancer';
import { NetworkRef } from './network';
import { PostgresDatabase, PostgresDatabaseProps } from './database';
import { REDIS_ENGINE_VERSION, REDIS_ENGINE_VERSION_RULE, RedisCache, RedisCacheProps } from './redis';
import { ContainerRepository } from './registry';
import { SecretLocation, awsBootScript } from './boot';
import { ServerGroup } from './server-group';
import { lazyLiteral, literalStrings } from '../terraform-strings';
import { markEnvironment } from '../model/environment';
import { suppressGuardrails } from '../guardrails/suppress';

/** Database settings a cluster passes through; the cluster fills in names, network and access. */
export type ClusterDatabaseOptions = Omit<PostgresDatabaseProps, 'identifier' | 'vpcId' | 'subnetIds' | 'clientSecurityGroupIds'> & {
  /**
   * Why production's database may go without deletion protection: required beside `deletionProtection: false` in
   * production, so the opt-out is never a stray `false`. Shown in errors only.
   * @default - none
   */
  readonly acknowledgeDataLoss?: string;
};
/** Redis settings a cluster passes through. */
export type ClusterRedisOptions = Omit<RedisCacheProps, 'replicationGroupId' | 'vpcId' | 'subnetIds' | 'clientSecurityGroupIds'>;

/** Serverpod's password keys of the access-key pair its `S3CloudStorage` reads. */
export const S3_ACCESS_KEYS = ['AWSAccessKeyId', 'AWSSecretKey'] as const;

/** Logical secret name of the database password (RDS-managed). */
export const DATABASE_PASSWORD_SECRET = 'database-password';

/** Props of `ServerCluster`: one environment, given what environments share. */
export interface ServerClusterProps {
  /** The server to run. It must support the `monolith` role. */
  readonly profile: AppProfile;
  /** Project name, the first part of every resource name. */
  readonly project: string;
  /** `production` or `staging`: the run mode, host names (`api-staging.`) and resource names. */
  readonly environment: EnvironmentName;
  /** The domain the hosts live under (`api.<domain>`, `api-staging.<domain>`); inside `zone`'s domain. */
  readonly domain: string;
  /** The AWS region of the stack's provider (instance role ARNs, endpoints, the CloudFront prefix list). */
  readonly region: string;
  /** The VPC (shared between environments): a `Network`, or an existing VPC's ids. */
  readonly network: NetworkRef;
  /** The hosted zone of `domain`. */
  readonly zone: DnsZone;
  /** Regional certificate covering the hosts (`DnsValidatedCertificate.certificateArn`). */
  readonly certificateArn: string;
  /** us-east-1 certificate covering the hosts; required when storage is on or `webVia` is `cloudfront`. @default - none */
  readonly cdnCertificateArn?: string;
  /** The ECR repository the servers pull from. */
  readonly repository: ContainerRepository;
  /**
   * Image tag the servers run; CI moves it to deploy.
   * @default - the environment name (`production`, `staging`)
   */
  readonly imageTag?: string;
  /**
   * An image from elsewhere, run instead of `repository`'s: a full reference (`ghcr.io/my-org/server:1.2`,
   * `docker.io/library/nginx:1.27`) the instances pull without credentials, so a public one; the servers must reach
   * its registry (a NAT gateway: VPC endpoints reach only ECR). Deploys then move this reference, not a tag.
   * @default - `repository` at `imageTag`
   */
  readonly image?: string;
  /** @default 'x86_64' */
  readonly architecture?: Architecture;
  /** @default - 't3.micro' for x86_64, 't4g.micro' for arm64 */
  readonly instanceType?: string;
  /** @default - the latest Amazon Linux 2023, resolved at launch */
  readonly amiId?: string;
  /** @default 1 */
  readonly minInstances?: number;
  /** @default 2 */
  readonly maxInstances?: number;
  /** @default 60 */
  readonly cpuTargetPercent?: number;
  /**
   * Postgres: `true`/`false`, or settings. Ignored (no database) when the profile does not use one.
   * @default - true when the profile uses a database; deletion protection and 7 days of backups in production, neither and 1 day in staging
   */
  readonly database?: boolean | ClusterDatabaseOptions;
  /**
   * Redis: `true`/`false`, or settings. Ignored when the profile cannot use Redis.
   * @default false
   */
  readonly redis?: boolean | ClusterRedisOptions;
  /**
   * A private bucket and a public bucket, the public one served at `storage.` through CloudFront.
   * @default false
   */
  readonly storage?: boolean;
  /**
   * One mutable store that all the environment's servers share, for a profile with `mutableData` (Perseus with
   * revalidation or incremental generation). Without it each server keeps its own on its disk, which is fastest
   * but lets pages differ between servers until each regenerates them (a synth warning when the group may run
   * more than one). `bucket`: a private S3 bucket; `redis`: the environment's ElastiCache; `postgres`: the
   * environment's RDS. The store is in the cluster's region (the stack's provider); the profile receives its
   * location (`RuntimeContext.mutableStore`). Perseus uses it only through the app's own `MutableStore`
   * (docs/perseus.md), a synth warning until the profile says so.
   * @default - each server's own disk
   */
  readonly mutableStore?: MutableStoreOptions;
  /**
   * Also serve production's web port at the bare domain.
   * @default false
   */
  readonly webOnTopDomain?: boolean;
  /**
   * Serve the web port (`app.`) from the load balancer, or through CloudFront in front of it. With `cloudfront`
   * the load balancer routes the web hosts only on a second HTTPS listener that only CloudFront's origin-facing
   * servers may reach (`AppLoadBalancerProps.cloudFrontOnly`), so CloudFront cannot be bypassed.
   * @default 'load-balancer'
   */
  readonly webVia?: WebVia;
  /**
   * Id of the managed prefix list `com.amazonaws.global.cloudfront.origin-facing` in `region`, with `webVia`
   * `cloudfront`: `aws ec2 describe-managed-prefix-lists --region <region> --filters
   * Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing`.
   * @default - the id built in for the region (`CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST_IDS`); required in other regions
   */
  readonly cloudFrontPrefixListId?: string;
  /** Load balancer idle timeout (WebSockets). @default 3600 */
  readonly idleTimeoutSec?: number;
  /**
   * Further passwords and secrets the server reads, by key: `generated` (random letters and digits, given by
   * the first server that boots) or `empty` (for you to fill: `aws secretsmanager put-secret-value --secret-id
   * <its ARN, secrets[key].arn> --secret-string "$VALUE"`; servers that boot before it has a value are replaced
   * until it has one). Each is the Secrets Manager secret `<project>-<environment>-secrets/<key>-<unique suffix>`
   * (`serverSecret`; without the suffix if an earlier release created it) and reaches the server as
   * `SERVERPOD_PASSWORD_<key>` (the profile's name for the key) unless `variable` says otherwise. A key the
   * profile generates (`serviceSecret`) is replaced by your declaration. The list form (`['stripeKey']`) is the earlier shape: each key `empty`.
   * @default {}
   */
  readonly secrets?: readonly string[] | Readonly<Record<string, SecretDeclaration>>;
  /**
   * Servers apply pending database migrations as they start, for a profile that can (Serverpod:
   * `SERVERPOD_APPLY_MIGRATIONS=true`; concurrent servers wait on Serverpod's advisory lock). `false` leaves
   * migrations to your own pipeline.
   * @default true
   */
  readonly applyMigrations?: boolean;
  /** Days container logs are kept. @default 30 */
  readonly logRetentionDays?: number;
}

/** A secret of `ServerCluster.secrets`: the name it starts with, its description, its recovery window. */
export interface ServerSecretProps {
  /** `<project>-<environment>-secrets/<key>`: the secret is named this, a hyphen and a unique suffix. */
  readonly name: string;
  /** What the secret holds, shown in the Secrets Manager console. */
  readonly description: string;
  /** 0 (deleted at once) or 7 to 30 days. */
  readonly recoveryWindowInDays: number;
}

/**
 * One server secret, named `<name>-<unique suffix>`: an environment destroyed and created again while its
 * earlier secrets wait out their recovery window gets new secrets instead of a name conflict. Everything refers
 * to it by ARN. A secret created under the fixed name `<name>` by an earlier release keeps it: changes to the
 * name are ignored rather than replacing the secret, and its value, with it.
 */
export function serverSecret(scope: Construct, id: string, props: ServerSecretProps): SecretsmanagerSecret {
  return new SecretsmanagerSecret(scope, id, {
    namePrefix: `${props.name}-`,
    description: props.description,
    recoveryWindowInDays: props.recoveryWindowInDays,
    lifecycle: { ignoreChanges: ['name', 'name_prefix'] },
  });
}

const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/**
 * One environment of the server on AWS (the pattern): servers in an Auto Scaling group behind their own load
 * balancer, Postgres, Redis, buckets, CloudFront and DNS records, wired together with least-privilege access.
 * Composes `InstanceRole`, `AppLoadBalancer`, `ServerGroup`, `PostgresDatabase`, `RedisCache`,
 * `PrivateBucket`, `BucketDistribution`, `LoadBalancerDistribution` and `AliasRecord`. The VPC, zone,
 * certificates and repository come in, so environments share them; `AwsServerCluster` creates those and every
 * environment for you.
 *
 * @example
 * ```ts
 * import { App, TerraformStack } from 'cdktf';
 * import { AwsProvider, aws, serverpodProfile } from 'cdktf-serverpod';
 *
 * const app = new App();
 * const stack = new TerraformStack(app, 'shop');
 * new AwsProvider(stack, 'aws', { region: 'us-west-2' });
 * const profile = serverpodProfile({ name: 'shop' });
 * const network = new aws.Network(stack, 'network', { name: 'shop-shared-network', region: 'us-west-2', availabilityZones: ['us-west-2a', 'us-west-2b'] });
 * const zone = new aws.DnsZone(stack, 'zone', { domain: 'shop.example.com' });
 * const certificate = new aws.DnsValidatedCertificate(stack, 'certificate', { zone });
 * const repository = new aws.ContainerRepository(stack, 'registry', { name: 'shop' });
 * new aws.ServerCluster(stack, 'production', {
 *   profile,
 *   project: 'shop',
 *   environment: 'production',
 *   domain: 'shop.example.com',
 *   region: 'us-west-2',
 *   network,
 *   zone,
 *   certificateArn: certificate.certificateArn,
 *   repository,
 * });
 * app.synth();
 * ```
 */
export class ServerCluster extends Construct {
  /** The environment's public hosts, by port (`api.`, `insights.`, `app.`) and for storage. */
  public readonly hosts: EnvironmentHosts;
  /** CloudWatch log group of the containers and the instances' failure reports (`/<project>/<env>/server`). */
  public readonly logGroup: CloudwatchLogGroup;
  /** The instances' role and instance profile. */
  public readonly role: InstanceRole;
  /** The environment's Application Load Balancer. */
  public readonly loadBalancer: AppLoadBalancer;
  /** The Auto Scaling group, its launch template and security group. */
  public readonly servers: ServerGroup;
  /** RDS Postgres, when the profile uses a database or the mutable store is Postgres. */
  public readonly database?: PostgresDatabase;
  /** ElastiCache Redis, when asked for (or the mutable store is Redis). */
  public readonly redis?: RedisCache;
  /** The private storage bucket, with storage. */
  public readonly privateBucket?: PrivateBucket;
  /** The public storage bucket (served at `storage.` through CloudFront), with storage. */
  public readonly publicBucket?: PrivateBucket;
  /** The shared mutable-store bucket, with `mutableStore.kind` bucket. */
  public readonly storeBucket?: PrivateBucket;
  /** Where the servers find their shared mutable store, when there is one. */
  public readonly mutableStore?: MutableStoreConnection;
  /** CloudFront in front of the public bucket, with storage. */
  public readonly storageDistribution?: BucketDistribution;
  /** The access key Serverpod's S3CloudStorage signs with, scoped to the two storage buckets, with storage. */
  public readonly storageAccessKey?: StorageAccessKey;
  /** CloudFront in front of the load balancer for the web hosts, with `webVia: cloudfront`. */
  public readonly webDistribution?: LoadBalancerDistribution;
  /** Secrets Manager secrets of `props.secrets`, by key. */
  public readonly secrets: Readonly<Record<string, SecretsmanagerSecret>>;
  /** The boot script the instances run (tokens unresolved). */
  public readonly bootScript: string;
  /** The image the servers run: the repository's tag, or `image`. */
  public readonly imageUri: string;
  /** The database pool each server may open (Serverpod's maxConnectionCount), from the connection budget. */
  public readonly databasePoolSize?: number;

  constructor(scope: Construct, id: string, props: ServerClusterProps) {
    super(scope, id);
    markEnvironment(this, props.environment);
    literalStrings(this);
    const { profile, project, environment } = props;
    const production = environment === 'production';
    const architecture = props.architecture ?? 'x86_64';
    const storage = props.storage ?? false;
    const webVia = props.webVia ?? 'load-balancer';
    const logDays = props.logRetentionDays ?? 30;
    const store = props.mutableStore;
    const hc = profile.healthCheck;
    const wantsDatabase = (profile.usesDatabase && props.database !== false) || store?.kind === 'postgres';
    const wantsRedis = (profile.usesRedis && props.redis !== undefined && props.redis !== false) || store?.kind === 'redis';

    const problems = new ProblemCollector('props.');
    checkRules(problems, {
      project: [props.project, RULES.awsNamePrefix],
      domain: [props.domain, RULES.domain],
      region: [props.region, RULES.awsRegion],
      imageTag: [props.imageTag, RULES.imageTag],
      instanceType: [props.instanceType, RULES.ec2InstanceType],
      amiId: [props.amiId, RULES.amiId],
      'database.instanceClass': [typeof props.database === 'object' ? props.database.instanceClass : undefined, RULES.rdsInstanceClass],
      'redis.nodeType': [typeof props.redis === 'object' ? props.redis.nodeType : undefined, RULES.cacheNodeType],
    }, this); // values off the kept lists (lib/catalog) become synth warnings on this construct
    imageProblems(problems, props.image);
    const redisVersion = typeof props.redis === 'object' ? props.redis.engineVersion : undefined;
    if (redisVersion !== undefined) problems.check(REDIS_ENGINE_VERSION.test(redisVersion), 'redis.engineVersion', redisVersion, REDIS_ENGINE_VERSION_RULE);
    if (typeof props.database === 'object') {
      dataLossProblems(problems, 'database.', environment, props.database.deletionProtection, props.database.acknowledgeDataLoss);
    }
    problems.check(props.image === undefined || props.imageTag === undefined, 'imageTag', props.imageTag, 'none with image (the reference names its own tag)');
    // Route 53 refuses records outside the zone only at apply. An existing zone's name is not known here.
    const zoneDomain = props.zone.zone ? props.zone.domain : undefined;
    if (zoneDomain !== undefined && RULES.domain.pattern.test(props.domain)) {
      problems.check(inZone(props.domain, zoneDomain), 'domain', props.domain, `${zoneDomain} or a name under it (the domain of props.zone, where the records go)`);
    }
    problems.check(ENVIRONMENT_NAMES.includes(props.environment), 'environment', props.environment, `one of ${ENVIRONMENT_NAMES.join(', ')}`);
    problems.check(profile.supportsRole('monolith'), 'profile.roles', profile.roles, 'roles including monolith (a cluster runs one process that serves and maintains)');
    problems.check(WEB_VIA.includes(webVia), 'webVia', webVia, `one of ${WEB_VIA.join(', ')}`);
    problems.check((!storage && webVia !== 'cloudfront') || props.cdnCertificateArn !== undefined, 'cdnCertificateArn', props.cdnCertificateArn, 'a us-east-1 certificate ARN, as storage or webVia cloudfront uses CloudFront');
    const webPort = profile.ports.find((p) => p.name === 'web');
    const cloudFrontPrefixListId = props.cloudFrontPrefixListId ?? cloudFrontOriginFacingPrefixListId(props.region);
    if (props.cloudFrontPrefixListId !== undefined) {
      problems.check(PREFIX_LIST_ID.test(props.cloudFrontPrefixListId), 'cloudFrontPrefixListId', props.cloudFrontPrefixListId, 'a managed prefix list id such as pl-82a045eb');
    } else if (webVia === 'cloudfront' && webPort) {
      problems.check(
        cloudFrontPrefixListId !== undefined,
        'cloudFrontPrefixListId',
        undefined,
        `the id of ${CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST} in ${props.region} (aws ec2 describe-managed-prefix-lists --region ${props.region}), as webVia is cloudfront and no id is built in for that region`,
      );
    }
    if (store?.region !== undefined) {
      problems.check(store.region === props.region, 'mutableStore.region', store.region, `${props.region}, the cluster's region (the store is created with the stack's provider)`);
    }
    // The region was checked above: the generic check would report it again, or warn about what is refused.
    checkMutableStore(this, problems, { profile, filesystem: 'writable', serverRegion: props.region, store: store && { kind: store.kind }, maxInstances: props.maxInstances ?? 2 });
    problems.check(LOG_RETENTION_DAYS.includes(logDays), 'logRetentionDays', logDays, `one of CloudWatch's retention periods (${LOG_RETENTION_DAYS.slice(0, 8).join(', ')}, ...)`);
    let declared = props.secrets as Readonly<Record<string, SecretDeclaration>> | undefined;
    if (Array.isArray(props.secrets)) {
      const keys: readonly string[] = props.secrets;
      keys.forEach((key, i) => problems.check(keys.indexOf(key) === i, `secrets[${i}]`, key, 'a key given once'));
      declared = Object.fromEntries(keys.map((key) => [key, 'empty' as const]));
    }
    const envSecrets = environmentSecrets(profile, declared, problems, 'secrets', storage ? S3_ACCESS_KEYS : []);
    let databasePoolSize: number | undefined;
    if (profile.usesDatabase && props.database !== false) {
      const options = typeof props.database === 'object' ? props.database : {};
      const instanceClass = options.instanceClass ?? 'db.t4g.micro';
      const estimate = rdsMaxConnections(instanceClass);
      databasePoolSize = environmentPools(this, problems, {
        pool: profile.databasePool,
        limit:
          options.maxConnections !== undefined
            ? { limit: options.maxConnections, source: `the database's max_connections parameter allows ${options.maxConnections} connections` }
            : estimate && { limit: estimate.limit, source: `RDS ${instanceClass} allows about ${estimate.limit} connections` },
        database: `RDS class ${instanceClass}`,
        environment,
        field: 'database',
        // A refresh or replacement launches before it terminates: up to twice the group at once.
        consumers: [{ name: 'servers', processes: 2 * (props.maxInstances ?? 2) }],
      })?.servers;
    }
    problems.throwIfAny(`ServerCluster "${this.node.path}"`);
    this.databasePoolSize = databasePoolSize;

    const name = (part: string) => resourceName(project, environment, part);
    this.hosts = environmentHosts(profile, props.domain, environment, { storage, webOnTopDomain: props.webOnTopDomain ?? false });
    this.imageUri = props.image ?? props.repository.imageUri(props.imageTag ?? environment);
    const privateSubnetIds = props.network.privateSubnetIds;

    // Server access logs need a log bucket of their own (and its costs); who touched which object is recorded by
    // CloudTrail data events instead, where the account turns them on.
    const noAccessLogs = {
      rule: 'AWS-S3-ACCESS-LOGS',
      reason: 'server access logs would need a separate log bucket and its storage; CloudTrail S3 data events, where the account enables them, record object access instead',
      attributes: ['aws_s3_bucket_logging'],
    };

    this.logGroup = new CloudwatchLogGroup(this, 'Logs', { name: `/${project}/${environment}/server`, retentionInDays: logDays });

    // Generated secrets are created empty and given a random value by the first server that boots (no random
    // provider on AWS, and nothing lands in state); empty ones wait for yours.
    const secrets: Record<string, SecretsmanagerSecret> = {};
    const secretLocations: Record<string, SecretLocation> = {};
    for (const s of envSecrets) {
      secrets[s.key] = serverSecret(this, `secret-${s.key}`, {
        name: `${name('secrets')}/${s.key}`,
        description: `${s.key} of the ${environment} server; ${s.value === 'generated' ? 'generated by the first server that boots' : 'put its value before the servers start'}`,
        // A generated value exists only here: production's can be restored for 7 days after a destroy.
        recoveryWindowInDays: production ? 7 : 0,
      });
      secretLocations[s.key] = { arn: secrets[s.key].arn, generateLength: s.value === 'generated' ? s.length : undefined };
    }
    // Every secret the server receives, by key, with its variable: the declared ones, then the storage key pair.
    const served = new Map(envSecrets.map((s) => [s.key, s.variable]));
    this.secrets = secrets;

    if (storage) {
      // Serverpod's S3CloudStorage sends an ACL with every upload (private, public-read): both buckets accept it, the
      // public one ignores public ACLs (it is read through CloudFront only), the private one refuses them.
      const cors = { origins: appOrigins(this.hosts) };
      // S3CloudStorage signs its requests over HTTPS (AwsEndpointConfig builds https:// URIs): plain HTTP is refused.
      // Both versioned, old versions expiring after 30 days. The public bucket's too: CloudFront's grant is
      // s3:GetObject, which reads only the current version (an older one needs s3:GetObjectVersion).
      this.privateBucket = new PrivateBucket(this, 'PrivateBucket', { namePrefix: `${name('private')}-`, objectAcls: 'private', cors, tlsOnly: true, versioning: true });
      this.publicBucket = new PrivateBucket(this, 'PublicBucket', { namePrefix: `${name('public')}-`, objectAcls: 'public-ignored', cors, versioning: true });
      for (const bucket of [this.privateBucket, this.publicBucket]) suppressGuardrails(bucket.bucket, [noAccessLogs]);
      // S3CloudStorage signs with an access key and cannot use the instance role.
      this.storageAccessKey = new StorageAccessKey(this, 'StorageAccessKey', {
        name: name('storage'),
        region: props.region,
        bucketArns: [this.privateBucket.arn, this.publicBucket.arn],
        secretNamePrefix: name('secrets'),
        // The key dies with its user on destroy, so a restored secret would hold nothing usable; deleted at once,
        // the fixed names are free again for a re-created environment.
        recoveryWindowInDays: 0,
      });
      const [idKey, secretKey] = S3_ACCESS_KEYS;
      secretLocations[idKey] = { arn: this.storageAccessKey.accessKeyIdSecretArn };
      secretLocations[secretKey] = { arn: this.storageAccessKey.secretKeySecretArn };
      for (const key of S3_ACCESS_KEYS) served.set(key, profile.secretVariable(key));
    }
    if (store?.kind === 'bucket') {
      this.storeBucket = new PrivateBucket(this, 'StoreBucket', { namePrefix: `${name('store')}-`, tlsOnly: true });
      suppressGuardrails(this.storeBucket.bucket, [
        { rule: 'AWS-S3-VERSIONING', reason: 'the mutable store holds pages the app rewrites constantly and can render again; old versions would only add cost', attributes: ['aws_s3_bucket_versioning'] },
        noAccessLogs,
      ]);
    }

    this.loadBalancer = new AppLoadBalancer(this, 'LoadBalancer', {
      name: name('lb'),
      targetGroupPrefix: `${project}-${environment}`,
      vpcId: props.network.vpcId,
      subnetIds: props.network.publicSubnetIds,
      certificateArn: props.certificateArn,
      profile,
      hostsByPort: this.hosts.byPort,
      idleTimeoutSec: props.idleTimeoutSec,
      // The web hosts only through CloudFront: reachable on a listener that admits CloudFront's servers alone.
      cloudFrontOnly: webVia === 'cloudfront' && webPort ? { portNames: [webPort.name], prefixListId: cloudFrontPrefixListId! } : undefined,
    });
    if (production) {
      suppressGuardrails(this.loadBalancer.loadBalancer, [
        {
          rule: 'AWS-ALB-DELETION-PROTECTION',
          reason: 'the load balancer holds no data: if it is deleted, the next apply re-creates it and points the alias records at it',
          attributes: ['enable_deletion_protection'],
        },
      ]);
    }

    this.role = new InstanceRole(this, 'Role', {
      name: name('server'),
      region: props.region,
      repositoryArn: props.repository.repository.arn,
      logGroupArn: this.logGroup.arn,
      secretArns: [
        ...envSecrets.filter((s) => s.value === 'empty').map((s) => secrets[s.key].arn),
        ...(this.storageAccessKey ? [this.storageAccessKey.accessKeyIdSecretArn, this.storageAccessKey.secretKeySecretArn] : []),
      ],
      // Only the store bucket: the storage buckets are S3CloudStorage's, which signs with its own access key.
      bucketArns: this.storeBucket ? [this.storeBucket.arn] : [],
    });

    this.role.grantSecretGenerate(...envSecrets.filter((s) => s.value === 'generated').map((s) => secrets[s.key].arn));

    // The database and Redis admit the servers' security group, and the servers' boot script needs their
    // addresses: the script is passed lazily and rendered once they exist.
    let script: string | undefined;
    const judgedAfterSec = hc.gracePeriodSec + 2 * hc.intervalSec;
    this.servers = new ServerGroup(this, 'Servers', {
      name: name('server'),
      vpcId: props.network.vpcId,
      subnetIds: privateSubnetIds,
      instanceType: props.instanceType ?? (architecture === 'arm64' ? 't4g.micro' : 't3.micro'),
      architecture,
      amiId: props.amiId,
      instanceProfileArn: this.role.instanceProfile.arn,
      // The container reaches the instance metadata service (one hop more, through Docker's bridge) only when
      // the app must use the role: a bucket mutable store, read with the AWS SDK's default credentials. Everything
      // else the role allows is the boot script's, on the host.
      metadataHopLimit: store?.kind === 'bucket' ? 2 : 1,
      userData: lazyLiteral(() => script),
      dependsOn: [this.role.policy],
      loadBalancer: this.loadBalancer,
      ports: profile.ports.map((p) => p.port),
      minInstances: props.minInstances,
      maxInstances: props.maxInstances,
      cpuTargetPercent: props.cpuTargetPercent,
      healthCheckGracePeriodSec: hc.gracePeriodSec,
      // Liveness replaces instances (the watch in the boot script), readiness only routes: EC2 health checks.
      healthCheckType: 'EC2',
      // Past the grace period and two probes, so a refresh counts a new instance only once the watch could judge it.
      instanceWarmupSec: judgedAfterSec,
      // A new instance enters service only once ready (the boot script completes the hook), so a deploy of a
      // server that is alive but never ready stops before it replaces a serving one.
      launchReadiness: { heartbeatTimeoutSec: judgedAfterSec + 60 },
    });

    let ctx: RuntimeContext = {
      runmode: environment,
      role: 'monolith',
      serverId: SERVER_ID_FROM_MACHINE,
      publicHosts: this.hosts.primary,
      secrets: Object.fromEntries([...served.keys()].map((key): [string, SecretRef] => [key, { secret: key }])),
      secretVariables: Object.fromEntries(served),
    };
    if (wantsDatabase) {
      const { acknowledgeDataLoss, ...options } = typeof props.database === 'object' ? props.database : {};
      this.database = new PostgresDatabase(this, 'Database', {
        identifier: name('database'),
        vpcId: props.network.vpcId,
        subnetIds: privateSubnetIds,
        clientSecurityGroupIds: [this.servers.securityGroup.id],
        deletionProtection: production,
        backupRetentionDays: production ? 7 : 1,
        // A database only for the mutable store is named after it.
        databaseName: profile.usesDatabase ? undefined : 'store',
        ...options,
      });
      // Production's protection goes off only with an acknowledgement (dataLossProblems): the guardrail takes its reason.
      if (production && options.deletionProtection === false && acknowledgeDataLoss !== undefined) {
        suppressGuardrails(this.database.instance, [{ rule: 'AWS-RDS-DELETION-PROTECTION', reason: `deletion protection turned off with acknowledgeDataLoss: ${acknowledgeDataLoss}`, attributes: ['deletion_protection'] }]);
      }
      if (production && !(options.multiAz ?? false)) {
        suppressGuardrails(this.database.instance, [
          { rule: 'AWS-RDS-MULTI-AZ', reason: 'single-zone unless asked: a standby in a second zone doubles the database cost; databaseMultiAz (database.multiAz) adds one', attributes: ['multi_az'] },
        ]);
      }
      secretLocations[DATABASE_PASSWORD_SECRET] = { arn: this.database.secretArn, jsonKey: 'password' };
      this.role.grantSecretRead(this.database.secretArn);
      ctx = {
        ...ctx,
        database: {
          host: this.database.address,
          port: this.database.port,
          name: this.database.databaseName,
          user: this.database.username,
          password: { secret: DATABASE_PASSWORD_SECRET },
          requireSsl: true,
        },
      };
    }
    if (wantsRedis) {
      const options = typeof props.redis === 'object' ? props.redis : {};
      this.redis = new RedisCache(this, 'Redis', {
        replicationGroupId: fitName(name('redis'), 40),
        vpcId: props.network.vpcId,
        subnetIds: privateSubnetIds,
        clientSecurityGroupIds: [this.servers.securityGroup.id],
        ...options,
      });
      ctx = { ...ctx, redis: { host: this.redis.address, port: this.redis.port, requireSsl: true } };
    }
    if (store?.kind === 'bucket' && this.storeBucket) {
      this.mutableStore = { kind: 'bucket', region: props.region, bucket: this.storeBucket.bucketName, url: `s3://${this.storeBucket.bucketName}` };
    } else if (store?.kind === 'redis' && ctx.redis) {
      this.mutableStore = { kind: 'redis', region: props.region, redis: ctx.redis };
    } else if (store?.kind === 'postgres' && ctx.database) {
      this.mutableStore = { kind: 'postgres', region: props.region, database: ctx.database };
    }
    ctx = { ...ctx, mutableStore: this.mutableStore };

    ctx = {
      ...ctx,
      applyMigrations: (props.applyMigrations ?? true) && profile.appliesMigrations && ctx.database !== undefined,
      databasePoolSize: profile.databasePool?.configurable ? databasePoolSize : undefined,
    };
    const livenessPort = profile.port(hc.portName);
    const containerEnv = profile.containerEnvironment(ctx);
    if (containerEnv.plain.SERVERPOD_PASSWORD_redis === REDIS_WITHOUT_AUTH) {
      suppressGuardrails(this.servers.launchTemplate, [
        { rule: 'AWS-SECRET-IN-ENVIRONMENT', reason: "ElastiCache has no AUTH token here: Serverpod 3 needs some Redis password to start, and Redis's default user takes any, so this word is no secret", attributes: ['user_data.SERVERPOD_PASSWORD_redis'] },
      ]);
    }
    this.bootScript = awsBootScript({
      containerName: profile.name,
      image: this.imageUri,
      // An image from elsewhere is pulled anonymously: no ECR login.
      registryHost: props.image === undefined ? Fn.element(Fn.split('/', props.repository.url), 0) : undefined,
      region: props.region,
      environment: containerEnv,
      ports: profile.ports.map((p) => p.port),
      args: profile.args(ctx),
      secrets: secretLocations,
      logGroupName: this.logGroup.name,
      // RDS rotates the managed password (every 7 days by default); servers read it at boot, so a rotation
      // replaces them, keeping capacity.
      rotationWatch: this.database ? { secretArn: this.database.secretArn, autoScalingGroupName: name('server') } : undefined,
      launchReadiness: {
        checks: profile.ports.map((port) => ({ port: port.port, path: readinessPath(profile, port) })),
        intervalSec: hc.intervalSec,
        timeoutSec: hc.timeoutSec,
        graceSec: hc.gracePeriodSec,
        hookName: this.servers.launchHookName!,
        autoScalingGroupName: name('server'),
      },
      liveness: {
        port: livenessPort.port,
        path: livenessPort.livenessPath,
        intervalSec: hc.intervalSec,
        timeoutSec: hc.timeoutSec,
        // Like autohealing on GCP: slower to replace an instance than the load balancer is to skip it.
        failures: hc.unhealthyThreshold * 2,
        graceSec: hc.gracePeriodSec,
        autoScalingGroupName: name('server'),
      },
    });
    script = this.bootScript;
    // EC2 takes 16 KiB of user data, counted after Terraform fills in the references (ARNs, hosts).
    const sizeProblems = new ProblemCollector('props.');
    bootScriptSizeProblems(sizeProblems, this.bootScript, containerEnv, { bytes: 16384, why: "16 KiB, EC2's user data limit, counted gzipped as the launch template sends it", gzip: true });
    sizeProblems.throwIfAny(`ServerCluster "${this.node.path}"`);
    if (this.database) this.role.grantInstanceRefresh(props.region, name('server'));
    this.role.grantSetInstanceHealth(props.region, name('server'));
    this.role.grantCompleteLifecycleAction(props.region, name('server'));

    // Public storage at storage. through CloudFront (origin access control), and the web port through CloudFront on request.
    if (storage && this.publicBucket && this.hosts.storage) {
      this.storageDistribution = new BucketDistribution(this, 'StorageCdn', {
        bucket: this.publicBucket,
        // Public objects for any page: Flutter web fetches images, which needs CORS.
        corsAnyOrigin: true,
        name: name('storage'),
        aliases: [this.hosts.storage],
        certificateArn: props.cdnCertificateArn!,
      });
      new AliasRecord(this, 'record-storage', {
        zoneId: props.zone.zoneId,
        name: this.hosts.storage,
        targetDnsName: this.storageDistribution.distribution.domainName,
        targetZoneId: CLOUDFRONT_ZONE_ID,
        ipv6: true,
      });
    }
    if (webVia === 'cloudfront' && webPort) {
      this.webDistribution = new LoadBalancerDistribution(this, 'WebCdn', {
        aliases: this.hosts.byPort[webPort.name],
        certificateArn: props.cdnCertificateArn!,
        originDomainName: this.loadBalancer.dnsName,
        originHttpsPort: this.loadBalancer.cloudFrontListenerPort,
        // CloudFront moves to the CloudFront-only port once it answers: its listener, rule and ingress exist.
        dependsOn: [this.loadBalancer.cloudFrontListener, this.loadBalancer.cloudFrontIngress, this.loadBalancer.rules[webPort.name]].filter(
          (d): d is NonNullable<typeof d> => d !== undefined,
        ),
      });
    }

    for (const port of profile.ports) {
      this.hosts.byPort[port.name].forEach((host, i) => {
        const viaCdn = this.webDistribution !== undefined && port === webPort;
        new AliasRecord(this, `record-${port.name}${i === 0 ? '' : `-${i}`}`, {
          zoneId: props.zone.zoneId,
          name: host,
          targetDnsName: viaCdn ? this.webDistribution!.distribution.domainName : this.loadBalancer.dnsName,
          targetZoneId: viaCdn ? CLOUDFRONT_ZONE_ID : this.loadBalancer.zoneId,
          ipv6: viaCdn,
          evaluateTargetHealth: !viaCdn,
        });
      });
    }
  }

  /** Name of the Auto Scaling group (for `aws autoscaling start-instance-refresh`). */
  get autoScalingGroupName(): string {
    return this.servers.autoScalingGroup.name;
  }
}
