import { StackModel } from '../model/stack-model';
import { GuardrailRule, GuardrailSeverity } from './rule';

/** What a rule found, before suppressions are applied. */
export interface RawFinding {
  readonly rule: string;
  readonly severity: GuardrailSeverity;
  /** The resource's Terraform address, `type.name`. */
  readonly resource: string;
  /** The resource's construct path ('' if the JSON records none). */
  readonly path: string;
  /** The argument at fault, dotted. */
  readonly attribute: string;
  /** One line naming the resource and the argument: `<address> <argument>: <problem>`. */
  readonly message: string;
}

/** Rules by the resource type they check, built once per rule list. */
const INDEXES = new WeakMap<readonly GuardrailRule[], Map<string, GuardrailRule[]>>();

function indexOf(rules: readonly GuardrailRule[]): Map<string, GuardrailRule[]> {
  let index = INDEXES.get(rules);
  if (!index) {
    index = new Map();
    for (const rule of rules) for (const type of rule.types) (index.get(type) ?? index.set(type, []).get(type)!).push(rule);
    INDEXES.set(rules, index);
  }
  return index;
}

/** Runs every rule over the stack's resources of the types it checks. */
export function evaluateRules(stack: StackModel, rules: readonly GuardrailRule[]): RawFinding[] {
  const index = indexOf(rules);
  const findings: RawFinding[] = [];
  for (const resource of stack.resources) {
    for (const rule of index.get(resource.type) ?? []) {
      for (const v of rule.check(resource, stack)) {
        findings.push({ rule: rule.id, severity: rule.severity, resource: resource.address, path: resource.path, attribute: v.attribute, message: `${resource.address} ${v.attribute}: ${v.problem}` });
      }
    }
  }
  return findings;
}
