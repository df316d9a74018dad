import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseDocument } from 'yaml';
import { APP_COMMAND, GITIGNORE_LINES, TEMPLATE_FILE, gitignoreWith, init, renderDeployYaml } from '../cli/init';
import { parseConfig } from '../lib/config/load';

// `cdktf-serverpod init`, run in process on a fresh folder each time.
const ROOT = join(__dirname, '..');
const REPO_DEPLOY_YAML = readFileSync(join(ROOT, 'deploy.yaml'), 'utf8');

function runInit(args: string[], dir = mkdtempSync(join(tmpdir(), 'init-'))) {
  let stdout = '';
  let stderr = '';
  const status = init(args, { cwd: dir, stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  const read = (file: string) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : undefined);
  return { status, stdout, stderr, dir, read };
}

/** Lines of `after` that differ from `before`, which has as many lines. */
function changedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b).toHaveLength(a.length);
  return b.filter((line, i) => line !== a[i]);
}

const TEMPLATE = parseDocument(REPO_DEPLOY_YAML).toJS();

/**
 * The template as init should write it with these values: the domain at the top and in place of the top domain in
 * each stack's own domain, the project, and the GCP stacks' project.
 */
function expected(values: { domain?: string; project?: string; gcpProject?: string }): Record<string, any> {
  const out = structuredClone(TEMPLATE);
  if (values.domain !== undefined) {
    out.domain = values.domain;
    for (const stack of Object.values<any>(out.stacks)) {
      if (stack?.domain === TEMPLATE.domain || stack?.domain?.endsWith(`.${TEMPLATE.domain}`)) stack.domain = `${stack.domain.slice(0, -TEMPLATE.domain.length)}${values.domain}`;
    }
  }
  if (values.project !== undefined) out.project = values.project;
  for (const id of ['cluster-gcp', 'serverless-gcp']) if (values.gcpProject !== undefined && out.stacks[id]) out.stacks[id].project = values.gcpProject;
  return out;
}

describe('the template', () => {
  it('is the repository deploy.yaml, byte for byte: init writes it unchanged without options', () => {
    expect(TEMPLATE_FILE).toBe(join(ROOT, 'deploy.yaml'));
    const { status, read } = runInit([]);
    expect(status).toBe(0);
    expect(read('deploy.yaml')).toBe(REPO_DEPLOY_YAML);
  });

  it('ships in the package with everything the bin loads (npm pack, as published)', () => {
    const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    expect(pack.status).toBe(0);
    const files = new Set<string>((JSON.parse(pack.stdout)[0].files as { path: string }[]).map((f) => f.path));
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(files).toContain('deploy.yaml');
    expect(files).toContain(pkg.bin['cdktf-serverpod']);
    // Every relative require of a packed module names a packed module: the bin cannot reach a file left out.
    const missing: string[] = [];
    for (const file of [...files].filter((f) => f.endsWith('.js'))) {
      const source = readFileSync(join(ROOT, file), 'utf8');
      for (const [, target] of source.matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
        const resolved = join(file, '..', target).replace(/\\/g, '/');
        if (!files.has(`${resolved}.js`) && !files.has(resolved) && !files.has(`${resolved}/index.js`)) missing.push(`${file} → ${target}`);
      }
    }
    expect(missing).toEqual([]);
    // Nothing a user neither runs nor imports: no sources, tests, examples, scripts or this repository's own app entry
    // (of the app's declarations only app.d.ts, for createStacks).
    expect([...files].filter((f) => /^(test|examples|bench|scripts|dist\/examples)\/|(?<!\.d)\.ts$|^dist\/cli\/.*\.d\.ts$|^dist\/stacks\/(?!app\.d\.ts$).*\.d\.ts$|^dist\/stacks\/main\.js$/.test(f))).toEqual([]);
  });

  it("cdktf.json's app runs the package's bin by path", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(APP_COMMAND).toBe(`node node_modules/${pkg.name}/${pkg.bin['cdktf-serverpod']} synth`);
  });
});

describe('init', () => {
  it('writes deploy.yaml, a cdktf.json that runs the bundled stacks, and the .gitignore lines', () => {
    const { status, stdout, stderr, read } = runInit([]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const cdktf = JSON.parse(read('cdktf.json')!);
    expect(cdktf).toMatchObject({ language: 'typescript', app: APP_COMMAND, sendCrashReports: 'false', terraformProviders: [], terraformModules: [] });
    expect(cdktf.projectId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(read('.gitignore')!.split('\n')).toEqual(expect.arrayContaining(['cdktf.out/', '.terraform/', '*.tfstate', '*.tfstate.*', 'node_modules/']));
    expect(stdout).toContain('Wrote deploy.yaml and cdktf.json');
    // An empty folder has none of the packages cdktf.json and `npx cdktf` need: init names them with their versions.
    expect(stdout).toMatch(/npm install --save-dev cdktf-serverpod .*cdktf@0\.21\.0.* cdktf-cli@0\.21\.0/);
  });

  it('sets --domain (the stacks with their own domain under it too), --project and --gcp-project, and changes nothing else', () => {
    const values = { domain: 'shop.example.org', project: 'shop', gcpProject: 'shop-prod-1' };
    const { status, read } = runInit(['--domain', values.domain, '--project', values.project, '--gcp-project', values.gcpProject]);
    expect(status).toBe(0);
    const text = read('deploy.yaml')!;
    const want = expected(values);
    expect(parseDocument(text).toJS()).toEqual(want);
    // One line for each value set, each keeping its comment.
    const leaves = (o: any): string[] => (o !== null && typeof o === 'object' ? Object.values(o).flatMap(leaves) : [JSON.stringify(o)]);
    const differing = leaves(want).filter((v, i) => v !== leaves(TEMPLATE)[i]).length;
    const changed = changedLines(REPO_DEPLOY_YAML, text);
    expect(changed).toHaveLength(differing);
    expect(changed.filter((l) => / {2,}# /.test(l))).toHaveLength(REPO_DEPLOY_YAML.split('\n').filter((l, i) => / {2,}# /.test(l) && text.split('\n')[i] !== l).length);
    expect(changed).toContain('domain: shop.example.org');
    // The file is one the bundled stacks accept.
    expect(parseConfig(text, { env: {} }).domain).toBe('shop.example.org');
  });

  it('refuses symbolic links (dangling ones too), whose writes would land outside the folder, even with --force', () => {
    const dir = mkdtempSync(join(tmpdir(), 'init-'));
    const victim = join(mkdtempSync(join(tmpdir(), 'victim-')), 'target');
    symlinkSync(victim, join(dir, 'deploy.yaml'));
    symlinkSync(`${victim}-ignore`, join(dir, '.gitignore'));
    const run = runInit(['--force'], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`cdktf-serverpod init: deploy.yaml, .gitignore are symbolic links in ${dir}; nothing was written (init writes only regular files here)\n`);
    expect(existsSync(victim)).toBe(false);
    expect(existsSync(`${victim}-ignore`)).toBe(false);
    expect(existsSync(join(dir, 'cdktf.json'))).toBe(false);
  });

  it('refuses to overwrite deploy.yaml or cdktf.json, naming each that exists, and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'init-'));
    writeFileSync(join(dir, 'deploy.yaml'), 'mine: true\n');
    const one = runInit([], dir);
    expect(one.status).toBe(1);
    expect(one.stderr).toBe(`cdktf-serverpod init: deploy.yaml already exists in ${dir}; nothing was written (--force overwrites it)\n`);
    expect(one.read('deploy.yaml')).toBe('mine: true\n');
    expect(one.read('cdktf.json')).toBeUndefined();
    expect(one.read('.gitignore')).toBeUndefined();

    writeFileSync(join(dir, 'cdktf.json'), '{}\n');
    const both = runInit(['--domain', 'example.org'], dir);
    expect(both.status).toBe(1);
    expect(both.stderr).toBe(`cdktf-serverpod init: deploy.yaml and cdktf.json already exist in ${dir}; nothing was written (--force overwrites them)\n`);
    expect(both.read('cdktf.json')).toBe('{}\n');
  });

  it('overwrites both with --force', () => {
    const dir = mkdtempSync(join(tmpdir(), 'init-'));
    writeFileSync(join(dir, 'deploy.yaml'), 'mine: true\n');
    writeFileSync(join(dir, 'cdktf.json'), '{}\n');
    const { status, stdout, read } = runInit(['--force'], dir);
    expect(status).toBe(0);
    expect(stdout).toContain('Wrote deploy.yaml (replaced) and cdktf.json (replaced)');
    expect(read('deploy.yaml')).toBe(REPO_DEPLOY_YAML);
    expect(JSON.parse(read('cdktf.json')!).app).toBe(APP_COMMAND);
  });

  it('adds only the missing .gitignore lines, once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'init-'));
    // The user's own lines stay; `/node_modules` and `cdktf.out` (no slash) already cover two of ours.
    writeFileSync(join(dir, '.gitignore'), 'build/\n/node_modules\ncdktf.out');
    expect(runInit([], dir).status).toBe(0);
    const first = readFileSync(join(dir, '.gitignore'), 'utf8');
    expect(first).toBe("build/\n/node_modules\ncdktf.out\n\n# cdktf-serverpod: synthesized stacks, Terraform's working files and local state\n.terraform/\n*.tfstate\n*.tfstate.*\n");
    const again = runInit(['--force'], dir);
    expect(again.status).toBe(0);
    expect(again.stdout).not.toContain('.gitignore');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe(first);
  });

  it('gitignoreWith: a new file gets every line; a complete one is left as it is', () => {
    expect(gitignoreWith(undefined).text).toBe(`# cdktf-serverpod: synthesized stacks, Terraform's working files and local state\n${GITIGNORE_LINES.join('\n')}\n`);
    const complete = `${GITIGNORE_LINES.join('\r\n')}\r\n`;
    expect(gitignoreWith(complete)).toEqual({ text: complete, added: [] });
  });

  const HOSTILE = [
    'bad_domain',
    'example.com\nstacks: {}',
    'example.com # comment',
    'a: b',
    '"quoted"',
    '${TfToken[TOKEN.1]}',
    '${var.x}.example.com',
    '-8.109562212591379e+298',
    'https://example.com',
    '',
    ' example.com',
    '*.example.com',
  ];

  it.each(HOSTILE)('refuses --domain %j, naming the option, and writes nothing', (value) => {
    const { status, stderr, read } = runInit([`--domain=${value}`]);
    expect(status).toBe(1);
    expect(stderr).toMatch(/^cdktf-serverpod init: nothing was written; \d+ problems?:\n {2}- --domain: got /);
    expect(stderr).not.toMatch(/\n {2}- (?!--domain)/);
    expect(read('deploy.yaml')).toBeUndefined();
    expect(read('cdktf.json')).toBeUndefined();
  });

  it.each(HOSTILE)('refuses --project and --gcp-project %j', (value) => {
    for (const option of ['--project', '--gcp-project']) {
      const { status, stderr, read } = runInit([`${option}=${value}`]);
      expect(status).toBe(1);
      expect(stderr).toContain(`  - ${option}: got `);
      expect(read('deploy.yaml')).toBeUndefined();
    }
  });

  it('refuses an unknown option or an argument with the usage (exit 2)', () => {
    for (const args of [['--domian', 'example.org'], ['here'], ['--domain']]) {
      const { status, stderr, read } = runInit(args);
      expect(status).toBe(2);
      expect(stderr).toContain('Usage: cdktf-serverpod init');
      expect(read('deploy.yaml')).toBeUndefined();
    }
  });
});

describe('renderDeployYaml', () => {
  // Rendering alone (no schema check): whatever the text, it lands as that one string and adds no key.
  const values = [
    'example.com\nstacks: {}\n# x',
    'a: b # c',
    "it's \"quoted\"",
    '- x',
    '',
    'true',
    '123',
    'null',
    '~',
    '*alias',
    '&anchor x',
    '!!str x',
    '{ a: 1 }',
    '[1, 2]',
    '#x',
    '%YAML 1.2',
    '---',
    'x\u0000y',
    '\u2028z',
    '  ',
    '${TfToken[TOKEN.1]}',
  ];

  it.each(values)('writes %j as that string and nothing else', (value) => {
    const { text, missing } = renderDeployYaml(REPO_DEPLOY_YAML, { domain: value, project: value, gcpProject: value });
    expect(missing).toEqual([]);
    const doc = parseDocument(text);
    expect(doc.errors).toEqual([]);
    expect(doc.toJS()).toEqual(expected({ domain: value, project: value, gcpProject: value }));
  });

  it.each(values)('writes %j into a flow mapping as that string', (value) => {
    const template = 'domain: example.com\nproject: shop\nstacks:\n  cluster-aws: { domain: aws.example.com, region: us-west-2 }\n  cluster-gcp: { project: shop-1, region: us-central1 }\n';
    const { text } = renderDeployYaml(template, { domain: value, gcpProject: value });
    const doc = parseDocument(text);
    expect(doc.errors).toEqual([]);
    expect(doc.toJS()).toEqual({ domain: value, project: 'shop', stacks: { 'cluster-aws': { domain: `aws.${value}`, region: 'us-west-2' }, 'cluster-gcp': { project: value, region: 'us-central1' } } });
  });

  it('reports an option the template has no field for', () => {
    expect(renderDeployYaml('domain: example.com\nstacks:\n  cluster-aws: {}\n', { gcpProject: 'shop-prod-1' }).missing).toEqual(['--gcp-project']);
  });
});
