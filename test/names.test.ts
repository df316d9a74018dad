import { StackJson, synthBundled } from './helpers/synth';

// The longest config the schema accepts (a 20-character project, a long domain, staging, every optional part),
// synthesized on every stack: each resource name must fit its cloud's rule, or the first apply fails.

const LONGEST = `
project: abcdefghijklmnopqrst
domain: a-very-long-subdomain-name-for-testing.example-company-domain.com
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
];

describe('the longest valid config, on every stack', () => {
  let stacks: Record<string, StackJson>;
  beforeAll(() => {
    stacks = synthBundled(LONGEST).stacks;
  });

  it('synthesizes all three stacks', () => {
    expect(Object.keys(stacks).sort()).toEqual(['cluster-aws', 'cluster-gcp', 'serverless-gcp']);
  });

  it.each(RULES.map((r) => [`${r[0]}.${r[1]}`, ...r] as const))('%s fits its rule', (_label, type, attribute, ok, rule) => {
    const names = Object.values(stacks).flatMap((json) => Object.values<Record<string, unknown>>(json.resource?.[type] ?? {}).map((body) => body[attribute]));
    const literal = names.filter((n): n is string => typeof n === 'string' && !n.includes('${'));
    expect(literal.length).toBeGreaterThan(0);
    expect([rule, literal.filter((n) => !ok(n))]).toEqual([rule, []]);
  });
});
