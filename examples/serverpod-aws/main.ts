// Example: a Serverpod server on AWS built from this library's constructs rather than the bundled
// `cluster-aws` stack, with every optional part on: staging beside production, Postgres (multi-AZ in
// production), Redis with a replica, storage buckets served by CloudFront, the web server through CloudFront
// and at the bare domain, Graviton instances, and a GitHub Actions deploy role. In your project, import from
// 'cdktf-serverpod' instead of '../../lib'. deploy-aws.yml next to this file is the matching workflow.
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider, EnvironmentName, aws, resourceName, serverpodProfile } from '../../lib';

const PROJECT = 'podcafe';
const DOMAIN = 'podcafe.example';
const REGION = 'eu-west-1';

export class ServerpodAwsStack extends TerraformStack {
  public readonly clusters: Record<EnvironmentName, aws.ServerCluster>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: REGION, defaultTags: [{ tags: { project: PROJECT } }] });
    const usEast1 = new AwsProvider(this, 'aws_us_east_1', { alias: 'us_east_1', region: 'us-east-1', defaultTags: [{ tags: { project: PROJECT } }] });
    const profile = serverpodProfile({ name: PROJECT, logging: 'verbose' });

    const repository = new aws.ContainerRepository(this, 'images', { name: PROJECT, keepImages: 50 });
    const network = new aws.Network(this, 'network', {
      name: resourceName(PROJECT, 'shared', 'network'),
      region: REGION,
      availabilityZones: [`${REGION}a`, `${REGION}b`, `${REGION}c`],
      cidrBlock: '10.42.0.0/16',
      egress: 'nat-gateway',
    });
    const zone = new aws.DnsZone(this, 'zone', { domain: DOMAIN });
    const certificate = new aws.DnsValidatedCertificate(this, 'certificate', { zone });
    const cdnCertificate = new aws.DnsValidatedCertificate(this, 'cdn-certificate', { zone, provider: usEast1, validationRecordOf: certificate });

    const common = {
      profile,
      project: PROJECT,
      domain: DOMAIN,
      region: REGION,
      network,
      zone,
      certificateArn: certificate.certificateArn,
      cdnCertificateArn: cdnCertificate.certificateArn,
      repository,
      architecture: 'arm64' as const,
      storage: true,
      webOnTopDomain: true,
      webVia: 'cloudfront' as const,
      idleTimeoutSec: 3600,
      secrets: ['serviceSecret', 'jwtHmacSha512PrivateKey'],
    };
    this.clusters = {
      production: new aws.ServerCluster(this, 'production', {
        ...common,
        environment: 'production',
        instanceType: 't4g.small',
        minInstances: 2,
        maxInstances: 8,
        cpuTargetPercent: 55,
        database: { instanceClass: 'db.t4g.small', multiAz: true, allocatedStorageGb: 50, backupRetentionDays: 14, performanceInsights: true },
        redis: { nodeType: 'cache.t4g.small', nodes: 2, snapshotRetentionDays: 7 },
        logRetentionDays: 90,
      }),
      staging: new aws.ServerCluster(this, 'staging', {
        ...common,
        environment: 'staging',
        instanceType: 't4g.micro',
        minInstances: 1,
        maxInstances: 1,
        redis: true,
      }),
    };

    const deployRole = new aws.GitHubDeployRole(this, 'github-deploy', {
      name: resourceName(PROJECT, 'shared', 'github-deploy'),
      repository: 'podcafe/podcafe',
      // Exactly what deploy-aws.yml presents: pushes to its two branches and manual runs from main (its job uses no
      // GitHub environment, which would present repo:podcafe/podcafe:environment:<name> instead).
      subjects: ['main', 'deployment-aws-production', 'deployment-aws-staging'].map((branch) => `repo:podcafe/podcafe:ref:refs/heads/${branch}`),
      repositoryArn: repository.repository.arn,
      autoScalingGroupArns: Object.values(this.clusters).map((c) => c.servers.autoScalingGroup.arn),
    });

    new TerraformOutput(this, 'ecr_repository_url', { value: repository.url });
    new TerraformOutput(this, 'github_deploy_role_arn', { value: deployRole.roleArn });
    new TerraformOutput(this, 'name_servers', { value: zone.nameServers });
    for (const [environment, cluster] of Object.entries(this.clusters)) {
      new TerraformOutput(this, `${environment}_api_url`, { value: `https://${cluster.hosts.primary.api}` });
      new TerraformOutput(this, `${environment}_autoscaling_group_name`, { value: cluster.autoScalingGroupName });
      new TerraformOutput(this, `${environment}_database_secret_arn`, { value: cluster.database!.secretArn });
    }
  }
}

export function buildExample(app: App): TerraformStack[] {
  return [new ServerpodAwsStack(app, 'serverpod-aws')];
}

if (require.main === module) {
  const app = new App();
  buildExample(app);
  app.synth();
}
