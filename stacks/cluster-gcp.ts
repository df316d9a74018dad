import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { AppProfile } from '../lib/app/profile';
import { appProfileFromConfig } from '../lib/config/profile';
import { ClusterGcpConfig, DeployConfig } from '../lib/config/schema';
import { ProjectServices } from '../lib/gcp/project-services';
import { ContainerRegistry } from '../lib/gcp/registry';
import { GoogleProvider } from '../lib/providers/google';
import { configureState } from '../lib/state';
import { commonLabels } from './common';

/** The server cluster on GCP: autoscaling Compute Engine group behind an HTTPS load balancer. */
export class ClusterGcpStack extends TerraformStack {
  public readonly profile: AppProfile;
  public readonly services: ProjectServices;
  public readonly registry: ContainerRegistry;

  constructor(scope: Construct, id: string, config: DeployConfig, stack: ClusterGcpConfig) {
    super(scope, id);
    this.profile = appProfileFromConfig(config);
    new GoogleProvider(this, 'google', { project: stack.project, region: stack.region, defaultLabels: commonLabels(config, id) });
    configureState(this, id, 'gcp', config.state);

    this.services = new ProjectServices(this, 'services', { project: stack.project, services: ['artifactregistry.googleapis.com'] });
    this.registry = new ContainerRegistry(this, 'registry', {
      project: stack.project,
      location: stack.region,
      repositoryId: `${config.project}-images`,
      dependsOn: this.services.all,
    });

    new TerraformOutput(this, 'registry_path', { value: this.registry.path, description: 'Artifact Registry path that CI pushes the server image to' });
    new TerraformOutput(this, 'image', { value: this.registry.imageUri(this.profile.name, config.app.imageTag), description: 'Image the servers run' });
  }
}
