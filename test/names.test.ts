import { StackJson, synthBundled } from './helpers/synth';

// The longest config the schema accepts (a 20-character project, a long domain, staging, every optional part),
// synthesized on every stack: each resource name must fit its cloud's rule, or the first apply fails.

const LONGEST = `
project: abcdefghijklmnopqrst
domain: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.dddddddddddddddddddddddddddddddddddddddd.com
environments: [production, staging]
redis: true
storage: true
webOnTopDomain: true
github: { repository: some-org/some-repo }
stacks:
  cluster-gcp: { project: abcdefghijklmnopqrstuvwxyz1234 }
  cluster-aws: {}
  serverless-gcp: { project: abcdefghijklmnopqrstuvwxyz1234 }
`;

const GCE = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** [resource type, name attribute, rule, the rule in words], from each API's reference. */
const RULES: [string, string, (v: string) => boolean, string][] = [
  ['google_redis_instance', 'name', (v) => /^[a-z][-a-z0-9]{0,38}[a-z0-9]$/.test(v), 'at most 40 characters'],
  ['google_service_account', 'account_id', (v) => /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/.test(v), '6 to 30 characters'],
  ['google_sql_database_instance', 'name', (v) => /^[a-z][-a-z0-9]{0,96}[a-z0-9]$/.test(v), 'at most 98 characters'],
  ['google_compute_instance_template', 'name_prefix', (v) => /^[a-z][-a-z0-9]{0,36}$/.test(v), 'at most 37 characters (a prefix)'],
  ['google_compute_region_instance_group_manager', 'name', (v) => GCE.test(v), 'a Compute Engine name'],
  ['google_compute_backend_service', 'name', (v) => GCE.test(v), 'a Compute Engine name'],
  ['google_compute_network', 'name', (v) => GCE.test(v), 'a Compute Engine name'],
  ['google_compute_subnetwork', 'name', (v) => GCE.test(v), 'a Compute Engine name'],
  ['google_compute_global_address', 'name', (v) => GCE.test(v), 'a Compute Engine name'],
  ['google_compute_health_check', 'name', (v) => GCE.test(v), 'a Compute Engine name'],
  ['google_compute_url_map', 'name', (v) => GCE.test(v), 'a Compute Engine name'],
  ['google_storage_bucket', 'name', (v) => /^[a-z0-9][-a-z0-9_.]{1,220}[a-z0-9]$/.test(v) && v.split('.').every((p) => p.length <= 63), 'a bucket name'],
  ['google_cloud_run_v2_service', 'name', (v) => /^[a-z][-a-z0-9]{0,47}[a-z0-9]$/.test(v), 'at most 49 characters'],
  ['google_cloud_run_v2_job', 'name', (v) => /^[a-z][-a-z0-9]{0,61}[a-z0-9]$/.test(v), 'at most 63 characters'],
  ['google_secret_manager_secret', 'secret_id', (v) => /^[A-Za-z0-9_-]{1,255}$/.test(v), 'at most 255 characters'],
  ['google_iam_workload_identity_pool', 'workload_identity_pool_id', (v) => /^[a-z][-a-z0-9]{2,30}[a-z0-9]$/.test(v), '4 to 32 characters'],
  ['google_project_iam_custom_role', 'role_id', (v) => /^[a-zA-Z0-9_.]{3,64}$/.test(v), '3 to 64 letters, digits, _ and .'],
  ['aws_lb', 'name', (v) => /^[A-Za-z0-9][-A-Za-z0-9]{0,30}[A-Za-z0-9]$/.test(v), 'at most 32 characters'],
  ['aws_lb_target_group', 'name', (v) => /^[A-Za-z0-9][-A-Za-z0-9]{0,30}[A-Za-z0-9]$/.test(v), 'at most 32 characters'],
  ['aws_db_instance', 'identifier', (v) => /^[a-z][-a-z0-9]{0,62}$/.test(v) && !v.includes('--') && !v.endsWith('-'), 'at most 63 characters'],
  ['aws_elasticache_replication_group', 'replication_group_id', (v) => /^[a-z][-a-z0-9]{0,39}$/.test(v) && !v.includes('--') && !v.endsWith('-'), 'at most 40 characters'],
  // Terraform appends 26 characters to a bucket_prefix; S3 takes 63.
  ['aws_s3_bucket', 'bucket_prefix', (v) => /^[a-z0-9][-a-z0-9.]{0,36}$/.test(v), 'a prefix of at most 37 characters'],
  ['aws_iam_role', 'name', (v) => /^[\w+=,.@-]{1,64}$/.test(v), 'at most 64 characters'],
  ['aws_iam_user', 'name', (v) => /^[\w+=,.@-]{1,64}$/.test(v), 'at most 64 characters'],
  ['aws_security_group', 'name', (v) => v.length <= 255 && !v.startsWith('sg-'), 'at most 255 characters, not sg-'],
  ['aws_launch_template', 'name', (v) => /^[a-zA-Z0-9().\/_-]{3,128}$/.test(v), '3 to 128 characters'],
  ['aws_cloudfront_origin_access_control', 'name', (v) => v.length <= 64, 'at most 64 characters'],
  ['google_artifact_registry_repository', 'repository_id', (v) => GCE.test(v), 'a Compute Engine name'],
  ['google_compute_backend_bucket', 'name', (v) => GCE.test(v), 'a Compute Engine name'],
  ['google_compute_firewall', 'name', (v) => GCE.test(v), 'a Compute Engine name'],
  ['google_compute_global_forwarding_rule', 'name', (v) => GCE.test(v), 'a Compute Engine name'],
  ['google_compute_region_autoscaler', 'name', (v) => GCE.test(v), 'a Compute Engine name'],
  // Instances are named <base>-<4 characters>: the base takes at most 58.
  ['google_compute_region_instance_group_manager', 'base_instance_name', (v) => /^[a-z][-a-z0-9]{0,57}$/.test(v), 'at most 58 characters'],
  ['google_compute_router', 'name', (v) => GCE.test(v), 'a Compute Engine name'],
  ['google_compute_router_nat', 'name', (v) => GCE.test(v), 'a Compute Engine name'],
  ['google_compute_ssl_policy', 'name', (v) => GCE.test(v), 'a Compute Engine name'],
  ['google_compute_target_http_proxy', 'name', (v) => GCE.test(v), 'a Compute Engine name'],
  ['google_compute_target_https_proxy', 'name', (v) => GCE.test(v), 'a Compute Engine name'],
  ['google_compute_managed_ssl_certificate', 'name', (v) => GCE.test(v), 'a Compute Engine name'],
  ['google_compute_region_network_endpoint_group', 'name', (v) => GCE.test(v), 'a Compute Engine name'],
  ['google_dns_managed_zone', 'name', (v) => /^[a-z][-a-z0-9]{0,62}$/.test(v), 'at most 63 characters'],
  ['google_dns_managed_zone', 'dns_name', (v) => isHostName(v.replace(/\.$/, '')), 'a DNS name of at most 253 characters'],
  ['google_dns_record_set', 'name', (v) => isHostName(v.replace(/\.$/, '')), 'a DNS name of at most 253 characters'],
  ['google_sql_database', 'name', (v) => /^[a-z][a-z0-9_]{0,62}$/.test(v), 'a PostgreSQL name of at most 63 characters'],
  ['google_sql_user', 'name', (v) => /^[a-z][a-z0-9_]{0,62}$/.test(v), 'a PostgreSQL name of at most 63 characters'],
  ['google_cloud_scheduler_job', 'name', (v) => /^[A-Za-z0-9_-]{1,500}$/.test(v), 'at most 500 letters, digits, _ and -'],
  ['aws_autoscaling_group', 'name', (v) => v.length >= 1 && v.length <= 255, 'at most 255 characters'],
  ['aws_autoscaling_policy', 'name', (v) => v.length >= 1 && v.length <= 255, 'at most 255 characters'],
  ['aws_cloudwatch_log_group', 'name', (v) => /^[-._/#A-Za-z0-9]{1,512}$/.test(v), 'at most 512 characters of . - _ / # and letters, digits'],
  ['aws_db_subnet_group', 'name', (v) => /^[a-z0-9._ -]{1,255}$/.test(v) && v !== 'default', 'at most 255 lowercase characters'],
  ['aws_db_parameter_group', 'name', (v) => /^[a-z][-a-z0-9]{0,254}$/.test(v) && !v.includes('--') && !v.endsWith('-'), 'at most 255 characters'],
  ['aws_ecr_repository', 'name', (v) => v.length >= 2 && v.length <= 256 && /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(v), 'an ECR repository name'],
  ['aws_iam_instance_profile', 'name', (v) => /^[\w+=,.@-]{1,128}$/.test(v), 'at most 128 characters'],
  ['aws_iam_role_policy', 'name', (v) => /^[\w+=,.@-]{1,128}$/.test(v), 'at most 128 characters'],
  ['aws_iam_user_policy', 'name', (v) => /^[\w+=,.@-]{1,128}$/.test(v), 'at most 128 characters'],
  ['aws_secretsmanager_secret', 'name', (v) => /^[A-Za-z0-9/_+=.@-]{1,512}$/.test(v), 'at most 512 characters'],
  ['aws_secretsmanager_secret', 'name_prefix', (v) => /^[A-Za-z0-9/_+=.@-]{1,486}$/.test(v), 'a prefix of at most 486 characters'],
  ['aws_route53_record', 'name', (v) => isHostName(v), 'a DNS name of at most 253 characters'],
  ['aws_route53_zone', 'name', (v) => isHostName(v), 'a DNS name of at most 253 characters'],
  ['aws_acm_certificate', 'domain_name', (v) => isHostName(v), 'a DNS name of at most 253 characters'],
  ['aws_elasticache_subnet_group', 'name', (v) => /^[a-z][-a-z0-9]{0,254}$/.test(v), 'at most 255 lowercase letters, digits and hyphens'],
  ['google_iam_workload_identity_pool_provider', 'workload_identity_pool_provider_id', (v) => /^[a-z0-9][-a-z0-9]{2,31}$/.test(v) && !v.startsWith('gcp-'), '4 to 32 characters, not gcp-'],
];

/** At most 253 characters, labels of 1 to 63. */
function isHostName(v: string): boolean {
  return v.length <= 253 && v.split('.').every((label) => label.length >= 1 && label.length <= 63);
}

/** Attributes that name a resource (the cloud checks their length and characters). */
const NAME_ATTRIBUTE = /^(name|name_prefix|bucket|bucket_prefix|identifier|account_id|secret_id|repository_id|role_id|workload_identity_pool_id|replication_group_id|workload_identity_pool_provider_id|base_instance_name|dns_name|domain_name)$/;

/** Attributes that hold the name of another resource (a grant's bucket, a version's secret), checked where that resource is. */
function namesAnother(type: string, attribute: string): boolean {
  return /_iam_member$|_secret_version$|^aws_s3_bucket_/.test(type) || (type === 'google_iam_workload_identity_pool_provider' && attribute === 'workload_identity_pool_id');
}

describe('the longest valid config, on every stack', () => {
  let stacks: Record<string, StackJson>;
  beforeAll(() => {
    stacks = synthBundled(LONGEST).stacks;
  });

  it('synthesizes all three stacks', () => {
    expect(Object.keys(stacks).sort()).toEqual(['cluster-aws', 'cluster-gcp', 'serverless-gcp']);
  });

  it('every name-like attribute of every resource type has a rule above', () => {
    const covered = new Set(RULES.map(([type, attribute]) => `${type}.${attribute}`));
    const unruled = new Set<string>();
    for (const json of Object.values(stacks)) {
      for (const [type, bodies] of Object.entries(json.resource ?? {})) {
        for (const body of Object.values(bodies as Record<string, Record<string, unknown>>)) {
          for (const [attribute, value] of Object.entries(body)) {
            if (NAME_ATTRIBUTE.test(attribute) && typeof value === 'string' && !namesAnother(type, attribute) && !covered.has(`${type}.${attribute}`)) unruled.add(`${type}.${attribute}`);
          }
        }
      }
    }
    expect([...unruled].sort()).toEqual([]);
  });

  it.each(RULES.map((r) => [`${r[0]}.${r[1]}`, ...r] as const))('%s fits its rule', (_label, type, attribute, ok, rule) => {
    const names = Object.values(stacks).flatMap((json) => Object.values<Record<string, unknown>>(json.resource?.[type] ?? {}).map((body) => body[attribute]));
    const literal = names.filter((n): n is string => typeof n === 'string' && !n.includes('${'));
    expect(literal.length).toBeGreaterThan(0);
    expect([rule, literal.filter((n) => !ok(n))]).toEqual([rule, []]);
  });
});
