import { StackId } from '../lib/config/schema';
import { ENVIRONMENT_NAMES } from '../lib/naming';
import { Problem, ValidationError } from '../lib/validation';

/**
 * Where a construct's prop comes from in deploy.yaml. A string is the config path: `{env}` stands for the
 * environment the construct serves (read from its path), and what follows the matched prop (`.3`, `.stripeKey`)
 * is appended. A function gets that rest and the environment and returns the path, or undefined when it cannot
 * tell.
 */
export type ConfigField = string | ((rest: readonly string[], env: string | undefined) => string | undefined);

/**
 * One stack's mapping, keyed by `<construct>.<prop>`: the construct as its errors name it (`Network`,
 * `ServerCluster`, `App profile`), or `*` for any construct, then the prop's dotted path (`availabilityZones`,
 * `profile.healthCheck`). The longest matching key wins.
 */
export type ConfigFields = Readonly<Record<string, ConfigField>>;

/** Props every bundled stack takes from the same top-level fields. */
export const SHARED_CONFIG_FIELDS: ConfigFields = {
  '*.profile.environment': 'app.environment',
  '*.profile.healthCheck': 'app.healthCheck',
  '*.mutableStore': 'mutableStore',
  '*.webOnTopDomain': 'webOnTopDomain',
  '*.image': 'app.image',
  'App profile.ports': 'app.ports',
  'App profile.roles': 'app.roles',
  'Serverpod profile.hostLabels': 'app.hosts',
  'App profile.name': 'project',
  'App profile.environment': 'app.environment',
  'App profile.healthCheck': 'app.healthCheck',
  'Serverpod profile.version': 'app.serverpodVersion',
};

/**
 * Runs `create` (one stack's constructs) and rethrows what a construct refuses as problems of the config file,
 * each under the deploy.yaml field it came from: the user wrote deploy.yaml, not props, and a construct path
 * (`cluster-aws/production/...`) means nothing to them. `note` may add to each translated problem (that its value
 * is a default, say). Other errors pass through untouched.
 */
export function inConfigTerms<T>(file: string, stackId: StackId, fields: ConfigFields, create: () => T, note: (problem: Problem) => Problem = (p) => p): T {
  try {
    return create();
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    throw new ValidationError(`Config file ${file}`, configProblems(err, stackId, { ...SHARED_CONFIG_FIELDS, ...fields }).map(note));
  }
}

/** The problems of a construct's ValidationError, each named by its deploy.yaml field. */
export function configProblems(err: ValidationError, stackId: StackId, fields: ConfigFields): Problem[] {
  // Subjects read `Construct "scope/path"`; others (`Connection budget (...)`) are the construct's name whole.
  const subject = /^(.+?) "([^"]*)"$/.exec(err.subject);
  const construct = subject ? subject[1] : err.subject;
  const env = (subject?.[2] ?? '').split('/').find((part) => (ENVIRONMENT_NAMES as readonly string[]).includes(part));
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const problem of err.problems) {
    const prop = problem.field.replace(/^props\./, '');
    const field = configField(fields, construct, prop, env) ?? `stacks.${stackId} (${construct}'s ${prop})`;
    const translated: Problem = 'value' in problem ? { field, value: problem.value, expected: problem.expected } : { field, expected: problem.expected };
    const key = JSON.stringify(translated);
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(translated);
  }
  return problems;
}

function configField(fields: ConfigFields, construct: string, prop: string, env: string | undefined): string | undefined {
  // `availabilityZones[3]` and `availabilityZones.3` alike.
  const parts = prop.replace(/\[([^\]]*)\]/g, '.$1').split('.').filter((p) => p !== '');
  for (let n = parts.length; n > 0; n--) {
    const head = parts.slice(0, n).join('.');
    const target = fields[`${construct}.${head}`] ?? fields[`*.${head}`];
    if (target === undefined) continue;
    const rest = parts.slice(n);
    if (typeof target === 'function') return target(rest, env);
    if (target.includes('{env}') && env === undefined) return undefined;
    return [target.replace('{env}', env ?? ''), ...rest].join('.');
  }
  return undefined;
}

/**
 * A problem under a secret's key (`stripeKey`, `stripeKey.variable`): the top-level `secrets` entry, or the
 * item of a stack's own list of keys (`stacks.cluster-aws.secrets`) that declared it.
 */
export function secretField(rest: readonly string[], topLevel: Readonly<Record<string, unknown>>, listed: readonly string[] = [], listPath = ''): string {
  const [key, ...more] = rest;
  if (key === undefined) return 'secrets';
  const i = listed.indexOf(key);
  if (!(key in topLevel) && i >= 0) return `${listPath}.${i}`;
  return ['secrets', key, ...more].join('.');
}
