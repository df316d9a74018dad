import { createHash } from 'crypto';

/**
 * Fits a resource name into an AWS length limit. A name that fits is returned as is; a longer one keeps its
 * start and ends in a 6-character hash of the whole name, so it stays unique and the same on every synth
 * (names are API: a changed name replaces the resource).
 */
export function fitName(name: string, maxLength: number): string {
  if (name.length <= maxLength) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 6);
  const head = name.slice(0, maxLength - hash.length - 1).replace(/-+$/, '');
  return `${head}-${hash}`;
}

/** The ARN partition of a region (`aws`, `aws-us-gov`, `aws-cn`). */
export function partitionOf(region: string): string {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}

/** One IAM policy statement. */
export interface PolicyStatement {
  /** @default - no statement id */
  readonly Sid?: string;
  /** Whether the statement allows or denies. */
  readonly Effect: 'Allow' | 'Deny';
  /** The actions (`s3:GetObject`). */
  readonly Action: string | readonly string[];
  /** @default - none: a resource policy's statement, where the resource is implied */
  readonly Resource?: string | readonly string[];
  /** @default - none: an identity policy's statement */
  readonly Principal?: Record<string, unknown>;
  /** @default - unconditional */
  readonly Condition?: Record<string, unknown>;
}

/**
 * An IAM policy document as JSON. Written locally (no `aws_iam_policy_document` data source), so plan needs
 * no AWS call; statements may hold tokens, which Terraform fills in.
 */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** CPU architecture of the instances. */
export type Architecture = 'x86_64' | 'arm64';

/** Every `Architecture`. */
export const ARCHITECTURES: readonly Architecture[] = ['x86_64', 'arm64'];

/**
 * The CPU architecture of an EC2 instance type: Graviton families carry a `g` right after the generation
 * (`t4g`, `m7g`, `c7gn`, `r8gd`, `im4gn`) and `a1` is the first Graviton; every other family is x86_64.
 * GPU families such as `g4dn` and `g6` start with `g` and stay x86_64.
 */
export function instanceArchitecture(instanceType: string): Architecture {
  const family = instanceType.split('.')[0];
  const m = /^([a-z]+)([0-9]+)([a-z-]*)$/.exec(family);
  if (!m) return 'x86_64';
  const [, series, generation, suffix] = m;
  if (series === 'a' && generation === '1') return 'arm64';
  return suffix.startsWith('g') ? 'arm64' : 'x86_64';
}

/** The public SSM parameter of the latest Amazon Linux 2023 image for an architecture. */
export function al2023ImageParameter(architecture: Architecture): string {
  return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}`;
}

/** Route 53 hosted zone ids: `Z` and up to 31 more uppercase letters and digits. */
export const HOSTED_ZONE_ID = /^Z[A-Z0-9]{4,31}$/;

/** A VPC id: `vpc-` and 8 or 17 hexadecimal digits. */
export const VPC_ID = /^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** A subnet id: `subnet-` and 8 or 17 hexadecimal digits. */
export const SUBNET_ID = /^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** CloudFront's fixed hosted zone id, the target zone of every alias record to a distribution. */
export const CLOUDFRONT_ZONE_ID = 'Z2FDTNDATAQYW2';

/**
 * How instances in the private subnets reach AWS services and the internet.
 * - `nat-gateway`: one NAT gateway in the first zone. About $33/month plus $0.045/GB processed (us-east-1);
 *   the servers reach the whole internet (mail, push services, third-party APIs).
 * - `vpc-endpoints`: no internet at all; interface endpoints for ECR (api, dkr), Secrets Manager, CloudWatch
 *   Logs, SSM (ssm, ssmmessages, ec2messages) and Auto Scaling (the liveness and rotation watches) in every zone,
 *   and a free S3 gateway endpoint (image layers and the Amazon Linux package repositories). About $7.30/month per
 *   endpoint per zone: ~$117/month over two zones, plus $0.01/GB. Costs more than a NAT gateway at small scale;
 *   choose it to keep servers offline.
 */
export type EgressMode = 'nat-gateway' | 'vpc-endpoints';

/** Every `EgressMode`. */
export const EGRESS_MODES: readonly EgressMode[] = ['nat-gateway', 'vpc-endpoints'];

/** Where the web port (`app.`) is served from. */
export type WebVia = 'load-balancer' | 'cloudfront';

/** Every `WebVia`. */
export const WEB_VIA: readonly WebVia[] = ['load-balancer', 'cloudfront'];

/**
 * Name of the AWS-managed prefix list of CloudFront's origin-facing servers (IPv4). It weighs 55 rules against a
 * security group's quota (60 inbound by default), whatever its current size.
 */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = 'com.amazonaws.global.cloudfront.origin-facing';

/**
 * The id of `com.amazonaws.global.cloudfront.origin-facing` in each region where it is known. AWS-managed prefix
 * list ids are fixed per region, so they are written here: looking the list up by name (the
 * `aws_ec2_managed_prefix_list` data source) would be an AWS call at plan, or a read deferred to apply. Check one
 * with `aws ec2 describe-managed-prefix-lists --region <region> --filters Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing`.
 */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST_IDS: Readonly<Record<string, string>> = {
  'ap-northeast-1': 'pl-58a04531',
  'ap-northeast-2': 'pl-22a6434b',
  'ap-south-1': 'pl-9aa247f3',
  'ap-southeast-1': 'pl-31a34658',
  'ap-southeast-2': 'pl-b8a742d1',
  'ca-central-1': 'pl-38a64351',
  'eu-central-1': 'pl-a3a144ca',
  'eu-north-1': 'pl-fab65393',
  'eu-west-1': 'pl-4fa04526',
  'eu-west-2': 'pl-93a247fa',
  'eu-west-3': 'pl-75b1541c',
  'sa-east-1': 'pl-5da64334',
  'us-east-1': 'pl-3b927c52',
  'us-east-2': 'pl-b6a144df',
  'us-west-1': 'pl-4ea04527',
  'us-west-2': 'pl-82a045eb',
};

/** The built-in id of CloudFront's origin-facing prefix list in a region, if there is one. */
export function cloudFrontOriginFacingPrefixListId(region: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST_IDS, region) ? CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST_IDS[region] : undefined;
}

/** A managed prefix list id (`pl-` and 8 or 17 hex digits). */
export const PREFIX_LIST_ID = /^pl-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** Ports CloudFront connects to on a custom origin: 80, 443, or 1024 to 65535. */
export function isCloudFrontOriginPort(port: number): boolean {
  return Number.isInteger(port) && (port === 80 || port === 443 || (port >= 1024 && port <= 65535));
}
