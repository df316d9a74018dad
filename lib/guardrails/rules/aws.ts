import { GuardrailRule } from '../rule';

/** The AWS rules. */
export const AWS_RULES: readonly GuardrailRule[] = [];
