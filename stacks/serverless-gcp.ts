import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { AppProfile } from '../lib/app/profile';
import { appProfileFromConfig } from '../lib/config/profile';
import { DeployConfig, ServerlessGcpConfig } from '../lib/config/schema';
import { ProjectServices } from '../lib/gcp/project-services';
import { ContainerRegistry } from '../lib/gcp/registry';
import { GoogleProvider } from '../lib/providers/google';
import { configureState } from '../lib/state';
import { commonLabels } from './common';

/** The server on Cloud Run in the `serverless` role, with the `maintenance` role on a schedule. */
export class ServerlessGcpStack extends TerraformStack {
  public readonly profile: AppProfile;
  public readonly services: ProjectServices;
  public readonly registry: ContainerRegistry;

  constructor(scope: Construct, id: string, config: DeployConfig, stack: ServerlessGcpConfig) {
    super(scope, id);
    this.profile = appProfileFromConfig(config);
    new GoogleProvider(this, 'google', { project: stack.project, region: stack.region, defaultLabels: commonLabels(config, id) });
    configureState(this, id, 'gcp', config.state);

    this.services = new ProjectServices(this, 'services', { project: stack.project, services: ['artifactregistry.googleapis.com'] });
    // Its own repository, so this stack and cluster-gcp can share a GCP project without clashing.
    this.registry = new ContainerRegistry(this, 'registry', {
      project: stack.project,
      location: stack.region,
      repositoryId: `${config.project}-run-images`,
      dependsOn: this.services.all,
    });

    new TerraformOutput(this, 'registry_path', { value: this.registry.path, description: 'Artifact Registry path that CI pushes the server image to' });
    new TerraformOutput(this, 'image', { value: this.registry.imageUri(this.profile.name, config.app.imageTag), description: 'Image the services run' });
  }
}
