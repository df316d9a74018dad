import { parse } from 'yaml';

/**
 * Expected usage, for the items a stack cannot say (storage, requests, egress, load-balancer capacity): read from a
 * YAML or JSON file, `cdktf-serverpod cost --usage <file>`. Each entry is a mapping of usage keys (see
 * `COST_USAGE_KEYS`) to monthly amounts.
 *
 * ```yaml
 * defaults:                       # every resource of a type
 *   google_storage_bucket: { storage_gb: 20 }
 * resources:                      # by address or construct path; * matches any run of characters
 *   "google_cloud_run_v2_service.*production*": { requests: 5000000 }
 *   cluster-aws/Default/production/LoadBalancer/Resource: { lcus: 2, egress_gb: 50 }
 * ```
 */
export interface CostUsage {
  /**
   * Usage of every resource of a type, by Terraform type.
   * @default - none
   */
  readonly defaults?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /**
   * Usage of the resources an address (`type.name`), a construct path (`cluster-gcp/cluster/production/...`) or a
   * pattern of either (`*` for any run of characters) names; a later entry overrides an earlier one and `defaults`.
   * @default - none
   */
  readonly resources?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** The usage keys each resource type takes, with what the amount is (per month). */
export const COST_USAGE_KEYS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  google_compute_url_map: { data_processed_gb: 'GiB processed by the load balancer', egress_gb: 'GiB sent to the internet through it (Premium Tier)' },
  google_compute_backend_service: { cdn_egress_gb: 'GiB served from the Cloud CDN cache', cdn_lookups: 'cache lookups (requests)' },
  google_compute_backend_bucket: { cdn_egress_gb: 'GiB served from the Cloud CDN cache', cdn_lookups: 'cache lookups (requests)' },
  google_compute_router_nat: { data_processed_gb: 'GiB through the NAT gateway' },
  google_compute_subnetwork: { flow_logs_gb: 'GiB of VPC flow logs ingested into Cloud Logging' },
  google_sql_database_instance: { additional_storage_gb: 'GB the disk grows beyond its provisioned size', backup_storage_gb: 'GB of backups' },
  google_storage_bucket: { storage_gb: 'GB stored, noncurrent versions included' },
  google_artifact_registry_repository: { storage_gb: 'GB of images' },
  google_dns_managed_zone: { queries: 'DNS queries' },
  google_cloud_run_v2_service: { requests: 'requests', egress_gb: 'GiB sent to the internet directly (not through a load balancer)' },
  google_cloud_run_v2_job: { executions: 'runs (default: from the Cloud Scheduler jobs that run it)', seconds_per_execution: 'seconds a run takes, on average' },
  aws_autoscaling_group: { cpu_credit_vcpu_hours: 'surplus CPU-credit vCPU-hours of the group (T instances in unlimited mode)' },
  aws_instance: { cpu_credit_vcpu_hours: 'surplus CPU-credit vCPU-hours (T instances in unlimited mode)' },
  aws_lb: { lcus: 'average load balancer capacity units an hour', egress_gb: 'GB sent to the internet through it' },
  aws_nat_gateway: { data_processed_gb: 'GB through the NAT gateway' },
  aws_db_instance: { additional_storage_gb: 'GB storage autoscaling adds beyond allocated_storage', backup_storage_gb: 'GB of backups beyond the database size' },
  aws_s3_bucket: { storage_gb: 'GB stored in S3 Standard' },
  aws_cloudfront_distribution: { egress_gb: 'GB sent to viewers', requests: 'HTTPS requests' },
  aws_route53_zone: { queries: 'DNS queries (alias queries to AWS resources are free)' },
  aws_secretsmanager_secret: { api_calls: 'API calls (reads of the secret)' },
  aws_ecr_repository: { storage_gb: 'GB of images' },
  aws_cloudwatch_log_group: { ingested_gb: 'GB of logs ingested', stored_gb: 'GB of logs kept (compressed)' },
  aws_vpc_endpoint: { data_processed_gb: 'GB through the interface endpoint' },
  aws_kms_key: { requests: 'KMS requests' },
};

/** A problem of a usage file, worded as `<where>: <what>`. */
export class CostUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CostUsageError';
  }
}

/** Reads a usage file's text (YAML, or JSON, which is YAML too). `source` names it in errors. */
export function parseCostUsage(text: string, source = 'usage file'): CostUsage {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new CostUsageError(`${source}: not YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new CostUsageError(`${source}: expected a mapping with defaults and/or resources`);
  const problems: string[] = [];
  const unknownTop = Object.keys(raw).filter((k) => k !== 'defaults' && k !== 'resources');
  if (unknownTop.length > 0) problems.push(`${unknownTop.join(', ')}: not a section (defaults, resources)`);
  const section = (name: 'defaults' | 'resources'): Record<string, Record<string, number>> | undefined => {
    const value = (raw as Record<string, unknown>)[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`${name}: expected a mapping`);
      return undefined;
    }
    const out: Record<string, Record<string, number>> = {};
    for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
        problems.push(`${name}.${key}: expected a mapping of usage keys to numbers`);
        continue;
      }
      const amounts: Record<string, number> = {};
      for (const [usageKey, amount] of Object.entries(entry as Record<string, unknown>)) {
        if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) problems.push(`${name}.${key}.${usageKey}: expected a number of at least 0, got ${JSON.stringify(amount)}`);
        else amounts[usageKey] = amount;
      }
      if (name === 'defaults') {
        const keys = COST_USAGE_KEYS[key];
        if (!keys) problems.push(`defaults.${key}: no usage keys for this resource type (types with usage: ${Object.keys(COST_USAGE_KEYS).join(', ')})`);
        else for (const usageKey of Object.keys(amounts)) if (!(usageKey in keys)) problems.push(`defaults.${key}.${usageKey}: not a usage key of ${key} (${Object.keys(keys).join(', ')})`);
      }
      out[key] = amounts;
    }
    return out;
  };
  const defaults = section('defaults');
  const resources = section('resources');
  if (problems.length > 0) throw new CostUsageError(`${source}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n  - ${problems.join('\n  - ')}`}`);
  return { ...(defaults ? { defaults } : {}), ...(resources ? { resources } : {}) };
}

function patternOf(key: string): RegExp {
  return new RegExp(`^${key.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** What the usage file says of one resource: its type's defaults, then every matching `resources` entry in order. */
export function usageOf(usage: CostUsage | undefined, resource: { readonly type: string; readonly address: string; readonly path: string }, stack: string): Readonly<Record<string, number>> {
  if (!usage) return {};
  const out: Record<string, number> = { ...(usage.defaults?.[resource.type] ?? {}) };
  for (const [key, amounts] of Object.entries(usage.resources ?? {})) {
    if (matchesResource(key, resource, stack)) Object.assign(out, amounts);
  }
  return out;
}

/** Whether a `resources` key names the resource: its address, `<stack>/<address>`, or its construct path, `*` a wildcard. */
export function matchesResource(key: string, resource: { readonly address: string; readonly path: string }, stack: string): boolean {
  const pattern = patternOf(key);
  return pattern.test(resource.address) || pattern.test(`${stack}/${resource.address}`) || (resource.path !== '' && pattern.test(resource.path));
}
