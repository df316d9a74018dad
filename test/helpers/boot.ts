import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { shellQuote } from '../../lib/app/boot-script';

/** Resolves a Terraform reference (`aws_db_instance.x.address`, `local.y`) to the value Terraform would know. */
export type Resolve = (reference: string) => string;

/** A deterministic stand-in for a reference: `aws_db_instance.y.address` → `fake-aws-db-instance-y-address`. */
export function fakeReference(reference: string): string {
  return `fake-${reference.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '')}`;
}

type Value = string | number | string[];

/**
 * The text Terraform makes of a template string: `$${` and `%%{` become `${` and `%{`; each `${ expr }` is
 * evaluated. Expressions understood: a reference (`a.b.c`, `a.b[0].c`, through `resolve`), a quoted string
 * (itself a template, with HCL's backslash escapes), a whole number, `base64encode(x)`, `split(sep, x)` and
 * `element(list, i)`. Anything else (another function, an operator, a `%{` directive) throws, naming it: a test
 * must never pass on a template it only half read.
 */
export function renderTemplate(template: string, resolve: Resolve = fakeReference): string {
  const { text, end } = scanTemplate(template, 0, false, resolve);
  if (end !== template.length) throw new Error(`Template parse stopped at offset ${end}`);
  return text;
}

/** Renders template text from `pos` until the end (or, inside a quoted string, its closing quote). */
function scanTemplate(src: string, pos: number, quoted: boolean, resolve: Resolve): { text: string; end: number } {
  let text = '';
  let i = pos;
  while (i < src.length) {
    if (src.startsWith('$${', i) || src.startsWith('%%{', i)) {
      text += `${src[i]}{`;
      i += 3;
    } else if (src.startsWith('${', i)) {
      const close = interpolationEnd(src, i + 2);
      const expression = src.slice(i + 2, close);
      text += interpolate(expression, resolve);
      i = close + 1;
    } else if (src.startsWith('%{', i)) {
      throw new Error(`Unsupported template directive: ${src.slice(i, interpolationEnd(src, i + 2) + 1)}`);
    } else if (quoted && src[i] === '"') {
      return { text, end: i };
    } else if (quoted && src[i] === '\\') {
      const { char, length } = hclEscape(src, i);
      text += char;
      i += length;
    } else {
      text += src[i++];
    }
  }
  if (quoted) throw new Error(`Unterminated string: "${src.slice(pos)}`);
  return { text, end: i };
}

/** One backslash escape of an HCL quoted string at `i`. */
function hclEscape(src: string, i: number): { char: string; length: number } {
  const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
  const next = src[i + 1];
  if (next !== undefined && next in simple) return { char: simple[next], length: 2 };
  const unicode = /^u([0-9A-Fa-f]{4})/.exec(src.slice(i + 1));
  if (unicode) return { char: String.fromCharCode(parseInt(unicode[1], 16)), length: 6 };
  throw new Error(`Unsupported escape \\${next ?? ''} in a quoted string`);
}

/** The index of the `}` closing an interpolation or directive whose body starts at `pos`; braces and strings aware. */
export function interpolationEnd(src: string, pos: number): number {
  let depth = 1;
  let i = pos;
  while (i < src.length) {
    const c = src[i];
    if (c === '"') {
      i = quotedEnd(src, i + 1) + 1;
      continue;
    }
    if (c === '{') depth++;
    if (c === '}' && --depth === 0) return i;
    i++;
  }
  throw new Error(`Unterminated interpolation: ${src.slice(pos - 2)}`);
}

/** The index of the `"` closing a quoted string whose text starts at `pos` (nested interpolations skipped). */
function quotedEnd(src: string, pos: number): number {
  let i = pos;
  while (i < src.length) {
    if (src[i] === '\\') i += 2;
    else if (src.startsWith('$${', i) || src.startsWith('%%{', i)) i += 3;
    else if (src.startsWith('${', i) || src.startsWith('%{', i)) i = interpolationEnd(src, i + 2) + 1;
    else if (src[i] === '"') return i;
    else i++;
  }
  throw new Error(`Unterminated string: "${src.slice(pos)}`);
}

/** Evaluates one `${...}` body to the text it puts into the template. */
function interpolate(expression: string, resolve: Resolve): string {
  try {
    const parser = new ExpressionParser(expression, resolve);
    const value = parser.parseWhole();
    if (Array.isArray(value)) throw new Error('a list cannot be interpolated');
    return String(value);
  } catch (e) {
    throw new Error(`Unsupported Terraform expression \${${expression}}: ${(e as Error).message}`);
  }
}

/** Recursive descent over the few expressions boot scripts use. */
class ExpressionParser {
  private pos = 0;
  constructor(
    private readonly src: string,
    private readonly resolve: Resolve,
  ) {}

  parseWhole(): Value {
    const value = this.parseValue();
    this.skipSpace();
    if (this.pos !== this.src.length) throw new Error(`unexpected "${this.src.slice(this.pos)}"`);
    return value;
  }

  private skipSpace(): void {
    while (/\s/.test(this.src[this.pos] ?? '')) this.pos++;
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.src[this.pos] !== char) throw new Error(`expected "${char}" at "${this.src.slice(this.pos)}"`);
    this.pos++;
  }

  private parseValue(): Value {
    this.skipSpace();
    const rest = this.src.slice(this.pos);
    if (rest.startsWith('"')) {
      const { text, end } = scanTemplate(this.src, this.pos + 1, true, this.resolve);
      this.pos = end + 1;
      return text;
    }
    const number = /^\d+/.exec(rest);
    if (number) {
      this.pos += number[0].length;
      return Number(number[0]);
    }
    const name = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(rest);
    if (!name) throw new Error(`unexpected "${rest}"`);
    this.pos += name[0].length;
    this.skipSpace();
    if (this.src[this.pos] === '(') {
      this.pos++;
      return this.call(name[0], this.parseArguments());
    }
    // A reference: name(.attr | [index])*
    const path = /^(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])*/.exec(this.src.slice(this.pos))![0];
    this.pos += path.length;
    return this.resolve(name[0] + path);
  }

  private parseArguments(): Value[] {
    const args: Value[] = [];
    this.skipSpace();
    if (this.src[this.pos] === ')') {
      this.pos++;
      return args;
    }
    for (;;) {
      args.push(this.parseValue());
      this.skipSpace();
      if (this.src[this.pos] === ')') {
        this.pos++;
        return args;
      }
      this.expect(',');
    }
  }

  private call(name: string, args: Value[]): Value {
    const str = (v: Value): string => {
      if (Array.isArray(v)) throw new Error(`${name}: expected a string, got a list`);
      return String(v);
    };
    if (name === 'base64encode' && args.length === 1) return Buffer.from(str(args[0]), 'utf8').toString('base64');
    if (name === 'split' && args.length === 2) return str(args[1]).split(str(args[0]));
    if (name === 'element' && args.length === 2 && Array.isArray(args[0]) && typeof args[1] === 'number') {
      if (args[0].length === 0) throw new Error('element of an empty list');
      return args[0][args[1] % args[0].length];
    }
    throw new Error(`the function ${name} with ${args.length} argument(s) is not supported`);
  }
}

export interface RunScriptOptions {
  /**
   * Commands to stub, name → bash script text. Each stub is written to `<dir>/bin/<name>` after a preamble that
   * sets `STUB_DIR` (the temp dir) and appends `<name> <args...>` to `<dir>/calls.log`, so the order of every
   * stubbed call is kept.
   */
  readonly stubs: Readonly<Record<string, string>>;
  /**
   * Absolute path prefixes to move into the temp dir: `['/run/', 'run/']` turns every `/run/` of the script
   * into `<dir>/run/`. The directories are created.
   */
  readonly rewrite?: readonly (readonly [string, string])[];
}

export interface ScriptRun {
  /** The temp dir: stubs in `bin/`, rewritten paths, `calls.log`, the docker stub's records. */
  readonly dir: string;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a script with `bash -c` in a fresh temp dir, with stubbed commands first on PATH and a minimal
 * environment (PATH, HOME and TMPDIR inside the temp dir). Never throws on the script's failure.
 */
export function runScript(script: string, options: RunScriptOptions): ScriptRun {
  const dir = mkdtempSync(join(tmpdir(), 'boot-run-'));
  for (const sub of ['bin', 'home', 'tmp']) mkdirSync(join(dir, sub));
  for (const [name, body] of Object.entries(options.stubs)) {
    // One write a call, so stubs running side by side in a pipeline do not interleave their lines.
    const log = `call=${shellQuote(name)}; for arg in "$@"; do call+=" $arg"; done; printf '%s\\n' "$call" >> "$STUB_DIR/calls.log"`;
    const preamble = ['#!/bin/bash', `STUB_DIR=${shellQuote(dir)}`, log];
    writeFileSync(join(dir, 'bin', name), `${preamble.join('\n')}\n${body}\n`, { mode: 0o755 });
  }
  let runnable = script;
  for (const [from, to] of options.rewrite ?? []) {
    mkdirSync(join(dir, to), { recursive: true });
    runnable = runnable.split(from).join(`${join(dir, to)}/`);
  }
  const result = spawnSync('bash', ['-c', runnable], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: `${join(dir, 'bin')}:${process.env.PATH}`, HOME: join(dir, 'home'), TMPDIR: join(dir, 'tmp') },
    timeout: 60_000,
  });
  return { dir, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The stubbed calls of a run in order, each as `name arg arg ...`. */
export function stubCalls(dir: string): string[] {
  try {
    return readFileSync(join(dir, 'calls.log'), 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * A docker stub: `run` records its argv (NUL-separated) in `docker-run.argv` and its whole environment
 * (`env -0`) in `docker-run.env`; `login` keeps what it read on stdin in `docker-login.stdin`; `pull`, `rm` and
 * `image inspect` (the check after the pull's retries) succeed. Every call is in calls.log (see runScript).
 */
export const DOCKER_STUB = [
  'case "$1" in',
  `  run) printf '%s\\0' "$@" > "$STUB_DIR/docker-run.argv"; env -0 > "$STUB_DIR/docker-run.env"; echo 0123456789ab ;;`,
  '  login) cat > "$STUB_DIR/docker-login.stdin" ;;',
  '  pull|rm|image) ;;',
  '  *) echo "docker stub: unexpected $1" >&2; exit 1 ;;',
  'esac',
].join('\n');

export interface DockerRun {
  /** The arguments of `docker run`, `run` first. */
  readonly argv: string[];
  /** The docker process's whole environment. */
  readonly env: Record<string, string>;
  /** What the container gets: the `-e NAME` names from the docker environment (or `-e NAME=value`), byte for byte. */
  readonly containerEnv: Record<string, string>;
}

/** Reads what the docker stub recorded for `docker run`; undefined when run was never called. */
export function dockerRun(dir: string): DockerRun | undefined {
  let argvText: string;
  try {
    argvText = readFileSync(join(dir, 'docker-run.argv'), 'utf8');
  } catch {
    return undefined;
  }
  const argv = argvText.split('\0').slice(0, -1);
  const env: Record<string, string> = {};
  for (const entry of readFileSync(join(dir, 'docker-run.env'), 'utf8').split('\0').slice(0, -1)) {
    const eq = entry.indexOf('=');
    env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  const containerEnv: Record<string, string> = {};
  for (let i = 0; i < argv.length - 1; i++) {
    if (argv[i] !== '-e' && argv[i] !== '--env') continue;
    const spec = argv[++i];
    const eq = spec.indexOf('=');
    if (eq >= 0) containerEnv[spec.slice(0, eq)] = spec.slice(eq + 1);
    else if (spec in env) containerEnv[spec] = env[spec];
  }
  return { argv, env, containerEnv };
}

/** Variables bash itself puts into the environment of the commands it runs (the docker stub is a bash script). */
const BASH_OWN = ['PWD', 'SHLVL', '_'];

/** The names in docker's environment that are not the container's (and not bash's own), sorted: what the CLI got. */
export function dockerCliVariables(docker: DockerRun): string[] {
  return Object.keys(docker.env)
    .filter((n) => !(n in docker.containerEnv) && !BASH_OWN.includes(n))
    .sort();
}
