// Example: a Perseus app on Cloud Run whose blog pages revalidate. Cloud Run's filesystem is writable but lives
// in memory and dies with each instance, so Perseus' own (filesystem) store would give each instance its own
// copy of those pages. This blog wants one copy for all instances: a bucket in the service's own region, which
// Perseus uses only through the app's own MutableStore (src/store.rs, as docs/perseus.md shows: read through to
// the image's dist/mutable, keys prefixed with the image's BUILD_ID). A first load of a revalidating page reads
// about five keys from the bucket in sequence; a region away those reads would dominate time to first byte.
// The service account can use the bucket; the app finds it in PERSEUS_STORE_BUCKET.
// In your project, import from 'cdktf-serverpod' instead of '../../lib'.
import { App, Aspects, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { GoogleProvider, Guardrails, choosePerseusDeployment, gcp, perseusProfile } from '../../lib';
import { RandomProvider } from '../../lib/providers/google';

const PROJECT = 'my-perseus-blog';
const REGION = 'europe-west4';

// The strategies the app's templates use decide the deployment: revalidation writes Perseus' mutable store.
// implementsMutableStore: the app's MutableStore uses the bucket below (without it the synth warns that it does not).
export const blog = perseusProfile({ name: 'blog', strategies: ['buildState', 'buildPaths', 'requestState', 'revalidation'], implementsMutableStore: true });
// A server cluster would keep the store on its disk; this blog prefers scaling to zero and pays the round trips.
export const deployment = choosePerseusDeployment(blog.strategies, { preferServerless: true });

export class PerseusCloudRunStack extends TerraformStack {
  public readonly app: gcp.GcpServerlessApp;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Every resource of the stack is checked at synth; an error fails it (docs/guardrails.md).
    Aspects.of(this).add(new Guardrails());
    new GoogleProvider(this, 'google', { project: PROJECT, region: REGION });
    new RandomProvider(this, 'random');
    const apis = new gcp.ProjectServices(this, 'apis', {
      project: PROJECT,
      // Every API the pattern's resources need (a missing one would fail only at apply).
      services: gcp.GcpServerlessApp.REQUIRED_APIS,
    });
    gcp.WaitForApis.apply(this, apis);
    const registry = new gcp.ContainerRegistry(this, 'images', { project: PROJECT, location: REGION, repositoryId: 'blog-images', keepRecentVersions: 5 });
    this.app = new gcp.GcpServerlessApp(this, 'blog', {
      project: PROJECT,
      region: REGION,
      namePrefix: 'blog',
      domain: 'blog.example',
      profile: blog,
      registry,
      // One warm instance keeps the first byte fast; the store outlives every instance.
      environments: { production: { minInstances: 1, maxInstances: 20, memory: '512Mi' } },
      mutableStore: { kind: 'bucket', region: REGION },
      storage: false,
      webOnTopDomain: true,
      // Keyless deploys for deploy-cloud-run.yml beside this file: the placeholder the service starts from, and every
      // later image, change only through `gcloud run deploy` (applies leave the image alone).
      githubRepository: 'my-org/blog',
      // Only the refs deploy-cloud-run.yml runs from (its branch, manual runs from main).
      githubRefs: ['main', 'deployment-run-production'].map((branch) => `refs/heads/${branch}`),
    });
    const production = this.app.environments.production!;
    new TerraformOutput(this, 'ip', { value: this.app.loadBalancer!.ipAddress });
    new TerraformOutput(this, 'store_bucket', { value: production.storeBucket!.name });
    new TerraformOutput(this, 'deployment', { value: deployment.explanation });
  }
}

export function buildExample(app: App): TerraformStack[] {
  return [new PerseusCloudRunStack(app, 'perseus-cloud-run')];
}

if (require.main === module) {
  const app = new App();
  buildExample(app);
  app.synth();
}
