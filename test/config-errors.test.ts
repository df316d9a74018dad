import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ValidationError } from '../lib/validation';
import { configProblems } from '../stacks/config-errors';

// What the bundled app prints when a config is refused, whether the schema or a construct finds the problem: the
// deploy.yaml field, its value and what is allowed, exit 1, nothing written; never a stack trace, a construct path
// or a prop name. Runs the compiled app as `cdktf synth` does (`npm test` builds first).
const ROOT = join(__dirname, '..');
const MAIN = join(ROOT, 'dist', 'stacks', 'main.js');

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` (npm test does it first)`);
});

function runApp(configText: string, options: { env?: Record<string, string>; preload?: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'config-errors-'));
  const file = join(dir, 'deploy.yaml');
  writeFileSync(file, configText);
  const outdir = mkdtempSync(join(tmpdir(), 'synth-'));
  const result = spawnSync(process.execPath, [...(options.preload ? ['-r', options.preload] : []), MAIN], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CDKTF_OUTDIR: outdir, SERVERPOD_DEPLOY_CONFIG: file, ...options.env },
  });
  return { ...result, file, outdir };
}

/** Runs the app on `configText` and checks it was refused the way a bad config file is; returns stderr. */
function refused(configText: string): string {
  const { status, stderr, file, outdir } = runApp(configText);
  expect(stderr).toMatch(new RegExp(`^Config file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} has \\d+ problems?; nothing was synthesized:\n`));
  expect(stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  expect(stderr).not.toMatch(/\b(cluster-aws|cluster-gcp|serverless-gcp)\//); // no construct path
  expect(stderr).not.toContain('props.');
  expect(status).toBe(1);
  expect(readdirSync(outdir)).toEqual([]); // no stack, not even the empty stacks folder
  return stderr;
}

const LONG_LABEL = 'a'.repeat(60);
/** 224 characters: a valid DNS name, but private-storage.<it> is longer than a bucket name may be (222). */
const LONG_DOMAIN = `${LONG_LABEL}.${LONG_LABEL}.${LONG_LABEL}.${'a'.repeat(37)}.com`;

describe('problems the schema finds before any construct exists', () => {
  it('a VPC range with host bits set', () => {
    expect(refused('domain: example.com\nstacks:\n  cluster-aws: { vpcCidr: 10.0.0.1/16 }\n')).toContain('  - stacks.cluster-aws.vpcCidr: got "10.0.0.1/16"; expected a private IPv4 network');
  });

  it('a Cloud Run subnet range with a number above 255 (accepted, and synthesized, before)', () => {
    expect(refused('domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, subnetCidr: 999.10.0.0/20 }\n')).toContain(
      '  - stacks.serverless-gcp.subnetCidr: got "999.10.0.0/20"; expected an IPv4 CIDR block from /16 to /26',
    );
  });

  it('a domain too long for its bucket names with bucketNaming: domain', () => {
    expect(LONG_DOMAIN).toHaveLength(224);
    const stderr = refused(`domain: ${LONG_DOMAIN}\nstacks:\n  cluster-gcp: { project: my-project-1, bucketNaming: domain }\n`);
    expect(stderr).toContain(`  - domain: got "${LONG_DOMAIN.slice(0, 70)}`);
    expect(stderr).toContain('expected a domain of at most 206 characters with stacks.cluster-gcp.bucketNaming: domain');
  });

  it('a domain too long for its hosts, on any stack', () => {
    const domain = `${LONG_LABEL}.${LONG_LABEL}.${LONG_LABEL}.${LONG_LABEL}.com`;
    expect(refused(`domain: ${domain}\nstacks:\n  cluster-aws: {}\n`)).toContain('expected a domain of at most 244 characters, so the host insights.<domain> fits');
  });

  it('a secret in the stack list named like one the stacks create', () => {
    expect(refused('domain: example.com\nstacks:\n  cluster-aws: { secrets: [database] }\n')).toContain('  - stacks.cluster-aws.secrets.0: got "database"; expected a key other than database');
  });

  it('nine availability zones', () => {
    const zones = 'abcdefghi'.split('').map((z) => `us-east-1${z}`);
    const stderr = refused(`domain: example.com\nstacks:\n  cluster-aws: { region: us-east-1, availabilityZones: [${zones.join(', ')}] }\n`);
    expect(stderr).toContain('  - stacks.cluster-aws.availabilityZones: got ["us-east-1a","us-east-1b"');
    expect(stderr).toContain('expected at most 8 availability zones');
  });

  it('webOnTopDomain with Cloud Run domain mappings', () => {
    expect(refused('domain: example.com\nwebOnTopDomain: true\nstacks:\n  serverless-gcp: { project: my-project-1, domains: domain-mappings }\n')).toContain(
      '  - webOnTopDomain: got true; expected false with stacks.serverless-gcp.domains: domain-mappings',
    );
  });
});

describe('problems only the constructs find, named by their deploy.yaml fields', () => {
  it('a Cloud Run connection budget that cannot fit', () => {
    expect(refused('domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, sizes: { production: { maxInstances: 10 } } }\n')).toContain(
      '  - stacks.serverless-gcp.sizes.production: got "49 connections at once"; expected database connections that fit: Cloud SQL tier db-f1-micro allows 25 connections',
    );
  });

  it('a cluster-aws connection budget that cannot fit', () => {
    expect(refused('domain: example.com\nstacks:\n  cluster-aws: { sizes: { production: { maxInstances: 200 } } }\n')).toContain(
      '  - stacks.cluster-aws.sizes.production: got "800 connections at once"; expected database connections that fit: RDS db.t4g.micro',
    );
  });

  it('a cluster-gcp connection budget that cannot fit, in staging', () => {
    expect(refused('domain: example.com\nenvironments: [production, staging]\nstacks:\n  cluster-gcp: { project: my-project-1, sizes: { staging: { maxInstances: 100 } } }\n')).toContain(
      '  - stacks.cluster-gcp.sizes.staging: got "206 connections at once"',
    );
  });

  it('a Cloud Run subnet too small for the instances', () => {
    expect(refused('domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, subnetCidr: 10.10.0.0/26 }\n')).toContain(
      '  - stacks.serverless-gcp.subnetCidr: got "10.10.0.0/26"; expected a range with at least 80 usable addresses',
    );
  });

  it('a secret named like the storage credentials, at the top level and in the stack list', () => {
    expect(refused('domain: example.com\nsecrets: { AWSAccessKeyId: empty }\nstacks:\n  cluster-aws: {}\n')).toContain('  - secrets.AWSAccessKeyId: got "AWSAccessKeyId"; expected a key other than');
    expect(refused('domain: example.com\nstacks:\n  cluster-aws: { secrets: [serviceSecret, AWSSecretKey] }\n')).toContain('  - stacks.cluster-aws.secrets.1: got "AWSSecretKey"; expected a key other than');
    expect(refused('domain: example.com\nsecrets: { HMACSecretKey: empty }\nstacks:\n  cluster-gcp: { project: my-project-1 }\n')).toContain('  - secrets.HMACSecretKey: got "HMACSecretKey"');
  });

  it('two secrets whose secret names clash, or that share a variable', () => {
    expect(refused('domain: example.com\nsecrets: { stripeKey: empty, StripeKey: generated }\nstacks:\n  cluster-gcp: { project: my-project-1 }\n')).toContain(
      '  - secrets.StripeKey: got "StripeKey"; expected a key whose secret name (stripe-key) no other secret has',
    );
    expect(refused('domain: example.com\nsecrets: { a1: { value: empty, variable: FOO }, b1: { value: empty, variable: FOO } }\nstacks:\n  cluster-aws: {}\n')).toContain(
      '  - secrets.b1.variable: got "FOO"; expected a variable no other secret uses (a1 uses it)',
    );
  });

  it('environment values that overflow EC2 user data', () => {
    // Values that do not compress: EC2's limit counts the user data gzipped.
    let random = '';
    for (let i = 0; random.length < 18000; i++) random += Math.imul(i + 1, 2654435761).toString(36);
    const values = Array.from({ length: 6 }, (_, i) => `    V${i}: "${random.slice(i * 3000, (i + 1) * 3000)}"`).join('\n');
    expect(refused(`domain: example.com\napp:\n  environment:\n${values}\nstacks:\n  cluster-aws: {}\n`)).toContain('  - app.environment: got "a boot script of about');
  });

  it('a per-service maximum for a service the app does not publish', () => {
    expect(refused('domain: example.com\ndatabase: false\nstacks:\n  serverless-gcp: { project: my-project-1, sizes: { production: { serviceMaxInstances: { web: 4 } } } }\n')).toContain(
      '  - stacks.serverless-gcp.sizes.production.serviceMaxInstances.web: got "web"',
    );
  });
});

describe('the mapping from props to deploy.yaml fields', () => {
  const refusal = (subject: string, field: string) => new ValidationError(subject, [{ field, value: 4, expected: 'something else' }]);

  it('names the environment a construct serves, from its path', () => {
    const fields = { 'ServerGroup.minInstances': 'stacks.cluster-aws.sizes.{env}.minInstances' };
    expect(configProblems(refusal('ServerGroup "cluster-aws/staging/Servers"', 'props.minInstances'), 'cluster-aws', fields)).toEqual([
      { field: 'stacks.cluster-aws.sizes.staging.minInstances', value: 4, expected: 'something else' },
    ]);
  });

  it('appends what follows the matched prop, brackets or dots', () => {
    const fields = { 'Network.availabilityZones': 'stacks.cluster-aws.availabilityZones' };
    expect(configProblems(refusal('Network "cluster-aws/network"', 'props.availabilityZones[3]'), 'cluster-aws', fields)[0].field).toBe('stacks.cluster-aws.availabilityZones.3');
  });

  it('keeps an unmapped prop under the stack\'s config key, without the construct path', () => {
    const [problem] = configProblems(refusal('ServerGroup "cluster-aws/production/Servers"', 'props.rootVolumeGb'), 'cluster-aws', {});
    expect(problem.field).toBe("stacks.cluster-aws (ServerGroup's rootVolumeGb)");
  });
});

describe('an unexpected error (a bug, not a bad config)', () => {
  // Makes createStacks throw what no check words, as a bug would.
  const preload = join(mkdtempSync(join(tmpdir(), 'bug-')), 'bug.js');
  writeFileSync(
    preload,
    `const app = require(${JSON.stringify(join(ROOT, 'dist', 'stacks', 'app.js'))});\napp.createStacks = () => { throw new TypeError("Cannot read properties of undefined (reading 'zone')"); };\n`,
  );
  const config = 'domain: example.com\nstacks:\n  cluster-aws: {}\n';

  it('is one line saying so, with the message, and nothing written', () => {
    const { status, stderr, outdir } = runApp(config, { preload });
    expect(status).toBe(1);
    expect(stderr).toBe(
      "A bug in cdktf-serverpod stopped the synth; nothing was written: Cannot read properties of undefined (reading 'zone') (please report it; CDKTF_SERVERPOD_DEBUG=1 shows the stack trace)\n",
    );
    expect(readdirSync(outdir)).toEqual([]);
  });

  it('adds the stack trace with CDKTF_SERVERPOD_DEBUG=1', () => {
    const { status, stderr } = runApp(config, { preload, env: { CDKTF_SERVERPOD_DEBUG: '1' } });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^A bug in cdktf-serverpod stopped the synth/);
    expect(stderr).toMatch(/\n\s+at /);
  });
});
