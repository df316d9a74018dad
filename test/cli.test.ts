import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

// The compiled app as `cdktf synth` runs it (cdktf.json: node dist/stacks/main.js); `npm test` builds first.
const ROOT = join(__dirname, '..');
const MAIN = join(ROOT, 'dist', 'stacks', 'main.js');

function runApp(env: Record<string, string>) {
  const outdir = mkdtempSync(join(tmpdir(), 'synth-'));
  const result = spawnSync(process.execPath, [MAIN], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CDKTF_OUTDIR: outdir, ...env },
  });
  return { ...result, outdir };
}

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` (npm test does it first)`);
});

describe('the cdktf app', () => {
  it('writes all three stacks from deploy.yaml', () => {
    const { status, outdir, stderr } = runApp({});
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual(['cluster-aws', 'cluster-gcp', 'serverless-gcp']);
  });

  it('stops on a bad config with every problem listed and nothing written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'badcfg-'));
    const file = join(dir, 'deploy.yaml');
    writeFileSync(file, 'domain: bad_domain\nenvironments: [staging]\nstacks:\n  cluster-aws: { region: mars-1 }\n');
    const { status, stderr, outdir } = runApp({ SERVERPOD_DEPLOY_CONFIG: file });
    expect(status).toBe(1);
    expect(stderr).toContain(`Config file ${file} has 3 problems; nothing was synthesized:`);
    expect(stderr).toContain('domain: got "bad_domain"');
    expect(stderr).toContain('environments: got ["staging"]');
    expect(stderr).toContain('stacks.cluster-aws.region: got "mars-1"; expected an AWS region');
    expect(stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(readdirSync(outdir)).toEqual([]);
  });

  it('words what a construct refuses as a problem of the config file, by its deploy.yaml field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'budget-'));
    const file = join(dir, 'deploy.yaml');
    writeFileSync(file, 'domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, sizes: { production: { maxInstances: 10 } } }\n');
    const { status, stderr, outdir } = runApp({ SERVERPOD_DEPLOY_CONFIG: file });
    expect(status).toBe(1);
    expect(stderr).toContain(`Config file ${file} has 1 problem; nothing was synthesized:\n  - stacks.serverless-gcp.sizes.production: got "49 connections at once"; expected database connections that fit`);
    expect(stderr).not.toContain('serverless-gcp/app');
    expect(stderr).not.toContain('props.');
    expect(readdirSync(outdir)).toEqual([]);
  });
});
