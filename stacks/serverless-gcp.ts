import { Construct } from 'constructs';
import { DeployConfig, ServerlessGcpConfig } from '../lib/config/schema';
import { GcpAppStack } from './gcp-base';

/** The server on Cloud Run in the `serverless` role, with the `maintenance` role on a schedule. */
export class ServerlessGcpStack extends GcpAppStack {
  constructor(scope: Construct, id: string, config: DeployConfig, stack: ServerlessGcpConfig) {
    // Its own repository, so this stack and cluster-gcp can share a GCP project without clashing.
    super(scope, id, config, stack, `${config.project}-run-images`, ['artifactregistry.googleapis.com']);
  }
}
