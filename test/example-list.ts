import { App, TerraformStack } from 'cdktf';
import { buildExample as customServerAws } from '../examples/custom-server-aws/main';
import { buildExample as perseusCloudRun } from '../examples/perseus-cloud-run/main';
import { buildExample as perseusClusterGcp } from '../examples/perseus-cluster-gcp/main';
import { buildExample as perseusStaticAws } from '../examples/perseus-static-aws/main';
import { buildExample as perseusStaticGcp } from '../examples/perseus-static-gcp/main';
import { buildExample as serverlessGcp } from '../examples/serverless-gcp/main';
import { buildExample as serverpodAws } from '../examples/serverpod-aws/main';
import { buildExample as serverpodGcp } from '../examples/serverpod-gcp/main';

/** Every example under examples/, by folder name. A new example is added here, and so to every check. */
export const EXAMPLE_BUILDERS: Record<string, (app: App) => TerraformStack[]> = {
  'custom-server-aws': customServerAws,
  'perseus-cloud-run': perseusCloudRun,
  'perseus-cluster-gcp': perseusClusterGcp,
  'perseus-static-aws': perseusStaticAws,
  'perseus-static-gcp': perseusStaticGcp,
  'serverless-gcp': serverlessGcp,
  'serverpod-aws': serverpodAws,
  'serverpod-gcp': serverpodGcp,
};
