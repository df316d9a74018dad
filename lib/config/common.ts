import { z } from 'zod';
import { parseIpv4Cidr, privateCidrProblems } from '../catalog/networks';
import { ALLOW_UNLISTED_FIELD, RULES, Rule, dataLossProblems, unlistedProblem } from '../rules';
import { ProblemCollector } from '../validation';
import { gcsBucketNameProblems, s3BucketNameProblems } from '../state';
import { CLOUD_SQL_DISK_GB, cloudSqlMaxDiskGb } from '../gcp/cloud-sql-limits';

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
    // Only maxInstances can be the default here: the default minimum never exceeds the least maximum allowed.
    crossFieldIssue(ctx, ['minInstances'], v.minInstances, `at most maxInstances (${v.maxInstances})`, [
      { unset: ['maxInstances'], message: `at most maxInstances (${v.maxInstances}, ${theDefault('maxInstances')})` },
    ]);
  }
}

/** What a cross-field issue says instead when the other field it compared with is not in the file. */
export interface IfDefault {
  /** The other field, relative to the refined object. */
  readonly unset: readonly (string | number)[];
  /** Where to report instead, relative to the refined object: the field the user did write. @default - the issue's path */
  readonly path?: readonly (string | number)[];
  readonly message: string;
}

/** The params key under which `crossFieldIssue` leaves its alternatives for the loader. */
export const CROSS_FIELD = 'crossField';

/** What `crossFieldIssue` leaves in the issue's params. */
export interface CrossFieldParams {
  /** The issue's path relative to the refined object, so the loader can find that object's path. */
  readonly path: readonly (string | number)[];
  readonly ifDefault: readonly IfDefault[];
}

/**
 * An issue of a check that compares two fields. zod fills defaults before refinements run, so the refinement
 * cannot tell a value the user wrote from a default; the loader (load.ts), which keeps the file's raw input, can:
 * it uses the first of `ifDefault` whose other field the file leaves out, so the message names the field the
 * user wrote and says the other value is a default. Parsed without the loader, the issue reads as `message`.
 */
export function crossFieldIssue(ctx: z.RefinementCtx, path: (string | number)[], input: unknown, message: string, ifDefault: readonly IfDefault[]): void {
  const params: CrossFieldParams = { path, ifDefault };
  ctx.addIssue({ code: 'custom', path, input, message, params: { [CROSS_FIELD]: params } });
}

/** How a message says that the other value is a default: `(2, the default; set maxInstances too)`. */
export const theDefault = (field: string) => `the default; set ${field} too`;

/** Sizes per environment; staging defaults to the same small sizes as production. */
/** A PostgreSQL major version both clouds offer. Raising it upgrades in place; neither cloud goes back down. */
export const postgresMajorVersion = z.number().int('a whole number').min(13, 'a PostgreSQL major version from 13 to 18').max(18, 'a PostgreSQL major version from 13 to 18');

/** The database settings of one environment that every stack has (`stacks.<stack>.database.<env>`). */
export const databaseLifecycle = {
  engineVersion: postgresMajorVersion.default(16),
  /** Refuse deletion; turn off, deploy, then destroy. @default - true in production, false in staging */
  deletionProtection: z.boolean().optional(),
  /** Why production's database may go unprotected: required beside `deletionProtection: false` in production. */
  acknowledgeDataLoss: z.string().optional(),
};

/** `stacks.<stack>.database`: per environment, production's deletion protection an acknowledged opt-out. */
export function databasesPerEnvironment<S extends z.ZodType<{ deletionProtection?: boolean; acknowledgeDataLoss?: string }, object>>(database: S) {
  return perEnvironment(database).superRefine((v, ctx) => {
    for (const environment of ['production', 'staging'] as const) {
      const problems = new ProblemCollector();
      const { deletionProtection, acknowledgeDataLoss } = v[environment] as z.output<S>;
      dataLossProblems(problems, '', environment, deletionProtection, acknowledgeDataLoss);
      for (const p of problems.list) ctx.addIssue({ code: 'custom', path: [environment, p.field], input: 'value' in p ? p.value : undefined, message: p.expected });
    }
  });
}

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

/**
 * `stacks.<gcp stack>.existingNetwork`: a VPC network the stack runs in instead of creating one, as the patterns take
 * it (`ExistingNetworkOptions`, lib/gcp/network.ts). The constructs judge the rest: the subnet's presence, region and
 * project, and the fields that go with a new network only (reported under this stack's fields).
 */
export const existingGcpNetwork = z.strictObject({
  network: ruled(RULES.gcpNetwork),
  subnet: ruled(RULES.gcpSubnetwork).optional(),
  privateServicesAccess: z.enum(['existing', 'create']).default('existing'),
});

/** `sizes.<env>.databaseStorageGb` of the GCP stacks: Cloud SQL's data disk in GB, the same name as cluster-aws's. */
export const cloudSqlStorageGb = z
  .number()
  .int('a whole number')
  .min(CLOUD_SQL_DISK_GB.min, `at least ${CLOUD_SQL_DISK_GB.min}`)
  .max(CLOUD_SQL_DISK_GB.max, `at most ${CLOUD_SQL_DISK_GB.max} (64 TB, Cloud SQL's limit)`)
  .default(CLOUD_SQL_DISK_GB.min);

/** A GCP size whose disk its tier cannot hold: the shared-core tiers (db-f1-micro, the default, too) take 3,062 GB. */
export function cloudSqlStorageIssue(v: { databaseTier: string; databaseStorageGb: number }, ctx: z.RefinementCtx): void {
  const max = cloudSqlMaxDiskGb(v.databaseTier);
  if (v.databaseStorageGb <= max) return;
  const why = `Cloud SQL's limit for a shared-core tier; a db-custom- tier takes up to ${CLOUD_SQL_DISK_GB.max}`;
  crossFieldIssue(ctx, ['databaseStorageGb'], v.databaseStorageGb, `at most ${max} with databaseTier ${v.databaseTier} (${why})`, [
    { unset: ['databaseTier'], message: `at most ${max} with databaseTier ${v.databaseTier} (${theDefault('databaseTier')}; ${why})` },
  ]);
}
