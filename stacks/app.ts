import { Annotations, App, TerraformStack } from 'cdktf';
import { DeployConfig, StackId } from '../lib/config/schema';
import { ClusterAwsStack, clusterAwsConfigFields } from './cluster-aws';
import { ClusterGcpStack, clusterGcpConfigFields } from './cluster-gcp';
import { ConfigFields, inConfigTerms } from './config-errors';
import { ServerlessGcpStack, serverlessGcpConfigFields } from './serverless-gcp';

export interface CreateStacksOptions {
  /**
   * The config file the stacks are built from. Given, what a construct refuses is thrown as a problem of this file,
   * named by its deploy.yaml field (`stacks.cluster-aws.availabilityZones`), as the cdktf app reports it.
   * @default - each construct's own error, named by its props and path
   */
  readonly configFile?: string;
}

/** Creates every stack the config enables, under its fixed id (the name `cdktf deploy <id>` takes). */
export function createStacks(app: App, config: DeployConfig, options: CreateStacksOptions = {}): Partial<Record<StackId, TerraformStack>> {
  const { configFile } = options;
  const build = <T>(id: StackId, fields: () => ConfigFields, create: () => T): T => (configFile === undefined ? create() : inConfigTerms(configFile, id, fields(), create));
  const stacks: Partial<Record<StackId, TerraformStack>> = {};
  const { 'cluster-gcp': clusterGcp, 'cluster-aws': clusterAws, 'serverless-gcp': serverlessGcp } = config.stacks;
  if (clusterGcp?.enabled) stacks['cluster-gcp'] = build('cluster-gcp', () => clusterGcpConfigFields(clusterGcp), () => new ClusterGcpStack(app, 'cluster-gcp', config, clusterGcp));
  if (clusterAws?.enabled) stacks['cluster-aws'] = build('cluster-aws', () => clusterAwsConfigFields(config, clusterAws), () => new ClusterAwsStack(app, 'cluster-aws', config, clusterAws));
  if (serverlessGcp?.enabled) stacks['serverless-gcp'] = build('serverless-gcp', serverlessGcpConfigFields, () => new ServerlessGcpStack(app, 'serverless-gcp', config, serverlessGcp));
  if (stacks['cluster-gcp'] && stacks['serverless-gcp']) {
    // Both would publish api., insights. and app. of one domain: fine to synthesize side by side, not to deploy both.
    Annotations.of(stacks['serverless-gcp']).addWarning(
      `cluster-gcp and serverless-gcp both serve the hosts of ${config.domain}; deploy one of them for this domain (give the other its own config file and domain)`,
    );
  }
  return stacks;
}
