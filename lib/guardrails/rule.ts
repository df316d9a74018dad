import { ModelResource, StackModel } from '../model/stack-model';

/** How bad a finding is: an `error` fails the synth unless suppressed; a `warning` is reported only. */
export type GuardrailSeverity = 'error' | 'warning';

/** What a rule found wrong with one resource. */
export interface RuleViolation {
  /** The argument at fault, dotted (`settings.ip_configuration.ipv4_enabled`); what the message names. */
  readonly attribute: string;
  /** What is wrong, completing "<address>.<attribute>: ...", e.g. `true: the database has a public IP`. */
  readonly problem: string;
}

/** A guardrail: one check of the synthesized resources of some types. */
export interface GuardrailRule {
  /** Stable id, what a suppression names: `GCP-SQL-PUBLIC-IP`. */
  readonly id: string;
  /** `gcp` or `aws`. */
  readonly cloud: 'gcp' | 'aws';
  readonly severity: GuardrailSeverity;
  /** One line: what the rule asks for. */
  readonly title: string;
  /** Why it matters and how to fix it, a few sentences; the docs show it. */
  readonly explanation: string;
  /** The checkov check(s) and/or CIS benchmark control(s) it corresponds to, where there is one. */
  readonly controls: readonly string[];
  /** The resource types it checks. */
  readonly types: readonly string[];
  /** The violations of one resource of those types (none: it passes). */
  check(resource: ModelResource, stack: StackModel): readonly RuleViolation[];
}

// Helpers for reading synthesized arguments. cdktf writes a nested block as an object or as a list of objects;
// an argument may hold a Terraform expression (`${var.x}`) whose value is not known at synth.

/** True for a value only known at apply (a Terraform expression). Rules do not flag what they cannot read. */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && (value.includes('${') || value.includes('%{'));
}

/** The blocks of a nested-block argument, whichever way cdktf wrote them. */
export function blocks(value: unknown): readonly Readonly<Record<string, unknown>>[] {
  if (Array.isArray(value)) return value.filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object');
  return value !== null && typeof value === 'object' ? [value as Record<string, unknown>] : [];
}

/** The first block of a nested-block argument, if any. */
export function block(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return blocks(value)[0];
}

/** The value at a dotted path through nested blocks (first block at each step). */
export function at(config: Readonly<Record<string, unknown>>, path: string): unknown {
  let node: unknown = config;
  for (const key of path.split('.')) {
    const b = block(node);
    if (!b) return undefined;
    node = b[key];
  }
  return node;
}

/** A violation list of one, or none. */
export function violation(when: boolean, attribute: string, problem: string): readonly RuleViolation[] {
  return when ? [{ attribute, problem }] : [];
}

/** Whether a resource belongs to a production environment (by the environment the stack model gives it). */
export function isProduction(resource: ModelResource): boolean {
  return resource.environment === 'production' || resource.environment === 'prod';
}

/** One statement of an IAM policy document. */
export interface PolicyStatement {
  readonly Effect?: string;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Principal?: unknown;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly Sid?: string;
}

/**
 * The statements of an AWS policy argument: a JSON string (as `jsonencode` or cdktf's `Fn.jsonencode` leave it) or
 * an object. Empty when the document is an expression known only at apply (`${data.aws_iam_policy_document.x.json}`).
 */
export function policyStatements(value: unknown): readonly PolicyStatement[] {
  let doc: unknown = value;
  if (typeof value === 'string') {
    try {
      doc = JSON.parse(value);
    } catch {
      return [];
    }
  }
  if (doc === null || typeof doc !== 'object') return [];
  const statements = (doc as { Statement?: unknown }).Statement;
  return (Array.isArray(statements) ? statements : statements ? [statements] : []) as PolicyStatement[];
}

/** A policy element as a list (`"s3:*"` or `["s3:*"]`). */
export function list(value: string | readonly string[] | undefined): readonly string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}
