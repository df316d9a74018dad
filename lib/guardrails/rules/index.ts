import { GuardrailRule } from '../rule';
import { AWS_RULES } from './aws';
import { GCP_RULES } from './gcp';

/** Every rule this package ships, Google Cloud's then AWS's. */
export const GUARDRAIL_RULES: readonly GuardrailRule[] = [...GCP_RULES, ...AWS_RULES];
