import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { MutableStoreOptions } from '../app/mutable-store';
import { imageProblems } from '../app/image';
import { AppProfile } from '../app/profile';
import { SecretDeclaration } from '../app/secrets';
import { DEFAULT_DEPLOY_REFS, DEPLOY_REF } from '../github';
import { ENVIRONMENT_NAMES, EnvironmentName, resourceName } from '../naming';
import { PatternOutputs, outputWriter, outputsProblems } from '../outputs';
import { RULES, checkRules, dataLossProblems } from '../rules';
import { serverpodConfigYaml } from '../serverpod-config';
import { REDIS_DEFAULT_USER } from '../app/serverpod';
import { literalStrings } from '../terraform-strings';
import { ProblemCollector } from '../validation';
import { Architecture, EgressMode, SUBNET_ID, VPC_ID, WebVia } from './common';
import { DnsValidatedCertificate, DnsZone } from './dns';
import { GitHubDeployRole } from './github-deploy-role';
import { Network, NetworkRef } from './network';
import { ContainerRepository } from './registry';
import { ServerCluster } from './server-cluster';

/** Sizes and database settings of one environment on AWS (`AwsServerClusterProps.environments`). */
export interface AwsEnvironmentSize {
  /** @default - 't3.micro' for x86_64, 't4g.micro' for arm64 */
  readonly instanceType?: string;
  /** @default 1 */
  readonly minInstances?: number;
  /** @default 2 */
  readonly maxInstances?: number;
  /** Average CPU the group scales to keep (none for a group of fixed size). @default 60 */
  readonly cpuTargetPercent?: number;
  /** @default 'db.t4g.micro' */
  readonly databaseInstanceClass?: string;
  /** A standby in a second zone (about twice the database cost). @default false */
  readonly databaseMultiAz?: boolean;
  /** Allocated storage in GB; storage autoscaling may grow it to ten times this. @default 20 */
  readonly databaseStorageGb?: number;
  /**
   * The database's `max_connections` parameter. The servers' pools are sized to fit the limit (RDS's estimate for
   * the instance class without this).
   * @default - RDS's default for the instance class
   */
  readonly databaseMaxConnections?: number;
  /**
   * RDS's Postgres `engine_version` (`'16'`, or a minor such as `'16.4'`). Raising the major version upgrades the
   * instance in place at the next maintenance window, or at once with `databaseApplyImmediately`.
   * @default '16'
   */
  readonly databaseVersion?: string;
  /** Apply database changes at once instead of in the next maintenance window. @default false */
  readonly databaseApplyImmediately?: boolean;
  /** Keep a final snapshot when the database is destroyed (`<id>-final-<security group id>`). @default true */
  readonly databaseFinalSnapshot?: boolean;
  /** @default - true for production, false for staging */
  readonly deletionProtection?: boolean;
  /**
   * Why production's database may go without deletion protection: required beside `deletionProtection: false`
   * in production, so the opt-out is never a stray `false`. Shown in errors only.
   * @default - none
   */
  readonly acknowledgeDataLoss?: string;
  /** @default 'cache.t4g.micro' */
  readonly redisNodeType?: string;
  /** Nodes of the Redis replication group; two or more fail over automatically. @default 1 */
  readonly redisNodes?: number;
}

/** ElastiCache Redis per environment (`AwsServerClusterProps.redis`); always TLS. Sizes are per environment. */
export interface AwsRedisOptions {
  /** ElastiCache's Redis OSS version, 6.0 or later. @default '7.1' */
  readonly engineVersion?: string;
}

/**
 * A private and a public bucket per environment, the public one served at `storage.` through CloudFront
 * (`AwsServerClusterProps.storage`). Nothing to set yet beyond on (`{}`) or off (`false`).
 */
export interface AwsStorageOptions {}

/** The VPC the pattern creates (`AwsServerClusterProps.network`); see `NetworkProps`. */
export interface AwsNetworkOptions {
  /** Two or more zones of the region; required, so plans need no look-up. */
  readonly availabilityZones: readonly string[];
  /** @default '10.0.0.0/16' */
  readonly cidrBlock?: string;
  /** @default 'nat-gateway' */
  readonly egress?: EgressMode;
  /**
   * VPC flow logs (all traffic) to a CloudWatch log group kept 30 days; see `NetworkProps.flowLogs` for the cost.
   * An `existingVpc` is yours: its flow logs are set up where the VPC is.
   * @default true
   */
  readonly flowLogs?: boolean;
}

/** Props of `AwsServerCluster`; the shape of `GcpServerClusterProps` where the clouds allow. */
export interface AwsServerClusterProps {
  /** The AWS region of the stack's provider. */
  readonly region: string;
  /** Prefix of every resource name (`serverpod` gives `serverpod-production-database`). */
  readonly namePrefix: string;
  /** The domain the hosts live under. */
  readonly domain: string;
  /** What runs on the servers; it must support the `monolith` role. */
  readonly profile: AppProfile;
  /** The environments and their sizes; production is required. */
  readonly environments: Partial<Record<EnvironmentName, AwsEnvironmentSize>>;
  /** RDS Postgres for each environment. @default - when the profile uses a database */
  readonly database?: boolean;
  /** ElastiCache Redis per environment. @default - no Redis */
  readonly redis?: AwsRedisOptions;
  /** Public and private buckets per environment, the public one at `storage.`; `false` for none. @default {} */
  readonly storage?: AwsStorageOptions | false;
  /** Also serve production's web port at the bare domain. @default false */
  readonly webOnTopDomain?: boolean;
  /**
   * One mutable store per environment that its servers share, for a profile with `mutableData` (Perseus); see
   * `ServerClusterProps.mutableStore`.
   * @default - each server's own disk
   */
  readonly mutableStore?: MutableStoreOptions;
  /**
   * Further passwords and secrets the server reads, by key, each environment its own: `generated` or `empty`;
   * see `ServerClusterProps.secrets`.
   * @default {}
   */
  readonly secrets?: Readonly<Record<string, SecretDeclaration>>;
  /** Servers apply pending database migrations as they start (`ServerClusterProps.applyMigrations`). @default true */
  readonly applyMigrations?: boolean;
  /**
   * An existing Route 53 hosted zone (its id) that holds `domain`.
   * @default - a new public zone for `domain` (delegate to its name servers, the `name_servers` output)
   */
  readonly dnsZone?: string;
  /** The VPC to create. Required unless `existingVpc` is given. @default - none */
  readonly network?: AwsNetworkOptions;
  /**
   * An existing VPC to run in instead of creating one; its private subnets must reach ECR, Secrets Manager,
   * CloudWatch Logs and Auto Scaling (`NetworkRef`).
   * @default - a new VPC from `network`
   */
  readonly existingVpc?: NetworkRef;
  /** The ECR repository the servers pull from. @default - a new repository named `namePrefix` */
  readonly repository?: ContainerRepository;
  /**
   * An image from elsewhere (a public image), run instead of the repository's environment tag; see
   * `ServerClusterProps.image`.
   * @default - the repository at each environment's tag
   */
  readonly image?: string;
  /** @default 'x86_64' */
  readonly architecture?: Architecture;
  /** @default - the latest Amazon Linux 2023, resolved at launch */
  readonly amiId?: string;
  /** Serve the web port from the load balancer, or through CloudFront in front of it. @default 'load-balancer' */
  readonly webVia?: WebVia;
  /** See `ServerClusterProps.cloudFrontPrefixListId`. @default - the id built in for the region */
  readonly cloudFrontPrefixListId?: string;
  /** Load balancer idle timeout (WebSockets). @default 3600 */
  readonly idleTimeoutSec?: number;
  /**
   * A provider for us-east-1, where CloudFront's certificate must be, when storage or `webVia: cloudfront` uses
   * CloudFront and `region` is another region.
   * @default - the stack's default provider (right only in us-east-1)
   */
  readonly cdnProvider?: TerraformProvider;
  /** Create a keyless deploy role for this GitHub repository (`owner/name`). @default - none */
  readonly githubRepository?: string;
  /** Refs of that repository allowed to deploy. @default DEFAULT_DEPLOY_REFS */
  readonly githubRefs?: readonly string[];
  /** The account's existing GitHub OIDC provider (one per account). @default - a new one */
  readonly githubOidcProviderArn?: string;
  /** Terraform outputs for what comes next (URLs, load balancers, database, Serverpod config). @default {} */
  readonly outputs?: PatternOutputs | false;
}

/**
 * The server cluster on AWS, every environment (the pattern): per environment a `ServerCluster` (Auto Scaling
 * group behind its own load balancer, Postgres, Redis, buckets), sharing the VPC, the hosted zone, the
 * certificates, the ECR repository and the GitHub deploy role. The same shape as `GcpServerCluster`.
 *
 * @example
 * ```ts
 * import { App, TerraformStack } from 'cdktf';
 * import { AwsProvider, aws, serverpodProfile } from 'cdktf-serverpod';
 *
 * const app = new App();
 * const stack = new TerraformStack(app, 'shop');
 * new AwsProvider(stack, 'aws', { region: 'us-west-2' });
 * const usEast1 = new AwsProvider(stack, 'us-east-1', { alias: 'us_east_1', region: 'us-east-1' });
 * new aws.AwsServerCluster(stack, 'cluster', {
 *   region: 'us-west-2',
 *   namePrefix: 'myshop',
 *   domain: 'myshop.dev',
 *   profile: serverpodProfile({ name: 'myshop' }),
 *   network: { availabilityZones: ['us-west-2a', 'us-west-2b'] },
 *   environments: { production: { instanceType: 't3.small', maxInstances: 4 }, staging: {} },
 *   cdnProvider: usEast1,
 *   outputs: {}, // production_api_url, production_serverpod_config, ... (the default)
 * });
 * app.synth();
 * ```
 */
export class AwsServerCluster extends Construct {
  /** The ECR repository CI pushes to. */
  public readonly repository: ContainerRepository;
  /** The VPC: created, or the existing one's ids. */
  public readonly network: NetworkRef;
  /** The hosted zone of the domain: created, or the existing one (`dnsZone`). */
  public readonly zone: DnsZone;
  /** Regional certificate (load balancers). */
  public readonly certificate: DnsValidatedCertificate;
  /** us-east-1 certificate (CloudFront), when storage or `webVia: cloudfront` uses CloudFront. */
  public readonly cdnCertificate?: DnsValidatedCertificate;
  /** Each environment's servers and data. */
  public readonly environments: Readonly<Partial<Record<EnvironmentName, ServerCluster>>>;
  /** The role GitHub Actions assumes to deploy, with `githubRepository`. */
  public readonly deployRole?: GitHubDeployRole;

  constructor(scope: Construct, id: string, props: AwsServerClusterProps) {
    super(scope, id);
    literalStrings(this);
    const storage = props.storage ?? {};
    const webVia = props.webVia ?? 'load-balancer';
    const usesCloudFront = storage !== false || webVia === 'cloudfront';

    const problems = new ProblemCollector('props.');
    checkRules(problems, {
      namePrefix: [props.namePrefix, RULES.awsNamePrefix],
      domain: [props.domain, RULES.domain],
      region: [props.region, RULES.awsRegion],
      githubRepository: [props.githubRepository, RULES.githubRepository],
      ...Object.fromEntries((props.githubRefs ?? []).map((ref, i) => [`githubRefs[${i}]`, [ref, { pattern: DEPLOY_REF, expected: 'a git ref such as refs/heads/main or refs/heads/deployment-* (* only at the end)' }]])),
    });
    imageProblems(problems, props.image);
    problems.check(props.environments.production !== undefined, 'environments', Object.keys(props.environments), 'production, optionally with staging');
    for (const [name, size] of Object.entries(props.environments)) {
      if (!ENVIRONMENT_NAMES.includes(name as EnvironmentName)) {
        problems.check(false, `environments.${name}`, name, `one of ${ENVIRONMENT_NAMES.join(', ')}`);
        continue;
      }
      if (!size) continue;
      const at = (field: string) => `environments.${name}.${field}`;
      // The sizes are judged here, under the names written, before the inner constructs judge them again.
      checkRules(problems, {
        [at('instanceType')]: [size.instanceType, RULES.ec2InstanceType],
        [at('databaseInstanceClass')]: [size.databaseInstanceClass, RULES.rdsInstanceClass],
        [at('redisNodeType')]: [size.redisNodeType, RULES.cacheNodeType],
      });
      dataLossProblems(problems, `environments.${name}.`, name, size.deletionProtection, size.acknowledgeDataLoss);
      const min = size.minInstances ?? 1;
      const max = size.maxInstances ?? 2;
      problems.wholeNumber(at('minInstances'), min, 0).wholeNumber(at('maxInstances'), max, 1);
      problems.check(min <= max, at('minInstances'), min, `at most maxInstances (${max}${size.maxInstances === undefined ? ', the default' : ''})`);
    }
    problems.check(
      !usesCloudFront || props.cdnProvider !== undefined || props.region === 'us-east-1',
      'cdnProvider',
      undefined,
      `a provider for us-east-1, as ${storage !== false ? 'storage' : 'webVia cloudfront'} uses CloudFront, whose certificate must be in us-east-1`,
    );
    problems.check(props.profile.supportsRole('monolith'), 'profile.roles', props.profile.roles, 'roles including monolith (a cluster runs one process that serves and maintains)');
    problems.check((props.network === undefined) !== (props.existingVpc === undefined), 'network', props.network, props.existingVpc ? 'none with existingVpc' : 'the VPC to create ({ availabilityZones }), or existingVpc');
    if (props.existingVpc) existingVpcProblems(problems, props.existingVpc);
    outputsProblems(problems, props.outputs);
    problems.throwIfAny(`AwsServerCluster "${this.node.path}"`);

    // Construct ids below are the cluster-aws stack's since its first release: they name every resource.
    const name = (environment: EnvironmentName | 'shared', part: string) => resourceName(props.namePrefix, environment, part);
    this.repository = props.repository ?? new ContainerRepository(this, 'registry', { name: props.namePrefix });
    this.network =
      props.existingVpc ??
      new Network(this, 'network', {
        name: name('shared', 'network'),
        region: props.region,
        availabilityZones: props.network!.availabilityZones,
        cidrBlock: props.network!.cidrBlock,
        egress: props.network!.egress,
        flowLogs: props.network!.flowLogs,
      });
    this.zone = new DnsZone(this, 'zone', { domain: props.domain, hostedZoneId: props.dnsZone });
    this.certificate = new DnsValidatedCertificate(this, 'certificate', { zone: this.zone });
    if (usesCloudFront) {
      this.cdnCertificate = new DnsValidatedCertificate(this, 'cdn-certificate', { zone: this.zone, provider: props.cdnProvider, validationRecordOf: this.certificate });
    }

    const environments: Partial<Record<EnvironmentName, ServerCluster>> = {};
    for (const environment of ENVIRONMENT_NAMES) {
      const size = props.environments[environment];
      if (!size) continue;
      environments[environment] = new ServerCluster(this, environment, {
        profile: props.profile,
        project: props.namePrefix,
        environment,
        domain: props.domain,
        region: props.region,
        network: this.network,
        zone: this.zone,
        certificateArn: this.certificate.certificateArn,
        cdnCertificateArn: this.cdnCertificate?.certificateArn,
        repository: this.repository,
        image: props.image,
        architecture: props.architecture,
        instanceType: size.instanceType,
        amiId: props.amiId,
        minInstances: size.minInstances,
        maxInstances: size.maxInstances,
        cpuTargetPercent: size.cpuTargetPercent,
        // A store-only database or Redis takes the same settings as one the app uses.
        database:
          props.database !== false || props.mutableStore?.kind === 'postgres'
            ? {
              instanceClass: size.databaseInstanceClass,
              multiAz: size.databaseMultiAz,
              allocatedStorageGb: size.databaseStorageGb,
              maxConnections: size.databaseMaxConnections,
              engineVersion: size.databaseVersion,
              applyImmediately: size.databaseApplyImmediately,
              finalSnapshot: size.databaseFinalSnapshot,
              deletionProtection: size.deletionProtection ?? environment === 'production',
              acknowledgeDataLoss: size.acknowledgeDataLoss,
            }
          : false,
        redis:
          props.redis || props.mutableStore?.kind === 'redis'
            ? { nodeType: size.redisNodeType, nodes: size.redisNodes, ...(props.redis?.engineVersion !== undefined ? { engineVersion: props.redis.engineVersion } : {}) }
            : undefined,
        mutableStore: props.mutableStore,
        storage: storage !== false,
        webOnTopDomain: props.webOnTopDomain,
        webVia,
        cloudFrontPrefixListId: props.cloudFrontPrefixListId,
        idleTimeoutSec: props.idleTimeoutSec,
        secrets: props.secrets,
        applyMigrations: props.applyMigrations,
      });
    }
    this.environments = environments;
    const clusters = Object.entries(environments) as [EnvironmentName, ServerCluster][];

    if (props.githubRepository) {
      const repository = props.githubRepository;
      this.deployRole = new GitHubDeployRole(this, 'github-deploy', {
        name: name('shared', 'github-deploy'),
        repository,
        // The same refs as on GCP: the main branch and the deployment-* branches unless told otherwise.
        subjects: (props.githubRefs ?? DEFAULT_DEPLOY_REFS).map((ref) => `repo:${repository}:ref:${ref}`),
        oidcProviderArn: props.githubOidcProviderArn,
        repositoryArn: this.repository.repository.arn,
        autoScalingGroupArns: clusters.map(([, c]) => c.servers.autoScalingGroup.arn),
      });
    }

    const out = outputWriter(this, props.outputs);
    out('ecr_repository_url', this.repository.url, 'ECR repository that CI pushes the server image to');
    for (const [environment, cluster] of clusters) {
      out(`image_${environment}`, cluster.imageUri, `Image the ${environment} servers run${props.image ? ' (an image from elsewhere: apply a new reference to deploy)' : ''}`);
    }
    if (this.zone.nameServers) out('name_servers', this.zone.nameServers, `Delegate ${props.domain} to these name servers at your registrar`);
    if (this.deployRole) out('github_deploy_role_arn', this.deployRole.roleArn, 'Role the deploy workflow assumes (AWS_DEPLOY_ROLE_ARN)');
    for (const [environment, cluster] of clusters) {
      const envOut = (key: string, value: unknown, description: string) => out(`${environment}_${key}`, value, description);
      for (const port of props.profile.ports) {
        envOut(`${port.name}_url`, `https://${cluster.hosts.primary[port.name]}`, `Public URL of the ${environment} ${port.name} server`);
      }
      envOut('autoscaling_group_name', cluster.autoScalingGroupName, `Auto Scaling group of the ${environment} servers (instance refresh target)`);
      envOut('load_balancer_dns_name', cluster.loadBalancer.dnsName, `DNS name of the ${environment} load balancer`);
      envOut('log_group_name', cluster.logGroup.name, `CloudWatch log group of the ${environment} containers`);
      if (cluster.database) {
        envOut('database_endpoint', cluster.database.instance.endpoint, `Postgres endpoint (host:port) of ${environment}, private`);
        envOut('database_secret_arn', cluster.database.secretArn, `Secrets Manager secret holding the ${environment} database password (JSON key password)`);
      }
      if (cluster.redis) envOut('redis_endpoint', cluster.redis.address, `Redis primary endpoint of ${environment} (TLS, port 6379)`);
      if (cluster.privateBucket) envOut('private_bucket', cluster.privateBucket.bucketName, `Private bucket of ${environment}`);
      if (cluster.publicBucket) envOut('public_bucket', cluster.publicBucket.bucketName, `Public-storage bucket of ${environment}, served at storage`);
      if (cluster.hosts.storage) envOut('storage_url', `https://${cluster.hosts.storage}`, `Public storage URL of ${environment}`);
      for (const [key, secret] of Object.entries(cluster.secrets)) envOut(`secret_${key}_arn`, secret.arn, `Secret ${key} of ${environment}: put its value before the servers start`);
      if (props.profile.framework !== 'serverpod') continue;
      envOut(
        'serverpod_config',
        serverpodConfigYaml({
          hosts: cluster.hosts,
          database: cluster.database && { host: cluster.database.address, requireSsl: true, maxConnectionCount: cluster.databasePoolSize },
          // No AUTH token: Serverpod logs in as Redis's default user (SERVERPOD_REDIS_USER), with any password.
          redis: cluster.redis && { host: cluster.redis.address, port: cluster.redis.port, user: REDIS_DEFAULT_USER, requireSsl: true },
        }),
        `${environment}: the settings of config/${environment}.yaml (the servers also receive them as environment variables)`,
      );
    }
  }
}

/** An existing VPC's ids, judged by their form (what they hold is known only at apply). */
function existingVpcProblems(problems: ProblemCollector, vpc: NetworkRef): void {
  problems.check(VPC_ID.test(vpc.vpcId), 'existingVpc.vpcId', vpc.vpcId, 'a VPC id such as vpc-0123456789abcdef0');
  for (const kind of ['publicSubnetIds', 'privateSubnetIds'] as const) {
    const ids = vpc[kind];
    problems.check(ids.length >= 2, `existingVpc.${kind}`, ids, 'two or more subnet ids, in different zones (the load balancer and a multi-AZ database need two)');
    ids.forEach((subnet, i) => problems.check(SUBNET_ID.test(subnet) && ids.indexOf(subnet) === i, `existingVpc.${kind}[${i}]`, subnet, 'a subnet id such as subnet-0123456789abcdef0, each once'));
  }
}
