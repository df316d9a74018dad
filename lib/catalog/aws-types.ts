// EC2 instance types, RDS for PostgreSQL instance classes and ElastiCache node types, by family, so a misspelt
// type is a config error instead of a failed apply. Data only, no provider imports (the config schema uses it).
// A type newer than these lists passes with `allowUnlisted: true` (docs/config.md).

/** Where the EC2 families come from and when the list was last compared with it. */
export const EC2_SOURCE = {
  url: 'https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-types.html',
  // The EC2 API's InstanceType values, of which these are the families.
  alsoUrl: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RunInstances.html',
  checked: '2026-11-29',
} as const;

/** Burstable families: the only ones with nano, micro and small sizes, and none above 2xlarge. */
const EC2_BURSTABLE = ['t2', 't3', 't3a', 't4g'] as const;

/**
 * EC2 instance families an Auto Scaling group can launch: the current generation and the later previous ones (c4, m4,
 * r4, ...), which AWS still launches where they remain. Left out: the Mac families (Dedicated Hosts only) and the
 * first generations (c1, c3, m1 to m3, r3, t1, i2, g2, g3, p2, ...), long superseded and missing from most regions.
 */
export const EC2_FAMILIES: ReadonlySet<string> = new Set([
  ...EC2_BURSTABLE,
  // General purpose.
  'a1', 'm4', 'm5', 'm5a', 'm5ad', 'm5d', 'm5dn', 'm5n', 'm5zn', 'm6a', 'm6g', 'm6gd', 'm6i', 'm6id', 'm6idn', 'm6in',
  'm7a', 'm7g', 'm7gd', 'm7i', 'm7i-flex', 'm8a', 'm8azn', 'm8g', 'm8gb', 'm8gd', 'm8gn', 'm8i', 'm8i-flex', 'm8id',
  // Compute optimized.
  'c4', 'c5', 'c5a', 'c5ad', 'c5d', 'c5n', 'c6a', 'c6g', 'c6gd', 'c6gn', 'c6i', 'c6id', 'c6in', 'c7a', 'c7g', 'c7gd',
  'c7gn', 'c7i', 'c7i-flex', 'c8a', 'c8g', 'c8gd', 'c8gn', 'c8i', 'c8i-flex', 'c8id',
  // Memory optimized.
  'r4', 'r5', 'r5a', 'r5ad', 'r5b', 'r5d', 'r5dn', 'r5n', 'r6a', 'r6g', 'r6gd', 'r6i', 'r6id', 'r6idn', 'r6in', 'r7a',
  'r7g', 'r7gd', 'r7i', 'r7iz', 'r8a', 'r8g', 'r8gb', 'r8gd', 'r8gn', 'r8i', 'r8i-flex', 'r8id', 'x1', 'x1e', 'x2gd',
  'x2idn', 'x2iedn', 'x2iezn', 'x8g', 'z1d',
  // Storage optimized.
  'd2', 'd3', 'd3en', 'h1', 'i3', 'i3en', 'i4g', 'i4i', 'i7i', 'i7ie', 'i8g', 'i8ge', 'im4gn', 'is4gen',
  // Accelerated computing and HPC.
  'dl1', 'dl2q', 'f1', 'f2', 'g4ad', 'g4dn', 'g5', 'g5g', 'g6', 'g6e', 'g6f', 'gr6', 'gr6f', 'hpc6a', 'hpc6id', 'hpc7a',
  'hpc7g', 'hpc8a', 'inf1', 'inf2', 'p3', 'p3dn', 'p4d', 'p4de', 'p5', 'p5e', 'p5en', 'p6-b200', 'p6-b300', 'trn1',
  'trn1n', 'trn2', 'vt1',
]);

/** Sizes of the burstable families. */
export const EC2_BURSTABLE_SIZE = /^(nano|micro|small|medium|large|xlarge|2xlarge)$/;
/** Sizes of every other family (`metal-48xl`: bare metal of that size). */
export const EC2_SIZE = /^(medium|large|xlarge|[1-9][0-9]*xlarge|metal|metal-[1-9][0-9]*xl)$/;

/** Whether an EC2 instance type is of a listed family, with a size that family has. */
export function isListedEc2Type(type: string): boolean {
  const dot = type.indexOf('.');
  const family = type.slice(0, dot);
  const size = type.slice(dot + 1);
  if (dot < 0 || !EC2_FAMILIES.has(family)) return false;
  return ((EC2_BURSTABLE as readonly string[]).includes(family) ? EC2_BURSTABLE_SIZE : EC2_SIZE).test(size);
}

/** Where the RDS classes come from and when the list was last compared with it. */
export const RDS_SOURCE = {
  url: 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Support.html',
  checked: '2026-11-29',
} as const;

/** Burstable RDS classes: micro to 2xlarge. */
const RDS_BURSTABLE = ['t3', 't4g'] as const;

/**
 * RDS instance class families (`db.<family>.<size>`) RDS for PostgreSQL 13 and later runs on (the database construct
 * takes 13 to 19). Not listed: db.t2, db.m4 and db.r4 (older PostgreSQL only), db.x1, db.x1e, db.z1d and the
 * db.x2i* classes (other engines), and db.c6gd (Multi-AZ DB clusters only, which these stacks do not create).
 */
export const RDS_FAMILIES: ReadonlySet<string> = new Set([
  ...RDS_BURSTABLE,
  'm5', 'm5d', 'm6g', 'm6gd', 'm6i', 'm6id', 'm6idn', 'm6in', 'm7g', 'm7i', 'm8g', 'm8gd',
  'r5', 'r5b', 'r5d', 'r6g', 'r6gd', 'r6i', 'r6id', 'r6idn', 'r6in', 'r7g', 'r7i', 'r8g', 'r8gd',
  'x2g',
]);

const RDS_BURSTABLE_SIZE = /^(micro|small|medium|large|xlarge|2xlarge)$/;
const RDS_SIZE = /^(large|xlarge|[1-9][0-9]*xlarge)$/;

/** Whether an RDS instance class is of a listed family, with a size that family has. */
export function isListedRdsClass(instanceClass: string): boolean {
  const m = /^db\.([a-z0-9-]+)\.([a-z0-9]+)$/.exec(instanceClass);
  if (!m || !RDS_FAMILIES.has(m[1])) return false;
  return ((RDS_BURSTABLE as readonly string[]).includes(m[1]) ? RDS_BURSTABLE_SIZE : RDS_SIZE).test(m[2]);
}

/** Where the ElastiCache node types come from and when the list was last compared with it. */
export const ELASTICACHE_SOURCE = {
  url: 'https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html',
  alsoUrl: 'https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CacheNode.html',
  checked: '2026-11-29',
} as const;

const CACHE_BURSTABLE = ['t2', 't3', 't4g'] as const;

/**
 * ElastiCache node type families (`cache.<family>.<size>`) new clusters can use. The previous generation (t1, m1 to
 * m3, c1, r3) is left out: ElastiCache no longer creates clusters of it.
 */
export const ELASTICACHE_FAMILIES: ReadonlySet<string> = new Set([
  ...CACHE_BURSTABLE,
  'm4', 'm5', 'm6g', 'm7g', 'm8g', 'r4', 'r5', 'r6g', 'r6gd', 'r7g', 'r8g', 'c7gn',
]);

const CACHE_BURSTABLE_SIZE = /^(micro|small|medium)$/;
const CACHE_SIZE = /^(large|xlarge|[1-9][0-9]*xlarge)$/;

/** Whether an ElastiCache node type is of a listed family, with a size that family has. */
export function isListedCacheNodeType(nodeType: string): boolean {
  const m = /^cache\.([a-z0-9-]+)\.([a-z0-9]+)$/.exec(nodeType);
  if (!m || !ELASTICACHE_FAMILIES.has(m[1])) return false;
  return ((CACHE_BURSTABLE as readonly string[]).includes(m[1]) ? CACHE_BURSTABLE_SIZE : CACHE_SIZE).test(m[2]);
}
