import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { aws, gcp, serverpodProfile } from '../lib';
import { parseConfig } from '../lib/config/load';
import { configWarnings } from '../lib/config/warnings';
import { createStacks } from '../stacks/app';
import { FULL_CONFIG } from './fixtures';
import { awsTestStack, gcpTestStack, validationErrorOf } from './helpers/assert';
import { synthJson, testApp } from './helpers/synth';

// Everything a deploy.yaml gets back (issue 13 §4), one row each: the input, and the exact line the user reads.
// Errors name the field the user wrote and say when the value it was compared with is a default; warnings name
// settings that have no effect, and stacks that would publish the same hosts.

const GCP = 'stacks:\n  cluster-gcp: { project: my-project-1 }\n';
/** A valid DNS name too long for `insights.` in front of it. */
const LONG_DOMAIN = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.com`;

/** The problem lines of the error the loader throws for `text`. */
function problemLines(text: string): string[] {
  let message: string | undefined;
  try {
    parseConfig(text, { source: 'deploy.yaml' });
  } catch (err) {
    message = (err as Error).message;
  }
  if (message === undefined) throw new Error('the config was accepted');
  return message.split('\n').slice(1);
}

/** The problem lines of what the constructs refuse, in deploy.yaml terms, as the app reports them. */
function buildProblemLines(text: string): string[] {
  const message = validationErrorOf(() => createStacks(testApp(), parseConfig(text, { source: 'deploy.yaml' }), { configFile: 'deploy.yaml', guardrails: { print: false } }));
  expect(message).toMatch(/^Config file deploy\.yaml has \d+ problems?; nothing was synthesized:\n/);
  return message.split('\n').slice(1);
}

/** The warnings for `text`, as the synth prints them. */
function warningsOf(text: string): string[] {
  return configWarnings(parseConfig(text, { source: 'deploy.yaml' })).map((w) => `${w.field}: ${w.message}`);
}

/** Synth warnings recorded on a construct tree. */
function annotatedWarnings(scope: IConstruct): string[] {
  return scope.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === '@cdktf/warn')
    .map((m) => String(m.data));
}

describe('errors in the file', () => {
  it.each<[string, string, string]>([
    // Did you mean: keys at any depth, and stack names.
    ['a misspelt top-level key', `domain: example.com\nenviroments: [production]\n${GCP}`, 'enviroments: got ["production"]; expected no field of this name here; did you mean environments?'],
    ['a misspelt size', 'domain: example.com\nstacks:\n  cluster-gcp: { project: my-project-1, sizes: { production: { maxInstance: 3 } } }\n', 'stacks.cluster-gcp.sizes.production.maxInstance: got 3; expected no field of this name here; did you mean maxInstances?'],
    ['a misspelt stack', 'domain: example.com\nstacks:\n  cluster-gpc: { project: my-project-1 }\n', 'stacks.cluster-gpc: got {"project":"my-project-1"}; expected no field of this name here; did you mean cluster-gcp?'],
    // No stack.
    ['an empty stacks', 'domain: example.com\nstacks: {}\n', 'stacks: got {}; expected at least one stack: cluster-gcp: { project: <gcp project> }, cluster-aws: {} or serverless-gcp: { project: <gcp project> }'],
    // YAML, by file, line and column.
    ['a YAML syntax error', 'domain: example.com\nstacks:\n  cluster-gcp: { project: [my-project-1 }\n', 'deploy.yaml:3:41: expected valid YAML (Flow sequence in block collection must be sufficiently indented and end with a ])'],
    // The value compared with is a default: said so, at the field the user wrote.
    ['minInstances above the default maxInstances (cluster-gcp)', 'domain: example.com\nstacks:\n  cluster-gcp: { project: my-project-1, sizes: { production: { minInstances: 5 } } }\n', 'stacks.cluster-gcp.sizes.production.minInstances: got 5; expected at most maxInstances (2, the default; set maxInstances too)'],
    ['minInstances above the default maxInstances (serverless-gcp)', 'domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, sizes: { staging: { minInstances: 4 } } }\n', 'stacks.serverless-gcp.sizes.staging.minInstances: got 4; expected at most maxInstances (3, the default; set maxInstances too)'],
    ['minInstances above the default maxInstances (cluster-aws)', 'domain: example.com\nstacks:\n  cluster-aws: { sizes: { production: { minInstances: 3 } } }\n', 'stacks.cluster-aws.sizes.production.minInstances: got 3; expected at most maxInstances (2, the default; set maxInstances too)'],
    ['a zone outside the default region', 'domain: example.com\nstacks:\n  cluster-gcp: { project: my-project-1, zone: europe-west1-b }\n', "stacks.cluster-gcp.zone: got \"europe-west1-b\"; expected a zone of the stack's region us-central1 (the default; set region too), such as us-central1-a"],
    ['regional zones outside the default region', 'domain: example.com\nstacks:\n  cluster-gcp: { project: my-project-1, zones: [europe-west1-b] }\n', "stacks.cluster-gcp.zones.0: got \"europe-west1-b\"; expected a zone of the stack's region us-central1 (the default; set region too): us-central1-a, us-central1-b, us-central1-c, us-central1-f"],
    ['availability zones outside the default AWS region', 'domain: example.com\nstacks:\n  cluster-aws: { availabilityZones: [eu-west-1a, eu-west-1b] }\n', "stacks.cluster-aws.availabilityZones.0: got \"eu-west-1a\"; expected a zone of the stack's region us-west-2 (the default; set region too), such as us-west-2a"],
    ['a Graviton type on the default architecture', 'domain: example.com\nstacks:\n  cluster-aws: { sizes: { production: { instanceType: t4g.small } } }\n', 'stacks.cluster-aws.sizes.production.instanceType: got "t4g.small"; expected an x86_64 instance type such as t3.small, as architecture is x86_64 (the default; set architecture: arm64 for Graviton types)'],
    ['CPUs too many for the default memory: named at cpu', 'domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, sizes: { production: { cpu: 4 } } }\n', 'stacks.serverless-gcp.sizes.production.cpu: got 4; expected at least 2Gi with 4 CPUs; memory is 512Mi (the default; set memory too)'],
    ['memory too much for the default CPU', 'domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, sizes: { production: { memory: 8Gi } } }\n', 'stacks.serverless-gcp.sizes.production.memory: got "8Gi"; expected at most 4Gi with 1 CPU(s) (8Gi needs 2); cpu is 1 (the default; set cpu too)'],
    ['a probe timeout at the default interval', 'domain: example.com\napp: { healthCheck: { timeoutSec: 10 } }\nstacks:\n  cluster-aws: {}\n', 'app.healthCheck.timeoutSec: got 10; expected less than intervalSec (10, the default; set intervalSec too)'],
    ['a probe interval at the default timeout', 'domain: example.com\napp: { healthCheck: { intervalSec: 5 } }\nstacks:\n  cluster-aws: {}\n', 'app.healthCheck.intervalSec: got 5; expected more than timeoutSec (5, the default; set timeoutSec too)'],
    ['a port on the default preset', 'domain: example.com\napp: { port: 9000 }\nstacks:\n  cluster-aws: {}\n', 'app.port: got 9000; expected no port for the serverpod preset (the default; set app.preset too); it uses 8080, 8081 and 8082'],
    ['a mutable store on the default preset', 'domain: example.com\nmutableStore: bucket\nstacks:\n  cluster-aws: {}\n', 'mutableStore: got "bucket"; expected none for the serverpod preset (the default; set app.preset too); a mutable store is for Perseus revalidation and incremental generation'],
    // Both values written: no word of defaults.
    ['minInstances above a written maxInstances', 'domain: example.com\nstacks:\n  cluster-gcp: { project: my-project-1, sizes: { production: { minInstances: 5, maxInstances: 4 } } }\n', 'stacks.cluster-gcp.sizes.production.minInstances: got 5; expected at most maxInstances (4)'],
    ['too little memory for written CPUs', 'domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, sizes: { production: { cpu: 4, memory: 1Gi } } }\n', 'stacks.serverless-gcp.sizes.production.memory: got "1Gi"; expected at least 2Gi with 4 CPUs'],
    ['a zone outside a written region', 'domain: example.com\nstacks:\n  cluster-gcp: { project: my-project-1, region: us-east1, zone: europe-west1-b }\n', "stacks.cluster-gcp.zone: got \"europe-west1-b\"; expected a zone of the stack's region us-east1 (such as us-east1-a)"],
    ['a port on the written serverpod preset', 'domain: example.com\napp: { preset: serverpod, port: 9000 }\nstacks:\n  cluster-aws: {}\n', 'app.port: got 9000; expected no port for the serverpod preset (it uses 8080, 8081 and 8082)'],
    // Domains: no scheme, here or on a stack.
    ['a domain with a scheme', 'domain: https://myshop.dev\nstacks:\n  cluster-aws: {}\n', 'domain: got "https://myshop.dev"; expected a lowercase DNS name without a scheme or trailing dot, such as example.com'],
    ['a stack domain with a scheme', 'domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, domain: https://myshop.dev }\n', 'stacks.serverless-gcp.domain: got "https://myshop.dev"; expected a lowercase DNS name without a scheme or trailing dot, such as example.com'],
    [
      'a stack domain too long for its hosts',
      `domain: example.com\nstacks:\n  cluster-aws: { domain: ${LONG_DOMAIN} }\n`,
      `stacks.cluster-aws.domain: got "${LONG_DOMAIN.slice(0, 76)}...; expected a domain of at most 244 characters, so the host insights.<domain> fits DNS's 253`,
    ],
    ['a stack domain Terraform would evaluate', 'domain: example.com\nstacks:\n  cluster-aws: { domain: "${file(\\"/etc/passwd\\")}.example.com" }\n', 'stacks.cluster-aws.domain: got "${file(\\"/etc/passwd\\")}.example.com"; expected a lowercase DNS name without a scheme or trailing dot, such as example.com'],
  ])('%s', (_name, text, line) => {
    expect(problemLines(text)).toContain(`  - ${line}`);
  });

  it('puts a default-compared problem on the written field only, once', () => {
    const lines = problemLines('domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, sizes: { production: { cpu: 4 } } }\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('.memory:');
  });
});

describe('errors the constructs find, in deploy.yaml terms', () => {
  it.each<[string, string, string]>([
    [
      'a connection budget against the default database tier',
      'domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, sizes: { production: { maxInstances: 10 } } }\n',
      'stacks.serverless-gcp.sizes.production: got "49 connections at once"; expected database connections that fit: Cloud SQL tier db-f1-micro allows 25 connections and 3 are kept free, leaving 22, but even the smallest pools need 49 at once (api service 10 × 2 + insights service 1 × 2 + web service 10 × 2 + maintenance job 5 × 1 + migrations job 1 × 2): allow at least 52 connections (a larger database or a higher max_connections) or run fewer processes at once. (databaseTier db-f1-micro is the default; set databaseTier too)',
    ],
    [
      'a connection budget against the default RDS class',
      'domain: example.com\nstacks:\n  cluster-aws: { sizes: { production: { maxInstances: 200 } } }\n',
      'stacks.cluster-aws.sizes.production: got "800 connections at once"; expected database connections that fit: RDS db.t4g.micro allows about 78 connections and 3 are kept free, leaving 75, but even the smallest pools need 800 at once (servers 400 × 2): allow at least 803 connections (a larger database or a higher max_connections) or run fewer processes at once. (databaseInstanceClass db.t4g.micro is the default; set databaseInstanceClass too)',
    ],
    [
      'a connection budget against a written limit: no word of the tier',
      'domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, sizes: { production: { maxInstances: 100, databaseMaxConnections: 30 } } }\n',
      "stacks.serverless-gcp.sizes.production: got \"409 connections at once\"; expected database connections that fit: the database's max_connections flag allows 30 connections and 3 are kept free, leaving 27, but even the smallest pools need 409 at once (api service 100 × 2 + insights service 1 × 2 + web service 100 × 2 + maintenance job 5 × 1 + migrations job 1 × 2): allow at least 412 connections (a larger database or a higher max_connections) or run fewer processes at once.",
    ],
    [
      'the default subnet, too small for the instances',
      'domain: example.com\nenvironments: [production, staging]\nstacks:\n  serverless-gcp: { project: my-project-1, sizes: { production: { maxInstances: 1000, databaseMaxConnections: 20000 }, staging: { maxInstances: 1000, databaseMaxConnections: 20000 } } }\n',
      'stacks.serverless-gcp.subnetCidr: got "10.10.0.0/20"; expected a range with at least 8096 usable addresses (production 4048, staging 4048): Direct VPC egress holds about two per instance, 16 at a time; or lower maxInstances/serviceMaxInstances, or vpcEgress: connector (the default; set subnetCidr too)',
    ],
    [
      'a private services range over the default subnet',
      'domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, privateServicesRange: 10.10.0.0/16 }\n',
      'stacks.serverless-gcp.privateServicesRange: got "10.10.0.0/16"; expected a range that does not overlap subnetCidr (10.10.0.0/20): both are ranges of the same VPC (subnetCidr is the default; set subnetCidr too)',
    ],
  ])('%s', (_name, text, line) => {
    expect(buildProblemLines(text)).toContain(`  - ${line}`);
  });
});

describe('the constructs\' domain checks', () => {
  /** An aws.ServerCluster for `domain`, in a zone the stack creates for `zoneDomain`. */
  const awsCluster = (domain: string, zoneDomain = 'myshop.dev') => () => {
    const stack = awsTestStack();
    const network = new aws.Network(stack, 'network', { name: 'p-shared-network', region: 'us-west-2', availabilityZones: ['us-west-2a', 'us-west-2b'] });
    const zone = new aws.DnsZone(stack, 'zone', { domain: zoneDomain });
    const certificate = new aws.DnsValidatedCertificate(stack, 'certificate', { zone });
    const repository = new aws.ContainerRepository(stack, 'registry', { name: 'pod' });
    new aws.ServerCluster(stack, 'production', { profile: serverpodProfile({ name: 'p' }), project: 'p', environment: 'production', domain, region: 'us-west-2', network, zone, certificateArn: certificate.certificateArn, cdnCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/cdn', repository });
    return stack;
  };
  const gcpCluster = (domain: string) => () => {
    const stack = gcpTestStack();
    const registry = new gcp.ContainerRegistry(stack, 'images', { project: 'p-123456', location: 'us-central1', repositoryId: 'pod-images' });
    new gcp.GcpServerCluster(stack, 'cluster', { project: 'p-123456', region: 'us-central1', namePrefix: 'pod', domain, profile: serverpodProfile({ name: 'pod' }), registry, environments: { production: {} } });
    return stack;
  };
  const gcpRecord = (host: string) => () => {
    const stack = gcpTestStack();
    new gcp.PublicDns(stack, 'dns', { project: 'p-123456', domain: 'myshop.dev', namePrefix: 'pod' }).addARecord(host, '203.0.113.7');
    return stack;
  };

  it.each<[string, () => TerraformStack, string]>([
    ['aws.ServerCluster: a domain with a scheme', awsCluster('https://myshop.dev'), 'props.domain: got "https://myshop.dev"; expected a lowercase DNS name without a scheme or trailing dot, such as example.com'],
    ['aws.ServerCluster: a domain outside the hosted zone', awsCluster('shop.other.dev'), 'props.domain: got "shop.other.dev"; expected myshop.dev or a name under it (the domain of props.zone, where the records go)'],
    ['aws.ServerCluster: a name that only ends like the zone', awsCluster('notmyshop.dev'), 'props.domain: got "notmyshop.dev"; expected myshop.dev or a name under it (the domain of props.zone, where the records go)'],
    ['gcp.GcpServerCluster: a domain with a scheme', gcpCluster('https://myshop.dev'), 'props.domain: got "https://myshop.dev"; expected a lowercase DNS name without a scheme or trailing dot, such as example.com'],
    ['gcp.PublicDns: a record outside the zone', gcpRecord('api.other.dev'), 'host: got "api.other.dev"; expected myshop.dev or a name under it (the domain of the zone, where the records go)'],
  ])('%s', (_name, build, line) => {
    expect(validationErrorOf(build).split('\n')).toContain(`  - ${line}`);
  });

  it.each([
    ['aws.ServerCluster: the zone\'s own domain', awsCluster('myshop.dev')],
    ['aws.ServerCluster: a name under the zone', awsCluster('shop.myshop.dev')],
    ['gcp.PublicDns: a record under the zone', gcpRecord('api.myshop.dev')],
  ])('accepts %s', (_name, build) => {
    expect(() => synthJson(build())).not.toThrow();
  });
});

describe('numbers where a number is natural', () => {
  const serverless = (size: string) => `domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, sizes: { production: { ${size} } } }\n`;
  it.each<[string, string, (c: ReturnType<typeof parseConfig>) => unknown, unknown]>([
    ['cpu: 1 on serverless-gcp', serverless('cpu: 1'), (c) => c.stacks['serverless-gcp']?.sizes.production.cpu, '1'],
    ['cpu: 2 with 1Gi', serverless('cpu: 2, memory: 1Gi'), (c) => c.stacks['serverless-gcp']?.sizes.production.cpu, '2'],
    ['cpu: "4" quoted, as before', serverless('cpu: "4", memory: 2Gi'), (c) => c.stacks['serverless-gcp']?.sizes.production.cpu, '4'],
    ['an unquoted AWS account id', 'domain: example.com\nstacks:\n  cluster-aws: { accountId: 123456789012 }\n', (c) => c.stacks['cluster-aws']?.accountId, '123456789012'],
  ])('reads %s', (_name, text, read, value) => {
    expect(read(parseConfig(text))).toBe(value);
  });

  it.each<[string, string, string]>([
    ['a cpu Cloud Run does not offer', serverless('cpu: 3'), 'stacks.serverless-gcp.sizes.production.cpu: got 3; expected one of "1", "2", "4", "8"'],
    ['an account id that lost its leading 0', 'domain: example.com\nstacks:\n  cluster-aws: { accountId: 012345678901 }\n', 'stacks.cluster-aws.accountId: got 12345678901; expected a 12-digit AWS account id (in quotes if it starts with 0)'],
  ])('still refuses %s', (_name, text, line) => {
    expect(problemLines(text)).toContain(`  - ${line}`);
  });
});

describe('warnings', () => {
  it.each<[string, string, string[]]>([
    [
      'maintenance, migrations, Insights and database settings without a database',
      'domain: example.com\ndatabase: false\nstacks:\n  serverless-gcp: { project: my-project-1, maintenanceSchedule: "0 * * * *", migrationsJob: true, publicInsights: false, databaseConnectivity: private, sizes: { production: { databaseTier: db-g1-small } }, database: { production: { engineVersion: 17 } } }\n',
      [
        'stacks.serverless-gcp.databaseConnectivity: has no effect, as database is false',
        'stacks.serverless-gcp.migrationsJob: has no effect, as database is false',
        'stacks.serverless-gcp.maintenanceSchedule: has no effect, as Serverpod runs its maintenance role only with a database (database is false)',
        'stacks.serverless-gcp.publicInsights: has no effect, as Serverpod runs Insights only with a database (database is false)',
        'stacks.serverless-gcp.database.production: has no effect, as database is false',
        'stacks.serverless-gcp.sizes.production.databaseTier: has no effect, as database is false',
      ],
    ],
    [
      'Redis settings with redis: false, and entries of an environment not deployed',
      'domain: example.com\nstacks:\n  cluster-gcp: { project: my-project-1, redisTier: STANDARD_HA, redisTransitEncryption: false, sizes: { production: { redisMemoryGb: 2 }, staging: { machineType: e2-small } }, database: { staging: {} } }\n  cluster-aws: { domain: aws.example.com, sizes: { production: { redisNodeType: cache.t4g.small, redisNodes: 2 } } }\n',
      [
        'stacks.cluster-gcp.redisTier: has no effect, as redis is false',
        'stacks.cluster-gcp.redisTransitEncryption: has no effect, as redis is false',
        'stacks.cluster-gcp.sizes.production.redisMemoryGb: has no effect, as redis is false',
        'stacks.cluster-gcp.sizes.staging: has no effect, as staging is not in environments (production)',
        'stacks.cluster-gcp.database.staging: has no effect, as staging is not in environments (production)',
        'stacks.cluster-aws.sizes.production.redisNodeType: has no effect, as redis is false',
        'stacks.cluster-aws.sizes.production.redisNodes: has no effect, as redis is false',
      ],
    ],
    [
      'storage settings with storage: false',
      'domain: example.com\nstorage: false\nstacks:\n  cluster-gcp: { project: my-project-1, bucketNaming: domain, storageCdn: true, bucketLocation: US, storageObjectAcls: true }\n  serverless-gcp: { project: my-project-1, domain: run.example.com, storageCdn: true, storageObjectAcls: false }\n',
      [
        'stacks.cluster-gcp.bucketNaming: has no effect, as storage is false',
        'stacks.cluster-gcp.storageCdn: has no effect, as storage is false',
        'stacks.cluster-gcp.bucketLocation: has no effect, as storage is false',
        'stacks.cluster-gcp.storageObjectAcls: has no effect, as storage is false',
        'stacks.serverless-gcp.storageCdn: has no effect, as storage is false',
        'stacks.serverless-gcp.storageObjectAcls: has no effect, as storage is false',
      ],
    ],
    [
      'web settings without a web server',
      'domain: example.com\nwebOnTopDomain: true\napp: { web: false }\nstacks:\n  cluster-gcp: { project: my-project-1, webCdn: true }\n  cluster-aws: { domain: aws.example.com, webVia: load-balancer, cloudFrontPrefixListId: pl-82a045eb }\n',
      [
        'webOnTopDomain: the app publishes no web server (app.web is false), so the bare domain serves the api port instead',
        'stacks.cluster-gcp.webCdn: has no effect, as the app publishes no web server (app.web is false)',
        'stacks.cluster-aws.webVia: has no effect, as the app publishes no web server (app.web is false)',
        'stacks.cluster-aws.cloudFrontPrefixListId: has no effect, as the app publishes no web server (app.web is false)',
      ],
    ],
    [
      'webOnTopDomain without a database, and a state backend of a stack not enabled',
      'domain: example.com\nwebOnTopDomain: true\ndatabase: false\nstate: { s3: { bucket: my-state, region: us-west-2 } }\nstacks:\n  cluster-gcp: { project: my-project-1 }\n',
      [
        'webOnTopDomain: the app publishes no web server (app.web follows database, which is false), so the bare domain serves the api port instead',
        'state.s3: has no effect, as cluster-aws is not enabled (state.s3 is for it)',
      ],
    ],
    [
      'the GCP state backend with only AWS, and a prefix list without CloudFront',
      'domain: example.com\nstate: { gcs: { bucket: my-state } }\nstacks:\n  cluster-aws: { webVia: load-balancer, cloudFrontPrefixListId: pl-82a045eb }\n',
      ['state.gcs: has no effect, as no GCP stack is enabled (state.gcs is for cluster-gcp and serverless-gcp)', 'stacks.cluster-aws.cloudFrontPrefixListId: has no effect, as webVia is not cloudfront'],
    ],
    [
      'database, Redis and migrations on Perseus',
      'domain: example.com\napp: { preset: perseus, strategies: [buildState], applyMigrations: true }\ndatabase: true\nredis: true\nstacks:\n  cluster-gcp: { project: my-project-1, redisTier: BASIC, sizes: { production: { databaseTier: db-g1-small } } }\n',
      [
        'database: has no effect, as the perseus preset uses no database (mutableStore: postgres adds one for the store)',
        'redis: has no effect, as the perseus preset uses no Redis (mutableStore: redis adds one for the store)',
        'app.applyMigrations: has no effect, as the perseus preset applies no migrations',
        'stacks.cluster-gcp.redisTier: has no effect, as the perseus preset uses no Redis (mutableStore: redis adds one for the store)',
        'stacks.cluster-gcp.sizes.production.databaseTier: has no effect, as the perseus preset uses no database (mutableStore: postgres adds one for the store)',
      ],
    ],
    ['Redis settings for a Redis mutable store', 'domain: example.com\napp: { preset: perseus, strategies: [revalidation] }\ndatabase: false\nmutableStore: redis\nstacks:\n  cluster-gcp: { project: my-project-1, redisTier: STANDARD_HA, sizes: { production: { redisMemoryGb: 2 } } }\n', []],
    ['settings left to their defaults', 'domain: example.com\ndatabase: false\nredis: false\nstorage: false\nstacks:\n  cluster-gcp: { project: my-project-1 }\n', []],
    ['a stack with enabled: false, kept as it is', 'domain: example.com\nstacks:\n  cluster-gcp: { project: my-project-1, enabled: false, redisTier: BASIC }\n  serverless-gcp: { project: my-project-1, redisTier: BASIC }\n', ['stacks.serverless-gcp.redisTier: has no effect, as redis is false']],
    // Two stacks publishing the same hosts, whatever their clouds.
    [
      'three stacks on one domain',
      'domain: example.com\nstacks:\n  cluster-gcp: { project: my-project-1 }\n  cluster-aws: {}\n  serverless-gcp: { project: my-project-1 }\n',
      [
        'domain: cluster-gcp and cluster-aws both publish api.example.com and 3 more hosts, each in its own DNS zone, and a domain is delegated to one zone: deploy one of them, or give one its own domain (stacks.cluster-aws.domain)',
        'domain: cluster-gcp and serverless-gcp both publish api.example.com and 3 more hosts, each in its own DNS zone, and a domain is delegated to one zone: deploy one of them, or give one its own domain (stacks.serverless-gcp.domain)',
      ],
    ],
    ['stacks on their own subdomains', 'domain: example.com\nstacks:\n  cluster-gcp: { project: my-project-1 }\n  cluster-aws: { domain: aws.example.com }\n  serverless-gcp: { project: my-project-1, domain: run.example.com }\n', []],
    [
      'a stack domain that is another stack\'s host',
      'domain: example.com\nwebOnTopDomain: true\nstacks:\n  cluster-gcp: { project: my-project-1 }\n  serverless-gcp: { project: my-project-1, domain: app.example.com }\n',
      ['stacks.serverless-gcp.domain: cluster-gcp and serverless-gcp both publish app.example.com, each in its own DNS zone, and a domain is delegated to one zone: deploy one of them, or give one its own domain (stacks.serverless-gcp.domain)'],
    ],
  ])('%s', (_name, text, expected) => {
    expect(warningsOf(text)).toEqual(expected);
  });

  it('are synth warnings, each once: on the stack of its field, a top-level one on the first stack', () => {
    const text = 'domain: example.com\nwebOnTopDomain: true\napp: { web: false }\nstacks:\n  cluster-gcp: { project: my-project-1 }\n  cluster-aws: { domain: aws.example.com, webVia: load-balancer }\n';
    const stacks = createStacks(testApp(), parseConfig(text, { source: 'deploy.yaml' }), { configFile: 'deploy.yaml', guardrails: { print: false } });
    expect(annotatedWarnings(stacks['cluster-gcp']!)).toEqual(['webOnTopDomain: the app publishes no web server (app.web is false), so the bare domain serves the api port instead']);
    expect(annotatedWarnings(stacks['cluster-aws']!)).toEqual(['stacks.cluster-aws.webVia: has no effect, as the app publishes no web server (app.web is false)']);
  });
});

describe('the repository\'s deploy.yaml', () => {
  const config = parseConfig(FULL_CONFIG, { source: 'deploy.yaml' });
  const stacks = createStacks(testApp(), config, { configFile: 'deploy.yaml', guardrails: { print: false } });
  // Synthesized once: validations run, as they do in cdktf synth.
  const json = Object.fromEntries(Object.entries(stacks).map(([id, stack]) => [id, synthJson(stack!)]));

  it('synthesizes every stack without a warning', () => {
    expect(configWarnings(config)).toEqual([]);
    expect(Object.keys(json).sort()).toEqual(['cluster-aws', 'cluster-gcp', 'serverless-gcp']);
    for (const stack of Object.values(stacks)) expect([stack!.node.id, annotatedWarnings(stack!)]).toEqual([stack!.node.id, []]);
  });

  it('gives each stack its own domain', () => {
    const apiHosts = (id: string) => new Set(JSON.stringify(json[id]).match(/\bapi\.[a-z.]*examplepod\.com/g));
    expect(apiHosts('cluster-gcp')).toEqual(new Set(['api.examplepod.com']));
    expect(apiHosts('cluster-aws')).toEqual(new Set(['api.aws.examplepod.com']));
    expect(apiHosts('serverless-gcp')).toEqual(new Set(['api.run.examplepod.com']));
  });
});
