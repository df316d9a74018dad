// Example: a Serverpod server on AWS from the `AwsServerCluster` pattern rather than the bundled `cluster-aws`
// stack, with every optional part on: staging beside production, Postgres (multi-AZ in production), Redis with a
// replica, storage buckets served by CloudFront, the web server through CloudFront and at the bare domain, Graviton
// instances, and a GitHub Actions deploy role. The pattern writes the outputs (URLs, groups, database secrets). In your project, import from
// 'cdktf-serverpod' instead of '../../lib'. deploy-aws.yml next to this file is the matching workflow.
import { App, Aspects, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider, Guardrails, aws, serverpodProfile } from '../../lib';

const PROJECT = 'podcafe';
const DOMAIN = 'podcafe.example';
const REGION = 'eu-west-1';

export class ServerpodAwsStack extends TerraformStack {
  public readonly cluster: aws.AwsServerCluster;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Every resource of the stack is checked at synth; an error fails it (docs/guardrails.md).
    Aspects.of(this).add(new Guardrails());
    new AwsProvider(this, 'aws', { region: REGION, defaultTags: [{ tags: { project: PROJECT } }] });
    // CloudFront (storage, and the web server with webVia cloudfront) takes certificates from us-east-1 only.
    const usEast1 = new AwsProvider(this, 'aws_us_east_1', { alias: 'us_east_1', region: 'us-east-1', defaultTags: [{ tags: { project: PROJECT } }] });

    this.cluster = new aws.AwsServerCluster(this, 'cluster', {
      region: REGION,
      namePrefix: PROJECT,
      domain: DOMAIN,
      profile: serverpodProfile({ name: PROJECT, logging: 'verbose' }),
      network: { availabilityZones: [`${REGION}a`, `${REGION}b`, `${REGION}c`], cidrBlock: '10.42.0.0/16', egress: 'nat-gateway' },
      // Its own repository, to keep more images than the default.
      repository: new aws.ContainerRepository(this, 'images', { name: PROJECT, keepImages: 50 }),
      cdnProvider: usEast1,
      architecture: 'arm64',
      environments: {
        production: {
          instanceType: 't4g.small',
          minInstances: 2,
          maxInstances: 8,
          cpuTargetPercent: 55,
          databaseInstanceClass: 'db.t4g.small',
          databaseMultiAz: true,
          databaseStorageGb: 50,
          redisNodeType: 'cache.t4g.small',
          redisNodes: 2,
        },
        staging: { instanceType: 't4g.micro', minInstances: 1, maxInstances: 1 },
      },
      redis: {},
      storage: {},
      webOnTopDomain: true,
      webVia: 'cloudfront',
      idleTimeoutSec: 3600,
      secrets: { stripeApiKey: 'empty' },
      githubRepository: 'podcafe/podcafe',
      // Exactly what deploy-aws.yml presents: pushes to its two branches and manual runs from main (its job uses no
      // GitHub environment, which would present repo:podcafe/podcafe:environment:<name> instead).
      githubRefs: ['main', 'deployment-aws-production', 'deployment-aws-staging'].map((branch) => `refs/heads/${branch}`),
    });
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
