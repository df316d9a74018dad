import { GcsBackend, LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import { RULES, checkRules } from './rules';
import { ProblemCollector } from './validation';

/** Cloud Storage's bucket naming rules, checked by `gcsBucketNameProblems`. */
export const GCS_BUCKET_NAMING_SOURCE = {
  /** The page the rules were read from. */
  url: 'https://cloud.google.com/storage/docs/buckets#naming',
  /** The day they were last compared with it. */
  checked: '2026-11-29',
} as const;
/** S3's naming rules for general purpose buckets, checked by `s3BucketNameProblems`. */
export const S3_BUCKET_NAMING_SOURCE = {
  /** The page the rules were read from. */
  url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html',
  /** The day they were last compared with it. */
  checked: '2026-11-29',
} as const;

const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;
const LETTER_OR_DIGIT_AT_ENDS = /^[a-z0-9](.*[a-z0-9])?$/;

/** "google" with digits that pass for letters (g00gle, goog1e) read as letters, as Cloud Storage reads them. */
function resemblesGoogle(name: string): boolean {
  const letters = name.replace(/0/g, 'o').replace(/1/g, 'l').replace(/3/g, 'e');
  return /go{2,}gle/.test(letters);
}

/**
 * Why Cloud Storage would refuse a bucket name, each completing "expected ..."; empty when it takes it. The bucket
 * must already exist, so a dotted name's domain verification is not checked here.
 */
export function gcsBucketNameProblems(name: string): string[] {
  const problems: string[] = [];
  const dotted = name.includes('.');
  if (!/^[a-z0-9._-]*$/.test(name)) problems.push('a GCS bucket name of lowercase letters, digits, -, _ and . only');
  if (name.length < 3 || name.length > (dotted ? 222 : 63)) problems.push('a GCS bucket name of 3 to 63 characters (up to 222 with dots)');
  if (dotted && name.split('.').some((part) => part.length > 63)) problems.push('a GCS bucket name whose dot-separated parts have at most 63 characters each');
  if (!LETTER_OR_DIGIT_AT_ENDS.test(name)) problems.push('a GCS bucket name that starts and ends with a letter or digit');
  if (IP_ADDRESS.test(name)) problems.push('a GCS bucket name that is not an IP address');
  if (name.startsWith('goog')) problems.push('a GCS bucket name not starting with "goog" (Cloud Storage reserves it)');
  if (resemblesGoogle(name)) problems.push('a GCS bucket name without "google" or a close misspelling such as "g00gle" (Cloud Storage reserves them)');
  return problems;
}

/** Why S3 would refuse a general purpose bucket name, each completing "expected ..."; empty when it takes it. */
export function s3BucketNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (!/^[a-z0-9.-]*$/.test(name)) problems.push('an S3 bucket name of lowercase letters, digits, dots and hyphens only (no capitals or underscores)');
  if (name.length < 3 || name.length > 63) problems.push('an S3 bucket name of 3 to 63 characters');
  if (!LETTER_OR_DIGIT_AT_ENDS.test(name)) problems.push('an S3 bucket name that starts and ends with a letter or digit');
  if (name.includes('..')) problems.push('an S3 bucket name without two adjacent periods');
  if (IP_ADDRESS.test(name)) problems.push('an S3 bucket name not formatted as an IP address');
  const prefix = ['xn--', 'sthree-', 'amzn-s3-demo-'].find((p) => name.startsWith(p));
  if (prefix) problems.push(`an S3 bucket name not starting with ${prefix} (S3 reserves xn--, sthree- and amzn-s3-demo-)`);
  const suffix = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'].find((p) => name.endsWith(p));
  if (suffix) problems.push(`an S3 bucket name not ending with ${suffix} (S3 reserves -s3alias, --ol-s3, .mrap, --x-s3 and --table-s3)`);
  return problems;
}

/** Remote state settings, as in the config file's `state` section. */
export interface StateSettings {
  /** State in a GCS bucket, used by GCP stacks. @default - local state */
  readonly gcs?: {
    /** An existing bucket. */
    readonly bucket: string;
    /** Each stack's state is under `<prefix>/<stack id>`. */
    readonly prefix: string;
  };
  /** State in an S3 bucket, used by AWS stacks. @default - local state */
  readonly s3?: {
    /** An existing bucket. */
    readonly bucket: string;
    /** The bucket's region. */
    readonly region: string;
    /** Each stack's state is the object `<keyPrefix>/<stack id>.tfstate`. */
    readonly keyPrefix: string;
  };
}

/**
 * Points a stack's state at its cloud's bucket when one is configured, else at a local file in the project
 * root. The local path is relative to the stack's working directory (`cdktf.out/stacks/<stack>`), so state
 * survives moving the checkout and synthesized JSON holds no machine paths.
 */
export function configureState(stack: TerraformStack, stackId: string, cloud: 'gcp' | 'aws', state: StateSettings): void {
  // A name the cloud refuses would only fail at `terraform init`, after synth.
  const problems = new ProblemCollector('state.');
  if (cloud === 'gcp' && state.gcs) gcsBucketNameProblems(state.gcs.bucket).forEach((p) => problems.check(false, 'gcs.bucket', state.gcs!.bucket, p));
  if (cloud === 'aws' && state.s3) {
    s3BucketNameProblems(state.s3.bucket).forEach((p) => problems.check(false, 's3.bucket', state.s3!.bucket, p));
    // A region off the kept list (lib/catalog) gets a synth warning; the config file takes one only with allowUnlisted.
    checkRules(problems, { 's3.region': [state.s3.region, RULES.awsRegion] }, stack);
  }
  problems.throwIfAny(`The state settings of stack "${stackId}"`);
  if (cloud === 'gcp' && state.gcs) {
    new GcsBackend(stack, { bucket: state.gcs.bucket, prefix: `${state.gcs.prefix}/${stackId}` });
  } else if (cloud === 'aws' && state.s3) {
    const backend = new S3Backend(stack, {
      bucket: state.s3.bucket,
      key: `${state.s3.keyPrefix}/${stackId}.tfstate`,
      region: state.s3.region,
      encrypt: true,
    });
    // S3-native locking (Terraform >= 1.10); cdktf 0.21's typed config predates the option.
    backend.addOverride('use_lockfile', true);
  } else {
    new LocalBackend(stack, { path: `../../../terraform.${stackId}.tfstate` });
  }
}
