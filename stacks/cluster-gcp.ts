import { Construct } from 'constructs';
import { ClusterGcpConfig, DeployConfig } from '../lib/config/schema';
import { GcpAppStack } from './gcp-base';

/** The server cluster on GCP: autoscaling Compute Engine group behind an HTTPS load balancer. */
export class ClusterGcpStack extends GcpAppStack {
  constructor(scope: Construct, id: string, config: DeployConfig, stack: ClusterGcpConfig) {
    super(scope, id, config, stack, `${config.project}-images`);
  }
}
