// Resource types that cost nothing by nature, each with the reason the estimate gives and the public page that says
// so: priced $0 on purpose, not "unknown". A type that is neither here nor priced is flagged as having no known price.

/** A resource type that costs nothing by itself. */
export interface FreeResourceType {
  /** Why it costs nothing (or where its cost is counted instead). */
  readonly reason: string;
  /** The public page that says so. */
  readonly source: string;
}

const src = {
  gcpIam: 'https://cloud.google.com/iam/pricing',
  gcpVpc: 'https://cloud.google.com/vpc/network-pricing',
  gcpLb: 'https://cloud.google.com/vpc/network-pricing#lb',
  gcpCerts: 'https://cloud.google.com/load-balancing/docs/ssl-certificates/google-managed-certs',
  gcpServices: 'https://cloud.google.com/service-usage/docs/overview',
  gcpSecrets: 'https://cloud.google.com/secret-manager/pricing',
  gcpRun: 'https://cloud.google.com/run/pricing',
  gcpSql: 'https://cloud.google.com/sql/pricing',
  gcpStorage: 'https://cloud.google.com/storage/pricing',
  gcpDns: 'https://cloud.google.com/dns/pricing',
  gcpLogging: 'https://cloud.google.com/stackdriver/pricing',
  awsIam: 'https://aws.amazon.com/iam/',
  awsVpc: 'https://aws.amazon.com/vpc/pricing/',
  awsAutoScaling: 'https://aws.amazon.com/ec2/autoscaling/pricing/',
  awsElb: 'https://aws.amazon.com/elasticloadbalancing/pricing/',
  awsAcm: 'https://aws.amazon.com/certificate-manager/pricing/',
  awsRoute53: 'https://aws.amazon.com/route53/pricing/',
  awsRds: 'https://aws.amazon.com/rds/pricing/',
  awsElastiCache: 'https://aws.amazon.com/elasticache/pricing/',
  awsS3: 'https://aws.amazon.com/s3/pricing/',
  awsCloudFront: 'https://aws.amazon.com/cloudfront/pricing/',
  awsEcr: 'https://aws.amazon.com/ecr/pricing/',
  awsSecrets: 'https://aws.amazon.com/secrets-manager/pricing/',
  awsKms: 'https://aws.amazon.com/kms/pricing/',
  awsSsm: 'https://aws.amazon.com/systems-manager/pricing/',
};

const IAM = 'IAM has no charge';
const CONFIG = 'configuration of another resource, no charge of its own';
const NETWORK = 'no charge for the network object itself (traffic is charged where it leaves)';
const f = (reason: string, source: string): FreeResourceType => ({ reason, source });

/** Known-free resource types by exact name, each with its reason and source. */
export const FREE_RESOURCE_TYPES: Readonly<Record<string, FreeResourceType>> = {
  // Google Cloud
  google_project_service: f('enabling an API has no charge', src.gcpServices),
  google_project_iam_member: f(IAM, src.gcpIam),
  google_project_iam_binding: f(IAM, src.gcpIam),
  google_project_iam_custom_role: f(IAM, src.gcpIam),
  google_service_account: f(IAM, src.gcpIam),
  google_service_account_iam_member: f(IAM, src.gcpIam),
  google_service_account_iam_binding: f(IAM, src.gcpIam),
  google_iam_workload_identity_pool: f(IAM, src.gcpIam),
  google_iam_workload_identity_pool_provider: f(IAM, src.gcpIam),
  google_secret_manager_secret: f('billed by its active versions (google_secret_manager_secret_version)', src.gcpSecrets),
  google_secret_manager_secret_iam_member: f(IAM, src.gcpIam),
  google_storage_bucket_iam_member: f(IAM, src.gcpIam),
  google_storage_bucket_iam_binding: f(IAM, src.gcpIam),
  google_artifact_registry_repository_iam_member: f(IAM, src.gcpIam),
  google_cloud_run_v2_service_iam_member: f(IAM, src.gcpIam),
  google_cloud_run_v2_job_iam_member: f(IAM, src.gcpIam),
  google_cloud_run_service_iam_member: f(IAM, src.gcpIam),
  google_cloud_run_domain_mapping: f('domain mappings have no charge', src.gcpRun),
  google_compute_network: f(NETWORK, src.gcpVpc),
  google_compute_firewall: f('firewall rules have no charge (without Firewall Insights or logging)', src.gcpVpc),
  google_compute_router: f('a Cloud Router without BGP sessions to your network has no charge (its NAT is priced on google_compute_router_nat)', src.gcpVpc),
  google_compute_health_check: f('health checks have no charge', src.gcpLb),
  google_compute_region_health_check: f('health checks have no charge', src.gcpLb),
  google_compute_target_http_proxy: f('priced on the forwarding rules and URL map of its load balancer', src.gcpLb),
  google_compute_target_https_proxy: f('priced on the forwarding rules and URL map of its load balancer', src.gcpLb),
  google_compute_managed_ssl_certificate: f('Google-managed certificates have no charge', src.gcpCerts),
  google_compute_ssl_certificate: f('certificates have no charge', src.gcpCerts),
  google_compute_ssl_policy: f(CONFIG, src.gcpLb),
  google_compute_region_network_endpoint_group: f('a serverless network endpoint group has no charge', src.gcpLb),
  google_compute_global_network_endpoint_group: f('a network endpoint group has no charge', src.gcpLb),
  google_compute_global_network_endpoint: f('a network endpoint has no charge', src.gcpLb),
  google_service_networking_connection: f('private services access has no charge', src.gcpVpc),
  google_compute_network_peering: f(NETWORK, src.gcpVpc),
  google_sql_database: f('a database inside a Cloud SQL instance, priced on the instance', src.gcpSql),
  google_sql_user: f('a user of a Cloud SQL instance', src.gcpSql),
  google_storage_hmac_key: f('HMAC keys have no charge', src.gcpStorage),
  google_storage_bucket_object: f('an object of a bucket, priced on the bucket (storage_gb)', src.gcpStorage),
  google_dns_record_set: f('DNS records have no charge (zones and queries do)', src.gcpDns),
  google_logging_project_sink: f('routing logs has no charge (the destination is charged)', src.gcpLogging),
  // AWS
  aws_iam_role: f(IAM, src.awsIam),
  aws_iam_role_policy: f(IAM, src.awsIam),
  aws_iam_role_policy_attachment: f(IAM, src.awsIam),
  aws_iam_policy: f(IAM, src.awsIam),
  aws_iam_user: f(IAM, src.awsIam),
  aws_iam_user_policy: f(IAM, src.awsIam),
  aws_iam_user_policy_attachment: f(IAM, src.awsIam),
  aws_iam_access_key: f(IAM, src.awsIam),
  aws_iam_instance_profile: f(IAM, src.awsIam),
  aws_iam_openid_connect_provider: f(IAM, src.awsIam),
  aws_vpc: f(NETWORK, src.awsVpc),
  aws_subnet: f(NETWORK, src.awsVpc),
  aws_route_table: f(NETWORK, src.awsVpc),
  aws_route: f(NETWORK, src.awsVpc),
  aws_route_table_association: f(NETWORK, src.awsVpc),
  aws_internet_gateway: f(NETWORK, src.awsVpc),
  aws_egress_only_internet_gateway: f(NETWORK, src.awsVpc),
  aws_security_group: f(NETWORK, src.awsVpc),
  aws_security_group_rule: f(NETWORK, src.awsVpc),
  aws_vpc_security_group_ingress_rule: f(NETWORK, src.awsVpc),
  aws_vpc_security_group_egress_rule: f(NETWORK, src.awsVpc),
  aws_default_security_group: f(NETWORK, src.awsVpc),
  aws_network_acl: f(NETWORK, src.awsVpc),
  aws_eip_association: f('priced on the Elastic IP', src.awsVpc),
  aws_autoscaling_policy: f('scaling policies have no charge', src.awsAutoScaling),
  aws_autoscaling_schedule: f('scheduled actions have no charge', src.awsAutoScaling),
  aws_autoscaling_lifecycle_hook: f('lifecycle hooks have no charge', src.awsAutoScaling),
  aws_lb_listener: f('priced on its load balancer', src.awsElb),
  aws_lb_listener_rule: f('priced on its load balancer', src.awsElb),
  aws_lb_listener_certificate: f('priced on its load balancer', src.awsElb),
  aws_lb_target_group: f('priced on its load balancer', src.awsElb),
  aws_lb_target_group_attachment: f('priced on its load balancer', src.awsElb),
  aws_acm_certificate: f('public ACM certificates have no charge', src.awsAcm),
  aws_acm_certificate_validation: f('public ACM certificates have no charge', src.awsAcm),
  aws_route53_record: f('records have no charge (zones and queries do)', src.awsRoute53),
  aws_db_subnet_group: f(CONFIG, src.awsRds),
  aws_db_parameter_group: f(CONFIG, src.awsRds),
  aws_db_option_group: f(CONFIG, src.awsRds),
  aws_elasticache_subnet_group: f(CONFIG, src.awsElastiCache),
  aws_elasticache_parameter_group: f(CONFIG, src.awsElastiCache),
  aws_s3_bucket_policy: f(CONFIG, src.awsS3),
  aws_s3_bucket_public_access_block: f(CONFIG, src.awsS3),
  aws_s3_bucket_ownership_controls: f(CONFIG, src.awsS3),
  aws_s3_bucket_server_side_encryption_configuration: f(CONFIG, src.awsS3),
  aws_s3_bucket_cors_configuration: f(CONFIG, src.awsS3),
  aws_s3_bucket_versioning: f(CONFIG, src.awsS3),
  aws_s3_bucket_lifecycle_configuration: f(CONFIG, src.awsS3),
  aws_s3_bucket_website_configuration: f(CONFIG, src.awsS3),
  aws_s3_bucket_acl: f(CONFIG, src.awsS3),
  aws_s3_object: f('an object of a bucket, priced on the bucket (storage_gb)', src.awsS3),
  aws_cloudfront_origin_access_control: f(CONFIG, src.awsCloudFront),
  aws_cloudfront_origin_access_identity: f(CONFIG, src.awsCloudFront),
  aws_cloudfront_cache_policy: f(CONFIG, src.awsCloudFront),
  aws_cloudfront_origin_request_policy: f(CONFIG, src.awsCloudFront),
  aws_cloudfront_response_headers_policy: f(CONFIG, src.awsCloudFront),
  aws_ecr_lifecycle_policy: f(CONFIG, src.awsEcr),
  aws_ecr_repository_policy: f(CONFIG, src.awsEcr),
  aws_secretsmanager_secret_version: f('priced on its secret', src.awsSecrets),
  aws_secretsmanager_secret_policy: f(CONFIG, src.awsSecrets),
  aws_kms_alias: f('an alias has no charge (the key does)', src.awsKms),
  aws_ssm_parameter: f('standard parameters have no charge', src.awsSsm),
};

/** Providers whose resources live only in Terraform state (random, time, tls, null, local): free, with no page to cite. */
export const LOCAL_PROVIDERS: readonly string[] = ['random_', 'time_', 'tls_', 'null_', 'local_', 'terraform_data'];

/** Why a resource type costs nothing, or undefined when it is not known to be free. */
export function freeReason(type: string): string | undefined {
  if (FREE_RESOURCE_TYPES[type]) return FREE_RESOURCE_TYPES[type].reason;
  if (LOCAL_PROVIDERS.some((p) => type.startsWith(p))) return 'exists only in Terraform state';
  return undefined;
}
