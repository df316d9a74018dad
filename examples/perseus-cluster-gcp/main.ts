// Example: your own cdktf stack on GCP for a Perseus standalone server: the APIs and the Artifact Registry
// repository its image is pushed to. In your project, import from 'cdktf-serverpod' instead of '../../lib'.
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { GoogleProvider, gcp, perseusProfile } from '../../lib';

export const site = perseusProfile({ name: 'docs-site', port: 8080 });

export class PerseusGcpStack extends TerraformStack {
  public readonly registry: gcp.ContainerRegistry;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const project = 'my-perseus-project';
    new GoogleProvider(this, 'google', { project, region: 'europe-west4' });
    const apis = new gcp.ProjectServices(this, 'apis', { project, services: ['artifactregistry.googleapis.com'] });
    this.registry = new gcp.ContainerRegistry(this, 'images', {
      project,
      location: 'europe-west4',
      repositoryId: site.name,
      keepRecentVersions: 5,
      dependsOn: apis.all,
    });
    new TerraformOutput(this, 'image', { value: this.registry.imageUri(site.name, 'latest') });
    new TerraformOutput(this, 'port', { value: site.mainPort.port });
  }
}

export function buildExample(app: App): TerraformStack[] {
  return [new PerseusGcpStack(app, 'perseus-gcp')];
}

if (require.main === module) {
  const app = new App();
  buildExample(app);
  app.synth();
}
