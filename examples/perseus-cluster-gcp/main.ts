// Example: a Perseus app on the GCP server cluster, where choosePerseusDeployment sends an app whose pages
// revalidate and generate incrementally. On a writable disk Perseus keeps that mutable data locally in its only
// built-in store (the filesystem), the fastest; but with two to four servers each would keep its own copy, and
// pages could differ between them until each revalidates. This site wants one version of every page, so its
// servers share one store: the environment's Memorystore in the servers' region, one network hop away (a store
// in another region would be a synth warning). Perseus uses it only through the app's own MutableStore over
// Redis (docs/perseus.md: GET falling through to the image's dist/mutable, SET, keys prefixed by build).
// In your project, import from 'cdktf-serverpod' instead of '../../lib'.
import { App, Aspects, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { GoogleProvider, Guardrails, gcp, perseusProfile } from '../../lib';
import { RandomProvider } from '../../lib/providers/google';

const PROJECT = 'my-perseus-project';
const REGION = 'europe-west4';

export const site = perseusProfile({
  name: 'docs-site',
  port: 8080,
  strategies: ['buildState', 'buildPaths', 'revalidation', 'incrementalGeneration'],
  // The app's MutableStore reads PERSEUS_STORE_REDIS_*; without it the servers would still use their own disks.
  implementsMutableStore: true,
});

export class PerseusClusterGcpStack extends TerraformStack {
  public readonly cluster: gcp.GcpServerCluster;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Every resource of the stack is checked at synth; an error fails it (docs/guardrails.md).
    Aspects.of(this).add(new Guardrails());
    new GoogleProvider(this, 'google', { project: PROJECT, region: REGION });
    new RandomProvider(this, 'random');
    const apis = new gcp.ProjectServices(this, 'apis', {
      project: PROJECT,
      // Every API the pattern's resources need (a missing one would fail only at apply).
      services: gcp.GcpServerCluster.REQUIRED_APIS,
    });
    gcp.WaitForApis.apply(this, apis);
    const registry = new gcp.ContainerRegistry(this, 'images', { project: PROJECT, location: REGION, repositoryId: site.name, keepRecentVersions: 5 });
    this.cluster = new gcp.GcpServerCluster(this, 'docs', {
      project: PROJECT,
      region: REGION,
      namePrefix: 'docs',
      domain: 'docs.example',
      profile: site,
      registry,
      environments: { production: { machineType: 'e2-small', minInstances: 2, maxInstances: 4 } },
      mutableStore: { kind: 'redis' },
      storage: false,
      webOnTopDomain: true,
      // Keyless deploys for deploy-cluster.yml beside this file, which pushes :production and rolls the group.
      githubRepository: 'my-org/docs-site',
      // Only the refs deploy-cluster.yml runs from (its branch, manual runs from main).
      githubRefs: ['main', 'deployment-gcp-production'].map((branch) => `refs/heads/${branch}`),
    });
    new TerraformOutput(this, 'ip', { value: this.cluster.loadBalancer.ipAddress });
    new TerraformOutput(this, 'image', { value: registry.imageUri(site.name, 'production') });
  }
}

export function buildExample(app: App): TerraformStack[] {
  return [new PerseusClusterGcpStack(app, 'perseus-cluster-gcp')];
}

if (require.main === module) {
  const app = new App();
  buildExample(app);
  app.synth();
}
