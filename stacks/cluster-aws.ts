import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { AppProfile } from '../lib/app/profile';
import { DnsValidatedCertificate, DnsZone } from '../lib/aws/dns';
import { GitHubDeployRole } from '../lib/aws/github-deploy-role';
import { Network } from '../lib/aws/network';
import { ContainerRepository } from '../lib/aws/registry';
import { ServerCluster } from '../lib/aws/server-cluster';
import { appProfileFromConfig } from '../lib/config/profile';
import { ClusterAwsConfig, DeployConfig } from '../lib/config/schema';
import { EnvironmentName, resourceName } from '../lib/naming';
import { AwsProvider } from '../lib/providers/aws';
import { configureState } from '../lib/state';
import { commonLabels } from './common';
import { literalStrings } from '../lib/terraform-strings';
import { ConfigFields, secretField } from './config-errors';

/**
 * The server cluster on AWS: per environment, an Auto Scaling group in private subnets behind its own
 * Application Load Balancer, with Postgres, Redis, buckets and CloudFront as configured; shared between
 * environments only the VPC, the hosted zone, the certificates, the ECR repository and the GitHub deploy role.
 * See docs/cluster-aws.md.
 */
export class ClusterAwsStack extends TerraformStack {
  public readonly profile: AppProfile;
  public readonly repository: ContainerRepository;
  public readonly network: Network;
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

    this.repository = new ContainerRepository(this, 'registry', { name: config.project });
    this.network = new Network(this, 'network', {
      name: resourceName(config.project, 'shared', 'network'),
      region: stack.region,
      availabilityZones: stack.availabilityZones,
      cidrBlock: stack.vpcCidr,
      egress: stack.egress,
    });
    this.zone = new DnsZone(this, 'zone', { domain: config.domain, hostedZoneId: stack.hostedZoneId });
    this.certificate = new DnsValidatedCertificate(this, 'certificate', { zone: this.zone });
    if (usEast1) this.cdnCertificate = new DnsValidatedCertificate(this, 'cdn-certificate', { zone: this.zone, provider: usEast1, validationRecordOf: this.certificate });

    const clusters: Partial<Record<EnvironmentName, ServerCluster>> = {};
    for (const environment of config.environments) {
      const size = stack.sizes[environment];
      clusters[environment] = new ServerCluster(this, environment, {
        profile: this.profile,
        project: config.project,
        environment,
        domain: config.domain,
        region: stack.region,
        network: this.network,
        zone: this.zone,
        certificateArn: this.certificate.certificateArn,
        cdnCertificateArn: this.cdnCertificate?.certificateArn,
        repository: this.repository,
        architecture: stack.architecture,
        instanceType: size.instanceType,
        amiId: stack.amiId,
        minInstances: size.minInstances,
        maxInstances: size.maxInstances,
        cpuTargetPercent: size.cpuTargetPercent,
        // A store-only database or Redis takes the same settings as one the app uses.
        database: (config.database || config.mutableStore === 'postgres') && {
          instanceClass: size.databaseInstanceClass,
          multiAz: size.databaseMultiAz,
          allocatedStorageGb: size.databaseStorageGb,
          maxConnections: size.databaseMaxConnections,
          engineVersion: String(stack.database[environment].engineVersion),
          applyImmediately: stack.database[environment].applyImmediately,
          finalSnapshot: stack.database[environment].finalSnapshot,
          deletionProtection: stack.database[environment].deletionProtection ?? environment === 'production',
        },
        redis: (config.redis || config.mutableStore === 'redis') && { nodeType: size.redisNodeType, nodes: size.redisNodes },
        mutableStore: config.mutableStore === 'none' ? undefined : { kind: config.mutableStore },
        storage: config.storage,
        webOnTopDomain: config.webOnTopDomain,
        webVia: stack.webVia,
        cloudFrontPrefixListId: stack.cloudFrontPrefixListId,
        idleTimeoutSec: stack.idleTimeoutSec,
        // The earlier per-stack list: empty secrets, beside the top-level ones (the schema refuses a key in both).
        secrets: { ...config.secrets, ...Object.fromEntries(stack.secrets.map((key) => [key, 'empty' as const])) },
        applyMigrations: config.app.applyMigrations,
      });
    }
    this.clusters = clusters;

    if (config.github) {
      this.deployRole = new GitHubDeployRole(this, 'github-deploy', {
        name: resourceName(config.project, 'shared', 'github-deploy'),
        repository: config.github.repository,
        // The same refs as on GCP: the main branch and the deployment-* branches unless the config says otherwise.
        subjects: config.github.refs.map((ref) => `repo:${config.github!.repository}:ref:${ref}`),
        oidcProviderArn: stack.githubOidcProviderArn,
        repositoryArn: this.repository.repository.arn,
        autoScalingGroupArns: Object.values(clusters).map((c) => c!.servers.autoScalingGroup.arn),
      });
    }

    new TerraformOutput(this, 'ecr_repository_url', { value: this.repository.url, description: 'ECR repository that CI pushes the server image to' });
    for (const environment of config.environments) {
      new TerraformOutput(this, `image_${environment}`, { value: this.repository.imageUri(environment), description: `Image the ${environment} servers run` });
    }
    if (this.zone.nameServers) {
      new TerraformOutput(this, 'name_servers', { value: this.zone.nameServers, description: `Delegate ${config.domain} to these name servers at your registrar` });
    }
    if (this.deployRole) {
      new TerraformOutput(this, 'github_deploy_role_arn', { value: this.deployRole.roleArn, description: 'Role the deploy workflow assumes (AWS_DEPLOY_ROLE_ARN)' });
    }
    for (const [environment, cluster] of Object.entries(clusters) as [EnvironmentName, ServerCluster][]) {
      const out = (name: string, value: string, description: string) => new TerraformOutput(this, `${environment}_${name}`, { value, description });
      for (const port of this.profile.ports) {
        out(`${port.name}_url`, `https://${cluster.hosts.primary[port.name]}`, `Public URL of the ${environment} ${port.name} server`);
      }
      out('autoscaling_group_name', cluster.autoScalingGroupName, `Auto Scaling group of the ${environment} servers (instance refresh target)`);
      out('load_balancer_dns_name', cluster.loadBalancer.dnsName, `DNS name of the ${environment} load balancer`);
      out('log_group_name', cluster.logGroup.name, `CloudWatch log group of the ${environment} containers`);
      if (cluster.database) {
        out('database_endpoint', cluster.database.instance.endpoint, `Postgres endpoint (host:port) of ${environment}, private`);
        out('database_secret_arn', cluster.database.secretArn, `Secrets Manager secret holding the ${environment} database password (JSON key password)`);
      }
      if (cluster.redis) out('redis_endpoint', cluster.redis.address, `Redis primary endpoint of ${environment} (TLS, port 6379)`);
      if (cluster.privateBucket) out('private_bucket', cluster.privateBucket.bucketName, `Private bucket of ${environment}`);
      if (cluster.publicBucket) out('public_bucket', cluster.publicBucket.bucketName, `Public-storage bucket of ${environment}, served at storage`);
      if (cluster.hosts.storage) out('storage_url', `https://${cluster.hosts.storage}`, `Public storage URL of ${environment}`);
      for (const [key, secret] of Object.entries(cluster.secrets)) out(`secret_${key}_arn`, secret.arn, `Secret ${key} of ${environment}: put its value before the servers start`);
    }
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
