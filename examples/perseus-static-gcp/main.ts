// Example: a Perseus site exported to static files (`perseus deploy -e`, the production build of
// `perseus export`), served from Cloud Storage behind the HTTPS load balancer with Cloud CDN; no server runs. In your project, import from 'cdktf-serverpod'.
// After `cdktf deploy`, publish with the bash script `site.uploadScript()` returns. Perseus 0.4 writes
// about/index.html and links to /about: the bucket's main page suffix serves /about/ and redirects /about there.
import { App, Aspects, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { GoogleProvider, Guardrails, gcp } from '../../lib';

const PROJECT = 'my-perseus-docs';

export class PerseusStaticGcpStack extends TerraformStack {
  public readonly site: gcp.GcpStaticSite;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Every resource of the stack is checked at synth; an error fails it (docs/guardrails.md).
    Aspects.of(this).add(new Guardrails());
    new GoogleProvider(this, 'google', { project: PROJECT, region: 'europe-west4' });
    const apis = new gcp.ProjectServices(this, 'apis', { project: PROJECT, services: ['compute', 'dns', 'storage'].map((s) => `${s}.googleapis.com`) });
    // A first apply on a fresh project would otherwise race the API enablement.
    gcp.WaitForApis.apply(this, apis);
    this.site = new gcp.GcpStaticSite(this, 'docs', {
      project: PROJECT,
      namePrefix: 'docs',
      domain: 'example.com',
      hosts: ['docs.example.com'],
      // Where the files are kept; Cloud CDN serves them worldwide either way.
      location: 'EU',
      // Records go into the zone that already serves example.com; without this a new zone is created.
      dnsZoneName: 'example-com',
      // Written into the export by `perseus export-error-page --code 404 --output pkg/404.html`.
      notFoundPage: '404.html',
      // The CI account that runs the upload script after `perseus deploy -e`.
      writers: ['serviceAccount:docs-ci@my-perseus-docs.iam.gserviceaccount.com'],
    });
    // Certificates are issued only once the hosts resolve to this IP, which can take up to an hour.
    new TerraformOutput(this, 'ip', { value: this.site.ipAddress });
    new TerraformOutput(this, 'bucket', { value: this.site.bucket.name });
    new TerraformOutput(this, 'url', { value: this.site.url });
  }
}

export function buildExample(app: App): TerraformStack[] {
  return [new PerseusStaticGcpStack(app, 'perseus-static-gcp')];
}

if (require.main === module) {
  const app = new App();
  buildExample(app);
  app.synth();
}
