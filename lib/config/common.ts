import { z } from 'zod';
import { parseIpv4Cidr, privateCidrProblems } from '../catalog/networks';
import { ALLOW_UNLISTED_FIELD, RULES, Rule, unlistedProblem } from '../rules';
import { gcsBucketNameProblems, s3BucketNameProblems } from '../state';

/**
 * A string field judged by one of the shared rules (lib/rules.ts), in the same words as the props checks. Its kept
 * list, if any, is checked by `unlistedIssue` from the top level, where `allowUnlisted` is known.
 */
export function ruled(rule: Rule) {
  return z
    .string()
    .regex(rule.pattern, rule.expected)
    .superRefine((value, ctx) => {
      const refused = rule.pattern.test(value) ? rule.refuse?.(value) : undefined;
      if (refused !== undefined) ctx.addIssue({ code: 'custom', input: value, message: refused });
    });
}

/**
 * Reports a value off its rule's kept list (lib/catalog) at `path`, unless `allowUnlisted` is set; values that
 * break the rule itself were reported where they stand.
 */
export function unlistedIssue(ctx: z.RefinementCtx, path: readonly (string | number)[], value: unknown, rule: Rule, allowUnlisted: boolean): void {
  if (allowUnlisted || typeof value !== 'string') return;
  const problem = unlistedProblem(rule, value);
  if (problem === undefined) return;
  const message = `${problem}, or set ${ALLOW_UNLISTED_FIELD}: true if it is newer than this list (checked ${rule.listed!.checked})`;
  ctx.addIssue({ code: 'custom', path: [...path], input: value, message });
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
/** A string judged by a function that lists what is wrong with it, one issue each. */
const listing = (problems: (value: string) => string[]) =>
  z.string().superRefine((value, ctx) => problems(value).forEach((message) => ctx.addIssue({ code: 'custom', input: value, message })));
/** An existing state bucket, named by Cloud Storage's rules (lib/state.ts). */
export const gcsBucketName = listing(gcsBucketNameProblems);
/** An existing state bucket, named by S3's rules for general purpose buckets (lib/state.ts). */
export const s3BucketName = listing(s3BucketNameProblems);
/** A VPC range inside the private ranges (lib/catalog/networks.ts), with a prefix from `min` to `max`. */
export const privateCidr = (min: number, max: number) => listing((value) => privateCidrProblems(value, { min, max }));
export const statePrefix = z.string().regex(/^[A-Za-z0-9._/-]{1,200}$/, 'a key prefix of letters, digits and . _ / -');

/**
 * A text field users naturally write as a number (`cpu: 2`, an unquoted account id): YAML hands it over as a
 * number, read here as its decimal text. Other types are still refused, in `expected`'s words.
 */
export function numberAsText<T extends z.ZodType<string, string>>(schema: T, expected: string) {
  return z.union([z.string(), z.number()], { error: expected }).transform(String).pipe(schema);
}

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
/** A PostgreSQL major version both clouds offer. Raising it upgrades in place; neither cloud goes back down. */
export const postgresMajorVersion = z.number().int('a whole number').min(13, 'a PostgreSQL major version from 13 to 18').max(18, 'a PostgreSQL major version from 13 to 18');

/** The database settings of one environment that every stack has (`stacks.<stack>.database.<env>`). */
export const databaseLifecycle = {
  engineVersion: postgresMajorVersion.default(16),
  /** Refuse deletion; turn off, deploy, then destroy. @default - true in production, false in staging */
  deletionProtection: z.boolean().optional(),
};

export function perEnvironment<S extends z.ZodType<object, object>>(size: S) {
  const each = size.prefault({} as z.input<S>);
  return z.strictObject({ production: each, staging: each }).prefault({});
}

/**
 * An IPv4 CIDR block such as 10.0.0.0/16 whose prefix is `minPrefix`–`maxPrefix`: each number at most 255 and
 * no bits set past the prefix (10.0.0.1/16 is an address, not a network; the providers refuse it at apply);
 * `also` narrows it further (to private ranges, say).
 */
export function ipv4Block(minPrefix: number, maxPrefix: number, expected: string, also: RegExp = /./) {
  return z.string().refine((value) => {
    const block = parseIpv4Cidr(value);
    if (!block || !also.test(value)) return false;
    if (block.prefix < minPrefix || block.prefix > maxPrefix) return false;
    return block.address % 2 ** (32 - block.prefix) === 0;
  }, expected);
}
