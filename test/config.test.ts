import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadConfig, parseConfig } from '../lib';
import { configProblems } from './helpers/assert';

const MINIMAL = `
domain: example.com
stacks:
  cluster-gcp: { project: my-project-1 }
`;

const problemsOf = configProblems;

describe('config file', () => {
  it('accepts the example deploy.yaml in the repository', () => {
    const config = loadConfig({ path: join(__dirname, '..', 'deploy.yaml'), env: {} });
    expect(config.environments).toEqual(['production', 'staging']);
    expect(Object.keys(config.stacks).sort()).toEqual(['cluster-aws', 'cluster-gcp', 'serverless-gcp']);
  });

  it('fills every default from a minimal file', () => {
    const config = parseConfig(MINIMAL);
    expect(config).toMatchObject({
      project: 'serverpod',
      domain: 'example.com',
      environments: ['production'],
      app: { preset: 'serverpod', logging: 'normal', environment: {}, applyMigrations: true, healthCheck: {} },
      database: true,
      redis: false,
      storage: true,
      webOnTopDomain: false,
      secrets: {},
      state: {},
    });
    // The Serverpod release, the health path and the web switch follow the preset (see the profile tests).
    expect(config.app.serverpodVersion).toBeUndefined();
    expect(config.app.healthCheckPath).toBeUndefined();
    const size = { machineType: 'e2-micro', minInstances: 1, maxInstances: 2, cpuTargetPercent: 60, databaseTier: 'db-f1-micro', databaseAvailability: 'ZONAL', databaseStorageGb: 10, redisMemoryGb: 1 };
    expect(config.stacks['cluster-gcp']).toEqual({
      enabled: true,
      project: 'my-project-1',
      region: 'us-central1',
      backendTimeoutSec: 3600,
      webCdn: true,
      storageCdn: false,
      bucketNaming: 'project',
      redisTier: 'BASIC',
      redisTransitEncryption: false,
      // No nat: on for a new network, off with existingNetwork (the pattern decides).
      iapSsh: true,
      sizes: { production: size, staging: size },
      database: { production: { engineVersion: 16 }, staging: { engineVersion: 16 } },
    });
    expect(config.github).toBeUndefined();
    expect(config.stacks['cluster-aws']).toBeUndefined();
  });

  it('derives two availability zones from the AWS region when none are given', () => {
    const config = parseConfig('domain: example.com\nstacks:\n  cluster-aws: { region: eu-central-1 }\n');
    expect(config.stacks['cluster-aws']?.availabilityZones).toEqual(['eu-central-1a', 'eu-central-1b']);
  });

  it('takes per-person values from the environment', () => {
    const text = `${MINIMAL}  serverless-gcp: { project: other-project }\n  cluster-aws: {}\n`;
    const config = parseConfig(text, {
      env: { SERVERPOD_DEPLOY_DOMAIN: 'mine.dev', SERVERPOD_DEPLOY_GCP_PROJECT: 'my-own-gcp', SERVERPOD_DEPLOY_AWS_ACCOUNT_ID: '123456789012', SERVERPOD_DEPLOY_PROJECT: 'mypod' },
    });
    expect(config.domain).toBe('mine.dev');
    expect(config.project).toBe('mypod');
    expect(config.stacks['cluster-gcp']?.project).toBe('my-own-gcp');
    expect(config.stacks['serverless-gcp']?.project).toBe('my-own-gcp');
    expect(config.stacks['cluster-aws']?.accountId).toBe('123456789012');
  });

  it('never switches a stack on from the environment', () => {
    const config = parseConfig(MINIMAL, { env: { SERVERPOD_DEPLOY_AWS_ACCOUNT_ID: '123456789012' } });
    expect(config.stacks['cluster-aws']).toBeUndefined();
  });

  it('names the variable a bad value came from', () => {
    expect(problemsOf(MINIMAL, { SERVERPOD_DEPLOY_DOMAIN: 'https://x.com' })).toContain('domain (from SERVERPOD_DEPLOY_DOMAIN): got "https://x.com"; expected a lowercase DNS name');
  });

  it('reads the file SERVERPOD_DEPLOY_CONFIG names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'other.yaml'), MINIMAL.replace('example.com', 'other.org'));
    expect(loadConfig({ env: { SERVERPOD_DEPLOY_CONFIG: join(dir, 'other.yaml') } }).domain).toBe('other.org');
    expect(() => loadConfig({ env: { SERVERPOD_DEPLOY_CONFIG: join(dir, 'missing.yaml') } })).toThrow(/Config file .*missing\.yaml could not be read/);
  });
});

// Each row: a bad config and the lines its one error must contain (field, value and what is allowed).
const BAD: [string, string, string[]][] = [
  ['no domain and no stacks', 'project: serverpod\n', ['domain: missing; expected a value (this field is required): a string', 'stacks: missing; expected a value (this field is required): a mapping']],
  ['a domain with a scheme', 'domain: https://example.com\nstacks: {}\n', ['domain: got "https://example.com"; expected a lowercase DNS name without a scheme or trailing dot']],
  ['staging without production', 'domain: example.com\nenvironments: [staging]\nstacks: {}\n', ['environments: got ["staging"]; expected a list that includes production']],
  ['an unknown environment', 'domain: example.com\nenvironments: [production, qa]\nstacks: {}\n', ['environments.1: got "qa"; expected one of "production", "staging"']],
  ['a misspelt field', 'domain: example.com\nredis_enabled: true\nstacks: {}\n', ['redis_enabled: got true; expected no field of this name here']],
  ['an unknown stack', 'domain: example.com\nstacks:\n  cluster-azure: {}\n', ['stacks.cluster-azure: got {}; expected no field of this name here']],
  ['a bad project name', 'project: My_Pod\ndomain: example.com\nstacks: {}\n', ['project: got "My_Pod"; expected a name of 3 to 20 lowercase letters']],
  [
    'min above max and a bad machine type',
    'domain: example.com\nstacks:\n  cluster-gcp:\n    project: my-project-1\n    sizes:\n      production: { minInstances: 5, maxInstances: 2, machineType: E2 Micro }\n',
    ['stacks.cluster-gcp.sizes.production.minInstances: got 5; expected at most maxInstances (2)', 'stacks.cluster-gcp.sizes.production.machineType: got "E2 Micro"; expected a Compute Engine machine type'],
  ],
  [
    'a GCP region and project in the wrong format',
    'domain: example.com\nstacks:\n  serverless-gcp: { project: P, region: us_central }\n',
    ['stacks.serverless-gcp.project: got "P"; expected a GCP project id', 'stacks.serverless-gcp.region: got "us_central"; expected a GCP region'],
  ],
  [
    'one availability zone, in another region',
    'domain: example.com\nstacks:\n  cluster-aws: { region: us-west-2, availabilityZones: [eu-west-1a] }\n',
    ['stacks.cluster-aws.availabilityZones: got ["eu-west-1a"]; expected at least 2 availability zones', "stacks.cluster-aws.availabilityZones.0: got \"eu-west-1a\"; expected a zone of the stack's region us-west-2"],
  ],
  [
    'AWS sizes out of range',
    'domain: example.com\nstacks:\n  cluster-aws:\n    region: us-east-1\n    accountId: "1234"\n    sizes:\n      staging: { instanceType: micro, cpuTargetPercent: 95, databaseInstanceClass: t4g.micro }\n',
    [
      'stacks.cluster-aws.accountId: got "1234"; expected a 12-digit AWS account id',
      'stacks.cluster-aws.sizes.staging.instanceType: got "micro"; expected an EC2 instance type',
      'stacks.cluster-aws.sizes.staging.cpuTargetPercent: got 95; expected at most 90',
      'stacks.cluster-aws.sizes.staging.databaseInstanceClass: got "t4g.micro"; expected an RDS instance class',
    ],
  ],
  [
    'Cloud Run memory, concurrency and schedule out of range',
    'domain: example.com\nstacks:\n  serverless-gcp:\n    project: my-project-1\n    maintenanceSchedule: every minute\n    sizes:\n      production: { memory: 300Mi, concurrency: 5000, minInstances: -1 }\n',
    [
      'stacks.serverless-gcp.maintenanceSchedule: got "every minute"; expected a five-field cron expression',
      'stacks.serverless-gcp.sizes.production.memory: got "300Mi"; expected one of "512Mi", "1Gi"',
      'stacks.serverless-gcp.sizes.production.concurrency: got 5000; expected at most 1000',
      'stacks.serverless-gcp.sizes.production.minInstances: got -1; expected at least 0',
    ],
  ],
  ['a port on the serverpod preset', 'domain: example.com\napp: { port: 9000 }\nstacks: {}\n', ['app.port: got 9000; expected no port for the serverpod preset']],
  ['a wrong type', 'domain: example.com\nredis: "yes"\nstacks: {}\n', ['redis: got "yes"; expected true or false']],
  [
    'secrets the stacks own, badly named or badly formed',
    'domain: example.com\nsecrets:\n  database: generated\n  my-key: empty\n  tooShort: { value: generated, length: 8 }\n  maybe: sometimes\nstacks: {}\n',
    [
      'secrets.database: got "database"; expected a key other than database, redis',
      'secrets.my-key: got "my-key"; expected a secret key such as stripeApiKey',
      'secrets.tooShort.length: got 8; expected at least 16',
      'secrets.maybe: got "sometimes"; expected generated, empty, or { value: generated|empty, length?, variable? }',
    ],
  ],
  [
    'a secret both at the top and in the earlier AWS list',
    'domain: example.com\nsecrets: { stripeKey: empty }\nstacks:\n  cluster-aws: { secrets: [stripeKey] }\n',
    ['stacks.cluster-aws.secrets.0: got "stripeKey"; expected a key not also under the top-level secrets'],
  ],
  [
    'variables the Docker CLI would read',
    'domain: example.com\napp:\n  environment: { DOCKER_HOST: "tcp://evil:2375", GOMAXPROCS: "1", "1BAD": x }\nstacks: {}\n',
    [
      'app.environment.DOCKER_HOST: got "DOCKER_HOST"; expected a name the Docker CLI process does not read itself',
      'app.environment.GOMAXPROCS: got "GOMAXPROCS"; expected a name the Docker CLI process does not read itself',
      'app.environment.1BAD: got "1BAD"; expected an environment variable name',
    ],
  ],
  [
    'an unknown Serverpod release and a timeout at the interval',
    'domain: example.com\napp:\n  serverpodVersion: "2.8"\n  healthCheck: { intervalSec: 10, timeoutSec: 10 }\nstacks: {}\n',
    ['app.serverpodVersion: got "2.8"; expected a Serverpod release as major.minor from 2.9 to 4.x', 'app.healthCheck.timeoutSec: got 10; expected less than intervalSec (10)'],
  ],
  [
    'Serverpod settings on the perseus preset',
    'domain: example.com\napp: { preset: perseus, serverpodVersion: "3.4", web: false }\nstacks: {}\n',
    ['app.serverpodVersion: got "3.4"; expected no serverpodVersion for the perseus preset', 'app.web: got false; expected no web for the perseus preset'],
  ],
  [
    'a health-check path that Terraform would evaluate',
    'domain: example.com\napp: { healthCheckPath: \'/${file("/etc/hostname")}\' }\nstacks: {}\n',
    ['app.healthCheckPath: got "/${file(\\"/etc/hostname\\")}"; expected a path starting with /, without spaces or braces'],
  ],
  [
    "cdktf's token markers, which would turn text into a reference",
    'domain: example.com\napp:\n  environment: { STOLEN: "${TfToken[TOKEN.1]}" }\nstacks: {}\n',
    ['app.environment.STOLEN: got "${TfToken[TOKEN.1]}"; expected text without cdktf\'s token encodings'],
  ],
  [
    'no availability zones in a region whose zone names differ between accounts',
    'domain: example.com\nstacks:\n  cluster-aws: { region: ap-northeast-1 }\n',
    ['stacks.cluster-aws.availabilityZones: missing; expected two or more zones your account offers in ap-northeast-1, which differ between accounts there (list them: aws ec2 describe-availability-zones'],
  ],
  [
    'a project name AWS reserves as a security-group or bucket prefix, with cluster-aws',
    'project: sg-shop\ndomain: example.com\nstacks:\n  cluster-aws: {}\n',
    ['project: got "sg-shop"; expected a name of 1 to 30 lowercase letters, digits and hyphens, starting with a letter, not starting with sg-, xn--, sthree- or amzn-s3-demo-'],
  ],
  [
    "text in cdktf's number-token encoding, which it would also turn into a reference (a CI variable included)",
    'domain: x-8.109562212591708e298.com\napp:\n  environment: { NUMBER: "v=-8.109562212591379e+298" }\nstacks: {}\n',
    [
      'domain: got "x-8.109562212591708e298.com"; expected text without cdktf\'s token encodings',
      'app.environment.NUMBER: got "v=-8.109562212591379e+298"; expected text without cdktf\'s token encodings',
    ],
  ],
  [
    'a boot grace period Cloud Run cannot give',
    'domain: example.com\napp: { healthCheck: { gracePeriodSec: 900 } }\nstacks:\n  serverless-gcp: { project: my-project-1 }\n',
    ['app.healthCheck.gracePeriodSec: got 900; expected at most 480 with stacks.serverless-gcp'],
  ],
  ['a state bucket with no region', 'domain: example.com\nstate:\n  s3: { bucket: my-state }\nstacks: {}\n', ['state.s3.region: missing; expected a value (this field is required)']],
  ['a YAML syntax error', 'domain: [example.com\n', ['bad.yaml:2:1: expected valid YAML (Flow sequence in block collection must be sufficiently indented and end with a ]']],
  ['a list at the top', '- domain\n', ['(top level): got ["domain"]; expected a mapping of settings']],
];

describe('bad config files', () => {
  it.each(BAD)('fails on %s with one error naming every problem', (_name, text, expected) => {
    const message = problemsOf(text);
    expect(message).toMatch(/^Config file bad\.yaml has \d+ problems?; nothing was synthesized:/);
    for (const line of expected) expect(message).toContain(line);
    // One line per problem, no more: every expected problem is listed and nothing is reported twice.
    const lines = message.split('\n').slice(1);
    expect(new Set(lines).size).toBe(lines.length);
  });

  it('reports all problems of a file at once', () => {
    const message = problemsOf('domain: Example..com\nenvironments: [staging]\nstacks:\n  cluster-gcp: { project: X }\n');
    expect(message).toContain('has 3 problems');
  });
});
