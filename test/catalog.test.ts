// Values the cloud would refuse are config errors: regions, zones and types against the kept lists (lib/catalog),
// with allowUnlisted for a value newer than them; host names, state bucket names and the VPC range against the
// clouds' rules.
import { TerraformStack } from 'cdktf';
import { parseConfig } from '../lib';
import { RULES, checkRules } from '../lib/rules';
import { configureState } from '../lib/state';
import { ProblemCollector } from '../lib/validation';
import { createStacks } from '../stacks/app';
import { configProblems, validationErrorOf } from './helpers/assert';
import { testApp } from './helpers/synth';

const CHECKED = '(checked 2026-11-29)';
const ESCAPE = `or set allowUnlisted: true if it is newer than this list ${CHECKED}`;

const gcp = (fields: string, sizes = '') => `domain: example.com\nstacks:\n  cluster-gcp: { project: my-project-1${fields}${sizes ? `, sizes: { production: { ${sizes} } }` : ''} }\n`;
const serverless = (fields: string) => `domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1${fields} }\n`;
const aws = (fields: string, sizes = '') => `domain: example.com\nstacks:\n  cluster-aws: { ${fields}${sizes ? `${fields ? ', ' : ''}sizes: { production: { ${sizes} } }` : ''} }\n`;

/** Each row: a field's valid values, then a misspelt one and what its error must say. */
const LISTS: [string, (value: string) => string, string[], string, string][] = [
  ['the AWS region', (v) => aws(`region: ${v}`), ['us-east-1', 'ap-southeast-7', 'mx-central-1', 'us-gov-west-1', 'cn-north-1'], 'us-eats-1', 'stacks.cluster-aws.region: got "us-eats-1"; expected an AWS region on the kept list, such as us-east-1, eu-central-1 or ap-southeast-2 (did you mean us-east-1?)'],
  ['the state bucket region', (v) => `domain: example.com\nstate:\n  s3: { bucket: tf-state, region: ${v} }\nstacks:\n  cluster-aws: {}\n`, ['eu-west-1'], 'eu-wset-1', 'state.s3.region: got "eu-wset-1"; expected an AWS region on the kept list'],
  ['the cluster-gcp region', (v) => gcp(`, region: ${v}`), ['europe-west4', 'africa-south1'], 'us-centrl1', 'stacks.cluster-gcp.region: got "us-centrl1"; expected a GCP region on the kept list, such as us-central1, europe-west4 or asia-northeast1 (did you mean us-central1?)'],
  ['the serverless-gcp region', (v) => serverless(`, region: ${v}`), ['me-central2'], 'europe-west5', 'stacks.serverless-gcp.region: got "europe-west5"; expected a GCP region on the kept list'],
  ['the Compute Engine machine type', (v) => gcp('', `machineType: ${v}`), ['e2-medium', 'n2-standard-2', 'c3-standard-4-lssd', 'n2-custom-2-4096', 'custom-2-4096', 'a2-highgpu-1g'], 'e2-mediun', 'stacks.cluster-gcp.sizes.production.machineType: got "e2-mediun"; expected a Compute Engine machine type of a known series, such as e2-micro, e2-medium, n2-standard-2, c3-highcpu-4 or n2-custom-2-4096 (did you mean e2-medium?)'],
  ['the Cloud SQL tier', (v) => gcp('', `databaseTier: ${v}`), ['db-g1-small', 'db-custom-1-3840', 'db-custom-2-13312', 'db-custom-96-638976'], 'db-f1-mcro', 'stacks.cluster-gcp.sizes.production.databaseTier: got "db-f1-mcro"; expected a Cloud SQL for PostgreSQL tier: db-f1-micro, db-g1-small, or db-custom-<vCPUs>-<memory MiB> such as db-custom-2-7680 (did you mean db-f1-micro?)'],
  ['the serverless Cloud SQL tier', (v) => serverless(`, sizes: { staging: { databaseTier: ${v} } }`), ['db-custom-4-15360'], 'db-n1-standard-2', 'stacks.serverless-gcp.sizes.staging.databaseTier: got "db-n1-standard-2"; expected a Cloud SQL for PostgreSQL tier: db-f1-micro, db-g1-small, or db-custom-<vCPUs>-<memory MiB> such as db-custom-2-7680 (Cloud SQL takes db-n1-standard-2 for MySQL only; for PostgreSQL write db-custom-2-7680)'],
  ['the EC2 instance type', (v) => aws('', `instanceType: ${v}`), ['t3.nano', 'm7i.2xlarge', 'c7i.metal-24xl', 'm7i-flex.large'], 't3.mcro', 'stacks.cluster-aws.sizes.production.instanceType: got "t3.mcro"; expected an EC2 instance type of a known family and size, such as t3.micro, t4g.small, m7i.large or c7g.xlarge (did you mean t3.micro?)'],
  ['the RDS instance class', (v) => aws('', `databaseInstanceClass: ${v}`), ['db.t4g.micro', 'db.m7g.large', 'db.r8g.16xlarge'], 'db.m5.small', 'stacks.cluster-aws.sizes.production.databaseInstanceClass: got "db.m5.small"; expected an RDS for PostgreSQL instance class of a known family and size, such as db.t4g.micro, db.m7g.large or db.r7g.xlarge'],
  ['the ElastiCache node type', (v) => aws('', `redisNodeType: ${v}`), ['cache.t4g.small', 'cache.m7g.large', 'cache.r6gd.xlarge'], 'cache.t9.micro', 'stacks.cluster-aws.sizes.production.redisNodeType: got "cache.t9.micro"; expected an ElastiCache node type of a known family and size, such as cache.t4g.micro, cache.m7g.large or cache.r7g.large'],
];

describe('values against the kept lists', () => {
  it.each(LISTS)('accepts listed values of %s and refuses a misspelt one, naming the field and value', (_name, config, valid, typo, expected) => {
    for (const value of valid) expect(() => parseConfig(config(value))).not.toThrow();
    const message = configProblems(config(typo));
    expect(message).toContain(expected);
    expect(message).toContain(ESCAPE);
  });

  it('refuses a zone the kept list does not give the region, naming its zones', () => {
    expect(parseConfig(gcp(', region: us-east1, zone: us-east1-d')).stacks['cluster-gcp']?.zone).toBe('us-east1-d');
    expect(configProblems(gcp(', region: us-east1, zone: us-east1-a'))).toContain(`stacks.cluster-gcp.zone: got "us-east1-a"; expected a zone of us-east1: us-east1-b, us-east1-c, us-east1-d ${CHECKED}`);
    // A zone of another region keeps its own words.
    expect(configProblems(gcp(', zone: europe-west1-b'))).toContain('stacks.cluster-gcp.zone: got "europe-west1-b"; expected a zone of the stack\'s region us-central1');
  });

  it('holds AWS zones to the region: its name and one letter', () => {
    expect(parseConfig(aws('region: ap-east-2, availabilityZones: [ap-east-2a, ap-east-2c]')).stacks['cluster-aws']?.availabilityZones).toEqual(['ap-east-2a', 'ap-east-2c']);
    const message = configProblems(aws('region: us-eats-1, availabilityZones: [us-eats-1a, us-eats-1b]'));
    expect(message).toContain('stacks.cluster-aws.region: got "us-eats-1"; expected an AWS region on the kept list');
  });

  it('refuses Cloud SQL tiers that break the rules, which allowUnlisted does not lift', () => {
    for (const config of [gcp('', 'databaseTier: db-custom-1-100'), `${gcp('', 'databaseTier: db-custom-1-100')}allowUnlisted: true\n`]) {
      expect(configProblems(config)).toContain(
        'stacks.cluster-gcp.sizes.production.databaseTier: got "db-custom-1-100"; expected db-custom-<vCPUs>-<memory MiB> with 1 or an even number of vCPUs up to 96, and memory a multiple of 256 MiB, at least 3840, from 0.9 to 6.5 GiB per vCPU',
      );
    }
    for (const tier of ['db-custom-3-11520', 'db-custom-98-400000', 'db-custom-2-7000', 'db-custom-1-7168', 'db-custom-96-86016']) {
      expect(configProblems(gcp('', `databaseTier: ${tier}`))).toContain(`databaseTier: got "${tier}"; expected db-custom-<vCPUs>-<memory MiB>`);
    }
    expect(configProblems(gcp('', 'databaseTier: db-perf-optimized-N-2'))).toContain(
      'databaseTier: got "db-perf-optimized-N-2"; expected an Enterprise edition tier such as db-custom-2-7680: the stacks create Cloud SQL Enterprise edition instances, which refuse Enterprise Plus tiers',
    );
  });
});

describe('allowUnlisted', () => {
  const NEWER = 'domain: example.com\nallowUnlisted: true\nstate:\n  s3: { bucket: tf-state, region: us-north-9 }\nstacks:\n  cluster-gcp: { project: my-project-1, sizes: { production: { machineType: n5-standard-2 } } }\n  cluster-aws: { region: us-north-9, availabilityZones: [us-north-9a, us-north-9b], sizes: { production: { instanceType: m9i.large, databaseInstanceClass: db.m9g.large } } }\n';

  it('lets values off the lists through, with a synth warning naming each', () => {
    expect(configProblems(NEWER.replace('allowUnlisted: true\n', ''))).toMatch(/has 5 problems/);
    const stacks = createStacks(testApp(), parseConfig(NEWER), { guardrails: { print: false } }) as Record<string, TerraformStack>;
    const warnings = Object.values(stacks)
      .flatMap((s) => s.node.findAll())
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === '@cdktf/warn')
      .map((m) => String(m.data));
    for (const [field, value] of [['environments.production.machineType', 'n5-standard-2'], ['region', 'us-north-9'], ['instanceType', 'm9i.large'], ['database.instanceClass', 'db.m9g.large'], ['s3.region', 'us-north-9']]) {
      expect(warnings).toContainEqual(expect.stringMatching(new RegExp(`^${field.replace(/\./g, '\\.')}: "${value.replace(/\./g, '\\.')}" is not on the kept list \\(checked 2026-11-29\\), which expects .*; synthesized as given`)));
    }
  });

  it('warns in the constructs, whose callers have no config file, and still refuses what breaks a rule', () => {
    const scope = new TerraformStack(testApp(), 'warned');
    const problems = new ProblemCollector('props.');
    checkRules(problems, { machineType: ['e2-mediun', RULES.machineType], databaseTier: ['db-custom-1-100', RULES.cloudSqlTier], region: ['us-central1', RULES.gcpRegion] }, scope);
    expect(scope.node.metadata.map((m) => String(m.data))).toEqual([expect.stringMatching(/^machineType: "e2-mediun" is not on the kept list \(checked 2026-11-29\), which expects a Compute Engine machine type .*\(did you mean e2-medium\?\); synthesized as given/)]);
    expect(problems.list).toEqual([expect.objectContaining({ field: 'props.databaseTier', value: 'db-custom-1-100' })]);
  });
});

describe('host names', () => {
  // 63 + 63 + 63 + 41 characters and dots, and .com: 237 characters.
  const domain = (last: number) => `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(last)}.com`;
  const config = (d: string) => `domain: ${d}\nenvironments: [production, staging]\nstacks:\n  cluster-aws: {}\n`;

  it('refuses a domain whose longest host would pass 253 characters, on domain', () => {
    expect(`insights-staging.${domain(40)}`).toHaveLength(253);
    expect(() => parseConfig(config(domain(40)))).not.toThrow();
    const message = configProblems(config(domain(41)));
    expect(message).toContain(`domain: got "${'a'.repeat(20)}`);
    expect(message).toContain("so the host insights-staging.<domain> fits DNS's 253");
    // A label of more than 63 characters breaks the domain's own shape.
    expect(configProblems(config(`${'a'.repeat(64)}.com`))).toContain('domain: got "aaaa');
  });
});

describe('state bucket names', () => {
  const state = (cloud: 'gcs' | 's3', bucket: string) => `domain: example.com\nstate:\n  ${cloud}: { bucket: "${bucket}"${cloud === 's3' ? ', region: eu-west-1' : ''} }\nstacks:\n  cluster-aws: {}\n`;
  const GCS: [string, string][] = [
    ['My-State', 'a GCS bucket name of lowercase letters, digits, -, _ and . only'],
    ['ab', 'a GCS bucket name of 3 to 63 characters (up to 222 with dots)'],
    ['a'.repeat(64), 'a GCS bucket name of 3 to 63 characters'],
    [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(31)}`, 'a GCS bucket name of 3 to 63 characters (up to 222 with dots)'],
    [`${'a'.repeat(64)}.state`, 'a GCS bucket name whose dot-separated parts have at most 63 characters each'],
    ['-state', 'a GCS bucket name that starts and ends with a letter or digit'],
    ['192.168.5.4', 'a GCS bucket name that is not an IP address'],
    ['goog-state', 'a GCS bucket name not starting with "goog"'],
    ['my-google-state', 'a GCS bucket name without "google" or a close misspelling'],
    ['my-g00gle-state', 'a GCS bucket name without "google" or a close misspelling'],
  ];
  const S3: [string, string][] = [
    ['my_state', 'an S3 bucket name of lowercase letters, digits, dots and hyphens only (no capitals or underscores)'],
    ['ab', 'an S3 bucket name of 3 to 63 characters'],
    ['a'.repeat(64), 'an S3 bucket name of 3 to 63 characters'],
    ['state-', 'an S3 bucket name that starts and ends with a letter or digit'],
    ['my..state', 'an S3 bucket name without two adjacent periods'],
    ['10.0.0.1', 'an S3 bucket name not formatted as an IP address'],
    ['xn--state', 'an S3 bucket name not starting with xn--'],
    ['sthree-state', 'an S3 bucket name not starting with sthree-'],
    ['amzn-s3-demo-state', 'an S3 bucket name not starting with amzn-s3-demo-'],
    ['state-s3alias', 'an S3 bucket name not ending with -s3alias'],
    ['state--ol-s3', 'an S3 bucket name not ending with --ol-s3'],
    ['state.mrap', 'an S3 bucket name not ending with .mrap'],
    ['state--x-s3', 'an S3 bucket name not ending with --x-s3'],
    ['state--table-s3', 'an S3 bucket name not ending with --table-s3'],
  ];

  it('takes names each cloud takes', () => {
    for (const bucket of ['tf-state', 'my_state', 'state.example.com', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(30)}`]) expect(() => parseConfig(state('gcs', bucket))).not.toThrow();
    for (const bucket of ['tf-state', 'state.example.com', 'a'.repeat(63)]) expect(() => parseConfig(state('s3', bucket))).not.toThrow();
    expect(configProblems(state('gcs', 'goog-state'))).toContain('state.gcs.bucket: got "goog-state"');
  });

  it.each(GCS)('refuses the GCS name %s', (bucket, expected) => {
    expect(configProblems(state('gcs', bucket))).toContain(`state.gcs.bucket: got "${bucket.slice(0, 20)}`);
    expect(configProblems(state('gcs', bucket))).toContain(expected);
  });

  it.each(S3)('refuses the S3 name %s', (bucket, expected) => {
    expect(configProblems(state('s3', bucket))).toContain(`state.s3.bucket: got "${bucket.slice(0, 20)}`);
    expect(configProblems(state('s3', bucket))).toContain(expected);
  });

  it('refuses them in configureState too, for callers without a config file', () => {
    const stack = new TerraformStack(testApp(), 'state');
    const message = validationErrorOf(() => configureState(stack, 'state', 'aws', { s3: { bucket: 'my_state', region: 'eu-west-1', keyPrefix: 'x' } }));
    expect(message).toContain('state.s3.bucket: got "my_state"; expected an S3 bucket name of lowercase letters, digits, dots and hyphens only');
  });
});

describe('the VPC range', () => {
  const config = (cidr: string) => `domain: example.com\nstacks:\n  cluster-aws: { vpcCidr: ${cidr} }\n`;

  it('takes the private ranges and refuses public ones', () => {
    for (const cidr of ['10.20.0.0/16', '172.16.0.0/16', '172.31.240.0/20', '192.168.0.0/16', '100.64.0.0/16']) expect(parseConfig(config(cidr)).stacks['cluster-aws']?.vpcCidr).toBe(cidr);
    for (const cidr of ['172.0.0.0/16', '192.0.0.0/16', '172.32.0.0/16', '8.8.0.0/16', '100.128.0.0/16']) {
      expect(configProblems(config(cidr))).toContain(`stacks.cluster-aws.vpcCidr: got "${cidr}"; expected a private IPv4 network inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10`);
    }
  });

  it('names a prefix out of range and host bits past the prefix', () => {
    expect(configProblems(config('10.0.0.0/24'))).toContain('stacks.cluster-aws.vpcCidr: got "10.0.0.0/24"; expected a private IPv4 network with a prefix from /16 to /20');
    expect(configProblems(config('10.0.0.1/16'))).toContain('stacks.cluster-aws.vpcCidr: got "10.0.0.1/16"; expected a private IPv4 network given by its first address (10.0.0.0/16)');
    expect(configProblems(config('10.0.0.256/16'))).toContain('stacks.cluster-aws.vpcCidr: got "10.0.0.256/16"; expected a private IPv4 network in CIDR notation');
  });
});
