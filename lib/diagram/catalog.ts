import { block, blocks, isExpression } from '../guardrails/rule';
import { ModelResource } from '../model/stack-model';

/**
 * What the diagram makes of each Terraform resource type, per cloud, in the manner of inframap's per-provider
 * tables: the types drawn as boxes (with their kind and title), the networks drawn as groups, and the roles of the
 * types folded into them (supporting parts, identities, IAM grants, DNS records, firewall rules, generated values).
 * A type in no table is drawn as a plain box named by its type, never dropped.
 */

/** The kind of a box; it decides its shape, colour and where the layout puts it. */
export type DiagramNodeKind =
  | 'internet'
  | 'dns-zone'
  | 'certificate'
  | 'load-balancer'
  | 'cdn'
  | 'server-group'
  | 'service'
  | 'job'
  | 'scheduler'
  | 'database'
  | 'cache'
  | 'bucket'
  | 'secret'
  | 'registry'
  | 'ci'
  | 'resource';

/**
 * The role of a resource type in the diagram:
 * - `node`: drawn as a box;
 * - `network`: a VPC, drawn as a group around what is placed in it; `network-part` resources fold into it;
 * - `identity`: a service account, role or user, folded into what runs as it (its grants become that box's edges);
 * - `grant`: an IAM grant or policy, an edge from who holds it to what it is on;
 * - `dns-record`: folded into its zone, an edge from the zone to what the name points to;
 * - `firewall-rule`: an edge between the boxes its security groups protect;
 * - `value`: a generated value or key (random_password, an access key), folded where it is stored, no edge;
 * - `support`: folded into the box it serves;
 * - `stack`: serves the whole stack (an enabled project API), folded into no box.
 */
export type ResourceRole = 'node' | 'network' | 'network-part' | 'identity' | 'grant' | 'dns-record' | 'firewall-rule' | 'value' | 'support' | 'stack';

/** How one type is drawn when it is a box. */
export interface NodeSpec {
  readonly kind: DiagramNodeKind;
  /** The box's first line: the service (`Cloud SQL`); a function where it depends on the arguments. */
  readonly title: string | ((r: ModelResource) => string);
  /** The lines under the title: name, size, engine. */
  readonly lines?: (r: ModelResource) => readonly (string | undefined)[];
  /** Whether this resource of the type is a box at all (a redirect-only URL map is a part of the load balancer). */
  readonly when?: (r: ModelResource) => boolean;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && !isExpression(value) ? value : typeof value === 'number' ? String(value) : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined);
const range = (min: unknown, max: unknown, unit: string): string | undefined => {
  const lo = num(min);
  const hi = num(max);
  if (lo === undefined && hi === undefined) return undefined;
  return lo === hi || hi === undefined ? `${lo ?? 0} ${unit}` : `${lo ?? 0}–${hi} ${unit}`;
};
/** `POSTGRES_16` → `Postgres 16`; `MYSQL_8_0` → `MySQL 8.0`. */
function databaseVersion(version: unknown): string | undefined {
  const v = str(version);
  if (!v) return undefined;
  const m = /^(POSTGRES|MYSQL|SQLSERVER)_(.+)$/.exec(v);
  if (!m) return v;
  const engine = { POSTGRES: 'Postgres', MYSQL: 'MySQL', SQLSERVER: 'SQL Server' }[m[1] as 'POSTGRES'];
  return `${engine} ${m[2].replace(/_/g, '.')}`;
}
/** `postgres` + `16` → `Postgres 16`. */
function awsEngine(engine: unknown, version: unknown): string | undefined {
  const e = str(engine);
  if (!e) return undefined;
  const names: Record<string, string> = { postgres: 'Postgres', 'aurora-postgresql': 'Aurora Postgres', mysql: 'MySQL', 'aurora-mysql': 'Aurora MySQL', mariadb: 'MariaDB', redis: 'Redis', valkey: 'Valkey', memcached: 'Memcached' };
  return [names[e] ?? e, str(version)].filter(Boolean).join(' ');
}

/** The first container's port of a Cloud Run service or job. */
export function cloudRunPort(r: ModelResource): number | undefined {
  const template = block(r.config.template);
  const inner = block(template?.template) ?? template;
  for (const container of blocks(inner?.containers)) {
    const port = num(block(container.ports)?.container_port);
    if (port !== undefined) return port;
  }
  return undefined;
}

function cloudRunScaling(r: ModelResource): string | undefined {
  const scaling = block(block(r.config.template)?.scaling);
  return range(scaling?.min_instance_count, scaling?.max_instance_count, 'instances');
}

/** Types drawn as boxes. */
export const NODE_TYPES: Readonly<Record<string, NodeSpec>> = {
  // Google Cloud
  google_compute_region_instance_group_manager: {
    kind: 'server-group',
    title: 'Managed instance group',
    lines: (r) => [str(r.config.base_instance_name) ?? str(r.config.name), str(r.config.region)],
  },
  google_compute_instance_group_manager: { kind: 'server-group', title: 'Managed instance group', lines: (r) => [str(r.config.name), str(r.config.zone)] },
  google_compute_instance: { kind: 'server-group', title: 'Compute Engine VM', lines: (r) => [str(r.config.name), str(r.config.machine_type)] },
  google_cloud_run_v2_service: {
    kind: 'service',
    title: 'Cloud Run service',
    lines: (r) => [str(r.config.name), [cloudRunPort(r) !== undefined ? `:${cloudRunPort(r)}` : undefined, cloudRunScaling(r)].filter(Boolean).join(' · ') || undefined],
  },
  google_cloud_run_service: { kind: 'service', title: 'Cloud Run service', lines: (r) => [str(r.config.name)] },
  google_cloud_run_v2_job: { kind: 'job', title: 'Cloud Run job', lines: (r) => [str(r.config.name)] },
  google_cloudfunctions2_function: { kind: 'service', title: 'Cloud Function', lines: (r) => [str(r.config.name)] },
  google_cloud_scheduler_job: { kind: 'scheduler', title: 'Cloud Scheduler', lines: (r) => [str(r.config.name), str(r.config.schedule)] },
  google_sql_database_instance: {
    kind: 'database',
    title: (r) => ['Cloud SQL', databaseVersion(r.config.database_version)].filter(Boolean).join(' '),
    lines: (r) => {
      const settings = block(r.config.settings);
      return [str(r.config.name), [str(settings?.tier), settings?.availability_type === 'REGIONAL' ? 'HA' : undefined].filter(Boolean).join(' · ') || undefined];
    },
  },
  google_redis_instance: {
    kind: 'cache',
    title: 'Memorystore Redis',
    lines: (r) => [str(r.config.name), [str(r.config.tier), num(r.config.memory_size_gb) !== undefined ? `${r.config.memory_size_gb} GB` : undefined].filter(Boolean).join(' · ') || undefined],
  },
  google_storage_bucket: { kind: 'bucket', title: 'Cloud Storage bucket', lines: (r) => [str(r.config.name)] },
  google_secret_manager_secret: { kind: 'secret', title: 'Secret Manager', lines: (r) => [str(r.config.secret_id)] },
  google_artifact_registry_repository: { kind: 'registry', title: 'Artifact Registry', lines: (r) => [str(r.config.repository_id)] },
  google_compute_url_map: {
    kind: 'load-balancer',
    title: 'HTTPS load balancer',
    lines: (r) => [str(r.config.name)],
    // A map that only redirects (HTTP to HTTPS) is a part of the load balancer whose HTTPS map serves.
    when: (r) => !(r.config.default_url_redirect !== undefined && r.config.default_service === undefined && r.config.host_rule === undefined),
  },
  google_compute_region_url_map: { kind: 'load-balancer', title: 'Regional load balancer', lines: (r) => [str(r.config.name)] },
  google_compute_managed_ssl_certificate: { kind: 'certificate', title: 'Managed certificate', lines: (r) => blocks(r.config.managed).flatMap((m) => (Array.isArray(m.domains) ? m.domains.map((d) => str(d)?.replace(/\.$/, '')) : [])) },
  google_certificate_manager_certificate: { kind: 'certificate', title: 'Certificate Manager certificate', lines: (r) => [str(r.config.name)] },
  google_compute_ssl_certificate: { kind: 'certificate', title: 'SSL certificate', lines: (r) => [str(r.config.name)] },
  google_dns_managed_zone: { kind: 'dns-zone', title: (r) => (r.config.visibility === 'private' ? 'Cloud DNS private zone' : 'Cloud DNS zone'), lines: (r) => [str(r.config.dns_name)?.replace(/\.$/, '')] },
  google_iam_workload_identity_pool: { kind: 'ci', title: 'Workload identity pool', lines: (r) => [str(r.config.workload_identity_pool_id)] },
  // AWS
  aws_autoscaling_group: { kind: 'server-group', title: 'Auto Scaling group', lines: (r) => [str(r.config.name), range(r.config.min_size, r.config.max_size, 'instances')] },
  aws_instance: { kind: 'server-group', title: 'EC2 instance', lines: (r) => [str((r.config.tags as Record<string, unknown> | undefined)?.Name), str(r.config.instance_type)] },
  aws_ecs_service: { kind: 'service', title: 'ECS service', lines: (r) => [str(r.config.name)] },
  aws_lambda_function: { kind: 'service', title: 'Lambda function', lines: (r) => [str(r.config.function_name)] },
  aws_lb: {
    kind: 'load-balancer',
    title: (r) => ({ network: 'Network Load Balancer', gateway: 'Gateway Load Balancer' })[str(r.config.load_balancer_type) ?? ''] ?? 'Application Load Balancer',
    lines: (r) => [str(r.config.name), r.config.internal === true ? 'internal' : undefined],
  },
  aws_alb: { kind: 'load-balancer', title: 'Application Load Balancer', lines: (r) => [str(r.config.name)] },
  aws_cloudfront_distribution: { kind: 'cdn', title: 'CloudFront', lines: (r) => (Array.isArray(r.config.aliases) ? r.config.aliases.map(str) : [str(r.config.comment)]) },
  aws_db_instance: {
    kind: 'database',
    title: (r) => ['RDS', awsEngine(r.config.engine, r.config.engine_version)].filter(Boolean).join(' '),
    lines: (r) => [str(r.config.identifier) ?? str(r.config.identifier_prefix), [str(r.config.instance_class), r.config.multi_az === true ? 'Multi-AZ' : undefined].filter(Boolean).join(' · ') || undefined],
  },
  aws_rds_cluster: { kind: 'database', title: (r) => awsEngine(r.config.engine, r.config.engine_version) ?? 'RDS cluster', lines: (r) => [str(r.config.cluster_identifier)] },
  aws_elasticache_replication_group: {
    kind: 'cache',
    title: (r) => `ElastiCache ${awsEngine(r.config.engine ?? 'redis', undefined)}`,
    lines: (r) => [str(r.config.replication_group_id), [str(r.config.node_type), num(r.config.num_cache_clusters) !== undefined ? `× ${r.config.num_cache_clusters}` : undefined].filter(Boolean).join(' ') || undefined],
  },
  aws_elasticache_cluster: { kind: 'cache', title: (r) => `ElastiCache ${awsEngine(r.config.engine ?? 'redis', undefined)}`, lines: (r) => [str(r.config.cluster_id), str(r.config.node_type)] },
  aws_s3_bucket: { kind: 'bucket', title: 'S3 bucket', lines: (r) => [str(r.config.bucket) ?? (str(r.config.bucket_prefix) ? `${str(r.config.bucket_prefix)}…` : undefined)] },
  aws_secretsmanager_secret: { kind: 'secret', title: 'Secrets Manager', lines: (r) => [str(r.config.name) ?? (str(r.config.name_prefix) ? `${str(r.config.name_prefix)}…` : undefined)] },
  aws_ssm_parameter: { kind: 'secret', title: 'SSM parameter', lines: (r) => [str(r.config.name)] },
  aws_ecr_repository: { kind: 'registry', title: 'ECR repository', lines: (r) => [str(r.config.name)] },
  aws_acm_certificate: {
    kind: 'certificate',
    title: 'ACM certificate',
    lines: (r) => [str(r.config.domain_name), ...(Array.isArray(r.config.subject_alternative_names) ? r.config.subject_alternative_names.map(str) : [])],
  },
  aws_route53_zone: { kind: 'dns-zone', title: (r) => (r.config.vpc !== undefined ? 'Route 53 private zone' : 'Route 53 zone'), lines: (r) => [str(r.config.name)] },
  aws_iam_openid_connect_provider: {
    kind: 'ci',
    title: (r) => (String(r.config.url ?? '').includes('token.actions.githubusercontent.com') ? 'GitHub Actions' : 'OIDC provider'),
    lines: (r) => [String(r.config.url ?? '').includes('token.actions.githubusercontent.com') ? 'OIDC' : str(r.config.url)],
  },
  aws_cloudwatch_event_rule: { kind: 'scheduler', title: 'EventBridge rule', lines: (r) => [str(r.config.name), str(r.config.schedule_expression)] },
  aws_scheduler_schedule: { kind: 'scheduler', title: 'EventBridge Scheduler', lines: (r) => [str(r.config.name), str(r.config.schedule_expression)] },
};

/** Types that are networks, drawn as a group around the boxes placed in them. */
export const NETWORK_TYPES: ReadonlySet<string> = new Set(['google_compute_network', 'aws_vpc']);

/** Parts of a network, folded into its group. */
export const NETWORK_PART_TYPES: ReadonlySet<string> = new Set([
  'google_compute_subnetwork',
  'google_compute_router',
  'google_compute_router_nat',
  'google_compute_firewall',
  'google_service_networking_connection',
  'google_vpc_access_connector',
  'google_compute_network_peering',
  'aws_subnet',
  'aws_internet_gateway',
  'aws_egress_only_internet_gateway',
  'aws_nat_gateway',
  'aws_route_table',
  'aws_route',
  'aws_route_table_association',
  'aws_main_route_table_association',
  'aws_vpc_endpoint',
  'aws_network_acl',
  'aws_default_security_group',
  'aws_default_route_table',
  'aws_default_network_acl',
  'aws_vpc_ipv4_cidr_block_association',
  'aws_flow_log',
]);

/** Service accounts, roles and users: folded into what runs as them. */
export const IDENTITY_TYPES: ReadonlySet<string> = new Set(['google_service_account', 'aws_iam_role', 'aws_iam_user']);

/** IAM grants and policies attached to an identity (AWS) or to a resource (GCP `*_iam_member`...). */
export const GRANT_TYPES: ReadonlySet<string> = new Set([
  'aws_iam_role_policy',
  'aws_iam_user_policy',
  'aws_iam_role_policy_attachment',
  'aws_iam_user_policy_attachment',
  'aws_iam_policy_attachment',
  'aws_lambda_permission',
]);

/** DNS record types. */
export const DNS_RECORD_TYPES: ReadonlySet<string> = new Set(['google_dns_record_set', 'aws_route53_record']);

/** Security group rules: edges. */
export const FIREWALL_RULE_TYPES: ReadonlySet<string> = new Set(['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule', 'aws_security_group_rule']);

/** Generated values and keys: folded where they are stored, never an edge. */
export const VALUE_TYPES: ReadonlySet<string> = new Set(['google_storage_hmac_key', 'google_service_account_key', 'aws_iam_access_key', 'tls_private_key', 'time_rotating', 'time_static']);

/** Types that serve the whole stack (enabled APIs), folded into no box. */
export const STACK_TYPES: ReadonlySet<string> = new Set(['google_project_service', 'google_project_iam_custom_role', 'null_resource', 'terraform_data']);

/** Supporting types of the tables' clouds: folded into the box they serve. Any `aws_s3_bucket_*` is one too. */
export const SUPPORT_TYPES: ReadonlySet<string> = new Set([
  // Google Cloud: load balancer, instance group, database, secrets, DNS, Cloud Run, identity federation
  'google_compute_global_forwarding_rule',
  'google_compute_forwarding_rule',
  'google_compute_target_https_proxy',
  'google_compute_target_http_proxy',
  'google_compute_region_target_https_proxy',
  'google_compute_backend_service',
  'google_compute_region_backend_service',
  'google_compute_backend_bucket',
  'google_compute_health_check',
  'google_compute_region_health_check',
  'google_compute_http_health_check',
  'google_compute_region_network_endpoint_group',
  'google_compute_global_network_endpoint_group',
  'google_compute_ssl_policy',
  'google_compute_security_policy',
  'google_compute_global_address',
  'google_compute_address',
  'google_compute_instance_template',
  'google_compute_region_instance_template',
  'google_compute_region_autoscaler',
  'google_compute_autoscaler',
  'google_sql_database',
  'google_sql_user',
  'google_secret_manager_secret_version',
  'google_cloud_run_domain_mapping',
  'google_iam_workload_identity_pool_provider',
  'google_storage_bucket_object',
  // AWS: load balancer, group, database, cache, buckets, CDN, certificates
  'aws_lb_listener',
  'aws_lb_listener_rule',
  'aws_lb_listener_certificate',
  'aws_lb_target_group',
  'aws_lb_target_group_attachment',
  'aws_launch_template',
  'aws_autoscaling_policy',
  'aws_autoscaling_schedule',
  'aws_autoscaling_lifecycle_hook',
  'aws_db_subnet_group',
  'aws_db_parameter_group',
  'aws_db_option_group',
  'aws_elasticache_subnet_group',
  'aws_elasticache_parameter_group',
  'aws_cloudfront_origin_access_control',
  'aws_cloudfront_origin_access_identity',
  'aws_cloudfront_cache_policy',
  'aws_cloudfront_origin_request_policy',
  'aws_cloudfront_response_headers_policy',
  'aws_cloudfront_function',
  'aws_acm_certificate_validation',
  'aws_secretsmanager_secret_version',
  'aws_secretsmanager_secret_rotation',
  'aws_ecr_lifecycle_policy',
  'aws_ecr_repository_policy',
  'aws_cloudwatch_log_group',
  'aws_cloudwatch_metric_alarm',
  'aws_iam_instance_profile',
  'aws_iam_policy',
  'aws_security_group',
  'aws_eip',
  'aws_kms_key',
  'aws_kms_alias',
  'aws_cloudwatch_event_target',
  // Providers' helpers
  'random_password',
  'random_id',
  'random_string',
  'random_pet',
  'random_uuid',
  'random_integer',
  'random_shuffle',
]);

/**
 * Supporting types whose owner is what one argument names, whoever else uses them: a certificate's validation
 * belongs to the certificate, not to the first CDN that waits for it.
 */
export const OWNER_ARGUMENTS: Readonly<Record<string, readonly string[]>> = {
  aws_acm_certificate_validation: ['certificate_arn'],
  aws_lb_listener: ['load_balancer_arn'],
  aws_lb_listener_rule: ['listener_arn'],
  aws_secretsmanager_secret_version: ['secret_id'],
  google_secret_manager_secret_version: ['secret'],
  google_sql_user: ['instance'],
  google_sql_database: ['instance'],
};

/** How a resource type takes part in the diagram; `undefined` for a type in no table (drawn as a plain box). */
export function roleOf(resource: ModelResource): ResourceRole | undefined {
  const { type } = resource;
  const spec = NODE_TYPES[type];
  if (spec) return spec.when === undefined || spec.when(resource) ? 'node' : 'support';
  if (NETWORK_TYPES.has(type)) return 'network';
  if (NETWORK_PART_TYPES.has(type)) return 'network-part';
  // The range a VPC reserves for Google's managed services (Cloud SQL, Memorystore) is part of the network.
  if (type === 'google_compute_global_address' && resource.config.purpose === 'VPC_PEERING') return 'network-part';
  if (IDENTITY_TYPES.has(type)) return 'identity';
  if (GRANT_TYPES.has(type) || /^google_.*_iam_(member|binding|policy)$/.test(type)) return 'grant';
  if (DNS_RECORD_TYPES.has(type)) return 'dns-record';
  if (FIREWALL_RULE_TYPES.has(type)) return 'firewall-rule';
  if (VALUE_TYPES.has(type) || type.startsWith('random_')) return 'value';
  if (STACK_TYPES.has(type)) return 'stack';
  if (SUPPORT_TYPES.has(type) || type.startsWith('aws_s3_bucket_')) return 'support';
  return undefined;
}

/** A box's title for a resource of a type in no table: its type, without the provider prefix. */
export function plainTitle(resource: ModelResource): string {
  return resource.type;
}
