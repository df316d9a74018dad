import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Annotations, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { warningsBlock } from '../stacks/run';

// The package's bin as a user runs it (package.json "bin": dist/cli/main.js); `npm test` builds first.
const ROOT = join(__dirname, '..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const BIN = join(ROOT, PKG.bin['cdktf-serverpod']);
const MAIN = join(ROOT, 'dist', 'stacks', 'main.js');

function run(args: string[], options: { cwd?: string; env?: Record<string, string>; script?: string } = {}) {
  return spawnSync(process.execPath, [options.script ?? BIN, ...args], {
    cwd: options.cwd ?? mkdtempSync(join(tmpdir(), 'bin-')),
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
  });
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` (npm test does it first)`);
});

describe('cdktf-serverpod usage', () => {
  it('--help lists the commands on stdout, exit 0', () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const { status, stdout, stderr } = run(args);
      expect(status).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toContain('Usage: cdktf-serverpod <command> [options]');
      expect(stdout).toMatch(/\n {2}init +write a commented deploy\.yaml/);
      expect(stdout).toMatch(/\n {2}synth +synthesize the stacks/);
    }
  });

  it("a command's help: help <command> and <command> --help", () => {
    for (const args of [['help', 'init'], ['init', '--help'], ['init', '-h']]) {
      const { status, stdout } = run(args);
      expect(status).toBe(0);
      expect(stdout).toContain('Usage: cdktf-serverpod init [--domain <name>]');
    }
    expect(run(['synth', '--help']).stdout).toContain('Usage: cdktf-serverpod synth');
  });

  it('an unknown command, no command, or help on an unknown one: the usage on stderr, exit 2', () => {
    for (const [args, message] of [
      [['deploy'], 'cdktf-serverpod: unknown command "deploy"'],
      [[], 'cdktf-serverpod: no command given'],
      [['--domain', 'example.com'], 'cdktf-serverpod: unknown command "--domain"'],
      [['help', 'nope'], 'cdktf-serverpod help: no command "nope"'],
    ] as const) {
      const { status, stdout, stderr } = run([...args]);
      expect(status).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.split('\n')[0]).toBe(message);
      expect(stderr).toContain('Usage: cdktf-serverpod <command> [options]');
    }
  });

  it('--version prints the package version', () => {
    const { status, stdout } = run(['--version']);
    expect(status).toBe(0);
    expect(stdout).toBe(`${PKG.version}\n`);
  });

  it('init writes into the working folder; a second init refuses (exit 1)', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'bin-init-'));
    expect(run(['init', '--domain', 'shop.example.org'], { cwd }).status).toBe(0);
    expect(readdirSync(cwd).sort()).toEqual(['.gitignore', 'cdktf.json', 'deploy.yaml']);
    const again = run(['init'], { cwd });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('deploy.yaml and cdktf.json already exist');
  });
});

describe('cdktf-serverpod init errors', () => {
  it('a file it cannot write: one line naming it, exit 1, no stack trace', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'bin-eisdir-'));
    mkdirSync(join(cwd, 'deploy.yaml'));
    const { status, stderr } = run(['init', '--force'], { cwd });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^cdktf-serverpod init: EISDIR: .*deploy\.yaml'\n$/);
  });
});

describe('cdktf-serverpod synth, the app cdktf.json runs', () => {
  it("writes what this repository's app (dist/stacks/main.js) writes", () => {
    const viaBin = mkdtempSync(join(tmpdir(), 'bin-synth-'));
    const viaMain = mkdtempSync(join(tmpdir(), 'main-synth-'));
    const bin = run(['synth'], { cwd: ROOT, env: { CDKTF_OUTDIR: viaBin } });
    const main = run([], { cwd: ROOT, env: { CDKTF_OUTDIR: viaMain }, script: MAIN });
    expect(bin.stderr).toBe('');
    expect(bin.status).toBe(0);
    expect(main.status).toBe(0);
    expect(bin.stdout).toBe(main.stdout);
    const stacks = readdirSync(join(viaBin, 'stacks')).sort();
    expect(stacks).toEqual(readdirSync(join(viaMain, 'stacks')).sort());
    expect(stacks.length).toBeGreaterThan(0);
    for (const stack of stacks) {
      expect(readFileSync(join(viaBin, 'stacks', stack, 'cdk.tf.json'), 'utf8')).toBe(readFileSync(join(viaMain, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    }
  });

  it('reports a bad file like the app: every problem, exit 1, nothing written', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'bin-bad-'));
    const outdir = mkdtempSync(join(tmpdir(), 'bin-bad-out-'));
    writeFileSync(join(cwd, 'deploy.yaml'), 'domain: bad_domain\nstacks:\n  cluster-aws: { region: mars-1 }\n');
    const { status, stderr } = run(['synth'], { cwd, env: { CDKTF_OUTDIR: outdir } });
    expect(status).toBe(1);
    expect(stderr).toMatch(new RegExp(`^Config file ${join(cwd, 'deploy.yaml').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} has \\d+ problems; nothing was synthesized:\\n`));
    expect(stderr).toContain('  - domain: got "bad_domain"');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(outdir)).toEqual([]);
  });

  it('reads the file SERVERPOD_DEPLOY_CONFIG names, and takes no arguments', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'bin-env-'));
    const { status, stderr } = run(['synth'], { cwd, env: { SERVERPOD_DEPLOY_CONFIG: join(cwd, 'elsewhere.yaml') } });
    expect(status).toBe(1);
    expect(stderr).toContain(`Config file ${join(cwd, 'elsewhere.yaml')} could not be read`);
    const extra = run(['synth', 'cluster-gcp'], { cwd });
    expect(extra.status).toBe(2);
    expect(extra.stderr).toContain('cdktf-serverpod synth: takes no arguments, got cluster-gcp');
  });

  it("prints the stacks' warnings as one block on stdout, which cdktf synth shows (it keeps the app's stderr)", () => {
    const cwd = mkdtempSync(join(tmpdir(), 'bin-warn-'));
    // allowUnlisted turns a region off the kept list into a warning: a warning the config asks for.
    writeFileSync(join(cwd, 'deploy.yaml'), 'domain: example.com\nallowUnlisted: true\nenvironments: [production]\nstacks:\n  cluster-aws: { region: us-west-9, availabilityZones: [us-west-9a, us-west-9b] }\n');
    const alone = run(['synth'], { cwd, env: { CDKTF_OUTDIR: join(cwd, 'out') } });
    expect(alone.status).toBe(0);
    expect(alone.stderr).toBe('');
    // After the guardrails' line for the stack.
    expect(alone.stdout).toMatch(/^\nGuardrails, stack cluster-aws: \d+ rules, 0 errors, 0 warnings, \d+ suppressed findings\. Each suppression's reason: cdktf\.out\/stacks\/cluster-aws\/guardrails\.json\.\n/);
    expect(alone.stdout.replace(/^\nGuardrails, stack [^\n]*\n/, '')).toMatch(new RegExp(`^\\ncdktf-serverpod: 1 warning about ${join(cwd, 'deploy.yaml').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(the stacks were written; read before deploying\\):\\n {2}- cluster-aws: region: "us-west-9" is not on the kept list`));
    const underCli = run(['synth'], { cwd, env: { CDKTF_OUTDIR: join(cwd, 'out2'), CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true' } });
    expect(underCli.stdout).toContain('(the stacks were written; read before deploying; cdktf repeats it below as a WARN line):\n  - cluster-aws: region: "us-west-9"');
  });
});

describe('warningsBlock', () => {
  it('lists every warning by stack id, and neither notes nor errors', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'my-stack');
    Annotations.of(new Construct(new Construct(stack, 'a'), 'b')).addWarning('first');
    Annotations.of(stack).addWarning('second');
    Annotations.of(stack).addInfo('a note');
    Annotations.of(app).addWarning('of the app');
    expect(warningsBlock(app, 'deploy.yaml', false)).toBe('\ncdktf-serverpod: 3 warnings about deploy.yaml (the stacks were written; read before deploying):\n  - of the app\n  - my-stack: second\n  - my-stack: first\n\n');
  });

  it('is empty without warnings', () => {
    const app = Testing.app();
    Annotations.of(new TerraformStack(app, 'quiet')).addInfo('a note');
    expect(warningsBlock(app, 'deploy.yaml', false)).toBe('');
  });
});
