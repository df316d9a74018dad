import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { AppProfile } from '../lib/app/profile';
import { AwsServerCluster } from '../lib/aws/cluster';
import { DnsValidatedCertificate, DnsZone } from '../lib/aws/dns';
import { GitHubDeployRole } from '../lib/aws/github-deploy-role';
import { NetworkRef } from '../lib/aws/network';
import { ContainerRepository } from '../lib/aws/registry';
import { ServerCluster } from '../lib/aws/server-cluster';
import { appProfileFromConfig } from '../lib/config/profile';
import { ClusterAwsConfig, DeployConfig } from '../lib/config/schema';
import { EnvironmentName } from '../lib/naming';
import { AwsProvider } from '../lib/providers/aws';
import { configureState } from '../lib/state';
import { commonLabels } from './common';
import { literalStrings } from '../lib/terraform-strings';
import { ConfigFields, secretField } from './config-errors';

/**
 * The server cluster on AWS: the `AwsServerCluster` pattern over the config's environments. Per environment an
 * Auto Scaling group in private subnets behind its own Application Load Balancer, with Postgres, Redis, buckets and
 * CloudFront as configured; shared between environments only the VPC, the hosted zone, the certificates, the ECR
 * repository and the GitHub deploy role. See docs/cluster-aws.md.
 */
export class ClusterAwsStack extends TerraformStack {
  public readonly profile: AppProfile;
  /** The pattern holding every environment. */
  public readonly cluster: AwsServerCluster;
  public readonly repository: ContainerRepository;
  public readonly network: NetworkRef;
  public readonly zone: DnsZone;
  /** Regional certificate (load balancers). */
  public readonly certificate: DnsValidatedCertificate;
  /** us-east-1 certificate (CloudFront), when storage or `webVia: cloudfront` needs it. */
  public readonly cdnCertificate?: DnsValidatedCertificate;
  public readonly clusters: Partial<Record<EnvironmentName, ServerCluster>>;
  public readonly deployRole?: GitHubDeployRole;

  constructor(scope: Construct, id: string, config: DeployConfig, stack: ClusterAwsConfig) {
    super(scope, id);
    literalStrings(this);
    this.profile = appProfileFromConfig(config);
    const providerSettings = {
      // Refuses to touch any other account when one is configured: a guard against a wrong profile.
      allowedAccountIds: stack.accountId ? [stack.accountId] : undefined,
      defaultTags: [{ tags: commonLabels(config, id) }],
    };
    new AwsProvider(this, 'aws', { region: stack.region, ...providerSettings });
    const usesCloudFront = config.storage || stack.webVia === 'cloudfront';
    // CloudFront accepts only certificates from us-east-1.
    const usEast1 = usesCloudFront ? new AwsProvider(this, 'aws_us_east_1', { alias: 'us_east_1', region: 'us-east-1', ...providerSettings }) : undefined;
    configureState(this, id, 'aws', config.state);

    // The id `Default` leaves the pattern out of every resource's address: they stay what this stack named them
    // before the pattern existed (cluster-aws.network..., not cluster-aws.Default.network...).
    this.cluster = new AwsServerCluster(this, 'Default', {
      region: stack.region,
      namePrefix: config.project,
      domain: config.domain,
      profile: this.profile,
      environments: Object.fromEntries(
        config.environments.map((environment) => {
          const size = stack.sizes[environment];
          const database = stack.database[environment];
          return [
            environment,
            {
              instanceType: size.instanceType,
              minInstances: size.minInstances,
              maxInstances: size.maxInstances,
              cpuTargetPercent: size.cpuTargetPercent,
              databaseInstanceClass: size.databaseInstanceClass,
              databaseMultiAz: size.databaseMultiAz,
              databaseStorageGb: size.databaseStorageGb,
              databaseMaxConnections: size.databaseMaxConnections,
              databaseVersion: String(database.engineVersion),
              databaseApplyImmediately: database.applyImmediately,
              databaseFinalSnapshot: database.finalSnapshot,
              deletionProtection: database.deletionProtection,
              acknowledgeDataLoss: database.acknowledgeDataLoss,
              redisNodeType: size.redisNodeType,
              redisNodes: size.redisNodes,
            },
          ];
        }),
      ),
      database: config.database,
      redis: config.redis ? {} : undefined,
      mutableStore: config.mutableStore === 'none' ? undefined : { kind: config.mutableStore },
      storage: config.storage ? {} : false,
      webOnTopDomain: config.webOnTopDomain,
      dnsZone: stack.hostedZoneId,
      network: stack.existingVpc ? undefined : { availabilityZones: stack.availabilityZones, cidrBlock: stack.vpcCidr, egress: stack.egress },
      existingVpc: stack.existingVpc,
      image: config.app.image,
      architecture: stack.architecture,
      amiId: stack.amiId,
      webVia: stack.webVia,
      cloudFrontPrefixListId: stack.cloudFrontPrefixListId,
      idleTimeoutSec: stack.idleTimeoutSec,
      cdnProvider: usEast1,
      // The earlier per-stack list: empty secrets, beside the top-level ones (the schema refuses a key in both).
      secrets: { ...config.secrets, ...Object.fromEntries(stack.secrets.map((key) => [key, 'empty' as const])) },
      applyMigrations: config.app.applyMigrations,
      githubRepository: config.github?.repository,
      githubRefs: config.github?.refs,
      githubOidcProviderArn: stack.githubOidcProviderArn,
    });
    this.repository = this.cluster.repository;
    this.network = this.cluster.network;
    this.zone = this.cluster.zone;
    this.certificate = this.cluster.certificate;
    this.cdnCertificate = this.cluster.cdnCertificate;
    this.clusters = this.cluster.environments;
    this.deployRole = this.cluster.deployRole;
  }
}

/** Where the props of this stack's constructs come from in deploy.yaml, to word what they refuse (config-errors.ts). */
export function clusterAwsConfigFields(config: DeployConfig, stack: ClusterAwsConfig): ConfigFields {
  const at = (field: string) => `stacks.cluster-aws.${field}`;
  const size = (field: string) => `stacks.cluster-aws.sizes.{env}.${field}`;
  return {
    // Names built from the project.
    'ContainerRepository.name': 'project',
    'Network.name': 'project',
    'ServerCluster.project': 'project',
    'PostgresDatabase.identifier': 'project',
    'RedisCache.replicationGroupId': 'project',
    'AppLoadBalancer.name': 'project',
    'PrivateBucket.namePrefix': 'project',
    'InstanceRole.name': 'project',
    'ServerGroup.name': 'project',
    'StorageAccessKey.name': 'project',
    'AwsServerCluster.namePrefix': 'project',
    'AwsServerCluster.domain': 'domain',
    'AwsServerCluster.region': at('region'),
    'AwsServerCluster.environments': at('sizes'),
    'AwsServerCluster.existingVpc': at('existingVpc'),
    'AwsServerCluster.profile': 'app.preset',
    'AwsServerCluster.githubRepository': 'github.repository',
    'AwsServerCluster.githubRefs': 'github.refs',
    'AwsServerCluster.secrets': (rest) => secretField(rest, config.secrets, stack.secrets, at('secrets')),
    'Network.region': at('region'),
    'Network.availabilityZones': at('availabilityZones'),
    'Network.cidrBlock': at('vpcCidr'),
    'Network.egress': at('egress'),
    'DnsZone.domain': 'domain',
    'DnsZone.hostedZoneId': at('hostedZoneId'),
    'ServerCluster.domain': 'domain',
    'ServerCluster.region': at('region'),
    'ServerCluster.environment': 'environments',
    'ServerCluster.storage': 'storage',
    'ServerCluster.architecture': at('architecture'),
    'ServerCluster.instanceType': size('instanceType'),
    'ServerCluster.amiId': at('amiId'),
    'ServerCluster.minInstances': size('minInstances'),
    'ServerCluster.maxInstances': size('maxInstances'),
    'ServerCluster.cpuTargetPercent': size('cpuTargetPercent'),
    // The connection budget: the environment's sizes decide it (servers, instance class, max_connections).
    'ServerCluster.database': 'stacks.cluster-aws.sizes.{env}',
    'ServerCluster.database.instanceClass': size('databaseInstanceClass'),
    'ServerCluster.database.maxConnections': size('databaseMaxConnections'),
    'ServerCluster.database.engineVersion': 'stacks.cluster-aws.database.{env}.engineVersion',
    'ServerCluster.redis.nodeType': size('redisNodeType'),
    'ServerCluster.redis.nodes': size('redisNodes'),
    'ServerCluster.webVia': at('webVia'),
    'ServerCluster.cloudFrontPrefixListId': at('cloudFrontPrefixListId'),
    'ServerCluster.idleTimeoutSec': at('idleTimeoutSec'),
    'ServerCluster.secrets': (rest) => secretField(rest, config.secrets, stack.secrets, at('secrets')),
    'ServerGroup.architecture': at('architecture'),
    'ServerGroup.instanceType': size('instanceType'),
    'ServerGroup.amiId': at('amiId'),
    'ServerGroup.minInstances': size('minInstances'),
    'ServerGroup.maxInstances': size('maxInstances'),
    'ServerGroup.cpuTargetPercent': size('cpuTargetPercent'),
    'ServerGroup.userData': 'app.environment',
    'PostgresDatabase.instanceClass': size('databaseInstanceClass'),
    'PostgresDatabase.allocatedStorageGb': size('databaseStorageGb'),
    'PostgresDatabase.maxAllocatedStorageGb': size('databaseStorageGb'),
    'PostgresDatabase.maxConnections': size('databaseMaxConnections'),
    'PostgresDatabase.engineVersion': 'stacks.cluster-aws.database.{env}.engineVersion',
    'RedisCache.nodeType': size('redisNodeType'),
    'RedisCache.nodes': size('redisNodes'),
    'AppLoadBalancer.idleTimeoutSec': at('idleTimeoutSec'),
    'AppLoadBalancer.cloudFrontOnly.prefixListId': at('cloudFrontPrefixListId'),
    'BucketDistribution.aliases': 'domain',
    'LoadBalancerDistribution.aliases': 'domain',
    'GitHubDeployRole.repository': 'github.repository',
    'GitHubDeployRole.subjects': 'github.refs',
    'GitHubDeployRole.oidcProviderArn': at('githubOidcProviderArn'),
  };
}
