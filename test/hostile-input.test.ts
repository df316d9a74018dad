import { Lazy, Testing, TerraformStack, Token } from 'cdktf';
import { parse as parseYaml } from 'yaml';
import { AppProfile, AwsProvider, GoogleProvider, ValidationError, aws, gcp, perseusProfile, serverpodProfile } from '../lib';
import { GUARDRAIL_RULES } from '../lib/guardrails/rules';
import { deployConfigSchema } from '../lib/config/schema';
import { parseConfig } from '../lib/config/load';
import { RandomProvider } from '../lib/providers/google';
import { createStacks } from '../stacks/app';
import { FULL_CONFIG } from './fixtures';
import { LeafPath, RECORD_KEY, stringLeaves } from './helpers/schema-leaves';
import { synthJson } from './helpers/synth';
import { stackCode } from './helpers/template';

// Every string a user gives, from deploy.yaml or construct props, tried with a value that would be Terraform
// code if it were ever written unescaped, and shell code if it were ever run. Each field must either refuse the
// value with an error that names the field, or carry it as literal text: the marker never appears inside a
// `${…}` or `%{…}` of any synthesized string. (Boot scripts that run such values are in boot-scripts.test.ts.)

const CANARY = 'CANARY';
/** Template expression, directive, and a quote that only appears once Terraform evaluates; shell on top. */
const HOSTILE = `\${${CANARY}} %{ if ${CANARY} }x%{ endif } \${"\\u0027${CANARY}"} '$(touch /tmp/${CANARY})' \`touch /tmp/${CANARY}\` "a\\b"`;

/**
 * Text in cdktf's encoding of a number token (one that exists in this process): cdktf would replace it, anywhere
 * in a string, by the token's value. Shaped to pass name and DNS rules (letters, digits, dots, hyphens).
 */
const FORGED_NUMBER = `x${String(Token.asNumber(Lazy.numberValue({ produce: () => 7 }))).replace("+", "")}.example`;

/** A line break and a NUL byte: no process environment, name or id holds them. */
const LINE_AND_NUL = 'first line\nsecond\u0000line';

/** What a hostile value did at one field. */
type Outcome = { field: string; result: 'refused' | 'literal' };

function fail(field: string, why: string): never {
  throw new Error(`${field}: ${why}`);
}

/** Builds, synthesizes and judges one attempt; `build` returns the stacks to synthesize. */
function judge(field: string, build: () => TerraformStack[], fieldName: string, value = HOSTILE): Outcome {
  let stacks: TerraformStack[];
  try {
    stacks = build();
  } catch (err) {
    if (!(err instanceof ValidationError) && !/has \d+ problems?/.test((err as Error).message)) {
      fail(field, `crashed instead of refusing the value with a validation error: ${(err as Error).stack}`);
    }
    if (!(err as Error).message.includes(fieldName)) fail(field, `the error does not name the field (${fieldName}):\n${(err as Error).message}`);
    return { field, result: 'refused' };
  }
  for (const stack of stacks) {
    let json: unknown;
    try {
      json = synthJson(stack);
    } catch (err) {
      if (err instanceof ValidationError && err.message.includes(fieldName)) return { field, result: 'refused' };
      return fail(field, `synthesis failed: ${(err as Error).message}`);
    }
    if (value === FORGED_NUMBER && !JSON.stringify(json).toLowerCase().includes(FORGED_NUMBER.slice(1, -'.example'.length).toLowerCase())) {
      fail(field, `cdktf read the text as a token in ${stack.node.id}: it is gone from the JSON`);
    }
    const code = stackCode(json);
    if (code.includes(CANARY)) {
      const line = code.split('\n').find((l) => l.includes(CANARY));
      fail(field, `the value reached Terraform code in ${stack.node.id}: ${line}`);
    }
  }
  return { field, result: 'literal' };
}

// ---------------------------------------------------------------------------------------------------------------
// deploy.yaml: every string field of the schema, found by walking it, set in a config where every field is given.
// ---------------------------------------------------------------------------------------------------------------

/** deploy.yaml with every string field the schema has given a value, on every stack. */
function fullConfig(): Record<string, any> {
  const c = parseYaml(FULL_CONFIG);
  c.app = { ...c.app, serverpodVersion: '3.4', healthCheckPath: '/readyz', environment: { FEATURE: 'on' }, hosts: { web: 'www' } };
  c.secrets = { pem: { value: 'empty', variable: 'TLS_PEM' }, stripeKey: 'empty' };
  c.state = { gcs: { bucket: 'tf-state', prefix: 'infra' }, s3: { bucket: 'tf-state', region: 'us-west-2', keyPrefix: 'infra' } };
  c.github = { repository: 'shop/shop', refs: ['refs/heads/main'] };
  c.mutableStore = 'none';
  // deploy.yaml gives cluster-aws and serverless-gcp their own domains (cluster-gcp has the top-level one), and
  // leaves Redis settings out (redis is false there).
  Object.assign(c.stacks['cluster-gcp'], { domain: 'gcp.examplepod.com', redisTier: 'BASIC', zone: 'us-central1-a', dnsZone: 'shop-zone', bucketLocation: 'US', privateServicesRange: '10.100.0.0/16' });
  c.stacks['cluster-gcp'].sizes.production.databaseAvailability = 'ZONAL';
  c.stacks['cluster-gcp'].sizes.staging = { ...c.stacks['cluster-gcp'].sizes.staging, databaseTier: 'db-f1-micro', databaseAvailability: 'ZONAL' };
  Object.assign(c.stacks['cluster-aws'], {
    accountId: '123456789012',
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    vpcCidr: '10.0.0.0/16',
    amiId: 'ami-0123456789abcdef0',
    secrets: ['serviceSecret'],
    cloudFrontPrefixListId: 'pl-82a045eb',
    githubOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
  });
  c.stacks['cluster-aws'].sizes.production.redisNodeType = 'cache.t4g.micro';
  c.stacks['cluster-aws'].sizes.staging = { ...c.stacks['cluster-aws'].sizes.staging, databaseInstanceClass: 'db.t4g.micro', redisNodeType: 'cache.t4g.micro' };
  const serverless = c.stacks['serverless-gcp'];
  Object.assign(serverless, { initialImage: 'placeholder', dnsZone: 'shop-zone', vpcEgress: 'direct', redisTier: 'BASIC', databaseConnectivity: 'private', subnetCidr: '10.10.0.0/20', privateServicesRange: '10.100.0.0/16' });
  serverless.sizes.production = { ...serverless.sizes.production, serviceMaxInstances: { api: 3 }, cpu: '1', databaseTier: 'db-f1-micro' };
  serverless.sizes.staging = { serviceMaxInstances: { api: 1 }, cpu: '1', memory: '512Mi', databaseTier: 'db-f1-micro' };
  return c;
}

/** The Perseus form of the full config, for the fields only a Perseus app has. */
function perseusConfig(): Record<string, any> {
  const c = fullConfig();
  c.app = { preset: 'perseus', strategies: ['buildState'], environment: { FEATURE: 'on' } };
  Object.assign(c, { database: false, storage: false, secrets: {} });
  return c;
}

/** The custom preset's form of the full config, with an image from another registry, for the fields only it has. */
function customConfig(): Record<string, any> {
  const c = fullConfig();
  c.app = {
    preset: 'custom',
    image: 'ghcr.io/shop/shop:1.2',
    ports: [{ name: 'api', port: 3000, host: 'www', healthPath: '/healthz', livenessPath: '/livez' }],
    roles: ['monolith', 'serverless'],
    environment: { FEATURE: 'on' },
  };
  // The services run the image from the first apply: no placeholder to choose.
  delete c.stacks['serverless-gcp'].initialImage;
  return c;
}

/** The full config with regional groups over named zones (`zones` goes with no `zone`). */
function regionalZonesConfig(): Record<string, any> {
  const c = fullConfig();
  delete c.stacks['cluster-gcp'].zone;
  c.stacks['cluster-gcp'].zones = ['us-central1-a', 'us-central1-b'];
  return c;
}

/** The full config with both GCP stacks in existing networks (no new network's subnetCidr then). */
function existingNetworkConfig(): Record<string, any> {
  const c = fullConfig();
  c.stacks['cluster-gcp'].existingNetwork = { network: 'projects/shop-host/global/networks/shared', subnet: 'apps', privateServicesAccess: 'create' };
  delete c.stacks['serverless-gcp'].subnetCidr;
  c.stacks['serverless-gcp'].existingNetwork = { network: 'shop-vpc', subnet: 'run-subnet', privateServicesAccess: 'create' };
  return c;
}

/** The full config with cluster-aws in an existing VPC (no availabilityZones then). */
function existingVpcConfig(): Record<string, any> {
  const c = fullConfig();
  delete c.stacks['cluster-aws'].availabilityZones;
  c.stacks['cluster-aws'].existingVpc = { vpcId: 'vpc-0123456789abcdef0', publicSubnetIds: ['subnet-0000000a', 'subnet-0000000b'], privateSubnetIds: ['subnet-0000000c', 'subnet-0000000d'] };
  return c;
}

/** The full config with every database's protection off, acknowledged (the reason is a string leaf). */
function dataLossConfig(): Record<string, any> {
  const c = fullConfig();
  for (const stack of ['cluster-gcp', 'cluster-aws', 'serverless-gcp']) {
    const off = { deletionProtection: false, acknowledgeDataLoss: 'hostile input test, nothing kept' };
    c.stacks[stack].database = { production: { ...off }, staging: { ...off } };
  }
  return c;
}

/** The full config with a guardrail suppression (its rule, reason, stacks and resources are string leaves). */
function guardrailsConfig(): Record<string, any> {
  const c = fullConfig();
  c.guardrails = { suppress: [{ rule: GUARDRAIL_RULES[0].id, reason: 'hostile input test, nothing to see here', stacks: ['cluster-gcp'], resources: ['cluster/production'], attributes: ['versioning.enabled'] }] };
  return c;
}

/** The full config a leaf is tried in. */
const configFor = (path: LeafPath) => {
  const at = path.join('.');
  if (at.startsWith('stacks.cluster-aws.existingVpc.')) return existingVpcConfig();
  if (at.endsWith('.acknowledgeDataLoss')) return dataLossConfig();
  if (at.startsWith('guardrails.')) return guardrailsConfig();
  if (/^stacks\.(cluster-gcp|serverless-gcp)\.existingNetwork\./.test(at)) return existingNetworkConfig();
  if (['app.ports', 'app.roles', 'app.image'].some((p) => at.startsWith(p))) return customConfig();
  return at.startsWith('app.strategies') ? perseusConfig() : at.startsWith('stacks.cluster-gcp.zones') ? regionalZonesConfig() : fullConfig();
};

/** Sets the leaf at `path` (a record key is renamed); false when the config has nothing there. */
function setLeaf(target: any, path: LeafPath, value: string): boolean {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    if (key === RECORD_KEY || key === '<value>') {
      const first = Object.keys(node ?? {})[0];
      if (first === undefined) return false;
      if (key === RECORD_KEY) {
        // A key of a record whose value is a path further on: rename that entry.
        return false;
      }
      node = node[first];
      continue;
    }
    if (node?.[key] === undefined || node[key] === null || typeof node[key] !== 'object') return false;
    node = node[key];
  }
  const last = path[path.length - 1];
  if (last === RECORD_KEY || last === '<value>') {
    const first = Object.keys(node ?? {})[0];
    if (first === undefined) return false;
    if (last === RECORD_KEY) {
      node[value] = node[first];
      delete node[first];
    } else {
      node[first] = value;
    }
    return true;
  }
  if (node === undefined || !(last in node)) return false;
  node[last] = value;
  return true;
}

/**
 * The dotted field an error must name for `path` in `config`: up to the record for a key, up to the entry (its
 * key) for anything in a record's value (`secrets.pem`, `app.environment.FEATURE`).
 */
function configFieldName(config: any, path: LeafPath): string {
  const shown: (string | number)[] = [];
  let node = config;
  for (const key of path) {
    if (key === RECORD_KEY) break;
    if (key === '<value>') {
      const first = Object.keys(node)[0];
      shown.push(first);
      break;
    }
    shown.push(key);
    node = node?.[key];
  }
  return shown.join('.');
}

describe('every deploy.yaml string field, with a hostile value', () => {
  const leaves = stringLeaves(deployConfigSchema);

  it('finds the schema\'s string fields, and the full config gives each one', () => {
    expect(leaves.length).toBeGreaterThan(50);
    const missing = leaves.filter((path) => !setLeaf(configFor(path), path, 'x')).map((p) => p.join('.'));
    expect(missing).toEqual([]);
  });

  /** Puts `value` at `path` in the full config and judges the bundled stacks built from it. */
  const attempt = (label: string, path: LeafPath, value: string): Outcome => {
    const config = configFor(path);
    const fieldName = configFieldName(config, path);
    if (!setLeaf(config, path, value)) throw new Error(`the full config has no ${label}`);
    return judge(label, () => {
      const parsed = parseConfig(JSON.stringify(config), { source: 'hostile config', env: {} });
      return Object.values(createStacks(Testing.app(), parsed, { guardrails: { print: false } })).filter((s): s is TerraformStack => s !== undefined);
    }, fieldName, value);
  };
  const cases = leaves.map((path) => [path.join('.'), path] as const);

  const outcomes: Outcome[] = [];
  it.each(cases)('%s refuses Terraform and shell code or keeps it literal', (label, path) => {
    outcomes.push(attempt(label, path, HOSTILE));
  });

  it('keeps literal only where text is free-form (environment values); every other field refuses', () => {
    expect(outcomes.filter((o) => o.result === 'literal').map((o) => o.field)).toEqual(['app.environment.<value>']);
    expect(outcomes).toHaveLength(leaves.length);
  });

  it.each(cases)('%s refuses a line break and a NUL byte', (label, path) => {
    expect(attempt(label, path, LINE_AND_NUL).result).toBe('refused');
  });

  it.each(cases)('%s refuses text in cdktf\'s number-token encoding', (label, path) => {
    expect(attempt(label, path, FORGED_NUMBER).result).toBe('refused');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Construct props: every string in the props of each pattern (and its app profile's options), one at a time.
// ---------------------------------------------------------------------------------------------------------------

/** Plain-data input of a pattern: its profile's options and its own string-bearing props. */
interface PatternInput {
  readonly profile: Record<string, any>;
  readonly props: Record<string, any>;
}

/** Objects whose keys a user chooses (so a key is a string field too). */
const MAP_FIELDS = new Set(['environment', 'secrets', 'serviceMaxInstances']);

/** Every string leaf of a plain-data value: [path, is-a-key]. */
function dataLeaves(value: unknown, path: (string | number)[] = [], out: [(string | number)[], boolean][] = []): [(string | number)[], boolean][] {
  if (typeof value === 'string') out.push([path, false]);
  else if (Array.isArray(value)) value.forEach((v, i) => dataLeaves(v, [...path, i], out));
  else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) {
      if (MAP_FIELDS.has(String(path[path.length - 1]))) out.push([[...path, k], true]);
      dataLeaves(v, [...path, k], out);
    }
  }
  return out;
}

function withLeaf(input: PatternInput, path: (string | number)[], isKey: boolean, value: string): PatternInput {
  const copy = structuredClone(input) as any;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key];
  const last = path[path.length - 1];
  if (isKey) {
    node[value] = node[last];
    delete node[last];
  } else {
    node[last] = value;
  }
  return copy;
}

function gcpStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'hostile');
  new GoogleProvider(stack, 'google', { project: 'shop-prod', region: 'us-central1' });
  new RandomProvider(stack, 'random');
  return stack;
}

function awsStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'hostile');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  return stack;
}

/** An AWS ServerCluster with the shared parts it needs around it. */
function awsCluster(props: Record<string, any>, profile: AppProfile): TerraformStack {
  const stack = awsStack();
  const repository = new aws.ContainerRepository(stack, 'images', { name: 'app' });
  const network = new aws.Network(stack, 'network', { name: 'app-network', region: 'eu-west-1', availabilityZones: ['eu-west-1a', 'eu-west-1b'], cidrBlock: '10.0.0.0/16' });
  const zone = new aws.DnsZone(stack, 'zone', { domain: 'shop.example' });
  const certificate = new aws.DnsValidatedCertificate(stack, 'certificate', { zone });
  new aws.ServerCluster(stack, 'production', { ...(props as any), profile, repository, network, zone, certificateArn: certificate.certificateArn });
  return stack;
}

const PATTERNS: Record<string, { input: PatternInput; build: (input: PatternInput) => TerraformStack }> = {
  'gcp.GcpServerCluster': {
    input: {
      profile: { name: 'shop', environment: { FEATURE: 'on' }, healthCheckPath: '/readyz', hostLabels: { web: 'www' } },
      props: {
        project: 'shop-prod',
        region: 'us-central1',
        namePrefix: 'shop',
        domain: 'shop.example',
        image: 'ghcr.io/shop/shop:1.2',
        environments: { production: { machineType: 'e2-small', databaseTier: 'db-f1-micro' } },
        zone: 'us-central1-a',
        dnsZoneName: 'shop-zone',
        storage: { bucketNaming: 'project', location: 'US' },
        redis: { tier: 'BASIC' },
        secrets: { stripeKey: 'empty' },
        githubRepository: 'shop/shop',
        githubRefs: ['refs/heads/main'],
      },
    },
    build: ({ profile, props }) => {
      const stack = gcpStack();
      const registry = new gcp.ContainerRegistry(stack, 'images', { project: 'shop-prod', location: 'us-central1', repositoryId: 'shop-images' });
      new gcp.GcpServerCluster(stack, 'cluster', { ...(props as any), profile: serverpodProfile(profile), registry });
      return stack;
    },
  },
  'gcp.GcpServerlessApp': {
    input: {
      profile: { name: 'shop', environment: { FEATURE: 'on' } },
      props: {
        project: 'shop-prod',
        region: 'us-central1',
        namePrefix: 'shop',
        domain: 'shop.example',
        image: 'ghcr.io/shop/shop:1.2',
        environments: { production: { cpu: '1', memory: '512Mi', databaseTier: 'db-f1-micro', serviceMaxInstances: { api: 3 } } },
        storage: { location: 'US' },
        maintenanceSchedule: '* * * * *',
        secrets: { stripeKey: 'empty' },
        dnsZoneName: 'shop-zone',
        githubRepository: 'shop/shop',
        githubRefs: ['refs/heads/main'],
      },
    },
    build: ({ profile, props }) => {
      const stack = gcpStack();
      const registry = new gcp.ContainerRegistry(stack, 'images', { project: 'shop-prod', location: 'us-central1', repositoryId: 'shop-images' });
      new gcp.GcpServerlessApp(stack, 'app', { ...(props as any), profile: serverpodProfile(profile), registry });
      return stack;
    },
  },
  'gcp.GcpServerCluster (existing network)': {
    input: {
      profile: { name: 'shop' },
      props: {
        project: 'shop-prod',
        region: 'us-central1',
        namePrefix: 'shop',
        domain: 'shop.example',
        environments: { production: {} },
        existingNetwork: { network: 'projects/shop-host/global/networks/shared', subnet: 'projects/shop-host/regions/us-central1/subnetworks/apps', privateServicesAccess: 'create' },
      },
    },
    build: ({ profile, props }) => {
      const stack = gcpStack();
      const registry = new gcp.ContainerRegistry(stack, 'images', { project: 'shop-prod', location: 'us-central1', repositoryId: 'shop-images' });
      new gcp.GcpServerCluster(stack, 'cluster', { ...(props as any), profile: serverpodProfile(profile), registry });
      return stack;
    },
  },
  'gcp.GcpServerlessApp (existing network)': {
    input: {
      profile: { name: 'shop' },
      props: {
        project: 'shop-prod',
        region: 'us-central1',
        namePrefix: 'shop',
        domain: 'shop.example',
        environments: { production: {} },
        existingNetwork: { network: 'shop-vpc', subnet: 'run-subnet', privateServicesAccess: 'create' },
      },
    },
    build: ({ profile, props }) => {
      const stack = gcpStack();
      const registry = new gcp.ContainerRegistry(stack, 'images', { project: 'shop-prod', location: 'us-central1', repositoryId: 'shop-images' });
      new gcp.GcpServerlessApp(stack, 'app', { ...(props as any), profile: serverpodProfile(profile), registry });
      return stack;
    },
  },
  'aws.ServerCluster': {
    input: {
      profile: { name: 'shop', environment: { FEATURE: 'on' } },
      props: {
        project: 'shop',
        environment: 'production',
        domain: 'shop.example',
        region: 'eu-west-1',
        imageTag: 'v1',
        instanceType: 't3.small',
        amiId: 'ami-0123456789abcdef0',
        secrets: { stripeKey: 'empty' },
        database: { instanceClass: 'db.t4g.micro' },
        redis: { nodeType: 'cache.t4g.micro' },
      },
    },
    build: ({ profile, props }) => awsCluster(props, serverpodProfile(profile)),
  },
  'aws.ServerCluster (Perseus)': {
    input: {
      profile: { name: 'site', environment: { FEATURE: 'on' }, hostLabel: 'www', healthCheckPath: '/' },
      props: { project: 'site', environment: 'production', domain: 'www.shop.example', region: 'eu-west-1', database: false, storage: false },
    },
    build: ({ profile, props }) => awsCluster(props, perseusProfile(profile)),
  },
  'gcp.GcpStaticSite': {
    input: {
      profile: {},
      props: { project: 'shop-prod', namePrefix: 'docs', domain: 'example.com', hosts: ['docs.example.com'], location: 'EU', dnsZoneName: 'example-com', notFoundPage: '404.html', writers: ['serviceAccount:ci@shop-prod.iam.gserviceaccount.com'] },
    },
    build: ({ props }) => {
      const stack = gcpStack();
      new gcp.GcpStaticSite(stack, 'docs', props as any);
      return stack;
    },
  },
  'aws.AwsStaticSite': {
    input: { profile: {}, props: { namePrefix: 'docs', hosts: ['docs.example.com'], indexPage: 'index.html', notFoundPage: '404.html' } },
    build: ({ props }) => {
      const stack = awsStack();
      const zone = new aws.DnsZone(stack, 'zone', { domain: 'example.com' });
      new aws.AwsStaticSite(stack, 'docs', { ...(props as any), zone, certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' });
      return stack;
    },
  },
};

describe.each(Object.entries(PATTERNS))('%s: every string of its props, with a hostile value', (_name, pattern) => {
  it('builds with the base props', () => {
    expect(() => synthJson(pattern.build(pattern.input))).not.toThrow();
  });

  const leaves = dataLeaves(pattern.input);
  const cases = leaves.map(([path, isKey]) => [`${path.join('.')}${isKey ? ' (key)' : ''}`, path, isKey] as const);
  /** Puts `value` at one leaf and judges the pattern built from it; the error names the field (or, for a key, the map). */
  const attempt = (label: string, path: (string | number)[], isKey: boolean, value: string): Outcome => {
    const input = withLeaf(pattern.input, path, isKey, value);
    const named = path.filter((p) => typeof p === 'string') as string[];
    return judge(label, () => [pattern.build(input)], isKey ? named[named.length - 2] : named[named.length - 1], value);
  };

  it.each(cases)('%s refuses Terraform and shell code or keeps it literal', (label, path, isKey) => {
    attempt(label, path, isKey, HOSTILE);
  });

  it.each(cases)('%s refuses a line break and a NUL byte', (label, path, isKey) => {
    expect(attempt(label, path, isKey, LINE_AND_NUL).result).toBe('refused');
  });

  it.each(cases)('%s refuses text in cdktf\'s number-token encoding, or keeps it', (label, path, isKey) => {
    attempt(label, path, isKey, FORGED_NUMBER);
  });
});
