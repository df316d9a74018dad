import { readFileSync } from 'fs';
import { resolve } from 'path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { Problem, ValidationError } from '../validation';
import { DeployConfig, deployConfigSchema } from './schema';
import { holdsTokenEncoding } from '../terraform-strings';
import { nearest } from '../rules';
import { CROSS_FIELD, CrossFieldParams } from './common';

/** The config file read when neither an option nor `SERVERPOD_DEPLOY_CONFIG` names another. */
export const DEFAULT_CONFIG_FILE = 'deploy.yaml';

/**
 * Environment variables that override the file, for values that differ per person or per CI run.
 * Each maps to the config fields it sets.
 */
export const CONFIG_ENV_OVERRIDES: Readonly<Record<string, readonly (readonly string[])[]>> = {
  SERVERPOD_DEPLOY_DOMAIN: [['domain']],
  SERVERPOD_DEPLOY_PROJECT: [['project']],
  SERVERPOD_DEPLOY_GCP_PROJECT: [
    ['stacks', 'cluster-gcp', 'project'],
    ['stacks', 'serverless-gcp', 'project'],
  ],
  SERVERPOD_DEPLOY_AWS_ACCOUNT_ID: [['stacks', 'cluster-aws', 'accountId']],
};

/** Where `loadConfig` reads the file and its overrides from. */
export interface LoadConfigOptions {
  /** Path of the config file. @default - `SERVERPOD_DEPLOY_CONFIG`, else `deploy.yaml` in the working directory */
  readonly path?: string;
  /** Environment to read overrides from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads, overrides from the environment, and validates the config file. Throws a ValidationError listing every problem.
 *
 * @example
 * ```ts
 * import { loadConfig } from 'cdktf-serverpod';
 *
 * // deploy.yaml (or $SERVERPOD_DEPLOY_CONFIG), with the SERVERPOD_DEPLOY_* overrides applied and every default filled in.
 * const config = loadConfig();
 * console.log(config.domain, config.environments);
 * // A file elsewhere, with overrides from a map instead of process.env.
 * export const staging = loadConfig({ path: 'deploy/staging.yaml', env: { SERVERPOD_DEPLOY_DOMAIN: 'staging.example.com' } });
 * ```
 */
export function loadConfig(options: LoadConfigOptions = {}): DeployConfig {
  const env = options.env ?? process.env;
  const path = resolve(options.path ?? env.SERVERPOD_DEPLOY_CONFIG ?? DEFAULT_CONFIG_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`Config file ${path} could not be read (${(err as Error).message}). Copy deploy.yaml from the repository or set SERVERPOD_DEPLOY_CONFIG.`);
  }
  return parseConfig(text, { source: path, env });
}

/** Validates config text (YAML or JSON). `source` names it in errors. */
export function parseConfig(
  text: string,
  options: {
    /** What the text is, in errors (a file's path). @default 'config' */
    source?: string;
    /** Environment to read the `SERVERPOD_DEPLOY_*` overrides from. @default - none: no overrides */
    env?: Readonly<Record<string, string | undefined>>;
  } = {},
): DeployConfig {
  const source = options.source ?? 'config';
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ValidationError(
      `Config file ${source}`,
      // <file>:<line>:<col>, the form editors and terminals turn into a link to the spot.
      doc.errors.map((e) => ({ field: `${source}:${e.linePos?.[0]?.line ?? '?'}:${e.linePos?.[0]?.col ?? '?'}`, expected: `valid YAML (${e.message.split('\n')[0].replace(/( at line \d+, column \d+)?:?$/, '')})` })),
    );
  }
  const raw: unknown = doc.toJS() ?? {};
  return validateConfig(raw, { source, env: options.env ?? {} });
}

/** Validates an already-parsed config object, applying environment overrides first. */
export function validateConfig(
  raw: unknown,
  options: {
    /** What the object came from, in errors (a file's path). @default 'config' */
    source?: string;
    /** Environment to read the `SERVERPOD_DEPLOY_*` overrides from. @default - none: no overrides */
    env?: Readonly<Record<string, string | undefined>>;
  } = {},
): DeployConfig {
  const source = options.source ?? 'config';
  const env = options.env ?? {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ValidationError(`Config file ${source}`, [{ field: '(top level)', value: raw, expected: 'a mapping of settings (see docs/config.md)' }]);
  }
  const input = structuredClone(raw) as Record<string, unknown>;
  const sources = applyEnvOverrides(input, env);
  const result = deployConfigSchema.safeParse(input);
  const markers = tokenMarkers(input, []);
  if (result.success && markers.length === 0) {
    rawInputs.set(result.data, input);
    return result.data;
  }
  throw new ValidationError(`Config file ${source}`, [...markers, ...(result.success ? [] : issuesToProblems(result.error.issues, input, sources))]);
}

/**
 * The raw input each validated config came from, so later steps can tell a value the file wrote from a default
 * (zod fills defaults in, and the config's type stays the plain validated shape).
 */
const rawInputs = new WeakMap<DeployConfig, Readonly<Record<string, unknown>>>();

/**
 * The mapping a config was validated from (the file's, with environment overrides applied), or undefined for a
 * config this loader did not return (built in code, or copied): what the file wrote, as opposed to defaults.
 */
export function rawInputOf(config: DeployConfig): Readonly<Record<string, unknown>> | undefined {
  return rawInputs.get(config);
}

/** Whether `raw` (a config's raw input) sets the field at `path`: false when it is left to its default. */
export function isWritten(raw: unknown, path: readonly (string | number)[]): boolean {
  return valueAt(raw, path.map(String)) !== undefined;
}

/**
 * Strings (keys too) and numbers in cdktf's encodings of a token: cdktf would turn `${TfToken[TOKEN.1]}`, or a
 * number such as `-8.109562212591379e+298` anywhere in a string, into a reference to whatever resource that
 * token stands for, so config text could read another resource's attributes (or another stack's state).
 */
function tokenMarkers(node: unknown, path: readonly string[]): Problem[] {
  const problem = (field: readonly string[], value: unknown): Problem => ({
    field: field.join('.') || '(top level)',
    value,
    expected: 'text without cdktf\'s token encodings (${TfToken[…]}, or a number such as -8.109562212591379e+298), which would make it a reference',
  });
  if (typeof node === 'string' || typeof node === 'number') return holdsTokenEncoding(node) ? [problem(path, node)] : [];
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => [...(holdsTokenEncoding(key) ? [problem([...path, key], key)] : []), ...tokenMarkers(value, [...path, key])]);
}

/** Writes override values into the raw config and returns which field came from which variable. */
function applyEnvOverrides(input: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): Map<string, string> {
  const sources = new Map<string, string>();
  const fileDomain = input.domain;
  for (const [variable, paths] of Object.entries(CONFIG_ENV_OVERRIDES)) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    for (const path of paths) {
      const parent = path.slice(0, -1).reduce<Record<string, unknown> | undefined>((node, key) => {
        const next = node?.[key];
        return next !== null && typeof next === 'object' ? (next as Record<string, unknown>) : undefined;
      }, input);
      // An override fills a stack only where the file declares that stack; it never switches one on.
      if (!parent) continue;
      parent[path[path.length - 1]] = value;
      sources.set(path.join('.'), variable);
    }
  }
  moveStackDomains(input, fileDomain, env.SERVERPOD_DEPLOY_DOMAIN, sources);
  return sources;
}

/**
 * A stack's own domain under the file's domain (`aws.examplepod.com` under `examplepod.com`) moves with
 * SERVERPOD_DEPLOY_DOMAIN to the same place under the new one (`aws.mycompany.com`): left behind, it would publish
 * the stack under a domain the user may not own, and certificate validation would wait out its timeout at apply.
 */
function moveStackDomains(input: Record<string, unknown>, fileDomain: unknown, domain: string | undefined, sources: Map<string, string>): void {
  if (domain === undefined || domain === '' || typeof fileDomain !== 'string' || fileDomain === '') return;
  const stacks = input.stacks;
  if (stacks === null || typeof stacks !== 'object') return;
  for (const [id, stack] of Object.entries(stacks as Record<string, unknown>)) {
    if (stack === null || typeof stack !== 'object') continue;
    const own = (stack as Record<string, unknown>).domain;
    if (typeof own !== 'string') continue;
    if (own === fileDomain) (stack as Record<string, unknown>).domain = domain;
    else if (own.endsWith(`.${fileDomain}`)) (stack as Record<string, unknown>).domain = `${own.slice(0, -fileDomain.length)}${domain}`;
    else continue;
    sources.set(`stacks.${id}.domain`, 'SERVERPOD_DEPLOY_DOMAIN');
  }
}

function issuesToProblems(issues: readonly z.core.$ZodIssue[], input: unknown, sources: Map<string, string>): Problem[] {
  const problems: Problem[] = [];
  // A misspelt stack name is the one problem there; "at least one stack" beside it would only repeat it.
  const strayStack = issues.some((i) => i.code === 'unrecognized_keys' && i.path.join('.') === 'stacks');
  for (const issue of issues) {
    const base = issue.path.map(String);
    if (strayStack && issue.code === 'custom' && base.join('.') === 'stacks') continue;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const near = closeKey(key, knownKeys(deployConfigSchema, base));
        const hint = near ? `did you mean ${near}?` : 'check the spelling against docs/config.md';
        problems.push({ field: [...base, key].join('.'), value: valueAt(input, [...base, key]), expected: `no field of this name here; ${hint}` });
      }
      continue;
    }
    const cross = issue.code === 'custom' ? (issue.params?.[CROSS_FIELD] as CrossFieldParams | undefined) : undefined;
    if (cross) {
      // The other field is a default: name the field the user wrote, and say the other value is the default.
      const object = base.slice(0, base.length - cross.path.length);
      const unset = cross.ifDefault.find((alternative) => !isWritten(input, [...object, ...alternative.unset]));
      if (unset) {
        const field = [...object, ...(unset.path ?? cross.path).map(String)];
        problems.push({ field: field.join('.'), value: valueAt(input, field), expected: unset.message, source: sources.get(field.join('.')) });
        continue;
      }
    }
    const field = base.join('.') || '(top level)';
    if (issue.code === 'invalid_key') {
      // A mapping's key (a variable or secret name) is what is wrong, not its value.
      problems.push({ field, value: base[base.length - 1], expected: issue.issues.map((i) => i.message).join('; ') });
      continue;
    }
    const value = valueAt(input, base);
    problems.push({ field, value, expected: expectedText(issue, value), source: sources.get(field) });
  }
  return problems;
}

function expectedText(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined ? `a value (this field is required): ${article(issue.expected)}` : article(issue.expected);
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

function article(type: string): string {
  const names: Record<string, string> = { string: 'a string', number: 'a number', boolean: 'true or false', object: 'a mapping', array: 'a list', record: 'a mapping' };
  return names[type] ?? type;
}

/** The known key `key` was probably meant as: the same up to case, - and _, else one or two typos away (one for short keys). */
function closeKey(key: string, known: readonly string[]): string | undefined {
  const plain = (k: string) => k.toLowerCase().replace(/[-_]/g, '');
  return known.find((k) => plain(k) === plain(key)) ?? nearest(key, known, key.length < 5 ? 1 : 2);
}

/**
 * The schema a zod wrapper stands for (optional, nullable, default, prefault, readonly, catch, and a pipe's input),
 * or undefined for any other schema: what walks over the schema look through. Internal, as the schema is.
 * @internal
 */
export function wrappedSchema(schema: z.ZodType): z.ZodType | undefined {
  const def = (schema as unknown as { _zod: { def: Record<string, any> } })._zod.def;
  if (def.type === 'pipe') return def.in;
  return ['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch'].includes(def.type) ? def.innerType : undefined;
}

/** The keys the schema allows in the object at `path` (through optional, default, union and pipe wrappers). */
function knownKeys(schema: z.ZodType, path: readonly string[]): string[] {
  const inner = wrappedSchema(schema);
  if (inner) return knownKeys(inner, path);
  const def = (schema as unknown as { _zod: { def: Record<string, any> } })._zod.def;
  switch (def.type) {
    case 'object':
      if (path.length === 0) return Object.keys(def.shape);
      return def.shape[path[0]] ? knownKeys(def.shape[path[0]], path.slice(1)) : [];
    case 'record':
      return path.length === 0 ? [] : knownKeys(def.valueType, path.slice(1));
    case 'array':
      return path.length === 0 ? [] : knownKeys(def.element, path.slice(1));
    case 'union':
      return [...new Set((def.options as z.ZodType[]).flatMap((option) => knownKeys(option, path)))];
    default:
      return [];
  }
}

function valueAt(input: unknown, path: readonly string[]): unknown {
  let node: unknown = input;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
