import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { AppProfile } from '../lib/app/profile';
import { appProfileFromConfig } from '../lib/config/profile';
import { DeployConfig } from '../lib/config/schema';
import { ProjectServices, WaitForApis } from '../lib/gcp/project-services';
import { ContainerRegistry } from '../lib/gcp/registry';
import { GoogleProvider } from '../lib/providers/google';
import { configureState } from '../lib/state';
import { commonLabels } from './common';
import { literalStrings } from '../lib/terraform-strings';

/** What both GCP stacks need from their config entry. */
export interface GcpStackSettings {
  readonly project: string;
  readonly region: string;
}

/**
 * What every GCP stack starts with: the Google provider, the state backend, the app profile, the project
 * APIs and the Artifact Registry repository its servers pull from.
 */
export abstract class GcpAppStack extends TerraformStack {
  public readonly profile: AppProfile;
  public readonly services: ProjectServices;
  public readonly registry: ContainerRegistry;

  protected constructor(scope: Construct, id: string, config: DeployConfig, settings: GcpStackSettings, repositoryId: string, apis: readonly string[]) {
    super(scope, id);
    literalStrings(this);
    this.profile = appProfileFromConfig(config);
    new GoogleProvider(this, 'google', { project: settings.project, region: settings.region, defaultLabels: commonLabels(config, id) });
    configureState(this, id, 'gcp', config.state);

    this.services = new ProjectServices(this, 'services', { project: settings.project, services: apis });
    // Every Google resource of the stack waits for the APIs (so no construct needs them in its props).
    WaitForApis.apply(this, this.services);
    this.registry = new ContainerRegistry(this, 'registry', {
      project: settings.project,
      location: settings.region,
      repositoryId,
    });

    new TerraformOutput(this, 'registry_path', { value: this.registry.path, description: 'Artifact Registry path that CI pushes the server image to' });
    for (const environment of config.environments) {
      new TerraformOutput(this, `image_${environment}`, { value: this.registry.imageUri(this.profile.name, environment), description: `Image the ${environment} servers run` });
    }
  }
}
