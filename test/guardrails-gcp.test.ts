import { readFileSync } from 'fs';
import { join } from 'path';
import { Aspects, TerraformStack, Testing } from 'cdktf';
import { evaluateRules, RawFinding } from '../lib/guardrails/engine';
import { Guardrails, GuardrailsReport } from '../lib/guardrails/guardrails';
import { suppressGuardrails } from '../lib/guardrails/suppress';
import { CloudRunV2Service, GoogleProvider } from '../lib/providers/google';
import { GuardrailRule } from '../lib/guardrails/rule';
import { GCP_RULES } from '../lib/guardrails/rules/gcp';
import { StackModel } from '../lib/model/stack-model';
import { FixtureResources, RuleFixture, fixtureStack } from './helpers/guardrails';

// Every rule of the Google Cloud pack against resources as cdk.tf.json writes them. In a failing fixture, the
// resources named `bad*` are the ones the rule must flag (and only those); the others are what they refer to.

/** A rule's fixtures and the argument(s) its findings name. */
interface GcpFixture extends RuleFixture {
  readonly attributes: readonly string[];
  /** Data sources beside the resources, in both fixtures (`google_iam_policy`): type, then name, then arguments. */
  readonly data?: FixtureResources;
}

/** The findings of one rule over fixture resources, with the stack's data sources. */
function findingsOf(rule: GuardrailRule, resources: FixtureResources, environment?: string, data?: FixtureResources): RawFinding[] {
  const stack = fixtureStack(resources, environment);
  return evaluateRules(data ? StackModel.fromJson({ ...stack.json, data }) : stack, [rule]);
}

const SA = '${google_service_account.app.email}';
const SQL_BASE = { name: 'db', database_version: 'POSTGRES_16', region: 'us-central1' };
const PRIVATE_IP = { ipv4_enabled: false, private_network: '${google_compute_network.net.id}', ssl_mode: 'ENCRYPTED_ONLY' };
const BACKUPS_ON = { enabled: true, point_in_time_recovery_enabled: true, start_time: '03:00' };
const BUCKET = '${google_storage_bucket.b.name}';
const SHIELDED = { enable_secure_boot: true, enable_vtpm: true, enable_integrity_monitoring: true };
const TEMPLATE = (extra: Record<string, unknown>) => ({
  machine_type: 'e2-small',
  disk: [{ source_image: 'cos-cloud/cos-stable', boot: true }],
  network_interface: [{ subnetwork: '${google_compute_subnetwork.s.id}' }],
  service_account: { email: SA, scopes: ['cloud-platform'] },
  shielded_instance_config: SHIELDED,
  metadata: { 'block-project-ssh-keys': 'TRUE', 'enable-oslogin': 'TRUE' },
  ...extra,
});
const FIREWALL = (extra: Record<string, unknown>) => ({ name: 'fw', network: '${google_compute_network.net.name}', ...extra });
/** A firewall policy rule (hierarchical, or network with `rule_name`): an allow INGRESS rule from `ranges` on `layer4`. */
const POLICY_RULE = (ranges: string[], layer4: unknown[], extra: Record<string, unknown> = {}) => ({
  firewall_policy: '${google_compute_network_firewall_policy.p.name}',
  priority: 1000,
  action: 'allow',
  direction: 'INGRESS',
  match: { src_ip_ranges: ranges, layer4_configs: layer4 },
  ...extra,
});
const RUN_SERVICE = (ingress?: string) => ({ name: 'svc', location: 'us-central1', ...(ingress ? { ingress } : {}), template: { containers: [{ image: 'img' }] } });
const INVOKER = (service: string) => ({ name: `\${google_cloud_run_v2_service.${service}.name}`, location: 'us-central1', role: 'roles/run.invoker', member: 'allUsers' });
const ENV = (env: unknown[]) => ({ name: 'svc', location: 'us-central1', ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER', template: { containers: [{ image: 'img', env }] } });
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

const FIXTURES: Record<string, GcpFixture> = {
  // ---- Cloud SQL
  'GCP-SQL-PUBLIC-IP': {
    attributes: ['settings.ip_configuration.ipv4_enabled', 'settings.ip_configuration.authorized_networks'],
    failing: {
      google_sql_database_instance: {
        bad_default: { ...SQL_BASE, settings: { tier: 'db-f1-micro' } }, // no ip_configuration: the provider default is a public IP
        bad_true: { ...SQL_BASE, settings: [{ tier: 'db-f1-micro', ip_configuration: [{ ipv4_enabled: true, ssl_mode: 'ENCRYPTED_ONLY' }] }] },
        bad_networks: { ...SQL_BASE, settings: { tier: 'db-f1-micro', ip_configuration: { ipv4_enabled: true, authorized_networks: [{ name: 'office', value: '203.0.113.0/24' }] } } },
        // A dynamic ip_configuration is read too.
        bad_dynamic: { ...SQL_BASE, settings: { tier: 'db-f1-micro', dynamic: { ip_configuration: { for_each: '${var.ip}', content: { ipv4_enabled: true } } } } },
      },
    },
    passing: {
      google_sql_database_instance: {
        private: { ...SQL_BASE, settings: { tier: 'db-f1-micro', ip_configuration: PRIVATE_IP } },
        unknown: { ...SQL_BASE, settings: { tier: 'db-f1-micro', ip_configuration: { ipv4_enabled: '${var.public_ip}' } } },
        dynamic_private: { ...SQL_BASE, settings: { tier: 'db-f1-micro', dynamic: { ip_configuration: { for_each: '${var.ip}', content: PRIVATE_IP } } } },
      },
    },
  },
  'GCP-SQL-OPEN-NETWORK': {
    attributes: ['settings.ip_configuration.authorized_networks'],
    failing: {
      google_sql_database_instance: {
        bad: { ...SQL_BASE, settings: { tier: 'db-f1-micro', ip_configuration: { ipv4_enabled: true, authorized_networks: [{ name: 'office', value: '203.0.113.0/24' }, { name: 'all', value: '0.0.0.0/0' }] } } },
        bad_dynamic: { ...SQL_BASE, settings: { tier: 'db-f1-micro', ip_configuration: { ipv4_enabled: true, dynamic: { authorized_networks: { for_each: '${var.n}', content: { name: '${each.key}', value: '0.0.0.0/0' } } } } } },
      },
    },
    passing: {
      google_sql_database_instance: {
        office: { ...SQL_BASE, settings: { tier: 'db-f1-micro', ip_configuration: { ipv4_enabled: true, authorized_networks: [{ name: 'office', value: '203.0.113.0/24' }] } } },
        // No public IP: the authorized networks admit nothing.
        private: { ...SQL_BASE, settings: { tier: 'db-f1-micro', ip_configuration: { ...PRIVATE_IP, authorized_networks: [{ name: 'all', value: '0.0.0.0/0' }] } } },
        dynamic_office: { ...SQL_BASE, settings: { tier: 'db-f1-micro', ip_configuration: { ipv4_enabled: true, dynamic: { authorized_networks: { for_each: '${var.n}', content: { name: '${each.key}', value: '203.0.113.0/24' } } } } } },
      },
    },
  },
  'GCP-SQL-SSL': {
    attributes: ['settings.ip_configuration.ssl_mode'],
    failing: {
      google_sql_database_instance: {
        bad_absent: { ...SQL_BASE, settings: { tier: 'db-f1-micro', ip_configuration: { ipv4_enabled: false, private_network: 'n' } } },
        bad_allow: { ...SQL_BASE, settings: { tier: 'db-f1-micro', ip_configuration: { ...PRIVATE_IP, ssl_mode: 'ALLOW_UNENCRYPTED_AND_ENCRYPTED' } } },
        bad_no_settings: { ...SQL_BASE, settings: { tier: 'db-f1-micro' } },
      },
    },
    passing: {
      google_sql_database_instance: {
        encrypted: { ...SQL_BASE, settings: { tier: 'db-f1-micro', ip_configuration: PRIVATE_IP } },
        client_certs: { ...SQL_BASE, settings: { tier: 'db-f1-micro', ip_configuration: { ...PRIVATE_IP, ssl_mode: 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED' } } },
        unknown: { ...SQL_BASE, settings: { tier: 'db-f1-micro', ip_configuration: { ...PRIVATE_IP, ssl_mode: '${var.ssl_mode}' } } },
      },
    },
  },
  'GCP-SQL-BACKUPS': {
    attributes: ['settings.backup_configuration.enabled'],
    failing: {
      google_sql_database_instance: {
        bad_absent: { ...SQL_BASE, settings: { tier: 'db-f1-micro', ip_configuration: PRIVATE_IP } },
        bad_off: { ...SQL_BASE, settings: { tier: 'db-f1-micro', ip_configuration: PRIVATE_IP, backup_configuration: { enabled: false } } },
      },
    },
    passing: {
      google_sql_database_instance: {
        on: { ...SQL_BASE, settings: { tier: 'db-f1-micro', ip_configuration: PRIVATE_IP, backup_configuration: BACKUPS_ON } },
        replica: { ...SQL_BASE, master_instance_name: '${google_sql_database_instance.on.name}', settings: { tier: 'db-f1-micro', ip_configuration: PRIVATE_IP } },
      },
    },
  },
  'GCP-SQL-DELETION-PROTECTION': {
    attributes: ['deletion_protection'],
    failing: { google_sql_database_instance: { bad: { ...SQL_BASE, deletion_protection: false, settings: { tier: 'db-f1-micro' } } } },
    passing: {
      google_sql_database_instance: {
        default: { ...SQL_BASE, settings: { tier: 'db-f1-micro' } }, // absent: the provider default is true
        on: { ...SQL_BASE, deletion_protection: true, settings: { tier: 'db-f1-micro' } },
      },
    },
  },
  'GCP-SQL-PITR': {
    attributes: ['settings.backup_configuration.point_in_time_recovery_enabled', 'settings.backup_configuration.binary_log_enabled'],
    failing: {
      google_sql_database_instance: {
        bad_postgres: { ...SQL_BASE, settings: { tier: 'db-f1-micro', backup_configuration: { enabled: true } } },
        bad_mysql: { ...SQL_BASE, database_version: 'MYSQL_8_0', settings: { tier: 'db-f1-micro', backup_configuration: { enabled: true, binary_log_enabled: false } } },
      },
    },
    passing: {
      google_sql_database_instance: {
        on: { ...SQL_BASE, settings: { tier: 'db-f1-micro', backup_configuration: BACKUPS_ON } },
        mysql: { ...SQL_BASE, database_version: 'MYSQL_8_0', settings: { tier: 'db-f1-micro', backup_configuration: { enabled: true, binary_log_enabled: true } } },
        // Backups off is GCP-SQL-BACKUPS' finding, not this rule's.
        no_backups: { ...SQL_BASE, settings: { tier: 'db-f1-micro' } },
      },
    },
  },

  // ---- Cloud Storage
  'GCP-GCS-UNIFORM-ACCESS': {
    attributes: ['uniform_bucket_level_access'],
    failing: { google_storage_bucket: { bad_absent: { name: 'a', location: 'US' }, bad_off: { name: 'b', location: 'US', uniform_bucket_level_access: false } } },
    passing: { google_storage_bucket: { on: { name: 'a', location: 'US', uniform_bucket_level_access: true } } },
  },
  'GCP-GCS-PUBLIC-ACCESS-PREVENTION': {
    attributes: ['public_access_prevention'],
    failing: { google_storage_bucket: { bad_absent: { name: 'a', location: 'US' }, bad_inherited: { name: 'b', location: 'US', public_access_prevention: 'inherited' } } },
    passing: { google_storage_bucket: { enforced: { name: 'a', location: 'US', public_access_prevention: 'enforced' } } },
  },
  'GCP-GCS-PUBLIC-LIST': {
    attributes: ['member', 'members', 'policy_data', 'role_entity', 'entity', 'predefined_acl'],
    data: {
      google_iam_policy: {
        public_list: { binding: [{ role: 'roles/storage.objectViewer', members: ['allUsers'] }] },
        servers: { binding: [{ role: 'roles/storage.objectViewer', members: ['serviceAccount:app@p.iam.gserviceaccount.com'] }] },
      },
    },
    failing: {
      google_storage_bucket_iam_member: { bad_viewer: { bucket: BUCKET, role: 'roles/storage.objectViewer', member: 'allUsers' } },
      google_storage_bucket_iam_binding: { bad_binding: { bucket: BUCKET, role: 'roles/storage.legacyBucketReader', members: ['user:a@example.com', 'allAuthenticatedUsers'] } },
      google_storage_bucket_iam_policy: {
        bad_policy: { bucket: BUCKET, policy_data: JSON.stringify({ bindings: [{ role: 'roles/storage.objectUser', members: ['allUsers'] }] }) },
        bad_policy_data: { bucket: BUCKET, policy_data: '${data.google_iam_policy.public_list.policy_data}' },
      },
      google_storage_bucket_acl: { bad_acl: { bucket: BUCKET, role_entity: ['OWNER:project-owners-1', 'READER:allUsers'] }, bad_predefined: { bucket: BUCKET, predefined_acl: 'publicRead' } },
      google_storage_bucket_access_control: { bad_access: { bucket: BUCKET, role: 'READER', entity: 'allAuthenticatedUsers' } },
    },
    passing: {
      google_storage_bucket_iam_member: {
        object_reads: { bucket: BUCKET, role: 'roles/storage.legacyObjectReader', member: 'allUsers' }, // reads, never lists
        servers: { bucket: BUCKET, role: 'roles/storage.objectViewer', member: 'serviceAccount:app@p.iam.gserviceaccount.com' },
      },
      google_storage_bucket_iam_policy: {
        unknown: { bucket: BUCKET, policy_data: '${data.google_iam_policy.p.policy_data}' }, // not the stack's data source
        servers: { bucket: BUCKET, policy_data: '${data.google_iam_policy.servers.policy_data}' },
      },
      google_storage_bucket_acl: { private: { bucket: BUCKET, predefined_acl: 'private' }, user: { bucket: BUCKET, role_entity: ['READER:user-a@example.com'] } },
    },
  },
  'GCP-GCS-PUBLIC-WRITE': {
    attributes: ['member', 'members', 'role_entity', 'entity', 'predefined_acl'],
    failing: {
      google_storage_bucket_iam_member: { bad_creator: { bucket: BUCKET, role: 'roles/storage.objectCreator', member: 'allUsers' } },
      google_storage_bucket_iam_binding: { bad_admin: { bucket: BUCKET, role: 'roles/storage.objectAdmin', members: ['allAuthenticatedUsers'] } },
      google_storage_bucket_acl: { bad_writer: { bucket: BUCKET, role_entity: ['WRITER:allUsers'] }, bad_predefined: { bucket: BUCKET, predefined_acl: 'publicReadWrite' } },
      google_storage_default_object_acl: { bad_default_owner: { bucket: BUCKET, role_entity: ['OWNER:allUsers'] } },
      google_storage_bucket_access_control: { bad_access: { bucket: BUCKET, role: 'WRITER', entity: 'allUsers' } },
    },
    passing: {
      google_storage_bucket_iam_member: {
        servers: { bucket: BUCKET, role: 'roles/storage.objectAdmin', member: 'serviceAccount:app@p.iam.gserviceaccount.com' },
        reads: { bucket: BUCKET, role: 'roles/storage.legacyObjectReader', member: 'allUsers' },
      },
      google_storage_default_object_acl: { public_read: { bucket: BUCKET, role_entity: ['READER:allUsers'] }, empty: { bucket: BUCKET, role_entity: [] } },
    },
  },
  'GCP-GCS-PUBLIC-READ': {
    attributes: ['role_entity', 'entity', 'predefined_acl'],
    failing: {
      google_storage_default_object_acl: { bad_default_reader: { bucket: BUCKET, role_entity: ['OWNER:project-owners-1', 'READER:allUsers'] } },
      google_storage_default_object_access_control: { bad_default_access: { bucket: BUCKET, role: 'READER', entity: 'allAuthenticatedUsers' } },
      google_storage_object_access_control: { bad_object_access: { bucket: BUCKET, object: 'index.html', role: 'READER', entity: 'allUsers' } },
      google_storage_object_acl: { bad_object_acl: { bucket: BUCKET, object: 'index.html', role_entity: ['READER:allUsers'] }, bad_predefined: { bucket: BUCKET, object: 'a.txt', predefined_acl: 'publicRead' } },
    },
    passing: {
      google_storage_default_object_acl: { empty: { bucket: BUCKET, role_entity: [] }, owners: { bucket: BUCKET, role_entity: ['OWNER:project-owners-1', 'READER:group-team@example.com'] } },
      google_storage_object_access_control: { user: { bucket: BUCKET, object: 'index.html', role: 'READER', entity: 'user-a@example.com' } },
      google_storage_object_acl: { private: { bucket: BUCKET, object: 'a.txt', predefined_acl: 'projectPrivate' } },
    },
  },
  'GCP-GCS-VERSIONING': {
    attributes: ['versioning.enabled'],
    failing: { google_storage_bucket: { bad_absent: { name: 'a', location: 'US' }, bad_off: { name: 'b', location: 'US', versioning: { enabled: false } } } },
    passing: { google_storage_bucket: { on: { name: 'a', location: 'US', versioning: [{ enabled: true }] } } },
  },
  'GCP-GCS-HMAC-KEY': {
    attributes: ['service_account_email'],
    failing: { google_storage_hmac_key: { bad: { service_account_email: SA } } },
    passing: { google_storage_hmac_key: { retired: { service_account_email: SA, state: 'INACTIVE' } } },
  },

  // ---- IAM
  'GCP-IAM-PRIMITIVE-ROLE': {
    attributes: ['role', 'policy_data'],
    data: {
      google_iam_policy: {
        editors: { binding: [{ role: 'roles/logging.logWriter', members: ['serviceAccount:app@p.iam.gserviceaccount.com'] }, { role: 'roles/editor', members: ['group:devs@example.com'] }] },
        narrow: { binding: [{ role: 'roles/logging.logWriter', members: ['serviceAccount:app@p.iam.gserviceaccount.com'] }] },
      },
    },
    failing: {
      google_project_iam_member: { bad_editor: { project: 'p', role: 'roles/editor', member: 'serviceAccount:app@p.iam.gserviceaccount.com' } },
      google_folder_iam_binding: { bad_owner: { folder: 'folders/1', role: 'roles/owner', members: ['group:admins@example.com'] } },
      google_organization_iam_member: { bad_viewer: { org_id: '1', role: 'roles/viewer', member: 'group:all@example.com' } },
      google_project_iam_policy: { bad_policy: { project: 'p', policy_data: '${data.google_iam_policy.editors.policy_data}' } },
      google_folder_iam_policy: { bad_literal_policy: { folder: 'folders/1', policy_data: JSON.stringify({ bindings: [{ role: 'roles/owner', members: ['user:a@example.com'] }] }) } },
    },
    passing: {
      google_project_iam_member: { logs: { project: 'p', role: 'roles/logging.logWriter', member: 'serviceAccount:app@p.iam.gserviceaccount.com' } },
      google_project_iam_policy: { narrow: { project: 'p', policy_data: '${data.google_iam_policy.narrow.policy_data}' } },
    },
  },
  'GCP-IAM-PUBLIC-MEMBER': {
    attributes: ['member', 'members', 'policy_data', 'invoker_iam_disabled'],
    data: { google_iam_policy: { public_invoker: { binding: [{ role: 'roles/run.invoker', members: ['allUsers'] }] }, public_reader: { binding: { role: 'roles/secretmanager.secretAccessor', members: ['allUsers'] } } } },
    failing: {
      google_cloud_run_v2_service: {
        all: RUN_SERVICE(),
        internal: RUN_SERVICE('INGRESS_TRAFFIC_INTERNAL_ONLY'),
        // The same name in two regions: a grant by name is on the one in its location.
        shared_us: { ...RUN_SERVICE('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER'), name: 'shared' },
        shared_eu: { ...RUN_SERVICE('INGRESS_TRAFFIC_INTERNAL_ONLY'), name: 'shared', location: 'europe-west1' },
        bad_no_iam_internal: { ...RUN_SERVICE('INGRESS_TRAFFIC_INTERNAL_ONLY'), name: 'no-iam', invoker_iam_disabled: true },
      },
      google_cloud_run_v2_service_iam_member: {
        bad_run_internal: INVOKER('internal'),
        bad_run_elsewhere: { name: 'a-service-of-another-stack', location: 'us-central1', role: 'roles/run.invoker', member: 'allUsers' },
        bad_by_name_eu: { name: 'shared', location: 'europe-west1', role: 'roles/run.invoker', member: 'allUsers' },
        bad_other_project: { name: 'shared', project: 'another-project', location: 'us-central1', role: 'roles/run.invoker', member: 'allUsers' }, // not the stack's service
      },
      google_cloud_run_v2_service_iam_policy: { bad_run_policy: { name: '${google_cloud_run_v2_service.internal.name}', location: 'us-central1', policy_data: '${data.google_iam_policy.public_invoker.policy_data}' } },
      google_cloud_run_v2_job_iam_member: { bad_job: { name: '${google_cloud_run_v2_job.j.name}', location: 'us-central1', role: 'roles/run.invoker', member: 'allUsers' } },
      google_secret_manager_secret_iam_binding: { bad_secret: { secret_id: 's', role: 'roles/secretmanager.secretAccessor', members: ['allAuthenticatedUsers'] } },
      google_secret_manager_secret_iam_policy: { bad_secret_policy: { secret_id: 's', policy_data: '${data.google_iam_policy.public_reader.policy_data}' } },
      google_pubsub_topic_iam_policy: { bad_topic_policy: { topic: 't', policy_data: JSON.stringify({ bindings: [{ role: 'roles/pubsub.publisher', members: ['allAuthenticatedUsers'] }] }) } },
      google_storage_bucket_iam_member: { bad_object_reads: { bucket: BUCKET, role: 'roles/storage.legacyObjectReader', member: 'allUsers' } },
      google_project_iam_member: { bad_project: { project: 'p', role: 'roles/logging.viewer', member: 'allAuthenticatedUsers' } },
    },
    passing: {
      google_cloud_run_v2_service: {
        all: RUN_SERVICE(),
        lb: RUN_SERVICE('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER'),
        unknown: RUN_SERVICE('${var.ingress}'),
        named: { ...RUN_SERVICE('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER'), name: 'named-svc' },
        shared_us: { ...RUN_SERVICE('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER'), name: 'shared' },
        shared_eu: { ...RUN_SERVICE('INGRESS_TRAFFIC_INTERNAL_ONLY'), name: 'shared', location: 'europe-west1' },
        no_iam_lb: { ...RUN_SERVICE('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER'), name: 'no-iam', invoker_iam_disabled: true },
        no_iam_all: { ...RUN_SERVICE(), name: 'no-iam-all', invoker_iam_disabled: true }, // GCP-RUN-PUBLIC-DIRECT's
      },
      google_cloud_run_v2_service_iam_member: {
        behind_lb: INVOKER('lb'), // the load balancer is the only way in: how a public app runs on Cloud Run
        direct: INVOKER('all'), // ingress ALL: GCP-RUN-PUBLIC-DIRECT's warning
        unknown_ingress: INVOKER('unknown'),
        by_name: { name: 'named-svc', location: 'us-central1', role: 'roles/run.invoker', member: 'allUsers' },
        by_name_us: { name: 'shared', location: 'us-central1', role: 'roles/run.invoker', member: 'allUsers' }, // not the INTERNAL_ONLY one in europe-west1
        by_path_us: { name: 'projects/p/locations/us-central1/services/shared', role: 'roles/run.invoker', member: 'allUsers' },
        deployer: { name: '${google_cloud_run_v2_service.lb.name}', location: 'us-central1', role: 'roles/run.developer', member: 'serviceAccount:deploy@p.iam.gserviceaccount.com' },
      },
      google_cloud_run_v2_service_iam_policy: { lb_policy: { name: '${google_cloud_run_v2_service.lb.name}', location: 'us-central1', policy_data: '${data.google_iam_policy.public_invoker.policy_data}' } },
      // Listing and writing bucket roles are the storage rules' findings.
      google_storage_bucket_iam_member: { listing: { bucket: BUCKET, role: 'roles/storage.objectViewer', member: 'allUsers' } },
      google_secret_manager_secret_iam_member: { reader: { secret_id: 's', role: 'roles/secretmanager.secretAccessor', member: 'serviceAccount:app@p.iam.gserviceaccount.com' } },
      google_secret_manager_secret_iam_policy: { unknown: { secret_id: 's', policy_data: '${data.google_iam_policy.elsewhere.policy_data}' } },
    },
  },
  'GCP-RUN-PUBLIC-DIRECT': {
    attributes: ['member', 'members', 'policy_data', 'invoker_iam_disabled'],
    failing: {
      google_cloud_run_v2_service: {
        all: RUN_SERVICE(),
        bad_no_iam: { ...RUN_SERVICE('INGRESS_TRAFFIC_ALL'), name: 'no-iam', invoker_iam_disabled: true },
        shared_us: { ...RUN_SERVICE(), name: 'shared' },
        shared_eu: { ...RUN_SERVICE('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER'), name: 'shared', location: 'europe-west1' },
      },
      google_cloud_run_v2_service_iam_member: { bad_run_all: INVOKER('all'), bad_by_name_us: { name: 'shared', location: 'us-central1', role: 'roles/run.invoker', member: 'allUsers' } },
      google_cloud_run_v2_service_iam_policy: { bad_policy: { name: '${google_cloud_run_v2_service.all.name}', location: 'us-central1', policy_data: JSON.stringify({ bindings: [{ role: 'roles/run.invoker', members: ['allUsers'] }] }) } },
      google_cloud_run_service: { v1: { name: 'v1', location: 'us-central1', metadata: { annotations: { 'run.googleapis.com/ingress': 'all' } } } },
      google_cloud_run_service_iam_binding: { bad_v1: { service: '${google_cloud_run_service.v1.name}', location: 'us-central1', role: 'roles/run.invoker', members: ['allUsers'] } },
    },
    passing: {
      google_cloud_run_v2_service: {
        lb: RUN_SERVICE('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER'),
        internal: RUN_SERVICE('INGRESS_TRAFFIC_INTERNAL_ONLY'),
        no_iam_lb: { ...RUN_SERVICE('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER'), name: 'no-iam', invoker_iam_disabled: true },
        iam_checked: { ...RUN_SERVICE(), name: 'checked', invoker_iam_disabled: false },
        shared_us: { ...RUN_SERVICE(), name: 'shared' },
        shared_eu: { ...RUN_SERVICE('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER'), name: 'shared', location: 'europe-west1' },
      },
      google_cloud_run_v2_service_iam_member: {
        behind_lb: INVOKER('lb'),
        internal: INVOKER('internal'), // GCP-IAM-PUBLIC-MEMBER's error
        elsewhere: { name: 'a-service-of-another-stack', location: 'us-central1', role: 'roles/run.invoker', member: 'allUsers' }, // GCP-IAM-PUBLIC-MEMBER's
        by_name_eu: { name: 'shared', location: 'europe-west1', role: 'roles/run.invoker', member: 'allUsers' }, // the one behind a load balancer
        app: { name: '${google_cloud_run_v2_service.shared_us.name}', location: 'us-central1', role: 'roles/run.invoker', member: 'serviceAccount:app@p.iam.gserviceaccount.com' },
      },
    },
  },
  'GCP-IAM-SA-KEY': {
    attributes: ['service_account_id'],
    failing: { google_service_account: { app: { account_id: 'app' } }, google_service_account_key: { bad: { service_account_id: '${google_service_account.app.name}' } } },
    passing: { google_service_account: { app: { account_id: 'app' } }, google_storage_hmac_key: { other: { service_account_email: SA } } },
  },
  'GCP-IAM-PROJECT-SA-USER': {
    attributes: ['role', 'policy_data'],
    failing: {
      google_project_iam_member: { bad_user: { project: 'p', role: 'roles/iam.serviceAccountUser', member: 'serviceAccount:deploy@p.iam.gserviceaccount.com' } },
      google_folder_iam_binding: { bad_token: { folder: 'folders/1', role: 'roles/iam.serviceAccountTokenCreator', members: ['group:devs@example.com'] } },
      google_organization_iam_policy: { bad_policy: { org_id: '1', policy_data: JSON.stringify({ bindings: [{ role: 'roles/iam.serviceAccountUser', members: ['group:devs@example.com'] }] }) } },
    },
    passing: {
      google_service_account_iam_member: { one_account: { service_account_id: '${google_service_account.app.name}', role: 'roles/iam.serviceAccountUser', member: 'serviceAccount:deploy@p.iam.gserviceaccount.com' } },
      google_project_iam_member: { logs: { project: 'p', role: 'roles/logging.logWriter', member: 'serviceAccount:app@p.iam.gserviceaccount.com' } },
    },
  },

  // ---- Compute Engine
  'GCP-COMPUTE-DEFAULT-SA-FULL-ACCESS': {
    attributes: ['service_account.email'],
    failing: {
      google_compute_instance_template: { bad_no_email: TEMPLATE({ service_account: { scopes: ['cloud-platform'] } }) },
      google_compute_instance: { bad_default: { name: 'vm', zone: 'us-central1-a', ...TEMPLATE({ service_account: [{ email: '123456789012-compute@developer.gserviceaccount.com', scopes: ['https://www.googleapis.com/auth/cloud-platform'] }] }) } },
      google_compute_region_instance_template: { bad_looked_up: TEMPLATE({ service_account: { email: '${data.google_compute_default_service_account.default.email}', scopes: ['cloud-platform'] } }) },
    },
    passing: {
      google_compute_instance_template: {
        own: TEMPLATE({}),
        narrow: TEMPLATE({ service_account: { email: 'default', scopes: ['logging-write'] } }), // GCP-COMPUTE-DEFAULT-SA's
        none: TEMPLATE({ service_account: undefined }),
        looked_up_own: TEMPLATE({ service_account: { email: '${data.google_service_account.app.email}', scopes: ['cloud-platform'] } }),
      },
    },
  },
  'GCP-COMPUTE-DEFAULT-SA': {
    attributes: ['service_account.email'],
    failing: {
      google_compute_instance_template: {
        bad: TEMPLATE({ service_account: { email: 'default', scopes: ['logging-write', 'monitoring-write'] } }),
        bad_looked_up: TEMPLATE({ service_account: { email: '${data.google_compute_default_service_account.default.email}', scopes: ['logging-write'] } }),
      },
    },
    passing: {
      google_compute_instance_template: {
        own: TEMPLATE({}),
        looked_up_own: TEMPLATE({ service_account: { email: '${data.google_service_account.app.email}', scopes: ['logging-write'] } }),
        full: TEMPLATE({ service_account: { scopes: ['cloud-platform'] } }), // GCP-COMPUTE-DEFAULT-SA-FULL-ACCESS's
      },
    },
  },
  'GCP-COMPUTE-PUBLIC-IP': {
    attributes: ['network_interface.access_config', 'network_interface.ipv6_access_config'],
    failing: {
      google_compute_instance_template: {
        bad_list: TEMPLATE({ network_interface: [{ network: 'default', access_config: [{}] }] }),
        bad_ipv6: TEMPLATE({ network_interface: [{ subnetwork: 's', stack_type: 'IPV4_IPV6', ipv6_access_config: [{ network_tier: 'PREMIUM' }] }] }),
        bad_dynamic: TEMPLATE({ network_interface: [{ subnetwork: 's', dynamic: { access_config: { for_each: '${var.public_ips}', content: { nat_ip: '${each.value}' } } } }] }),
      },
      google_compute_instance: { bad_object: { name: 'vm', zone: 'us-central1-a', ...TEMPLATE({ network_interface: { network: 'default', access_config: { nat_ip: '203.0.113.7' } } }) } },
    },
    passing: {
      google_compute_instance_template: {
        private: TEMPLATE({}),
        internal_ipv6: TEMPLATE({ network_interface: [{ subnetwork: 's', stack_type: 'IPV4_IPV6' }] }), // internal IPv6 only: no ipv6_access_config
      },
    },
  },
  'GCP-COMPUTE-SHIELDED-VM': {
    attributes: ['shielded_instance_config.enable_secure_boot', 'shielded_instance_config.enable_vtpm', 'shielded_instance_config.enable_integrity_monitoring'],
    failing: {
      google_compute_instance_template: {
        bad_absent: TEMPLATE({ shielded_instance_config: undefined }), // secure boot is off by default
        bad_vtpm: TEMPLATE({ shielded_instance_config: { enable_secure_boot: true, enable_vtpm: false } }),
      },
    },
    passing: {
      google_compute_instance_template: {
        all: TEMPLATE({}),
        secure_boot: TEMPLATE({ shielded_instance_config: { enable_secure_boot: true } }), // vTPM and integrity monitoring default on
      },
    },
  },
  'GCP-COMPUTE-SERIAL-PORT': {
    attributes: ['metadata.serial-port-enable', 'value'],
    failing: {
      google_compute_instance_template: {
        bad_string: TEMPLATE({ metadata: { 'block-project-ssh-keys': 'TRUE', 'serial-port-enable': 'TRUE' } }),
        bad_bool: TEMPLATE({ metadata: { 'block-project-ssh-keys': 'TRUE', 'serial-port-enable': true } }),
      },
      // Project metadata: every VM inherits it.
      google_compute_project_metadata: { bad_project: { metadata: { 'serial-port-enable': 'TRUE', 'enable-oslogin': 'TRUE' } } },
      google_compute_project_metadata_item: { bad_item: { key: 'serial-port-enable', value: '1' } },
    },
    passing: {
      google_compute_instance_template: { absent: TEMPLATE({}), off: TEMPLATE({ metadata: { 'block-project-ssh-keys': 'TRUE', 'serial-port-enable': 'FALSE' } }) },
      google_compute_project_metadata: { project: { metadata: { 'enable-oslogin': 'TRUE' } } },
      google_compute_project_metadata_item: { off: { key: 'serial-port-enable', value: 'FALSE' }, other: { key: 'enable-oslogin', value: 'TRUE' } },
    },
  },
  'GCP-COMPUTE-PROJECT-SSH-KEYS': {
    attributes: ['metadata.block-project-ssh-keys'],
    failing: {
      google_compute_instance_template: { bad_absent: TEMPLATE({ metadata: { 'enable-oslogin': 'TRUE' } }), bad_false: TEMPLATE({ metadata: { 'block-project-ssh-keys': 'false' } }) },
    },
    passing: {
      google_compute_instance_template: { blocked: TEMPLATE({}), bool: TEMPLATE({ metadata: { 'block-project-ssh-keys': true } }) },
      // Its template's metadata applies; nothing here to read.
      google_compute_instance_from_template: { from: { name: 'vm', zone: 'us-central1-a', source_instance_template: '${google_compute_instance_template.blocked.self_link_unique}' } },
    },
  },
  'GCP-COMPUTE-OS-LOGIN': {
    attributes: ['metadata.enable-oslogin', 'value'],
    failing: {
      google_compute_instance_template: { bad: TEMPLATE({ metadata: { 'block-project-ssh-keys': 'TRUE', 'enable-oslogin': 'FALSE' } }) },
      google_compute_project_metadata: { bad_project: { metadata: { 'enable-oslogin': 'FALSE' } } },
      google_compute_project_metadata_item: { bad_item: { key: 'enable-oslogin', value: 'false' } },
    },
    passing: {
      google_compute_instance_template: { on: TEMPLATE({}), inherited: TEMPLATE({ metadata: { 'block-project-ssh-keys': 'TRUE' } }) },
      google_compute_project_metadata: { project: { metadata: { 'enable-oslogin': 'TRUE' } } },
      google_compute_project_metadata_item: { on: { key: 'enable-oslogin', value: 'TRUE' }, serial_off: { key: 'serial-port-enable', value: 'FALSE' } },
    },
  },
  'GCP-COMPUTE-IP-FORWARDING': {
    attributes: ['can_ip_forward'],
    failing: { google_compute_instance_template: { bad: TEMPLATE({ can_ip_forward: true }) } },
    passing: { google_compute_instance_template: { absent: TEMPLATE({}), off: TEMPLATE({ can_ip_forward: false }) } },
  },

  // ---- VPC
  'GCP-VPC-SSH-OPEN': {
    attributes: ['source_ranges', 'match.src_ip_ranges', 'rule.match.src_ip_ranges'],
    failing: {
      google_compute_firewall: {
        bad_port: FIREWALL({ source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'tcp', ports: ['22'] }] }),
        bad_range: FIREWALL({ direction: 'INGRESS', source_ranges: ['10.0.0.0/8', '0.0.0.0/0'], allow: [{ protocol: 'tcp', ports: ['80', '20-30'] }] }),
        bad_default_source: FIREWALL({ allow: { protocol: 'tcp', ports: ['22'] } }), // no source at all: 0.0.0.0/0
        bad_all: FIREWALL({ source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'all' }] }),
        bad_ipv6: FIREWALL({ source_ranges: ['::/0'], allow: [{ protocol: '6' }] }),
        bad_dynamic: FIREWALL({ source_ranges: ['0.0.0.0/0'], dynamic: { allow: { for_each: '${var.rules}', content: { protocol: 'tcp', ports: ['22'] } } } }),
      },
      google_compute_firewall_policy_rule: { bad_org_policy: POLICY_RULE(['0.0.0.0/0'], [{ ip_protocol: 'tcp', ports: ['22'] }]) },
      google_compute_network_firewall_policy_rule: { bad_network_policy: POLICY_RULE(['10.0.0.0/8', '0.0.0.0/0'], [{ ip_protocol: 'all' }], { rule_name: 'open' }) },
      google_compute_region_network_firewall_policy_rule: { bad_region_policy: POLICY_RULE(['::/0'], [{ ip_protocol: 'tcp', ports: ['20-25'] }], { region: 'us-central1' }) },
      google_compute_network_firewall_policy_with_rules: {
        bad_with_rules: {
          name: 'p',
          rule: [
            { priority: 100, action: 'allow', direction: 'INGRESS', match: { src_ip_ranges: ['35.235.240.0/20'], layer4_config: [{ ip_protocol: 'tcp', ports: ['22'] }] } },
            { priority: 200, rule_name: 'ssh-anywhere', action: 'allow', match: { src_ip_ranges: ['0.0.0.0/0'], layer4_config: [{ ip_protocol: 'tcp', ports: ['22'] }] } }, // direction absent: INGRESS
          ],
        },
      },
    },
    passing: {
      google_compute_firewall_policy_rule: {
        iap: POLICY_RULE(['35.235.240.0/20'], [{ ip_protocol: 'tcp', ports: ['22'] }]),
        deny: POLICY_RULE(['0.0.0.0/0'], [{ ip_protocol: 'tcp', ports: ['22'] }], { action: 'deny' }),
        next: POLICY_RULE(['0.0.0.0/0'], [{ ip_protocol: 'tcp', ports: ['22'] }], { action: 'goto_next' }),
        egress: POLICY_RULE(['0.0.0.0/0'], [{ ip_protocol: 'tcp', ports: ['22'] }], { direction: 'EGRESS' }),
        disabled: POLICY_RULE(['0.0.0.0/0'], [{ ip_protocol: 'tcp', ports: ['22'] }], { disabled: true }),
        https: POLICY_RULE(['0.0.0.0/0'], [{ ip_protocol: 'tcp', ports: ['443'] }]),
      },
      google_compute_network_firewall_policy_with_rules: {
        iap: { name: 'p', rule: [{ priority: 100, action: 'allow', direction: 'INGRESS', match: { src_ip_ranges: ['35.235.240.0/20'], layer4_config: [{ ip_protocol: 'tcp', ports: ['22'] }] } }] },
      },
      google_compute_firewall: {
        iap: FIREWALL({ source_ranges: ['35.235.240.0/20'], allow: [{ protocol: 'tcp', ports: ['22'] }] }),
        dynamic_https: FIREWALL({ source_ranges: ['0.0.0.0/0'], dynamic: { allow: { for_each: '${var.rules}', content: { protocol: 'tcp', ports: ['443'] } } } }),
        https: FIREWALL({ source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'tcp', ports: ['443', '8000-8100'] }] }),
        udp: FIREWALL({ source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'udp', ports: ['22'] }] }),
        egress: FIREWALL({ direction: 'EGRESS', destination_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'tcp', ports: ['22'] }] }),
        disabled: FIREWALL({ disabled: true, source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'tcp', ports: ['22'] }] }),
        tags: FIREWALL({ source_tags: ['bastion'], allow: [{ protocol: 'tcp', ports: ['22'] }] }),
        unknown: FIREWALL({ source_ranges: '${var.ranges}', allow: [{ protocol: 'tcp', ports: ['22'] }] }),
        deny: FIREWALL({ source_ranges: ['0.0.0.0/0'], deny: [{ protocol: 'tcp', ports: ['22'] }] }),
      },
    },
  },
  'GCP-VPC-RDP-OPEN': {
    attributes: ['source_ranges', 'match.src_ip_ranges'],
    failing: {
      google_compute_firewall: {
        bad_tcp: FIREWALL({ source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'tcp', ports: ['3389'] }] }),
        bad_udp_range: FIREWALL({ source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'udp', ports: ['3000-4000'] }] }),
      },
      google_compute_region_network_firewall_policy_rule: { bad_policy: POLICY_RULE(['0.0.0.0/0'], [{ ip_protocol: 'tcp', ports: ['3389'] }], { region: 'us-central1' }) },
    },
    passing: {
      google_compute_firewall: { ssh: FIREWALL({ source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'tcp', ports: ['22'] }] }), office: FIREWALL({ source_ranges: ['203.0.113.0/24'], allow: [{ protocol: 'tcp', ports: ['3389'] }] }) },
      google_compute_region_network_firewall_policy_rule: { office: POLICY_RULE(['203.0.113.0/24'], [{ ip_protocol: 'tcp', ports: ['3389'] }], { region: 'us-central1' }) },
    },
  },
  'GCP-VPC-ALL-PORTS-OPEN': {
    attributes: ['source_ranges', 'match.src_ip_ranges'],
    failing: {
      google_compute_firewall: {
        bad_all: FIREWALL({ source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'all' }] }),
        bad_tcp_no_ports: FIREWALL({ source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'tcp' }] }),
        bad_full_range: FIREWALL({ source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'udp', ports: ['0-65535'] }] }),
        bad_split: FIREWALL({ source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'tcp', ports: ['0-32767', '32768-65535'] }] }),
        bad_split_blocks: FIREWALL({ source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'tcp', ports: ['1-1024', '443'] }, { protocol: 'tcp', ports: ['1000-65535'] }] }),
      },
      google_compute_firewall_policy_rule: { bad_policy: POLICY_RULE(['0.0.0.0/0'], [{ ip_protocol: 'all' }]) },
      google_compute_network_firewall_policy_rule: { bad_policy_tcp: POLICY_RULE(['0.0.0.0/0'], [{ ip_protocol: 'tcp' }]) },
    },
    passing: {
      google_compute_firewall_policy_rule: { internal: POLICY_RULE(['10.0.0.0/8'], [{ ip_protocol: 'all' }]), web: POLICY_RULE(['0.0.0.0/0'], [{ ip_protocol: 'tcp', ports: ['80', '443'] }]) },
      google_compute_firewall: {
        some: FIREWALL({ source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'tcp', ports: ['1-1024'] }] }),
        split_with_gap: FIREWALL({ source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'tcp', ports: ['0-32767', '32769-65535'] }] }),
        split_protocols: FIREWALL({ source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'tcp', ports: ['1-32767'] }, { protocol: 'udp', ports: ['32768-65535'] }] }),
        icmp: FIREWALL({ source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'icmp' }] }),
        internal: FIREWALL({ source_ranges: ['10.0.0.0/8'], allow: [{ protocol: 'all' }] }),
      },
    },
  },
  'GCP-VPC-DEFAULT-NETWORK': {
    attributes: ['auto_create_network'],
    failing: { google_project: { bad_absent: { name: 'p', project_id: 'p' }, bad_true: { name: 'q', project_id: 'q', auto_create_network: true } } },
    passing: { google_project: { no_default: { name: 'p', project_id: 'p', auto_create_network: false } } },
  },
  'GCP-VPC-AUTO-SUBNETS': {
    attributes: ['auto_create_subnetworks'],
    failing: { google_compute_network: { bad_absent: { name: 'n' }, bad_true: { name: 'm', auto_create_subnetworks: true } } },
    passing: { google_compute_network: { custom: { name: 'n', auto_create_subnetworks: false } } },
  },
  'GCP-VPC-FLOW-LOGS': {
    attributes: ['log_config'],
    failing: { google_compute_subnetwork: { bad: { name: 's', ip_cidr_range: '10.0.0.0/20', network: 'n', region: 'us-central1' } } },
    passing: {
      google_compute_subnetwork: {
        logged: { name: 's', ip_cidr_range: '10.0.0.0/20', network: 'n', log_config: { aggregation_interval: 'INTERVAL_5_MIN', flow_sampling: 0.5 } },
        proxy_only: { name: 'p', ip_cidr_range: '10.1.0.0/23', network: 'n', purpose: 'REGIONAL_MANAGED_PROXY', role: 'ACTIVE' },
        dynamic_logged: { name: 'd', ip_cidr_range: '10.2.0.0/20', network: 'n', dynamic: { log_config: { for_each: '${var.flow_logs}', content: { flow_sampling: 0.5 } } } },
      },
    },
  },

  // ---- Load balancing
  'GCP-LB-TLS-POLICY': {
    attributes: ['ssl_policy'],
    failing: {
      google_compute_ssl_policy: { weak: { name: 'weak', min_tls_version: 'TLS_1_0', profile: 'MODERN' }, default_profile: { name: 'compat', min_tls_version: 'TLS_1_2' } },
      google_compute_target_https_proxy: {
        bad_none: { name: 'a', url_map: 'm', ssl_certificates: ['c'] },
        bad_weak: { name: 'b', url_map: 'm', ssl_certificates: ['c'], ssl_policy: '${google_compute_ssl_policy.weak.id}' },
        bad_compatible: { name: 'c', url_map: 'm', ssl_certificates: ['c'], ssl_policy: '${google_compute_ssl_policy.default_profile.id}' },
      },
    },
    passing: {
      google_compute_ssl_policy: { modern: { name: 'modern', min_tls_version: 'TLS_1_2', profile: 'MODERN' }, restricted: { name: 'restricted', profile: 'RESTRICTED' } },
      google_compute_target_https_proxy: {
        modern: { name: 'a', url_map: 'm', ssl_certificates: ['c'], ssl_policy: '${google_compute_ssl_policy.modern.id}' },
        restricted: { name: 'b', url_map: 'm', ssl_certificates: ['c'], ssl_policy: '${google_compute_ssl_policy.restricted.self_link}' },
        elsewhere: { name: 'c', url_map: 'm', ssl_certificates: ['c'], ssl_policy: 'projects/p/global/sslPolicies/shared' },
      },
    },
  },
  'GCP-LB-HTTP-REDIRECT': {
    attributes: ['url_map'],
    failing: {
      google_compute_url_map: {
        serving: { name: 'serving', default_service: '${google_compute_backend_service.app.id}' },
        partly: { name: 'partly', default_url_redirect: { https_redirect: true }, host_rule: [{ hosts: ['a.example.com'], path_matcher: 'a' }], path_matcher: [{ name: 'a', default_service: '${google_compute_backend_service.app.id}' }] },
      },
      google_compute_target_http_proxy: { bad_serving: { name: 'a', url_map: '${google_compute_url_map.serving.id}' }, bad_partly: { name: 'b', url_map: '${google_compute_url_map.partly.self_link}' } },
    },
    passing: {
      google_compute_url_map: { redirect: { name: 'redirect', default_url_redirect: [{ https_redirect: true, strip_query: false }] } },
      google_compute_target_http_proxy: { redirecting: { name: 'a', url_map: '${google_compute_url_map.redirect.id}' }, elsewhere: { name: 'b', url_map: 'projects/p/global/urlMaps/shared' } },
    },
  },
  'GCP-LB-LOGGING': {
    attributes: ['log_config.enable'],
    failing: {
      google_compute_backend_service: { bad_absent: { name: 'a', protocol: 'HTTPS' } },
      google_compute_region_backend_service: { bad_off: { name: 'b', region: 'us-central1', log_config: { enable: false } } },
    },
    passing: { google_compute_backend_service: { logged: { name: 'a', log_config: [{ enable: true, sample_rate: 1 }] } } },
  },

  // ---- Memorystore
  'GCP-REDIS-AUTH': {
    attributes: ['auth_enabled'],
    failing: { google_redis_instance: { bad_absent: { name: 'r', memory_size_gb: 1 }, bad_off: { name: 's', memory_size_gb: 1, auth_enabled: false } } },
    passing: { google_redis_instance: { auth: { name: 'r', memory_size_gb: 1, auth_enabled: true } } },
  },
  'GCP-REDIS-TRANSIT-ENCRYPTION': {
    attributes: ['transit_encryption_mode'],
    failing: { google_redis_instance: { bad_absent: { name: 'r', memory_size_gb: 1, auth_enabled: true }, bad_disabled: { name: 's', memory_size_gb: 1, transit_encryption_mode: 'DISABLED' } } },
    passing: { google_redis_instance: { tls: { name: 'r', memory_size_gb: 1, transit_encryption_mode: 'SERVER_AUTHENTICATION' } } },
  },

  // ---- Cloud DNS
  'GCP-DNS-DNSSEC': {
    attributes: ['dnssec_config.state'],
    failing: { google_dns_managed_zone: { bad_absent: { name: 'z', dns_name: 'example.com.' }, bad_off: { name: 'y', dns_name: 'example.org.', visibility: 'public', dnssec_config: { state: 'off' } } } },
    passing: {
      google_dns_managed_zone: {
        signed: { name: 'z', dns_name: 'example.com.', dnssec_config: [{ state: 'on' }] },
        transfer: { name: 't', dns_name: 'example.net.', dnssec_config: { state: 'transfer' } },
        private: { name: 'p', dns_name: 'internal.example.com.', visibility: 'private' },
      },
    },
  },

  // ---- Secrets
  'GCP-SECRET-PLAINTEXT-ENV': {
    // Each names the variable, so a suppression can name one.
    attributes: [
      'template.containers.env.DB_PASSWORD',
      'template.containers.env.DATABASE_URL',
      'template.containers.env.REDIS_URL',
      'template.containers.env.PGPASSWORD',
      'template.containers.env.MYSQL_PWD',
      'template.containers.env.DB_PASS',
      'template.containers.env.SMTP_PWD',
      'template.containers.env.GPG_PASSPHRASE',
      'template.containers.env.STRIPE_SK',
      'template.containers.env.PAYMENTS',
      'template.containers.env.GITHUB_APP_PEM',
      'template.template.containers.env.stripeApiKey',
      'template.spec.containers.env.GITHUB_TOKEN',
      'service_config.environment_variables.SERVICE_SECRET',
      'build_config.environment_variables.NPM_TOKEN',
      'metadata.db-password',
      'metadata.startup-script.API_TOKEN',
      'metadata.startup-script.STRIPE_API_KEY',
      'metadata.startup-script.DATABASE_URL',
      'metadata.gce-container-declaration.MAIL_PASSWORD',
      'metadata_startup_script.SECRET_KEY',
    ],
    failing: {
      google_cloud_run_v2_service: {
        bad_service: ENV([{ name: 'runmode', value: 'production' }, { name: 'DB_PASSWORD', value: 'hunter22' }]),
        // Credentials in a URL, whatever the variable's name.
        bad_urls: ENV([{ name: 'DATABASE_URL', value: 'postgres://app:hunter22@10.0.0.3:5432/app' }, { name: 'REDIS_URL', value: 'redis://:hunter22@10.0.0.4:6379' }]),
        bad_names: ENV([
          { name: 'PGPASSWORD', value: 'hunter22' },
          { name: 'MYSQL_PWD', value: 'hunter22' },
          { name: 'DB_PASS', value: 'hunter22' },
          { name: 'SMTP_PWD', value: 'hunter22' },
          { name: 'GPG_PASSPHRASE', value: 'correct horse battery staple' },
          { name: 'STRIPE_SK', value: 'some-literal-value' },
        ]),
        // A secret by its format, whatever the variable's name.
        bad_shapes: ENV([{ name: 'PAYMENTS', value: 'sk_live_51Habc' }, { name: 'GITHUB_APP_PEM', value: '-----BEGIN RSA PRIVATE KEY-----\nMIIE...' }]),
        // A dynamic env block is read too.
        bad_dynamic: {
          name: 'svc',
          location: 'us-central1',
          template: { containers: [{ image: 'img', dynamic: { env: { for_each: '${var.env}', content: { name: 'DB_PASSWORD', value: 'hunter22' } } } }] },
        },
      },
      google_cloud_run_v2_job: { bad_job: { name: 'j', location: 'us-central1', template: { template: { containers: [{ image: 'img', env: [{ name: 'stripeApiKey', value: 'sk_live_123' }] }] } } } },
      google_cloud_run_service: { bad_v1: { name: 'v1', location: 'us-central1', template: { spec: { containers: [{ image: 'img', env: [{ name: 'GITHUB_TOKEN', value: 'ghp_abc' }] }] } } } },
      google_cloudfunctions2_function: {
        bad_function: { name: 'f', location: 'us-central1', service_config: { environment_variables: { SERVICE_SECRET: 'shh-its-secret' } } },
        bad_build: { name: 'g', location: 'us-central1', build_config: { environment_variables: { NPM_TOKEN: 'npm_abcdef' } } },
      },
      google_compute_instance_template: {
        bad_metadata: TEMPLATE({ metadata: { 'block-project-ssh-keys': 'TRUE', 'db-password': 'hunter22' } }),
        bad_script: TEMPLATE({ metadata: { 'block-project-ssh-keys': 'TRUE', 'startup-script': '#!/bin/bash\nexport API_TOKEN=abc123xyz\ndocker run app\n' } }),
        bad_boot_script: TEMPLATE({ metadata: { 'block-project-ssh-keys': 'TRUE', 'startup-script': `printf '%s' '${b64('sk_live_abc')}' | base64 -d > /run/serverpod/env/STRIPE_API_KEY\n` } }),
        bad_script_url: TEMPLATE({ metadata: { 'block-project-ssh-keys': 'TRUE', 'startup-script': 'DATABASE_URL=postgres://app:hunter22@10.0.0.3/app /usr/bin/app\n' } }),
        bad_container: TEMPLATE({ metadata: { 'block-project-ssh-keys': 'TRUE', 'gce-container-declaration': 'spec:\n  containers:\n  - image: img\n    env:\n    - name: MAIL_PASSWORD\n      value: hunter22\n' } }),
      },
      google_compute_instance: { bad_instance: { name: 'vm', zone: 'us-central1-a', ...TEMPLATE({}), metadata_startup_script: 'SECRET_KEY="not-so-secret" /usr/bin/app' } },
    },
    passing: {
      google_cloud_run_v2_service: {
        references: ENV([
          { name: 'SERVERPOD_PASSWORD_database', value_source: { secret_key_ref: { secret: 'db-password', version: 'latest' } } },
          { name: 'SERVERPOD_DATABASE_HOST', value: '${google_sql_database_instance.db.private_ip_address}' },
          { name: 'API_KEY_ID', value: 'AKIA-not-secret' },
          { name: 'TOKEN_TTL', value: 'one hour' },
          { name: 'JWT_PUBLIC_KEY', value: '-----BEGIN PUBLIC KEY-----' },
          { name: 'SERVERPOD_REDIS_REQUIRE_SSL', value: 'true' },
          { name: 'PASSWORD_MIN_LENGTH', value: '12' },
          { name: 'DB_PASSWORD', value: '${random_password.db.result}' }, // an expression: not readable here
          { name: 'DATABASE_URL', value: 'postgres://app:${random_password.db.result}@10.0.0.3/app' }, // the password is an expression
          { name: 'EMPTY_SECRET', value: '' },
        ]),
        // Not secrets: where a secret is, a resource's name, keys meant to be public, keys that are not cryptographic.
        not_secrets: ENV([
          { name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/secrets/sa.json' },
          { name: 'KMS_KEY', value: 'projects/p/locations/global/keyRings/app/cryptoKeys/data' },
          { name: 'KMS_KEY_RING', value: 'app' },
          { name: 'DB_PASSWORD_SECRET', value: 'projects/p/secrets/db-password/versions/latest' },
          { name: 'STRIPE_PUBLISHABLE_KEY', value: 'pk_live_51Habc' },
          { name: 'STRIPE_KEY', value: 'pk_test_51Habc' },
          { name: 'NEXT_PUBLIC_MAPS_API_KEY', value: 'AIzaSyExample' },
          { name: 'RECAPTCHA_SITE_KEY', value: '6LcExample' },
          { name: 'RECAPTCHA_SITE', value: '6LcExample' },
          { name: 'SORT_KEY', value: 'created_at' },
          { name: 'CACHE_KEY', value: 'v2' },
          { name: 'PASSWORD_POLICY', value: 'strict' },
          { name: 'SIGNING_KEY_ID', value: 'key-2024' },
          { name: 'SIGNING_KEY_NAME', value: 'main' },
          { name: 'DEPLOY_SSH_PUBLIC', value: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample deploy@example.com' },
          { name: 'SERVICE_URL', value: 'https://api.example.com:8443/v1' },
          { name: 'PWD', value: 'app' },
        ]),
      },
      google_cloudfunctions2_function: { build: { name: 'g', location: 'us-central1', build_config: { environment_variables: { GOOGLE_NODE_RUN_SCRIPTS: 'build' } } } },
      google_compute_instance_template: {
        fetched: TEMPLATE({ metadata: { 'block-project-ssh-keys': 'TRUE', 'startup-script': `TOKEN="$(gcp_token)"\nDB_PASSWORD=$(gcp_secret p db)\nprintf '%s' '${b64('production')}' | base64 -d > /run/serverpod/env/runmode\n` } }),
        paths: TEMPLATE({ metadata: { 'block-project-ssh-keys': 'TRUE', 'startup-script': 'export GOOGLE_APPLICATION_CREDENTIALS=/etc/app/sa.json\nexport KMS_KEY=projects/p/locations/global/keyRings/app/cryptoKeys/data\n' } }),
      },
    },
  },
  'GCP-SECRET-LITERAL-VALUE': {
    attributes: ['secret_data'],
    failing: { google_secret_manager_secret_version: { bad: { secret: '${google_secret_manager_secret.s.id}', secret_data: 'hunter22' } } },
    passing: {
      google_secret_manager_secret_version: {
        generated: { secret: '${google_secret_manager_secret.s.id}', secret_data: '${random_password.p.result}' },
        write_only: { secret: '${google_secret_manager_secret.s.id}', secret_data_wo: '${ephemeral.random_password.p.result}', secret_data_wo_version: 1 },
      },
    },
  },
};

const rule = (id: string): GuardrailRule => GCP_RULES.find((r) => r.id === id)!;

/** The addresses of a fixture's resources named `bad*`: those the rule must flag. */
function badAddresses(resources: FixtureResources): string[] {
  return Object.entries(resources).flatMap(([type, byName]) => Object.keys(byName).filter((n) => n.startsWith('bad')).map((n) => `${type}.${n}`));
}

describe('the GCP rule pack', () => {
  test('every rule has a fixture, and every fixture a rule', () => {
    expect(GCP_RULES.map((r) => r.id).filter((id) => !(id in FIXTURES))).toEqual([]);
    expect(Object.keys(FIXTURES).filter((id) => !GCP_RULES.some((r) => r.id === id))).toEqual([]);
  });

  test('ids are unique and well formed: GCP-<AREA>-<WHAT>, uppercase', () => {
    const ids = GCP_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^GCP-[A-Z0-9]+(-[A-Z0-9]+)+$/);
    expect(ids.length).toBeGreaterThanOrEqual(22);
  });

  test.each(GCP_RULES.map((r) => [r.id, r] as const))('%s has a title, an explanation, controls and types', (_id, r) => {
    expect(r.cloud).toBe('gcp');
    expect(['error', 'warning']).toContain(r.severity);
    expect(r.title.length).toBeGreaterThan(10);
    expect(r.title).not.toMatch(/\n/);
    // Two to four sentences, saying how to fix: an argument in backquotes.
    const sentences = r.explanation.split(/(?<=[.!?])\s+(?=[A-Z`(])/).length;
    expect(sentences).toBeGreaterThanOrEqual(2);
    expect(sentences).toBeLessThanOrEqual(4);
    expect(r.explanation).toMatch(/`[a-z_.]+/);
    expect(Array.isArray(r.controls)).toBe(true);
    for (const c of r.controls) expect(c).toMatch(/^(CKV2?_GCP_\d+|CIS GCP \d+(\.\d+)+)$/);
    expect(r.types.length).toBeGreaterThan(0);
    for (const t of r.types) expect(t).toMatch(/^google_[a-z0-9_]+$/);
  });
});

describe.each(Object.entries(FIXTURES))('%s', (id, fixture) => {
  test('flags each bad resource of its failing fixture, naming the address and the attribute', () => {
    const findings = findingsOf(rule(id), fixture.failing, fixture.environment, fixture.data);
    const expected = badAddresses(fixture.failing);
    expect(expected.length).toBeGreaterThan(0);
    expect([...new Set(findings.map((f) => f.resource))].sort()).toEqual(expected.sort());
    for (const f of findings) {
      expect(f.rule).toBe(id);
      expect(f.severity).toBe(rule(id).severity);
      expect(f.message.startsWith(`${f.resource} `)).toBe(true);
      const rest = f.message.slice(f.resource.length + 1);
      expect(fixture.attributes.some((a) => rest.startsWith(`${a}: `) && rest.length > a.length + 3)).toBe(true);
    }
  });

  test('passes its passing fixture', () => {
    expect(findingsOf(rule(id), fixture.passing, fixture.environment, fixture.data).map((f) => f.message)).toEqual([]);
  });
});

// ---- Cases the table does not show on its own

const messages = (id: string, resources: FixtureResources, environment?: string, data?: FixtureResources) => findingsOf(rule(id), resources, environment, data).map((f) => f.message);

describe('defaults and environments', () => {
  test('an absent ip_configuration is a public IP, and says so', () => {
    expect(messages('GCP-SQL-PUBLIC-IP', { google_sql_database_instance: { db: { ...SQL_BASE, settings: [{ tier: 'db-f1-micro' }] } } })).toEqual([
      'google_sql_database_instance.db settings.ip_configuration.ipv4_enabled: absent: the provider default is true, so the instance has a public IPv4 address',
    ]);
  });

  test('a public IP and the networks it admits are reported apart, so a suppression can take one', () => {
    const db = (ip: Record<string, unknown>) => ({ google_sql_database_instance: { db: { ...SQL_BASE, settings: { tier: 'db-f1-micro', ip_configuration: { ipv4_enabled: true, ssl_mode: 'ENCRYPTED_ONLY', ...ip } } } } });
    // Connectors only: the bare public IP.
    expect(messages('GCP-SQL-PUBLIC-IP', db({}))).toEqual(['google_sql_database_instance.db settings.ip_configuration.ipv4_enabled: true: the instance has a public IPv4 address']);
    expect(messages('GCP-SQL-PUBLIC-IP', db({ authorized_networks: [{ name: 'office', value: '203.0.113.0/24' }, { name: 'vpn', value: '${var.vpn}' }, { name: 'all', value: '0.0.0.0/0' }] }))).toEqual([
      'google_sql_database_instance.db settings.ip_configuration.ipv4_enabled: true: the instance has a public IPv4 address',
      'google_sql_database_instance.db settings.ip_configuration.authorized_networks: 203.0.113.0/24, 1 known only at apply: these addresses may connect to the public IP directly, not only through the Cloud SQL connectors',
    ]);
  });

  test('the production-only rules leave staging alone', () => {
    const db = { google_sql_database_instance: { db: { ...SQL_BASE, deletion_protection: false, settings: { tier: 'db-f1-micro', backup_configuration: { enabled: true } } } } };
    for (const id of ['GCP-SQL-BACKUPS', 'GCP-SQL-DELETION-PROTECTION', 'GCP-SQL-PITR']) {
      expect({ id, staging: messages(id, db, 'staging') }).toEqual({ id, staging: [] });
    }
    expect(messages('GCP-SQL-DELETION-PROTECTION', db, 'production')).toHaveLength(1);
    expect(messages('GCP-SQL-PITR', db, 'production')).toHaveLength(1);
  });

  test('an auto-mode network is the provider default', () => {
    expect(messages('GCP-VPC-AUTO-SUBNETS', { google_compute_network: { n: { name: 'n' } } })).toEqual([
      'google_compute_network.n auto_create_subnetworks: absent: the provider default, true, creates a subnet in every region',
    ]);
  });

  test('an SSL policy left at its defaults is TLS 1.0 with the COMPATIBLE profile', () => {
    const found = messages('GCP-LB-TLS-POLICY', {
      google_compute_ssl_policy: { p: { name: 'p' } },
      google_compute_target_https_proxy: { proxy: { name: 'x', url_map: 'm', ssl_policy: '${google_compute_ssl_policy.p.id}' } },
    });
    expect(found).toEqual(['google_compute_target_https_proxy.proxy ssl_policy: google_compute_ssl_policy.p has profile COMPATIBLE (the default), which allows weak cipher suites']);
  });

  test('an expression is never flagged, except where the rule reads an absent argument', () => {
    const cases: [string, FixtureResources][] = [
      ['GCP-GCS-UNIFORM-ACCESS', { google_storage_bucket: { b: { name: 'b', location: 'US', uniform_bucket_level_access: '${var.uniform}' } } }],
      ['GCP-GCS-VERSIONING', { google_storage_bucket: { b: { name: 'b', location: 'US', versioning: { enabled: '${var.v}' } } } }],
      ['GCP-REDIS-AUTH', { google_redis_instance: { r: { name: 'r', memory_size_gb: 1, auth_enabled: '${var.auth}' } } }],
      ['GCP-VPC-SSH-OPEN', { google_compute_firewall: { f: FIREWALL({ source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'tcp', ports: ['${var.port}'] }] }) } }],
      ['GCP-VPC-ALL-PORTS-OPEN', { google_compute_firewall: { f: FIREWALL({ source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'tcp', ports: '${var.ports}' }] }) } }],
      ['GCP-DNS-DNSSEC', { google_dns_managed_zone: { z: { name: 'z', dns_name: 'example.com.', visibility: '${var.visibility}' } } }],
      ['GCP-LB-HTTP-REDIRECT', { google_compute_url_map: { m: { name: 'm', default_url_redirect: { https_redirect: '${var.redirect}' } } }, google_compute_target_http_proxy: { p: { name: 'p', url_map: '${google_compute_url_map.m.id}' } } }],
    ];
    for (const [id, resources] of cases) expect({ id, found: messages(id, resources) }).toEqual({ id, found: [] });
  });
});

describe('firewall ports', () => {
  const open = (allow: unknown) => ({ google_compute_firewall: { f: FIREWALL({ source_ranges: ['0.0.0.0/0'], allow }) } });

  test.each([
    ['22', true],
    ['20-30', true],
    ['23-3388', false],
    ['1-21', false],
    ['3389', false],
  ])('SSH with ports [%s]: %s', (port, flagged) => {
    expect(messages('GCP-VPC-SSH-OPEN', open([{ protocol: 'tcp', ports: [port] }])).length > 0).toBe(flagged);
  });

  test('RDP inside a range, and by protocol number', () => {
    expect(messages('GCP-VPC-RDP-OPEN', open([{ protocol: '6', ports: ['3000-4000'] }]))).toHaveLength(1);
    expect(messages('GCP-VPC-RDP-OPEN', open([{ protocol: 'tcp', ports: ['3390-4000'] }]))).toEqual([]);
  });

  test('all ports: protocol all, no ports, or 1-65535; the message names what is open', () => {
    expect(messages('GCP-VPC-ALL-PORTS-OPEN', open([{ protocol: 'all' }]))).toEqual(['google_compute_firewall.f source_ranges: 0.0.0.0/0, and every protocol and port is allowed']);
    expect(messages('GCP-VPC-ALL-PORTS-OPEN', open([{ protocol: 'tcp', ports: ['1-65535'] }]))).toEqual(['google_compute_firewall.f source_ranges: 0.0.0.0/0, and every TCP port (1-65535) is allowed']);
    expect(messages('GCP-VPC-ALL-PORTS-OPEN', open([{ protocol: 'tcp', ports: ['1-65534'] }]))).toEqual([]);
  });

  test('ranges that together cover every port are every port', () => {
    expect(messages('GCP-VPC-ALL-PORTS-OPEN', open([{ protocol: 'tcp', ports: ['0-32767', '32768-65535'] }]))).toEqual([
      'google_compute_firewall.f source_ranges: 0.0.0.0/0, and every TCP port (0-32767, 32768-65535) is allowed',
    ]);
    expect(messages('GCP-VPC-ALL-PORTS-OPEN', open([{ protocol: 'udp', ports: ['1-100'] }, { protocol: 'udp', ports: ['50-65535', '7'] }]))).toHaveLength(1);
    expect(messages('GCP-VPC-ALL-PORTS-OPEN', open([{ protocol: 'tcp', ports: ['1-100', '102-65535'] }]))).toEqual([]);
  });

  test('firewall policy rules: the allow INGRESS rules, by match.src_ip_ranges and layer4 configs', () => {
    expect(messages('GCP-VPC-SSH-OPEN', { google_compute_network_firewall_policy_rule: { r: POLICY_RULE(['0.0.0.0/0'], [{ ip_protocol: 'tcp', ports: ['22'] }]) } })).toEqual([
      'google_compute_network_firewall_policy_rule.r match.src_ip_ranges: 0.0.0.0/0, and port 22 (SSH) is allowed',
    ]);
    const withRules = {
      google_compute_firewall_policy_with_rules: {
        p: { short_name: 'p', parent: 'organizations/1', rule: [{ priority: 10, action: 'allow', direction: 'INGRESS', match: { src_ip_ranges: ['0.0.0.0/0'], layer4_config: [{ ip_protocol: 'all' }] } }] },
      },
    };
    expect(messages('GCP-VPC-ALL-PORTS-OPEN', withRules)).toEqual([
      'google_compute_firewall_policy_with_rules.p rule.match.src_ip_ranges: 0.0.0.0/0 (rule priority 10), and every protocol and port is allowed',
    ]);
    expect(messages('GCP-VPC-SSH-OPEN', { google_compute_firewall_policy_rule: { r: POLICY_RULE('${var.ranges}' as never, [{ ip_protocol: 'tcp', ports: ['22'] }]) } })).toEqual([]);
  });

  test('an ingress rule with no source at all is open to the world', () => {
    expect(messages('GCP-VPC-SSH-OPEN', { google_compute_firewall: { f: FIREWALL({ allow: [{ protocol: 'tcp', ports: ['22'] }] }) } })).toEqual([
      'google_compute_firewall.f source_ranges: absent (and no source_tags or source_service_accounts): the rule applies to 0.0.0.0/0, and port 22 (SSH) is allowed',
    ]);
    expect(messages('GCP-VPC-SSH-OPEN', { google_compute_firewall: { f: FIREWALL({ source_service_accounts: ['a@p.iam.gserviceaccount.com'], allow: [{ protocol: 'tcp', ports: ['22'] }] }) } })).toEqual([]);
  });
});

describe('public Cloud Run invocation', () => {
  const stack = (ingress: string | undefined) => ({
    google_cloud_run_v2_service: { svc: RUN_SERVICE(ingress) },
    google_cloud_run_v2_service_iam_member: { invoker: INVOKER('svc') },
  });

  test('behind a load balancer only, allUsers as invoker is how a public app works', () => {
    expect(messages('GCP-IAM-PUBLIC-MEMBER', stack('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER'))).toEqual([]);
    expect(messages('GCP-RUN-PUBLIC-DIRECT', stack('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER'))).toEqual([]);
  });

  test('with ingress ALL (or none), the run.app URL bypasses the load balancer: a warning, not an error', () => {
    const expected = ['google_cloud_run_v2_service_iam_member.invoker member: allUsers may invoke google_cloud_run_v2_service.svc directly at its run.app URL (ingress allows all traffic)'];
    expect(messages('GCP-RUN-PUBLIC-DIRECT', stack(undefined))).toEqual(expected);
    expect(messages('GCP-RUN-PUBLIC-DIRECT', stack('INGRESS_TRAFFIC_ALL'))).toEqual(expected);
    expect(messages('GCP-IAM-PUBLIC-MEMBER', stack(undefined))).toEqual([]);
    expect(GCP_RULES.find((r) => r.id === 'GCP-RUN-PUBLIC-DIRECT')!.severity).toBe('warning');
  });

  test('with ingress internal only, anything in the VPC may call it: an error', () => {
    expect(messages('GCP-IAM-PUBLIC-MEMBER', stack('INGRESS_TRAFFIC_INTERNAL_ONLY'))).toEqual([
      'google_cloud_run_v2_service_iam_member.invoker member: allUsers may invoke google_cloud_run_v2_service.svc, whose ingress is internal only: anything in the VPC may call it without identity',
    ]);
    expect(messages('GCP-RUN-PUBLIC-DIRECT', stack('INGRESS_TRAFFIC_INTERNAL_ONLY'))).toEqual([]);
  });

  test('invoker_iam_disabled is the same as allUsers as invoker', () => {
    const service = (ingress?: string) => ({ google_cloud_run_v2_service: { svc: { ...RUN_SERVICE(ingress), invoker_iam_disabled: true } } });
    expect(messages('GCP-RUN-PUBLIC-DIRECT', service())).toEqual([
      'google_cloud_run_v2_service.svc invoker_iam_disabled: anyone (IAM is not checked) may invoke google_cloud_run_v2_service.svc directly at its run.app URL (ingress allows all traffic)',
    ]);
    expect(messages('GCP-IAM-PUBLIC-MEMBER', service('INGRESS_TRAFFIC_INTERNAL_ONLY'))).toHaveLength(1);
    expect(messages('GCP-IAM-PUBLIC-MEMBER', service('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER'))).toEqual([]);
    expect(messages('GCP-RUN-PUBLIC-DIRECT', { google_cloud_run_v2_service: { svc: { ...RUN_SERVICE(), invoker_iam_disabled: '${var.public}' } } })).toEqual([]);
  });

  test('a grant by literal name is on the service of that name in its location and project', () => {
    const services = {
      google_cloud_run_v2_service: {
        us: { ...RUN_SERVICE(), name: 'api' },
        eu: { ...RUN_SERVICE('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER'), name: 'api', location: 'europe-west1' },
      },
    };
    const grant = (extra: Record<string, unknown>) => ({ ...services, google_cloud_run_v2_service_iam_member: { invoker: { name: 'api', role: 'roles/run.invoker', member: 'allUsers', ...extra } } });
    expect(messages('GCP-RUN-PUBLIC-DIRECT', grant({ location: 'europe-west1' }))).toEqual([]);
    expect(messages('GCP-RUN-PUBLIC-DIRECT', grant({ location: 'us-central1' }))).toEqual([
      'google_cloud_run_v2_service_iam_member.invoker member: allUsers may invoke google_cloud_run_v2_service.us directly at its run.app URL (ingress allows all traffic)',
    ]);
    // No location: the provider's region, us-central1.
    expect(messages('GCP-RUN-PUBLIC-DIRECT', grant({}))).toHaveLength(1);
    expect(messages('GCP-RUN-PUBLIC-DIRECT', grant({ name: 'projects/p/locations/europe-west1/services/api' }))).toEqual([]);
    // Another project's service of the same name is not the stack's.
    expect(messages('GCP-RUN-PUBLIC-DIRECT', grant({ location: 'us-central1', project: 'other' }))).toEqual([]);
    expect(messages('GCP-IAM-PUBLIC-MEMBER', grant({ location: 'us-central1', project: 'other' }))).toEqual([
      'google_cloud_run_v2_service_iam_member.invoker member: allUsers may invoke a service this stack does not hold, whose ingress cannot be checked',
    ]);
  });

  test('a v1 service reads the ingress annotation', () => {
    const v1 = (ingress: string) => ({
      google_cloud_run_service: { svc: { name: 'svc', location: 'us-central1', metadata: { annotations: { 'run.googleapis.com/ingress': ingress } } } },
      google_cloud_run_service_iam_binding: { invoker: { service: '${google_cloud_run_service.svc.name}', location: 'us-central1', role: 'roles/run.invoker', members: ['allUsers'] } },
    });
    expect(messages('GCP-RUN-PUBLIC-DIRECT', v1('internal-and-cloud-load-balancing'))).toEqual([]);
    expect(messages('GCP-RUN-PUBLIC-DIRECT', v1('all'))).toHaveLength(1);
    expect(messages('GCP-IAM-PUBLIC-MEMBER', v1('internal'))).toHaveLength(1);
  });

  test('a policy from a google_iam_policy data source is read', () => {
    const data = { google_iam_policy: { public: { binding: [{ role: 'roles/run.invoker', members: ['allUsers'] }] } } };
    const resources = {
      google_cloud_run_v2_service: { svc: RUN_SERVICE() },
      google_cloud_run_v2_service_iam_policy: { policy: { name: '${google_cloud_run_v2_service.svc.name}', location: 'us-central1', policy_data: '${data.google_iam_policy.public.policy_data}' } },
    };
    expect(messages('GCP-RUN-PUBLIC-DIRECT', resources, undefined, data)).toEqual([
      'google_cloud_run_v2_service_iam_policy.policy policy_data: allUsers may invoke google_cloud_run_v2_service.svc directly at its run.app URL (ingress allows all traffic)',
    ]);
    // A dynamic binding block too.
    const dynamic = { google_iam_policy: { public: { dynamic: { binding: { for_each: '${var.roles}', content: { role: 'roles/run.invoker', members: ['allUsers'] } } } } } };
    expect(messages('GCP-RUN-PUBLIC-DIRECT', resources, undefined, dynamic)).toHaveLength(1);
    expect(messages('GCP-RUN-PUBLIC-DIRECT', resources)).toEqual([]); // no such data source: nothing to read
  });
});

describe('secret-looking variables', () => {
  const env = (name: string, value: string) => messages('GCP-SECRET-PLAINTEXT-ENV', { google_cloud_run_v2_service: { s: ENV([{ name, value }]) } }).length > 0;

  test.each([
    ['DATABASE_PASSWORD', true],
    ['SERVERPOD_PASSWORD_mailgunKey', true],
    ['stripeApiKey', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['GOOGLE_CREDENTIALS', true],
    ['SLACK_TOKEN', true],
    ['sessionPepper', true],
    ['AWS_ACCESS_KEY_ID', false],
    ['TOKEN_TTL', false],
    ['JWT_PUBLIC_KEY', false],
    ['KEYBOARD_LAYOUT', false],
    ['MONKEY', false],
    ['SERVERPOD_API_SERVER_PUBLIC_HOST', false],
    ['DB_PASS', true],
    ['PGPASSWORD', true],
    ['MYSQL_PWD', true],
    ['REDIS_PWD', true],
    ['SSH_KEY_PASSPHRASE', true],
    ['STRIPE_SK', true],
    ['RECAPTCHA_SECRET_KEY', true],
    ['STRIPE_PUBLISHABLE_KEY', false],
    ['PUBLIC_API_KEY', false],
    ['RECAPTCHA_SITE_KEY', false],
    ['TURNSTILE_SITE_KEY', false],
    ['SITE_API_KEY', true],
    ['SORT_KEY', false],
    ['PARTITION_KEY', false],
    ['KMS_KEY', false],
    ['KMS_KEY_RING', false],
    ['PASSWORD_POLICY', false],
    ['SIGNING_KEY_ID', false],
    ['SIGNING_KEY_NAME', false],
    ['SK_ATTRIBUTE', false],
    ['PWD', false],
  ])('%s with a literal value: %s', (name, flagged) => {
    expect(env(name, 'some-literal-value')).toBe(flagged);
  });

  test.each([
    ['GOOGLE_APPLICATION_CREDENTIALS', '/secrets/sa.json', false],
    ['GOOGLE_APPLICATION_CREDENTIALS', '{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE"}', true],
    ['KMS_KEY', 'projects/p/locations/global/keyRings/r/cryptoKeys/k', false],
    ['API_KEY', 'projects/p/secrets/api-key/versions/3', false],
    ['STRIPE_KEY', 'pk_live_51Habc', false],
    ['STRIPE_KEY', 'sk_live_51Habc', true],
    ['PAYMENT_PROVIDER_CONFIG', 'sk_test_51Habc', true],
    ['DATABASE_URL', 'postgres://app:hunter22@db.internal/app', true],
    ['DATABASE_URL', 'postgres://app@db.internal/app', false],
    ['REDIS_URL', 'redis://:hunter22@10.0.0.4:6379/0', true],
    ['CACHE', 'rediss://default:hunter22@cache.example.com:6380', true],
    ['API_URL', 'https://api.example.com:8443/v1', false],
  ])('%s=%s: %s', (name, value, flagged) => {
    expect(env(name, value)).toBe(flagged);
  });

  test('the attribute names the variable, and the message never holds its value', () => {
    const found = messages('GCP-SECRET-PLAINTEXT-ENV', {
      google_cloud_run_v2_service: { s: ENV([{ name: 'DB_PASSWORD', value: 'hunter22' }, { name: 'DATABASE_URL', value: 'postgres://app:hunter22@10.0.0.3/app' }]) },
      google_compute_instance_template: { t: TEMPLATE({ metadata: { 'block-project-ssh-keys': 'TRUE', 'startup-script': 'export DATABASE_URL=postgres://app:hunter22@10.0.0.3/app\n' } }) },
    });
    expect(found).toEqual([
      'google_cloud_run_v2_service.s template.containers.env.DB_PASSWORD: a literal value, not a Secret Manager reference',
      'google_cloud_run_v2_service.s template.containers.env.DATABASE_URL: a URL with a literal password in it, not a Secret Manager reference',
      "google_compute_instance_template.t metadata.startup-script.DATABASE_URL: a URL with a literal password in it, set in the script, readable by anyone who may view the instance's metadata",
    ]);
    expect(found.join()).not.toContain('hunter22');
  });

  test('the failing fixture reports every variable it lists', () => {
    const fixture = FIXTURES['GCP-SECRET-PLAINTEXT-ENV'];
    const reported = findingsOf(rule('GCP-SECRET-PLAINTEXT-ENV'), fixture.failing).map((f) => f.attribute);
    expect([...new Set(reported)].sort()).toEqual([...fixture.attributes].sort());
  });

  test('a suppression naming one variable covers only that one', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'run');
    new GoogleProvider(stack, 'google', { project: 'p', region: 'us-central1' });
    const service = new CloudRunV2Service(stack, 'svc', {
      name: 'svc',
      location: 'us-central1',
      ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
      template: { containers: [{ image: 'img', env: [{ name: 'DATABASE_URL', value: 'postgres://app:local@localhost/app' }, { name: 'DB_PASSWORD', value: 'hunter22' }] }] },
    });
    suppressGuardrails(service, [{ rule: 'GCP-SECRET-PLAINTEXT-ENV', reason: 'the URL names a throwaway local database in the container', attributes: ['template.containers.env.DATABASE_URL'] }]);
    Aspects.of(stack).add(new Guardrails({ rules: GCP_RULES.filter((r) => r.id === 'GCP-SECRET-PLAINTEXT-ENV'), print: false }));
    expect(() => app.synth()).toThrow(/GCP-SECRET-PLAINTEXT-ENV: google_cloud_run_v2_service\.svc template\.containers\.env\.DB_PASSWORD/);
    const report = JSON.parse(readFileSync(join(app.outdir, 'stacks', 'run', 'guardrails.json'), 'utf8')) as GuardrailsReport;
    expect(report.findings.map((f) => [f.message.split(' ')[1], f.suppressed])).toEqual([
      ['template.containers.env.DATABASE_URL:', true],
      ['template.containers.env.DB_PASSWORD:', false],
    ]);
  });
});
