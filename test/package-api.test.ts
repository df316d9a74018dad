import { TerraformStack } from 'cdktf';
import { RandomProvider, aws, gcp, serverpodProfile, snapshotJson, withoutVersionPins } from '../lib';
import { RandomProvider as RandomProviderFromSubmodule } from '../lib/providers/google';
import { awsTestStack, gcpTestStack, validationErrorOf } from './helpers/assert';
import { synthJson } from './helpers/synth';

/** An aws.ServerCluster on a zone of `zoneDomain` (created, or existing with `existing`). */
function awsCluster(domain: string, zoneDomain = 'myshop.dev', existing = false): TerraformStack {
  const stack = awsTestStack();
  const network = new aws.Network(stack, 'network', { name: 'p-shared-network', region: 'us-west-2', availabilityZones: ['us-west-2a', 'us-west-2b'] });
  const zone = new aws.DnsZone(stack, 'zone', { domain: zoneDomain, hostedZoneId: existing ? 'Z0123456789ABC' : undefined });
  const certificate = new aws.DnsValidatedCertificate(stack, 'certificate', { zone });
  const repository = new aws.ContainerRepository(stack, 'registry', { name: 'pod' });
  new aws.ServerCluster(stack, 'production', {
    profile: serverpodProfile({ name: 'p' }),
    project: 'p',
    environment: 'production',
    domain,
    region: 'us-west-2',
    network,
    zone,
    certificateArn: certificate.certificateArn,
    repository,
  });
  return stack;
}

describe('aws.ServerCluster domain', () => {
  it.each(['https://myshop.dev', 'myshop.dev.', 'MyShop.dev', 'myshop${var.x}.dev'])('refuses %s, naming props.domain and what is allowed', (domain) => {
    const message = validationErrorOf(() => awsCluster(domain));
    expect(message).toContain(`props.domain: got ${JSON.stringify(domain)}; expected a lowercase DNS name without a scheme or trailing dot`);
  });

  it('refuses a domain outside the created zone, on a label boundary', () => {
    for (const domain of ['other.dev', 'badmyshop.dev']) {
      const message = validationErrorOf(() => awsCluster(domain));
      expect(message).toContain(`props.domain: got "${domain}"; expected myshop.dev or a name under it`);
    }
  });

  it('accepts the zone domain and a subdomain of it, and any domain on an existing zone (its name is unknown)', () => {
    expect(() => awsCluster('myshop.dev')).not.toThrow();
    const json = synthJson(awsCluster('shop.myshop.dev'));
    expect(Object.values<any>(json.resource.aws_route53_record).map((r) => r.name)).toContain('api.shop.myshop.dev');
    expect(() => awsCluster('other.dev', 'myshop.dev', true)).not.toThrow();
  });
});

describe('gcp.PublicDns records', () => {
  const dns = (existingZoneName?: string) => new gcp.PublicDns(gcpTestStack(), 'dns', { project: 'p-123456', domain: 'myshop.dev', namePrefix: 'p', existingZoneName });

  it('refuses a host outside the created zone, on a label boundary', () => {
    const zone = dns();
    for (const host of ['api.other.dev', 'api.badmyshop.dev']) {
      expect(validationErrorOf(() => zone.addARecord(host, '203.0.113.1'))).toContain(`host: got "${host}"; expected myshop.dev or a name under it`);
    }
  });

  it('accepts the zone domain and names under it, and any host on an existing zone (its domain is unknown)', () => {
    const zone = dns();
    expect(() => zone.addARecord('myshop.dev', '203.0.113.1')).not.toThrow();
    expect(() => zone.addARecord('api.shop.myshop.dev', '203.0.113.1')).not.toThrow();
    expect(() => dns('existing-zone').addARecord('api.other.dev', '203.0.113.1')).not.toThrow();
  });
});

describe('package root', () => {
  it('exports RandomProvider, the class the GCP constructs need', () => {
    expect(RandomProvider).toBe(RandomProviderFromSubmodule);
  });

  it('snapshotJson removes the provider version pins and nothing else', () => {
    const stack = awsTestStack();
    new aws.ContainerRepository(stack, 'registry', { name: 'pod' });
    const full = synthJson(stack);
    const snapshot = snapshotJson(stack);
    expect(full.terraform.required_providers.aws.version).toBeDefined();
    expect(snapshot.terraform.required_providers.aws).toEqual({ source: full.terraform.required_providers.aws.source });
    delete full.terraform.required_providers.aws.version;
    expect(snapshot).toEqual(full);
    // The input is left as it was.
    const json = synthJson(stack);
    withoutVersionPins(json);
    expect(json.terraform.required_providers.aws.version).toBeDefined();
  });
});
