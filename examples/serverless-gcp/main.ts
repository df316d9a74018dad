// Example: Serverpod on Cloud Run in your own cdktf stack with every option on: staging, Redis through Direct
// VPC egress, buckets with CDN, the web server at the bare domain, Insights restricted to IAM callers, the
// maintenance role every minute, a migrations job, and the keyless GitHub deploy identity that
// deploy-serverless.yml (in this folder) uses. In your project, import from 'cdktf-serverpod'.
import { App, Aspects, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { GoogleProvider, Guardrails, gcp, serverpodProfile } from '../../lib';
import { RandomProvider } from '../../lib/providers/google';

const PROJECT = 'my-serverless-pod';
const REGION = 'europe-west1';

export class ServerlessGcpExampleStack extends TerraformStack {
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
    // Every Google resource in this stack waits for the APIs: a first apply on a fresh project cannot race them.
    gcp.WaitForApis.apply(this, apis);
    const registry = new gcp.ContainerRegistry(this, 'images', { project: PROJECT, location: REGION, repositoryId: 'pod-images' });
    this.app = new gcp.GcpServerlessApp(this, 'app', {
      project: PROJECT,
      region: REGION,
      namePrefix: 'pod',
      domain: 'pod.example',
      profile: serverpodProfile({ name: 'pod' }),
      registry,
      environments: {
        production: { minInstances: 1, maxInstances: 30, cpu: '2', memory: '1Gi', concurrency: 150, databaseTier: 'db-custom-2-7680', redisMemoryGb: 2 },
        staging: { maxInstances: 1 },
      },
      // AUTH, inside the VPC. transitEncryption: true needs Memorystore's CA in the image (docs/cluster-gcp.md), which
      // the template's Dockerfile and this example's workflow do not add: without it Redis's TLS handshake fails and
      // /readyz answers 503.
      redis: { tier: 'BASIC' },
      vpcEgress: 'direct',
      storage: { cdn: true },
      domains: 'load-balancer',
      webOnTopDomain: true,
      requestTimeoutSec: 3600,
      publicInsights: false,
      maintenanceSchedule: '* * * * *',
      migrationsJob: true,
      githubRepository: 'my-org/pod',
      // Only the refs deploy-serverless.yml runs from (its two branches, manual runs from main), not every
      // deployment-* branch.
      githubRefs: ['main', 'deployment-run-production', 'deployment-run-staging'].map((branch) => `refs/heads/${branch}`),
    });
    new TerraformOutput(this, 'ip', { value: this.app.loadBalancer!.ipAddress });
    new TerraformOutput(this, 'workload_identity_provider', { value: this.app.deployIdentity!.providerName });
  }
}

export function buildExample(app: App): TerraformStack[] {
  return [new ServerlessGcpExampleStack(app, 'serverless-gcp-example')];
}

if (require.main === module) {
  const app = new App();
  buildExample(app);
  app.synth();
}
