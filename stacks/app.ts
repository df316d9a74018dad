import { Annotations, App, TerraformStack } from 'cdktf';
import { DeployConfig, StackId } from '../lib/config/schema';
import { ClusterAwsStack } from './cluster-aws';
import { ClusterGcpStack } from './cluster-gcp';
import { ServerlessGcpStack } from './serverless-gcp';

/** Creates every stack the config enables, under its fixed id (the name `cdktf deploy <id>` takes). */
export function createStacks(app: App, config: DeployConfig): Partial<Record<StackId, TerraformStack>> {
  const stacks: Partial<Record<StackId, TerraformStack>> = {};
  const { 'cluster-gcp': clusterGcp, 'cluster-aws': clusterAws, 'serverless-gcp': serverlessGcp } = config.stacks;
  if (clusterGcp?.enabled) stacks['cluster-gcp'] = new ClusterGcpStack(app, 'cluster-gcp', config, clusterGcp);
  if (clusterAws?.enabled) stacks['cluster-aws'] = new ClusterAwsStack(app, 'cluster-aws', config, clusterAws);
  if (serverlessGcp?.enabled) stacks['serverless-gcp'] = new ServerlessGcpStack(app, 'serverless-gcp', config, serverlessGcp);
  if (stacks['cluster-gcp'] && stacks['serverless-gcp']) {
    // Both would publish api., insights. and app. of one domain: fine to synthesize side by side, not to deploy both.
    Annotations.of(stacks['serverless-gcp']).addWarning(
      `cluster-gcp and serverless-gcp both serve the hosts of ${config.domain}; deploy one of them for this domain (give the other its own config file and domain)`,
    );
  }
  return stacks;
}
