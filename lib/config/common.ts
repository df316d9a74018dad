import { z } from 'zod';
import { RULES, Rule } from '../rules';

/** A string field judged by one of the shared rules (lib/rules.ts), in the same words as the props checks. */
export function ruled(rule: Rule) {
  return z.string().regex(rule.pattern, rule.expected);
}

// Building blocks of the config schema. Each message completes the sentence "expected ...", so errors read
// `field: got X; expected <message>`.

export const projectName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/, 'a name of 3 to 20 lowercase letters, digits and hyphens, starting with a letter (it prefixes every resource name)');
export const domain = ruled(RULES.domain);
export const gcpProject = ruled(RULES.gcpProject);
export const gcpRegion = ruled(RULES.gcpRegion);
export const awsRegion = ruled(RULES.awsRegion);
export const positiveInt = (max: number) => z.number().int('a whole number').min(1, 'at least 1').max(max, `at most ${max}`);
export const cpuTargetPercent = z.number().int('a whole number').min(10, 'at least 10').max(90, 'at most 90');
export const bucketName = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, 'a bucket name: 3 to 63 lowercase letters, digits, dots, hyphens and underscores');
export const statePrefix = z.string().regex(/^[A-Za-z0-9._/-]{1,200}$/, 'a key prefix of letters, digits and . _ / -');

/** Instance counts of one environment; pair with `minNotAboveMax`. */
export function scaling(defaults: { min: number; max: number }, minAllowed = 1) {
  return {
    minInstances: z.number().int('a whole number').min(minAllowed, `at least ${minAllowed}`).max(1000, 'at most 1000').default(defaults.min),
    maxInstances: positiveInt(1000).default(defaults.max),
  };
}

export function minNotAboveMax(v: { minInstances: number; maxInstances: number }, ctx: z.RefinementCtx): void {
  if (v.minInstances > v.maxInstances) {
    ctx.addIssue({ code: 'custom', path: ['minInstances'], input: v.minInstances, message: `at most maxInstances (${v.maxInstances})` });
  }
}

/** Sizes per environment; staging defaults to the same small sizes as production. */
export function perEnvironment<S extends z.ZodType<object, object>>(size: S) {
  const each = size.prefault({} as z.input<S>);
  return z.strictObject({ production: each, staging: each }).prefault({});
}
