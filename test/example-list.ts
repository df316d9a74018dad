import { App, TerraformStack } from 'cdktf';
import { buildExample as customServerAws } from '../examples/custom-server-aws/main';
import { buildExample as perseusGcp } from '../examples/perseus-gcp/main';
import { buildExample as serverlessGcp } from '../examples/serverless-gcp/main';
import { buildExample as serverpodAws } from '../examples/serverpod-aws/main';
import { buildExample as serverpodGcp } from '../examples/serverpod-gcp/main';

/** Every example under examples/, by folder name. A new example is added here, and so to every check. */
export const EXAMPLE_BUILDERS: Record<string, (app: App) => TerraformStack[]> = {
  'custom-server-aws': customServerAws,
  'perseus-gcp': perseusGcp,
  'serverless-gcp': serverlessGcp,
  'serverpod-aws': serverpodAws,
  'serverpod-gcp': serverpodGcp,
};
