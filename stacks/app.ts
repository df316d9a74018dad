import { Annotations, App, Aspects, TerraformStack } from 'cdktf';
import { Guardrails, GuardrailsOptions } from '../lib/guardrails/guardrails';
import { GUARDRAIL_RULES } from '../lib/guardrails/rules';
import { theDefault } from '../lib/config/common';
import { isWritten, rawInputOf } from '../lib/config/load';
import { DeployConfig, StackId } from '../lib/config/schema';
import { configWarnings, stackDomain } from '../lib/config/warnings';
import { Problem } from '../lib/validation';
import { ClusterAwsStack, clusterAwsConfigFields } from './cluster-aws';
import { ClusterGcpStack, clusterGcpConfigFields } from './cluster-gcp';
import { ConfigFields, inConfigTerms } from './config-errors';
import { ServerlessGcpStack, serverlessGcpConfigFields } from './serverless-gcp';

/** Options of `createStacks`. */
export interface CreateStacksOptions {
  /**
   * The config file the stacks are built from. Given, what a construct refuses is thrown as a problem of this file,
   * named by its deploy.yaml field (`stacks.cluster-aws.availabilityZones`), as the cdktf app reports it.
   * @default - each construct's own error, named by its props and path
   */
  readonly configFile?: string;
  /**
   * The guardrails every stack gets (`Guardrails`, with the file's `guardrails.suppress`): where their table is
   * printed and the rules (add your own to `GUARDRAIL_RULES`), or `false` for none at all (the benchmark's
   * baseline; nothing a deploy should use).
   * @default - guardrails on, the table on stdout
   */
  readonly guardrails?: Pick<GuardrailsOptions, 'print' | 'rules'> | false;
}

/**
 * Creates every stack the config enables, under its fixed id (the name `cdktf deploy <id>` takes), each with its
 * own domain where its entry sets one. What the config says that will not work as written (settings with no
 * effect, two stacks publishing the same hosts: `configWarnings`) becomes a synth warning, each once: on the stack
 * its field belongs to, a top-level field's on the first stack.
 *
 * Each stack gets the `Guardrails` aspect with the file's `guardrails.suppress`, so resources an app adds to a
 * bundled stack are checked like the stack's own.
 *
 * @example
 * ```ts
 * import { App } from 'cdktf';
 * import { createStacks, loadConfig } from 'cdktf-serverpod';
 *
 * const app = new App();
 * const stacks = createStacks(app, loadConfig());
 * // stacks['cluster-gcp'] is a TerraformStack: add your own resources to it here.
 * console.log(Object.keys(stacks));
 * app.synth();
 * ```
 */
export function createStacks(app: App, config: DeployConfig, options: CreateStacksOptions = {}): Partial<Record<StackId, TerraformStack>> {
  const { configFile } = options;
  const raw = rawInputOf(config);
  const build = <T>(id: StackId, fields: () => ConfigFields, create: () => T): T =>
    configFile === undefined ? create() : inConfigTerms(configFile, id, ownDomainFields(config, id, fields()), create, (p) => noteDefault(p, config, raw));
  // The stacks read `config.domain`: each gets its own there.
  const configOf = (id: StackId): DeployConfig => (stackDomain(config, id) === config.domain ? config : { ...config, domain: stackDomain(config, id) });
  const stacks: Partial<Record<StackId, TerraformStack>> = {};
  const { 'cluster-gcp': clusterGcp, 'cluster-aws': clusterAws, 'serverless-gcp': serverlessGcp } = config.stacks;
  if (clusterGcp?.enabled) stacks['cluster-gcp'] = build('cluster-gcp', () => clusterGcpConfigFields(clusterGcp), () => new ClusterGcpStack(app, 'cluster-gcp', configOf('cluster-gcp'), clusterGcp));
  if (clusterAws?.enabled) stacks['cluster-aws'] = build('cluster-aws', () => clusterAwsConfigFields(configOf('cluster-aws'), clusterAws), () => new ClusterAwsStack(app, 'cluster-aws', configOf('cluster-aws'), clusterAws));
  if (serverlessGcp?.enabled) stacks['serverless-gcp'] = build('serverless-gcp', serverlessGcpConfigFields, () => new ServerlessGcpStack(app, 'serverless-gcp', configOf('serverless-gcp'), serverlessGcp));
  if (options.guardrails !== false) {
    for (const [id, stack] of Object.entries(stacks) as [StackId, TerraformStack][]) {
      const suppressions = config.guardrails.suppress
        .map((s, i) => ({ ...s, source: `${configFile ?? 'deploy.yaml'} guardrails.suppress[${i}]` }))
        // Without `stacks`, an entry applies where its rule can find something: a GCP rule on the GCP stacks.
        .filter((s) => (s.stacks === undefined ? ruleCloud(s.rule) === (id === 'cluster-aws' ? 'aws' : 'gcp') : s.stacks.includes(id)));
      Aspects.of(stack).add(new Guardrails({ ...options.guardrails, suppressions }));
    }
  }
  const first = Object.values(stacks)[0];
  for (const warning of configWarnings(config)) {
    const on = (warning.stack && stacks[warning.stack]) || first;
    if (on) Annotations.of(on).addWarning(`${warning.field}: ${warning.message}`);
  }
  return stacks;
}

/** The cloud a rule checks; undefined for an id no rule has (the schema refuses those). */
function ruleCloud(id: string): 'gcp' | 'aws' | undefined {
  return GUARDRAIL_RULES.find((r) => r.id === id)?.cloud;
}

/** A stack with its own domain: what its constructs refuse about the domain is named by that field. */
function ownDomainFields(config: DeployConfig, id: StackId, fields: ConfigFields): ConfigFields {
  if (config.stacks[id]?.domain === undefined) return fields;
  return Object.fromEntries(Object.entries(fields).map(([key, target]) => [key, target === 'domain' ? `stacks.${id}.domain` : target]));
}

/**
 * Construct checks that compare a field with others the file may leave to their defaults: the field a problem is
 * named by, the others it was checked against, and fields that, when written, make the others irrelevant.
 */
const COMPARED_WITH: readonly { readonly field: RegExp; readonly others: readonly string[]; readonly unless?: readonly string[] }[] = [
  // An environment's connection budget, against its database's limit (which databaseMaxConnections sets instead).
  { field: /^stacks\.(cluster-gcp|serverless-gcp)\.sizes\.(production|staging)$/, others: ['$.databaseTier'], unless: ['$.databaseMaxConnections'] },
  { field: /^stacks\.cluster-aws\.sizes\.(production|staging)$/, others: ['$.databaseInstanceClass'], unless: ['$.databaseMaxConnections'] },
  // Two ranges of one VPC.
  { field: /^stacks\.serverless-gcp\.privateServicesRange$/, others: ['stacks.serverless-gcp.subnetCidr'] },
];

/**
 * Says so when a construct refused a value the file leaves to its default, as the fix is to set it: a field the
 * file does not write (`stacks.serverless-gcp.subnetCidr`), or one a written field was compared with
 * (`COMPARED_WITH`: the database tier a connection budget was sized against).
 */
function noteDefault(problem: Problem, config: DeployConfig, raw: Readonly<Record<string, unknown>> | undefined): Problem {
  if (raw === undefined || !('value' in problem) || !/^[A-Za-z0-9_.-]+$/.test(problem.field)) return problem;
  const at = (field: string) => field.split('.');
  const configured = (field: string) => at(field).reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), config);
  const value = configured(problem.field);
  // The value came from the schema's default, or (no value in the config) from the construct's own; a missing one from neither.
  if ((value === problem.value || value === undefined) && problem.value !== undefined && typeof problem.value !== 'object' && !isWritten(raw, at(problem.field))) {
    return { ...problem, expected: `${problem.expected} (${theDefault(at(problem.field).pop()!)})` };
  }
  const compared = COMPARED_WITH.find((c) => c.field.test(problem.field));
  const fields = (list: readonly string[] = []) => list.map((f) => f.replace('$', problem.field));
  if (compared === undefined || fields(compared.unless).some((f) => isWritten(raw, at(f)))) return problem;
  const defaults = fields(compared.others).filter((f) => !isWritten(raw, at(f)));
  if (defaults.length === 0) return problem;
  const notes = defaults.map((f) => {
    const name = at(f).pop()!;
    const shown = configured(f);
    return `${name}${typeof shown === 'string' || typeof shown === 'number' ? ` ${shown}` : ''} is ${theDefault(name)}`;
  });
  return { ...problem, expected: `${problem.expected} (${notes.join('; ')})` };
}
