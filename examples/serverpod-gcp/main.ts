// Example: Serverpod's server cluster on GCP in your own cdktf stack, with every optional part on: staging,
// Redis with TLS, storage with CDN, the web server at the bare domain, and a keyless GitHub Actions deploy
// identity (deploy-gcp.yml in this folder is the workflow). In your project, import from 'cdktf-serverpod'.
import { App, Aspects, GcsBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { GoogleProvider, Guardrails, gcp, serverpodProfile } from '../../lib';
import { RandomProvider } from '../../lib/providers/google';

const PROJECT = 'my-serverpod-prod';
const REGION = 'us-east1';

export class ServerpodGcpStack extends TerraformStack {
  public readonly cluster: gcp.GcpServerCluster;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Every resource of the stack is checked at synth; an error fails it (docs/guardrails.md).
    Aspects.of(this).add(new Guardrails());
    new GoogleProvider(this, 'google', { project: PROJECT, region: REGION });
    new RandomProvider(this, 'random');
    new GcsBackend(this, { bucket: 'my-serverpod-terraform-state', prefix: 'serverpod-gcp' });

    const apis = new gcp.ProjectServices(this, 'apis', {
      project: PROJECT,
      // Every API the pattern's resources need (a missing one would fail only at apply).
      services: gcp.GcpServerCluster.REQUIRED_APIS,
    });
    // Every Google resource in this stack waits for the APIs: a first apply on a fresh project cannot race them.
    gcp.WaitForApis.apply(this, apis);
    const registry = new gcp.ContainerRegistry(this, 'images', { project: PROJECT, location: REGION, repositoryId: 'mypod-images' });
    this.cluster = new gcp.GcpServerCluster(this, 'cluster', {
      project: PROJECT,
      region: REGION,
      namePrefix: 'mypod',
      domain: 'mypod.dev',
      profile: serverpodProfile({ name: 'mypod' }),
      registry,
      environments: {
        production: { machineType: 'e2-standard-2', minInstances: 2, maxInstances: 8, cpuTargetPercent: 60, databaseTier: 'db-custom-1-3840', databaseAvailability: 'REGIONAL', redisMemoryGb: 2 },
        staging: { machineType: 'e2-small', minInstances: 1, maxInstances: 1 },
      },
      // AUTH, inside the VPC. transitEncryption: true needs Memorystore's CA in the image (docs/cluster-gcp.md), which
      // the template's Dockerfile and this example's workflow do not add: without it Redis's TLS handshake fails and
      // /readyz answers 503.
      redis: { tier: 'STANDARD_HA' },
      storage: { bucketNaming: 'project', cdn: true },
      webOnTopDomain: true,
      webCdn: true,
      backendTimeoutSec: 3600,
      githubRepository: 'my-org/mypod',
      // Only the refs deploy-gcp.yml runs from (its two branches, manual runs from main), not every deployment-* branch.
      githubRefs: ['main', 'deployment-gcp-production', 'deployment-gcp-staging'].map((branch) => `refs/heads/${branch}`),
    });
    new TerraformOutput(this, 'ip', { value: this.cluster.loadBalancer.ipAddress });
    new TerraformOutput(this, 'workload_identity_provider', { value: this.cluster.deployIdentity!.providerName });
  }
}

export function buildExample(app: App): TerraformStack[] {
  return [new ServerpodGcpStack(app, 'serverpod-gcp')];
}

if (require.main === module) {
  const app = new App();
  buildExample(app);
  app.synth();
}
