import { randomUUID } from 'crypto';
import { existsSync, lstatSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parseArgs } from 'util';
import { CST, Parser, parseDocument } from 'yaml';
import { parseConfig } from '../lib/config/load';
import { Problem, ValidationError, describeValue } from '../lib/validation';
import { CliIo, PACKAGE_ROOT, packageJson } from './io';

/** The documented deploy.yaml `init` writes: the repository's own example, shipped in the package as it is. */
export const TEMPLATE_FILE = join(PACKAGE_ROOT, 'deploy.yaml');

/** What cdktf.json's `app` runs: the package's bin, by path (npx would add about a second of start-up to every synth). */
export const APP_COMMAND = 'node node_modules/cdktf-serverpod/dist/cli/main.js synth';

/** The lines `init` makes sure .gitignore has: synth output, Terraform's working files and state (it holds secrets). */
export const GITIGNORE_LINES: readonly string[] = ['cdktf.out/', '.terraform/', '*.tfstate', '*.tfstate.*', 'node_modules/'];
const GITIGNORE_HEADER = "# cdktf-serverpod: synthesized stacks, Terraform's working files and local state";

export const INIT_USAGE = `Usage: cdktf-serverpod init [--domain <name>] [--project <prefix>] [--gcp-project <id>] [--force]

Writes into the current folder:
  deploy.yaml   the config, every field commented (docs/config.md in the package lists them all)
  cdktf.json    runs the bundled stacks from node_modules/cdktf-serverpod for \`npx cdktf synth\` and \`deploy\`
  .gitignore    gets ${GITIGNORE_LINES.join(', ')} where missing

Options:
  --domain <name>      your domain: the servers are published at api.<name>, app.<name>, ...; a stack's
                       own domain under the example's moves under it (aws.examplepod.com: aws.<name>)
  --project <prefix>   prefix of every resource name (3 to 20 lowercase letters, digits and hyphens)
  --gcp-project <id>   GCP project id of the GCP stacks
  --force              overwrite an existing deploy.yaml and cdktf.json
  -h, --help           show this text
Without an option, deploy.yaml keeps the example's value; edit it there.
`;

/** Values `init` puts into the template; each is checked by the config schema before anything is written. */
export interface InitValues {
  readonly domain?: string;
  readonly project?: string;
  readonly gcpProject?: string;
}

/** One value `init` writes: the option it comes from, the field, and the text. */
interface Target {
  readonly option: string;
  readonly path: readonly string[];
  readonly value: string;
}

const GCP_STACKS = ['cluster-gcp', 'serverless-gcp'];

/**
 * Where the options land in the template: `--domain` at `domain` and at each stack's own domain under the template's
 * (`aws.examplepod.com` becomes `aws.<domain>`, so the stacks stay apart); `--project` at `project`; `--gcp-project`
 * at the project of each GCP stack. An option with no field in the template is `missing`.
 */
function targetsIn(template: string, values: InitValues): { targets: Target[]; missing: string[] } {
  const raw = (parseDocument(template).toJS() ?? {}) as { domain?: unknown; project?: unknown; stacks?: Record<string, { domain?: unknown; project?: unknown } | null> };
  const stacks = Object.entries(raw.stacks ?? {});
  const targets: Target[] = [];
  const missing: string[] = [];
  const add = (option: string, found: Target[]) => (found.length > 0 ? targets.push(...found) : missing.push(option));
  if (values.domain !== undefined) {
    const top = raw.domain;
    const own = stacks.flatMap(([id, stack]) => {
      const domain = stack?.domain;
      if (typeof top !== 'string' || typeof domain !== 'string' || !(domain === top || domain.endsWith(`.${top}`))) return [];
      return [{ option: '--domain', path: ['stacks', id, 'domain'], value: `${domain.slice(0, domain.length - top.length)}${values.domain}` }];
    });
    add('--domain', [...(typeof top === 'string' ? [{ option: '--domain', path: ['domain'], value: values.domain }] : []), ...own]);
  }
  if (values.project !== undefined) add('--project', typeof raw.project === 'string' ? [{ option: '--project', path: ['project'], value: values.project }] : []);
  if (values.gcpProject !== undefined) {
    add(
      '--gcp-project',
      stacks.filter(([id, stack]) => GCP_STACKS.includes(id) && typeof stack?.project === 'string').map(([id]) => ({ option: '--gcp-project', path: ['stacks', id, 'project'], value: values.gcpProject! })),
    );
  }
  return { targets, missing };
}

/** The scalar at `path` through the mappings of the parsed `tokens`, and whether it stands in a flow mapping. */
function scalarAt(tokens: CST.Token[], path: readonly string[]): { token: CST.Token; inFlow: boolean } | undefined {
  const doc = tokens.find((t): t is CST.Document => t.type === 'document');
  let node: CST.Token | undefined = doc?.value;
  let inFlow = false;
  for (const key of path) {
    if (node?.type !== 'block-map' && !(node?.type === 'flow-collection' && node.start.source === '{')) return undefined;
    inFlow = node.type === 'flow-collection';
    const item: CST.CollectionItem | undefined = node.items.find((i) => i.key !== undefined && i.key !== null && CST.resolveAsScalar(i.key)?.value === key);
    node = item?.value ?? undefined;
  }
  return node && CST.isScalar(node) ? { token: node, inFlow } : undefined;
}

/** `source` with the scalar at `path` replaced by `value`, written by the yaml library; comments and layout kept. */
function withScalar(source: string, path: readonly string[], value: string, type?: 'QUOTE_DOUBLE'): string | undefined {
  const tokens = [...new Parser().parse(source)];
  const found = scalarAt(tokens, path);
  if (!found) return undefined;
  CST.setScalarValue(found.token, value, { afterKey: true, inFlow: found.inFlow, type });
  return tokens.map((t) => CST.stringify(t)).join('');
}

function readsBack(source: string, path: readonly string[], value: string): boolean {
  const doc = parseDocument(source);
  return doc.errors.length === 0 && doc.getIn(path) === value;
}

/** What `init` would write: the text, which field came from which option, and the options the template cannot take. */
export interface RenderedDeployYaml {
  readonly text: string;
  /** Dotted field path → the option that set it. */
  readonly fields: ReadonlyMap<string, string>;
  readonly missing: readonly string[];
}

/**
 * The template with `values` set, every comment and line kept. A value is written plain where it reads back as the
 * same string, double-quoted (escaped by the yaml library) otherwise, so `true`, `123` or `a: b` stay text and no
 * value can add a key.
 */
export function renderDeployYaml(template: string, values: InitValues): RenderedDeployYaml {
  const { targets, missing } = targetsIn(template, values);
  let text = template;
  for (const { option, path, value } of targets) {
    const plain = withScalar(text, path, value);
    if (plain === undefined) throw new Error(`deploy.yaml has no plain value at ${path.join('.')} for ${option}`);
    const next = readsBack(plain, path, value) ? plain : withScalar(text, path, value, 'QUOTE_DOUBLE')!;
    if (!readsBack(next, path, value)) throw new Error(`could not write ${option} into deploy.yaml as text`);
    text = next;
  }
  return { text, fields: new Map(targets.map((t) => [t.path.join('.'), t.option])), missing };
}

/**
 * The problems of the rendered file, named by the option behind each field (others, which an option can cause
 * through a rule over several fields, by their deploy.yaml field): the config schema's own checks, so init accepts
 * exactly what synth will.
 */
export function optionProblems({ text, fields }: RenderedDeployYaml): Problem[] {
  try {
    parseConfig(text, { source: 'deploy.yaml', env: {} });
    return [];
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const seen = new Set<string>();
    const problems: Problem[] = [];
    for (const problem of err.problems) {
      const option = fields.get(problem.field);
      const named = option === undefined ? problem : { ...problem, field: option };
      const key = `${named.field}\0${describeValue(named.value)}\0${named.expected}`;
      if (seen.has(key)) continue; // the GCP project of both GCP stacks, refused once
      seen.add(key);
      problems.push(named);
    }
    return problems;
  }
}

function cdktfJson(): string {
  const config = {
    language: 'typescript',
    app: APP_COMMAND,
    // cdktf writes a projectId into cdktf.json on first use if there is none; one now keeps the file as written.
    projectId: randomUUID(),
    sendCrashReports: 'false',
    terraformProviders: [],
    terraformModules: [],
    context: {},
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** A .gitignore line as git would match it here: without a leading or trailing slash. */
const ignoreKey = (line: string) => line.trim().replace(/^\//, '').replace(/\/$/, '');

/** `existing` (.gitignore's text, or undefined) with the missing lines appended; unchanged when none is missing. */
export function gitignoreWith(existing: string | undefined, lines: readonly string[] = GITIGNORE_LINES): { text: string; added: string[] } {
  const present = new Set((existing ?? '').split(/\r?\n/).map(ignoreKey));
  const added = lines.filter((line) => !present.has(ignoreKey(line)));
  if (added.length === 0) return { text: existing ?? '', added };
  const before = existing === undefined || existing === '' ? '' : `${existing.replace(/\n?$/, '\n')}\n`;
  return { text: `${before}${GITIGNORE_HEADER}\n${added.join('\n')}\n`, added };
}

/** The peer packages a user installs beside this one (cdktf-cli for `cdktf synth` and `deploy`), at their versions. */
export function peerPackages(): string[] {
  const pkg = packageJson();
  const peers = Object.entries(pkg.peerDependencies ?? {}).map(([name, range]) => `${name}@${range.replace(/^[~^]/, '')}`);
  const cli = pkg.devDependencies?.['cdktf-cli'] ?? pkg.peerDependencies?.cdktf ?? '';
  return [...peers, `cdktf-cli@${cli.replace(/^[~^]/, '')}`];
}

/** `cdktf-serverpod init`: returns the exit code (0 written, 1 refused, 2 usage). */
export function init(args: readonly string[], io: CliIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        domain: { type: 'string' },
        project: { type: 'string' },
        'gcp-project': { type: 'string' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    io.stderr.write(`cdktf-serverpod init: ${(err as Error).message}\n\n${INIT_USAGE}`);
    return 2;
  }
  if (parsed.help) {
    io.stdout.write(INIT_USAGE);
    return 0;
  }
  const values: InitValues = { domain: parsed.domain, project: parsed.project, gcpProject: parsed['gcp-project'] };
  const rendered = renderDeployYaml(readFileSync(TEMPLATE_FILE, 'utf8'), values);
  const problems: Problem[] = [
    ...rendered.missing.map((option) => ({ field: option, expected: 'an option the template has a field for' })),
    ...optionProblems(rendered),
  ];
  if (problems.length > 0) {
    const lines = problems.map((p) => `  - ${p.field}: ${'value' in p ? `got ${describeValue(p.value)}; ` : ''}expected ${p.expected}`);
    io.stderr.write(`cdktf-serverpod init: nothing was written; ${problems.length === 1 ? '1 problem' : `${problems.length} problems`}:\n${lines.join('\n')}\n`);
    return 1;
  }

  const targets = ['deploy.yaml', 'cdktf.json'];
  // A link (even a dangling one) would send the write to wherever it points, outside this folder: refused, --force too.
  const links = [...targets, '.gitignore'].filter((file) => isLink(join(io.cwd, file)));
  if (links.length > 0) {
    io.stderr.write(`cdktf-serverpod init: ${links.join(', ')} ${links.length === 1 ? 'is a symbolic link' : 'are symbolic links'} in ${io.cwd}; nothing was written (init writes only regular files here)\n`);
    return 1;
  }
  const existing = targets.filter((file) => existsSync(join(io.cwd, file)));
  if (existing.length > 0 && !parsed.force) {
    const names = existing.join(' and ');
    io.stderr.write(`cdktf-serverpod init: ${names} already ${existing.length === 1 ? 'exists' : 'exist'} in ${io.cwd}; nothing was written (--force overwrites ${existing.length === 1 ? 'it' : 'them'})\n`);
    return 1;
  }
  writeFileSync(join(io.cwd, 'deploy.yaml'), rendered.text);
  writeFileSync(join(io.cwd, 'cdktf.json'), cdktfJson());
  const gitignoreFile = join(io.cwd, '.gitignore');
  const gitignore = gitignoreWith(existsSync(gitignoreFile) ? readFileSync(gitignoreFile, 'utf8') : undefined);
  if (gitignore.added.length > 0) writeFileSync(gitignoreFile, gitignore.text);

  const wrote = ['deploy.yaml', 'cdktf.json'].map((f) => (existing.includes(f) ? `${f} (replaced)` : f));
  const report = [`Wrote ${wrote.join(' and ')}${gitignore.added.length > 0 ? `; added ${gitignore.added.join(' ')} to .gitignore` : ''}.`];
  // cdktf.json's app and `npx cdktf` need these in this folder's node_modules; say so now rather than at synth.
  const absent = peerPackages().filter((spec) => !existsSync(join(io.cwd, 'node_modules', spec.slice(0, spec.lastIndexOf('@')), 'package.json')));
  const self = existsSync(join(io.cwd, 'node_modules', 'cdktf-serverpod', 'package.json'));
  if (!self || absent.length > 0) {
    const install = [...(self ? [] : ['cdktf-serverpod']), ...absent];
    report.push(`cdktf.json runs node_modules/cdktf-serverpod from this folder; install what is missing here first:\n  npm install --save-dev ${install.join(' ')}`);
  }
  report.push('Next: edit deploy.yaml, then\n  npx cdktf synth                 # writes cdktf.out/stacks/<stack>\n  npx cdktf deploy cluster-gcp    # or another stack deploy.yaml enables');
  io.stdout.write(`${report.join('\n')}\n`);
  return 0;
}

/** Whether `path` is a symbolic link (a dangling one too). */
function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
