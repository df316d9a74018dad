export { Guardrails } from './guardrails';
export type { GuardrailsOptions, GuardrailsReport, GuardrailFinding, StackSuppression } from './guardrails';
export { suppressGuardrails, MIN_REASON_WORDS } from './suppress';
export type { GuardrailSuppression } from './suppress';
export type { GuardrailRule, GuardrailSeverity, RuleViolation } from './rule';
export { GUARDRAIL_RULES } from './rules';
export { guardrailsTable } from './report';
