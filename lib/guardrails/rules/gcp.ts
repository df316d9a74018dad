import { GuardrailRule } from '../rule';

/** The Google Cloud rules. */
export const GCP_RULES: readonly GuardrailRule[] = [];
