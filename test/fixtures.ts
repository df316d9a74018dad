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
