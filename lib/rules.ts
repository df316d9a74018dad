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
}

export const RULES = {
  gcpProject: { pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, expected: 'a GCP project id: 6 to 30 lowercase letters, digits and hyphens, starting with a letter' },
  gcpRegion: { pattern: /^[a-z]+-[a-z]+[0-9]+$/, expected: 'a GCP region such as us-central1 or europe-west4' },
  domain: { pattern: DNS_NAME, expected: 'a lowercase DNS name without a scheme or trailing dot, such as example.com' },
  gcpZone: { pattern: /^[a-z]+-[a-z]+[0-9]+-[a-z]$/, expected: 'a GCP zone such as us-central1-a' },
  dnsZoneName: { pattern: /^[a-z][a-z0-9-]{0,62}$/, expected: 'the name of an existing Cloud DNS zone (lowercase letters, digits, hyphens)' },
  cloudSqlTier: { pattern: /^db-[a-z0-9-]+$/, expected: 'a Cloud SQL tier such as db-f1-micro or db-custom-1-3840' },
  machineType: { pattern: /^[a-z][a-z0-9]*-[a-z0-9-]+$/, expected: 'a Compute Engine machine type such as e2-micro or n2-standard-2' },
  /** Prefixes every resource name of a pattern. */
  namePrefix: { pattern: /^[a-z]([a-z0-9-]{0,28}[a-z0-9])?$/, expected: 'a name of 1 to 30 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (it prefixes every resource name)' },
  githubRepository: { pattern: /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/, expected: 'a GitHub repository as owner/name' },
  awsRegion: { pattern: /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$/, expected: 'an AWS region such as us-west-2 or eu-central-1' },
  ec2InstanceType: { pattern: /^[a-z][a-z0-9-]*\.[a-z0-9]+$/, expected: 'an EC2 instance type such as t3.micro or t4g.small' },
  amiId: { pattern: /^ami-[0-9a-f]{8,17}$/, expected: 'an AMI id such as ami-0123456789abcdef0' },
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

/**
 * Checks each given field against its rule; `undefined` values are skipped (optional fields). Text cdktf would
 * read as a token (a number in its token encoding fits some of these shapes) is refused too.
 */
export function checkRules(problems: ProblemCollector, fields: Readonly<Record<string, readonly [unknown, Rule]>>): void {
  for (const [field, [value, rule]] of Object.entries(fields)) {
    if (value === undefined) continue;
    problems.check(typeof value === 'string' && rule.pattern.test(value) && !holdsTokenEncoding(value), field, value, rule.expected);
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
