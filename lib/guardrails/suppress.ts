import { IConstruct } from 'constructs';
import { ProblemCollector } from '../validation';

/** An exception to a guardrail: the rule, and why breaking it here is right. */
export interface GuardrailSuppression {
  /** The rule's id: `GCP-REDIS-TRANSIT-ENCRYPTION`. */
  readonly rule: string;
  /** Why: at least five words a reviewer can check (`Serverpod 3.4 cannot trust Memorystore's CA`). */
  readonly reason: string;
  /**
   * Only findings on these arguments (dotted, as the finding names them: `block_public_acls`,
   * `settings.ip_configuration.ipv4_enabled`), so the exception covers the trade-off its reason describes and not
   * another way the same rule could be broken on the resource later.
   * @default - every finding of the rule
   */
  readonly attributes?: readonly string[];
}

/** The node metadata type suppressions are recorded under. */
export const SUPPRESSION_METADATA = 'cdktf-serverpod:guardrails-suppression';

/** The fewest words a reason may have. */
export const MIN_REASON_WORDS = 5;

/** What is wrong with a suppression's rule or reason, as problems of `field`. */
export function checkSuppression(problems: ProblemCollector, field: string, s: Partial<GuardrailSuppression>): void {
  if (typeof s.rule !== 'string' || !/^[A-Z0-9]+(-[A-Z0-9]+)+$/.test(s.rule)) {
    problems.add({ field: `${field}.rule`, value: s.rule, expected: 'a guardrail rule id such as GCP-SQL-PUBLIC-IP (docs/guardrails.md lists them)' });
  }
  const words = typeof s.reason === 'string' ? s.reason.trim().split(/\s+/).filter((w) => /\w/.test(w)).length : 0;
  if (typeof s.reason === 'string' && /[\u0000-\u001f\u007f]/.test(s.reason)) {
    problems.add({ field: `${field}.reason`, value: s.reason, expected: 'one line of text without control characters' });
  } else if (words < MIN_REASON_WORDS) {
    problems.add({ field: `${field}.reason`, value: s.reason, expected: `a reason of at least ${MIN_REASON_WORDS} words saying why the rule does not apply here` });
  }
}

/**
 * Suppresses guardrail rules on a construct and everything under it: a resource, a pattern, or a whole stack.
 * Suppressed findings stay in the report, with the reason. Throws a `ValidationError` for a malformed rule id or a
 * reason shorter than five words; a rule id no rule has is refused at synth.
 *
 * @example
 * ```ts
 * import { suppressGuardrails } from 'cdktf-serverpod';
 * import { Construct } from 'constructs';
 *
 * declare const legacyBucket: Construct;
 * suppressGuardrails(legacyBucket, [
 *   { rule: 'GCP-GCS-VERSIONING', reason: 'build cache only; every object is rebuilt on demand' },
 * ]);
 * ```
 */
export function suppressGuardrails(scope: IConstruct, suppressions: readonly GuardrailSuppression[]): void {
  const problems = new ProblemCollector();
  suppressions.forEach((s, i) => checkSuppression(problems, `suppressions[${i}]`, s));
  problems.throwIfAny(`suppressGuardrails on "${scope.node.path}"`);
  for (const s of suppressions) scope.node.addMetadata(SUPPRESSION_METADATA, { rule: s.rule, reason: s.reason.trim(), attributes: s.attributes });
}
