// Example: a Perseus site exported to static files (`perseus deploy -e`, `perseus export-error-page --code 404
// --output pkg/404.html`) served from S3 and CloudFront at docs.example.com. No server runs. In your project,
// import from 'cdktf-serverpod' instead of '../../lib'.
import { writeFileSync } from 'fs';
import { join } from 'path';
import { App, Aspects, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider, Guardrails, aws } from '../../lib';

export class PerseusStaticAwsStack extends TerraformStack {
  public readonly zone: aws.DnsZone;
  public readonly certificate: aws.DnsValidatedCertificate;
  public readonly site: aws.AwsStaticSite;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Every resource of the stack is checked at synth; an error fails it (docs/guardrails.md).
    Aspects.of(this).add(new Guardrails());
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    // CloudFront accepts only certificates from us-east-1.
    const usEast1 = new AwsProvider(this, 'aws_us_east_1', { alias: 'us_east_1', region: 'us-east-1' });
    this.zone = new aws.DnsZone(this, 'zone', { domain: 'example.com' });
    this.certificate = new aws.DnsValidatedCertificate(this, 'cdn-certificate', { zone: this.zone, provider: usEast1 });
    this.site = new aws.AwsStaticSite(this, 'docs', {
      namePrefix: 'perseus-docs',
      zone: this.zone,
      hosts: ['docs.example.com'],
      certificateArn: this.certificate.certificateArn,
      // Perseus 0.4 writes about/index.html and links to /about: the clean-URLs function (cleanUrls, on by
      // default) serves it there and leaves /.perseus/ alone; 404.html comes from
      // `perseus export-error-page --code 404 --output pkg/404.html` (notFoundPage, the default).
    });
    // The site adds the outputs perseus_docs_bucket and perseus_docs_distribution_id, which its upload script reads.
    new TerraformOutput(this, 'docs_url', { value: this.site.url, description: 'URL of the docs site' });
    new TerraformOutput(this, 'name_servers', { value: this.zone.nameServers, description: 'Delegate example.com to these name servers at your registrar' });
  }
}

export function buildExample(app: App): TerraformStack[] {
  return [new PerseusStaticAwsStack(app, 'perseus-static-aws')];
}

if (require.main === module) {
  const app = new App();
  const [stack] = buildExample(app) as PerseusStaticAwsStack[];
  app.synth();
  // After `cdktf deploy`, run `bash cdktf.out/upload-docs.sh` from this folder to publish the exported site.
  writeFileSync(join(app.outdir, 'upload-docs.sh'), stack.site.uploadScript('../my-perseus-docs/pkg'), { mode: 0o755 });
}
