import { Annotations } from 'cdktf';
import { IConstruct } from 'constructs';
import { AWS_REGIONS_SOURCE, AWS_REGION_CODES } from './catalog/aws-regions';
import { EC2_FAMILIES, EC2_SOURCE, ELASTICACHE_FAMILIES, ELASTICACHE_SOURCE, RDS_FAMILIES, RDS_SOURCE, isListedCacheNodeType, isListedEc2Type, isListedRdsClass } from './catalog/aws-types';
import { CLOUD_SQL_SOURCE, GCE_SOURCE, cloudSqlTierProblem, customTierFor, isListedCloudSqlTier, isListedMachineType } from './catalog/gcp-types';
import { GCP_ZONES, GCP_ZONES_SOURCE } from './gcp/zones';
import { DNS_NAME } from './hosts';
import { holdsTokenEncoding } from './terraform-strings';
import { ProblemCollector } from './validation';

/**
 * The shapes of the names and ids users give, shared by the config schema (lib/config) and the constructs' own
 * props checks, so a value is judged by the same rule, in the same words, however it comes in. None of them admits
 * `$`, `{`, `%`, quotes, spaces or line breaks: such a field can never carry Terraform or shell syntax.
 */
export interface Rule {
  readonly pattern: RegExp;
  /** Completes "expected ...". */
  readonly expected: string;
  /** Why a well-formed value is still one the cloud refuses (a rule, not a list: no escape lifts it), or undefined. */
  readonly refuse?: (value: string) => string | undefined;
  /** The kept list (lib/catalog) a well-formed value should be on; values off it pass only with `allowUnlisted`. */
  readonly listed?: Listed;
}

/** A kept list of the values a cloud takes, with its source's date. */
export interface Listed {
  readonly has: (value: string) => boolean;
  /** What is on the list, completing "expected ..." (a few examples). */
  readonly expected: string;
  /** When the list was last compared with its source. */
  readonly checked: string;
  /** Words for one value off the list (a near miss, or the listed value it stands for), or undefined. */
  readonly hint?: (value: string) => string | undefined;
}

/** The config field that lets values off the kept lists through, with a synth warning (docs/config.md). */
export const ALLOW_UNLISTED_FIELD = 'allowUnlisted';

/**
 * The closest of `candidates` to a value within `maxDistance` edits: "did you mean" for typos. Runs only on a value
 * already off a list, never on the path of a valid config.
 */
export function nearest(value: string, candidates: Iterable<string>, maxDistance = 2): string | undefined {
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - value.length) >= bestDistance) continue;
    const d = editDistance(value, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

const didYouMean = (candidates: Iterable<string>) => (value: string) => {
  const near = nearest(value, candidates);
  return near && `did you mean ${near}?`;
};

const SIZE_WORDS = ['nano', 'micro', 'small', 'medium', 'large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', 'metal'];

/**
 * "Did you mean" for `<prefix><family>.<size>` types: the same type with the size, or a family of three or more
 * characters, one typo away, if that is on the list (two-character families such as t3 are too close to guess).
 */
const typeHint = (prefix: string, families: ReadonlySet<string>, has: (value: string) => boolean) => (value: string) => {
  const rest = value.slice(prefix.length);
  const dot = rest.lastIndexOf('.');
  if (dot < 0) return undefined;
  const [family, size] = [rest.slice(0, dot), rest.slice(dot + 1)];
  const nearFamily = family.length >= 3 ? nearest(family, families, 1) : undefined;
  for (const f of [family, nearFamily]) {
    for (const z of [size, nearest(size, SIZE_WORDS)]) {
      const guess = `${prefix}${f}.${z}`;
      if (f && z && guess !== value && has(guess)) return `did you mean ${guess}?`;
    }
  }
  return undefined;
};

const GCP_ZONE_NAMES: readonly string[] = Object.values(GCP_ZONES).flat();
const GCP_ZONE_SET: ReadonlySet<string> = new Set(GCP_ZONE_NAMES);

/** The kept lists, each with what it holds in words and its source's date (lib/catalog). */
export const LISTS = {
  awsRegion: {
    has: (v) => AWS_REGION_CODES.has(v),
    expected: 'an AWS region on the kept list, such as us-east-1, eu-central-1 or ap-southeast-2',
    checked: AWS_REGIONS_SOURCE.checked,
    hint: didYouMean(AWS_REGION_CODES),
  },
  gcpRegion: {
    has: (v) => Object.prototype.hasOwnProperty.call(GCP_ZONES, v),
    expected: 'a GCP region on the kept list, such as us-central1, europe-west4 or asia-northeast1',
    checked: GCP_ZONES_SOURCE.checked,
    hint: didYouMean(Object.keys(GCP_ZONES)),
  },
  gcpZone: {
    has: (v) => GCP_ZONE_SET.has(v),
    expected: 'a GCP zone on the kept list, such as us-central1-a or europe-west1-b',
    checked: GCP_ZONES_SOURCE.checked,
    hint: didYouMean(GCP_ZONE_NAMES),
  },
  machineType: {
    has: isListedMachineType,
    expected: 'a Compute Engine machine type of a known series, such as e2-micro, e2-medium, n2-standard-2, c3-highcpu-4 or n2-custom-2-4096',
    checked: GCE_SOURCE.checked,
    hint: (v) => {
      const parts = v.split('-');
      const guesses = [nearest(v, ['e2-micro', 'e2-small', 'e2-medium', 'f1-micro', 'g1-small']), parts.length === 3 ? [parts[0], nearest(parts[1], ['standard', 'highmem', 'highcpu']), parts[2]].join('-') : undefined];
      const guess = guesses.find((g) => g !== undefined && g !== v && isListedMachineType(g));
      return guess && `did you mean ${guess}?`;
    },
  },
  cloudSqlTier: {
    has: isListedCloudSqlTier,
    expected: 'a Cloud SQL for PostgreSQL tier: db-f1-micro, db-g1-small, or db-custom-<vCPUs>-<memory MiB> such as db-custom-2-7680',
    checked: CLOUD_SQL_SOURCE.checked,
    hint: (v) => {
      const custom = customTierFor(v);
      if (custom) return `Cloud SQL takes ${v} for MySQL only; for PostgreSQL write ${custom}`;
      const near = nearest(v, ['db-f1-micro', 'db-g1-small']);
      return near && `did you mean ${near}?`;
    },
  },
  ec2InstanceType: {
    has: isListedEc2Type,
    expected: 'an EC2 instance type of a known family and size, such as t3.micro, t4g.small, m7i.large or c7g.xlarge',
    checked: EC2_SOURCE.checked,
    hint: typeHint('', EC2_FAMILIES, isListedEc2Type),
  },
  rdsInstanceClass: {
    has: isListedRdsClass,
    expected: 'an RDS for PostgreSQL instance class of a known family and size, such as db.t4g.micro, db.m7g.large or db.r7g.xlarge',
    checked: RDS_SOURCE.checked,
    hint: typeHint('db.', RDS_FAMILIES, isListedRdsClass),
  },
  cacheNodeType: {
    has: isListedCacheNodeType,
    expected: 'an ElastiCache node type of a known family and size, such as cache.t4g.micro, cache.m7g.large or cache.r7g.large',
    checked: ELASTICACHE_SOURCE.checked,
    hint: typeHint('cache.', ELASTICACHE_FAMILIES, isListedCacheNodeType),
  },
} as const satisfies Record<string, Listed>;

/** A Compute Engine resource name (RFC 1035: 1 to 63 lowercase letters, digits and hyphens). */
const GCE_NAME = '[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?';
/** A GCP project id, as in `RULES.gcpProject`. */
const GCP_PROJECT_ID = '[a-z][a-z0-9-]{4,28}[a-z0-9]';
/** What may precede `projects/...` in a Compute Engine self link. */
const COMPUTE_LINK = '(?:https://www\\.googleapis\\.com/compute/(?:v1|beta)/)?';

export const RULES = {
  gcpProject: { pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, expected: 'a GCP project id: 6 to 30 lowercase letters, digits and hyphens, starting with a letter' },
  gcpRegion: { pattern: /^[a-z]+-[a-z]+[0-9]+$/, expected: 'a GCP region such as us-central1 or europe-west4', listed: LISTS.gcpRegion },
  domain: { pattern: DNS_NAME, expected: 'a lowercase DNS name without a scheme or trailing dot, such as example.com' },
  gcpZone: { pattern: /^[a-z]+-[a-z]+[0-9]+-[a-z]$/, expected: 'a GCP zone such as us-central1-a', listed: LISTS.gcpZone },
  dnsZoneName: { pattern: /^[a-z][a-z0-9-]{0,62}$/, expected: 'the name of an existing Cloud DNS zone (lowercase letters, digits, hyphens)' },
  /** An existing VPC network: its name (in the stack's project), or its path or self link (a Shared VPC host's). */
  gcpNetwork: {
    pattern: new RegExp(`^(?:${GCE_NAME}|${COMPUTE_LINK}projects/${GCP_PROJECT_ID}/global/networks/${GCE_NAME})$`),
    expected: 'a VPC network: its name such as my-vpc, or projects/<project>/global/networks/<name> (its self link, https://www.googleapis.com/compute/v1/projects/..., too)',
  },
  /** An existing subnet: its name (in the network's project and the stack's region), or its path or self link. */
  gcpSubnetwork: {
    pattern: new RegExp(`^(?:${GCE_NAME}|${COMPUTE_LINK}projects/${GCP_PROJECT_ID}/regions/[a-z]+-[a-z]+[0-9]+/subnetworks/${GCE_NAME})$`),
    expected: 'a subnet: its name such as my-subnet, or projects/<project>/regions/<region>/subnetworks/<name> (its self link, https://www.googleapis.com/compute/v1/projects/..., too)',
  },
  // Capitals pass the shape so Enterprise Plus names (db-perf-optimized-N-2) get their own reason.
  cloudSqlTier: { pattern: /^db-[a-zA-Z0-9-]+$/, expected: 'a Cloud SQL tier such as db-f1-micro or db-custom-1-3840', refuse: cloudSqlTierProblem, listed: LISTS.cloudSqlTier },
  machineType: { pattern: /^[a-z][a-z0-9]*-[a-z0-9-]+$/, expected: 'a Compute Engine machine type such as e2-micro or n2-standard-2', listed: LISTS.machineType },
  /** Prefixes every resource name of a pattern. */
  namePrefix: { pattern: /^[a-z]([a-z0-9-]{0,28}[a-z0-9])?$/, expected: 'a name of 1 to 30 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (it prefixes every resource name)' },
  githubRepository: { pattern: /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/, expected: 'a GitHub repository as owner/name' },
  awsRegion: { pattern: /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$/, expected: 'an AWS region such as us-west-2 or eu-central-1', listed: LISTS.awsRegion },
  // The size may hold a hyphen: c7i.metal-24xl.
  ec2InstanceType: { pattern: /^[a-z][a-z0-9-]*\.[a-z0-9]+(-[a-z0-9]+)?$/, expected: 'an EC2 instance type such as t3.micro or t4g.small', listed: LISTS.ec2InstanceType },
  rdsInstanceClass: { pattern: /^db\.[a-z0-9-]+\.[a-z0-9]+$/, expected: 'an RDS instance class such as db.t4g.micro', listed: LISTS.rdsInstanceClass },
  cacheNodeType: { pattern: /^cache\.[a-z0-9-]+\.[a-z0-9]+$/, expected: 'an ElastiCache node type such as cache.t4g.micro', listed: LISTS.cacheNodeType },
  amiId: { pattern: /^ami-[0-9a-f]{8,17}$/, expected: 'an AMI id such as ami-0123456789abcdef0' },
  /**
   * A full container image reference (Docker's reference grammar): `[registry[:port]/]path[:tag][@sha256:digest]`,
   * such as `ghcr.io/my-org/server:1.2` or `docker.io/library/nginx:1.27`. Nothing a shell or Terraform would read.
   */
  imageReference: {
    pattern:
      /^(?=.{1,255}(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$)(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?\/)?[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/,
    expected: 'an image reference such as ghcr.io/my-org/server:1.2 (registry/path:tag or @sha256:digest; lowercase path)',
  },
  /** A container image tag (Docker's rule). */
  imageTag: { pattern: /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, expected: 'an image tag: letters, digits, _ . -, at most 128 characters, not starting with . or -' },
  /**
   * A name that prefixes AWS resource names: not a prefix AWS reserves for security groups (`sg-`) or buckets
   * (`xn--`, `sthree-`, `amzn-s3-demo-`), which it refuses at apply.
   */
  awsNamePrefix: {
    pattern: /^(?!sg-|xn--|sthree-|amzn-s3-demo-)[a-z]([a-z0-9-]{0,28}[a-z0-9])?$/,
    expected: 'a name of 1 to 30 lowercase letters, digits and hyphens, starting with a letter, not starting with sg-, xn--, sthree- or amzn-s3-demo- (prefixes AWS reserves for security groups and buckets)',
  },
} as const satisfies Record<string, Rule>;

/** Why a value breaks its rule's shape or refusal (each completing "expected ..."), or undefined. */
export function ruleProblem(rule: Rule, value: string): string | undefined {
  if (!rule.pattern.test(value) || holdsTokenEncoding(value)) return rule.expected;
  return rule.refuse?.(value);
}

/**
 * For a value that keeps its rule but is off the rule's kept list: what the list holds, with a near miss if there
 * is one (completing "expected ..."). Undefined when the value is on the list or the rule keeps none.
 */
export function unlistedProblem(rule: Rule, value: string): string | undefined {
  const listed = rule.listed;
  if (!listed || listed.has(value) || ruleProblem(rule, value) !== undefined) return undefined;
  const hint = listed.hint?.(value);
  return hint ? `${listed.expected} (${hint})` : listed.expected;
}

/**
 * Checks each given field against its rule; `undefined` values are skipped (optional fields). Text cdktf would
 * read as a token (a number in its token encoding fits some of these shapes) is refused too, and so is what a
 * rule refuses outright. With a `scope`, a value off the rule's kept list gets a synth warning there: the caller
 * may know a type newer than the list (the config file refuses such values unless `allowUnlisted` is set).
 */
export function checkRules(problems: ProblemCollector, fields: Readonly<Record<string, readonly [unknown, Rule]>>, scope?: IConstruct): void {
  for (const [field, [value, rule]] of Object.entries(fields)) {
    if (value === undefined) continue;
    const problem = typeof value === 'string' ? ruleProblem(rule, value) : rule.expected;
    problems.check(problem === undefined, field, value, problem ?? rule.expected);
    if (problem !== undefined || typeof value !== 'string' || !scope) continue;
    const unlisted = unlistedProblem(rule, value);
    if (unlisted !== undefined) {
      Annotations.of(scope).addWarning(`${field}: "${value}" is not on the kept list (checked ${rule.listed?.checked}), which expects ${unlisted}; synthesized as given, on the assumption that it is newer than the list`);
    }
  }
}

/**
 * Refuses text cdktf would read as a token in free-form props (file names, paths, members): a number in its
 * token encoding would become a reference wherever the text lands. `fields` maps a field name to its value or
 * values; `undefined` and `false` are skipped.
 */
export function refuseTokenEncodings(problems: ProblemCollector, fields: Readonly<Record<string, string | false | undefined | readonly string[]>>): void {
  for (const [field, value] of Object.entries(fields)) {
    const values = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
    values.forEach((v: string, i: number) => {
      const at = typeof value === 'string' ? field : `${field}[${i}]`;
      problems.check(!holdsTokenEncoding(v), at, v, 'text without cdktf\'s token encodings (a number such as -8.109562212591379e+298 would become a reference)');
    });
  }
}

/**
 * Why production's database may go without deletion protection: an opt-out must say why in words, so it is never
 * a stray `false`. Shown in messages only; it reaches no resource.
 */
export const DATA_LOSS_ACKNOWLEDGEMENT: Rule = {
  pattern: /^(?=(?:\S+ +){2,}\S)[A-Za-z0-9 .,;:'"()!?/&+-]{10,300}$/,
  expected: 'a reason of three or more words (10 to 300 letters, digits, spaces and .,;:\'"()!?/&+-), such as "demo project, restored from nightly dumps"',
};

/**
 * Problems of an environment's deletion protection and its acknowledgement (`acknowledgeDataLoss`), under `at`
 * (`environments.production.`, `stacks.cluster-aws.database.production.`): production's protection goes off only
 * with a reason beside it, and a reason goes only with protection off.
 */
export function dataLossProblems(problems: ProblemCollector, at: string, environment: string, deletionProtection: boolean | undefined, acknowledgement: string | undefined): void {
  if (acknowledgement !== undefined) {
    problems.check(deletionProtection === false, `${at}acknowledgeDataLoss`, acknowledgement, 'none unless deletionProtection is false (it acknowledges turning the protection off)');
    const problem = ruleProblem(DATA_LOSS_ACKNOWLEDGEMENT, acknowledgement);
    problems.check(problem === undefined, `${at}acknowledgeDataLoss`, acknowledgement, problem ?? '');
  } else if (environment === 'production' && deletionProtection === false) {
    problems.check(
      false,
      `${at}deletionProtection`,
      false,
      `true in production, or false with acknowledgeDataLoss beside it saying why (without protection terraform destroy, or a change that replaces the database, deletes production's data with no stop)`,
    );
  }
}
