import { readFileSync } from 'fs';
import { join } from 'path';

/** The example config in the repository: every stack, staging on. */
export const FULL_CONFIG = readFileSync(join(__dirname, '..', 'deploy.yaml'), 'utf8');

/** The least a user must write for all three stacks: production only, defaults everywhere. */
export const MINIMAL_CONFIG = `
domain: example.com
stacks:
  cluster-gcp: { project: example-project }
  cluster-aws: {}
  serverless-gcp: { project: example-project }
`;

/** Remote state for both clouds. */
export const REMOTE_STATE_CONFIG = `${MINIMAL_CONFIG}
state:
  gcs: { bucket: tf-state-example, prefix: infra }
  s3: { bucket: tf-state-example, region: eu-west-1, keyPrefix: infra }
`;

/** cluster-aws alone, defaults everywhere. */
export const MINIMAL_AWS_CONFIG = `
domain: example.com
stacks:
  cluster-aws: {}
`;

/** cluster-aws with every optional part on; snapshotted in cluster-aws.test.ts and planned in terraform-plan.test.ts. */
export const FULL_AWS_CONFIG = `
project: podshop
domain: podshop.dev
environments: [production, staging]
redis: true
storage: true
webOnTopDomain: true
github: { repository: podshop/podshop }
stacks:
  cluster-aws:
    region: eu-central-1
    availabilityZones: [eu-central-1a, eu-central-1b, eu-central-1c]
    hostedZoneId: Z0123456789ABCDEFGHIJ
    egress: vpc-endpoints
    architecture: arm64
    webVia: cloudfront
    idleTimeoutSec: 1800
    secrets: [serviceSecret]
    sizes:
      production: { instanceType: t4g.small, minInstances: 2, maxInstances: 6, cpuTargetPercent: 50, databaseInstanceClass: db.t4g.small, databaseMultiAz: true, redisNodes: 2 }
      staging: { instanceType: t4g.micro, minInstances: 1, maxInstances: 1 }
`;

/** A Perseus app on cluster-aws whose servers share a bucket as mutable store; tested in perseus.test.ts, planned in terraform-plan.test.ts. */
export const PERSEUS_AWS_CONFIG = `
project: site
domain: site.example
app: { preset: perseus, strategies: [buildState, revalidation, incrementalGeneration] }
database: false
storage: false
mutableStore: bucket
stacks:
  cluster-aws:
    region: eu-west-1
    availabilityZones: [eu-west-1a, eu-west-1b]
    sizes:
      production: { instanceType: t3.small, minInstances: 2, maxInstances: 4 }
`;
