import { ModelResource, StackModel } from '../../model/stack-model';
import { block, GuardrailRule, isExpression, isProduction, nestedBlocks, RuleViolation, violation } from '../rule';
import { plainSecret, plainSecretsInScript, SecretKind } from '../secrets';

// The Google Cloud rules. Each reads the synthesized arguments only: an argument that is a Terraform expression
// (`${...}`) is not known at synth and is never flagged, except where the rule reads an ABSENT argument whose
// provider default is the insecure value (that is said in the rule). Defaults are those of the google provider 6.x
// (the one @cdktf/provider-google 16 wraps).

// ---------------------------------------------------------------------------------------------------------------
// Reading arguments

/** A literal string argument; undefined for an expression or anything else. */
function text(value: unknown): string | undefined {
  return typeof value === 'string' && !isExpression(value) ? value : undefined;
}

/** A literal boolean argument (`true`, or the string `"true"` some writers leave); undefined when unknown or absent. */
function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && !isExpression(value)) {
    if (/^true$/i.test(value)) return true;
    if (/^false$/i.test(value)) return false;
  }
  return undefined;
}

/** A list argument's literal strings (an expression for the whole list gives none). */
function strings(value: unknown): readonly string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  return items.filter((v): v is string => typeof v === 'string' && !isExpression(v));
}

/** Whether an argument is absent (not written, or null). */
function absent(value: unknown): boolean {
  return value === undefined || value === null;
}

/** The first block at a dotted path of nested blocks (`settings.ip_configuration`), written out or `dynamic`. */
function blockAt(config: Readonly<Record<string, unknown>>, path: string): Readonly<Record<string, unknown>> | undefined {
  let node: Readonly<Record<string, unknown>> | undefined = config;
  for (const key of path.split('.')) node = node && nestedBlocks(node, key)[0];
  return node;
}

/** The value of a dotted path's last argument in the first block at the rest (`settings.ip_configuration.ipv4_enabled`), through `dynamic` blocks too. */
function valueAt(config: Readonly<Record<string, unknown>>, path: string): unknown {
  const i = path.lastIndexOf('.');
  return i < 0 ? config[path] : blockAt(config, path.slice(0, i))?.[path.slice(i + 1)];
}

/** A resource another resource's argument names: a reference to one of the stack's, of one of `types`. */
function referencedOf(stack: StackModel, value: unknown, types: readonly string[]): ModelResource | undefined {
  const found = stack.referenced(value);
  return found && types.includes(found.type) ? found : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// IAM members

const PUBLIC_MEMBERS: ReadonlySet<string> = new Set(['allUsers', 'allAuthenticatedUsers']);

/** One member granted one role by an IAM member, binding or literal policy resource. */
interface Grant {
  readonly role: string;
  readonly member: string;
  /** The argument the member is in (`member`, `members`, `policy_data`). */
  readonly attribute: string;
}

/** `${data.google_iam_policy.<name>.policy_data}`: the data source's name. */
const IAM_POLICY_DATA = /^\$\{data\.google_iam_policy\.([A-Za-z_][A-Za-z0-9_-]*)\.policy_data\}$/;

/**
 * The bindings of the `google_iam_policy` data source a `policy_data` argument names
 * (`${data.google_iam_policy.x.policy_data}`), from the stack's `data` section: its `binding` blocks' literal roles
 * and members. Undefined when the argument names no such data source of the stack.
 */
function iamPolicyDataBindings(stack: StackModel, value: unknown): readonly { readonly role: string; readonly members: readonly string[] }[] | undefined {
  const m = typeof value === 'string' ? IAM_POLICY_DATA.exec(value.trim()) : null;
  const doc = m ? stack.json.data?.google_iam_policy?.[m[1]] : undefined;
  if (!doc) return undefined;
  return nestedBlocks(doc, 'binding').flatMap((b) => {
    const role = text(b.role);
    return role === undefined ? [] : [{ role, members: strings(b.members) }];
  });
}

/**
 * The literal grants of an `*_iam_member`, `*_iam_binding` or `*_iam_policy` (with a literal `policy_data`, or one
 * from a `google_iam_policy` data source of the stack).
 */
function grants(config: Readonly<Record<string, unknown>>, stack: StackModel): readonly Grant[] {
  const out: Grant[] = [];
  const role = text(config.role);
  if (role !== undefined) {
    const member = text(config.member);
    if (member !== undefined) out.push({ role, member, attribute: 'member' });
    for (const m of strings(config.members)) out.push({ role, member: m, attribute: 'members' });
  }
  for (const b of iamPolicyDataBindings(stack, config.policy_data) ?? []) {
    for (const m of b.members) out.push({ role: b.role, member: m, attribute: 'policy_data' });
  }
  const policy = text(config.policy_data);
  if (policy !== undefined) {
    try {
      const doc = JSON.parse(policy) as { bindings?: { role?: unknown; members?: unknown }[] };
      for (const b of Array.isArray(doc.bindings) ? doc.bindings : []) {
        const r = text(b.role);
        if (r !== undefined) for (const m of strings(b.members)) out.push({ role: r, member: m, attribute: 'policy_data' });
      }
    } catch {
      // Not JSON: nothing to read.
    }
  }
  return out;
}

/** Every resource type with IAM member, binding and policy resources in the google provider (`google_<x>_iam_member`). */
const IAM_RESOURCES = [
  'access_context_manager_access_policy', 'apigee_environment', 'artifact_registry_repository', 'beyondcorp_application',
  'beyondcorp_security_gateway_application', 'beyondcorp_security_gateway', 'bigquery_analytics_hub_data_exchange',
  'bigquery_analytics_hub_listing', 'bigquery_connection', 'bigquery_datapolicy_data_policy', 'bigquery_dataset', 'bigquery_table',
  'bigtable_instance', 'bigtable_table', 'billing_account', 'binary_authorization_attestor', 'cloud_run_service', 'cloud_run_v2_job',
  'cloud_run_v2_service', 'cloud_run_v2_worker_pool', 'cloud_tasks_queue', 'cloudbuildv2_connection', 'clouddeploy_custom_target_type',
  'clouddeploy_delivery_pipeline', 'clouddeploy_target', 'cloudfunctions_function', 'cloudfunctions2_function', 'colab_runtime_template',
  'compute_disk', 'compute_image', 'compute_instance', 'compute_instance_template', 'compute_instant_snapshot', 'compute_region_disk',
  'compute_snapshot', 'compute_storage_pool', 'compute_subnetwork', 'container_analysis_note', 'data_catalog_entry_group',
  'data_catalog_policy_tag', 'data_catalog_tag_template', 'data_catalog_taxonomy', 'data_fusion_instance', 'dataplex_aspect_type',
  'dataplex_asset', 'dataplex_datascan', 'dataplex_entry_group', 'dataplex_entry_type', 'dataplex_glossary', 'dataplex_lake', 'dataplex_task',
  'dataplex_zone', 'dataproc_autoscaling_policy', 'dataproc_cluster', 'dataproc_job', 'dataproc_metastore_database',
  'dataproc_metastore_federation', 'dataproc_metastore_service', 'dataproc_metastore_table', 'dns_managed_zone',
  'endpoints_service_consumers', 'endpoints_service', 'folder', 'gemini_repository_group', 'gke_backup_backup_plan',
  'gke_backup_restore_plan', 'gke_hub_feature', 'gke_hub_membership', 'gke_hub_scope', 'healthcare_consent_store', 'healthcare_dataset',
  'healthcare_dicom_store', 'healthcare_fhir_store', 'healthcare_hl7_v2_store', 'iam_workforce_pool', 'iap_app_engine_service',
  'iap_app_engine_version', 'iap_tunnel_dest_group', 'iap_tunnel', 'iap_tunnel_instance', 'iap_web_backend_service',
  'iap_web_cloud_run_service', 'iap_web', 'iap_web_region_backend_service', 'iap_web_type_app_engine', 'iap_web_type_compute',
  'kms_crypto_key', 'kms_ekm_connection', 'kms_key_ring', 'logging_log_view', 'network_security_address_group', 'notebooks_instance',
  'notebooks_runtime', 'organization', 'privateca_ca_pool', 'privateca_certificate_template', 'project', 'pubsub_schema',
  'pubsub_subscription', 'pubsub_topic', 'scc_source', 'scc_v2_organization_source', 'secret_manager_regional_secret',
  'secret_manager_secret', 'secure_source_manager_instance', 'secure_source_manager_repository', 'service_account',
  'sourcerepo_repository', 'spanner_database', 'spanner_instance', 'storage_bucket', 'storage_managed_folder', 'tags_tag_key',
  'tags_tag_value', 'workbench_instance',
] as const;

/** The member, binding and policy resource types of IAM on resources of `kinds`. */
const iamTypes = (kinds: readonly string[]): readonly string[] => kinds.flatMap((r) => [`google_${r}_iam_member`, `google_${r}_iam_binding`, `google_${r}_iam_policy`]);
const IAM_MEMBER_TYPES: readonly string[] = iamTypes(IAM_RESOURCES);
const HIERARCHY_IAM_TYPES: readonly string[] = iamTypes(['project', 'folder', 'organization']);
const CLOUD_RUN_SERVICE_IAM_TYPES: readonly string[] = iamTypes(['cloud_run_v2_service', 'cloud_run_service']);
const BUCKET_IAM_TYPES: readonly string[] = ['google_storage_bucket_iam_member', 'google_storage_bucket_iam_binding', 'google_storage_bucket_iam_policy'];

// ---------------------------------------------------------------------------------------------------------------
// Cloud Storage access

/** Bucket roles whose permissions include `storage.objects.list`. */
const LISTING_ROLES: ReadonlySet<string> = new Set([
  'roles/storage.objectViewer', 'roles/storage.objectUser', 'roles/storage.objectAdmin', 'roles/storage.admin',
  'roles/storage.legacyBucketReader', 'roles/storage.legacyBucketWriter', 'roles/storage.legacyBucketOwner',
]);
/** Bucket roles that create, overwrite or delete objects or change their ACLs. */
const WRITING_ROLES: ReadonlySet<string> = new Set([
  'roles/storage.objectCreator', 'roles/storage.objectUser', 'roles/storage.objectAdmin', 'roles/storage.admin',
  'roles/storage.legacyBucketWriter', 'roles/storage.legacyBucketOwner', 'roles/storage.legacyObjectOwner',
]);

/** An ACL entry: a role (`READER`, `WRITER`, `OWNER`) and an entity (`allUsers`, `user-x@example.com`). */
interface AclEntry {
  readonly role: string;
  readonly entity: string;
  readonly attribute: string;
}

/** The literal entries of an ACL resource: `role_entity` (`"READER:allUsers"`) or `role` + `entity`. */
function aclEntries(config: Readonly<Record<string, unknown>>): readonly AclEntry[] {
  const out: AclEntry[] = [];
  for (const pair of strings(config.role_entity)) {
    const i = pair.indexOf(':');
    if (i > 0) out.push({ role: pair.slice(0, i).toUpperCase(), entity: pair.slice(i + 1), attribute: 'role_entity' });
  }
  const role = text(config.role);
  const entity = text(config.entity);
  if (role !== undefined && entity !== undefined) out.push({ role: role.toUpperCase(), entity, attribute: 'entity' });
  return out;
}

const BUCKET_ACL_TYPES: readonly string[] = ['google_storage_bucket_acl', 'google_storage_bucket_access_control'];
const OBJECT_ACL_TYPES: readonly string[] = [
  'google_storage_default_object_acl', 'google_storage_default_object_access_control', 'google_storage_object_acl', 'google_storage_object_access_control',
];

/** Who an ACL resource's `predefined_acl` opens the bucket to, for listing and for writing. */
const PREDEFINED_BUCKET_ACLS: Readonly<Record<string, { readonly list: boolean; readonly write: boolean }>> = {
  publicRead: { list: true, write: false },
  publicReadWrite: { list: true, write: true },
  authenticatedRead: { list: true, write: false },
};

// ---------------------------------------------------------------------------------------------------------------
// Compute

const INSTANCE_TYPES: readonly string[] = ['google_compute_instance', 'google_compute_instance_template', 'google_compute_region_instance_template', 'google_compute_instance_from_template'];

/** `<number>-compute@developer.gserviceaccount.com`, the project's default Compute Engine service account. */
const DEFAULT_COMPUTE_SA = /^\d+-compute@developer\.gserviceaccount\.com$/;
/** `${data.google_compute_default_service_account.<name>.email}`: the same account, looked up. */
const DEFAULT_COMPUTE_SA_DATA = /^\$\{data\.google_compute_default_service_account\.[A-Za-z_][A-Za-z0-9_-]*\.email\}$/;
const FULL_ACCESS_SCOPES: ReadonlySet<string> = new Set(['cloud-platform', 'https://www.googleapis.com/auth/cloud-platform']);

/** How an instance or template uses the default Compute Engine service account, if it does. */
function defaultServiceAccount(config: Readonly<Record<string, unknown>>): { readonly fullAccess: boolean; readonly how: string } | undefined {
  const sa = blockAt(config, 'service_account');
  if (!sa) return undefined; // No service account: the VM has no Google identity at all.
  const email = sa.email;
  let how: string;
  if (absent(email) || email === '') how = 'absent: the provider attaches the default Compute Engine service account';
  else if (email === 'default') how = 'default: the default Compute Engine service account';
  else if (typeof email === 'string' && DEFAULT_COMPUTE_SA.test(email)) how = `${email}: the default Compute Engine service account`;
  else if (typeof email === 'string' && DEFAULT_COMPUTE_SA_DATA.test(email.trim())) how = `${email.trim()}: the default Compute Engine service account`;
  else return undefined;
  return { fullAccess: strings(sa.scopes).some((s) => FULL_ACCESS_SCOPES.has(s)), how };
}

const PROJECT_METADATA_TYPES: readonly string[] = ['google_compute_project_metadata', 'google_compute_project_metadata_item'];

/** An instance's metadata value (`metadata.<key>`), case-insensitively by key. */
function metadataValue(config: Readonly<Record<string, unknown>>, key: string): unknown {
  const metadata = block(config.metadata);
  if (!metadata) return undefined;
  const found = Object.keys(metadata).find((k) => k.toLowerCase() === key);
  return found === undefined ? undefined : metadata[found];
}

/**
 * A metadata setting of an instance, template or the project (`google_compute_project_metadata`'s `metadata`, or a
 * `google_compute_project_metadata_item` with that `key`): its value and the argument holding it.
 */
function metadataSetting(resource: ModelResource, key: string): { readonly value: unknown; readonly attribute: string } | undefined {
  if (resource.type === 'google_compute_project_metadata_item') {
    return text(resource.config.key)?.toLowerCase() === key ? { value: resource.config.value, attribute: 'value' } : undefined;
  }
  const value = metadataValue(resource.config, key);
  return value === undefined ? undefined : { value, attribute: `metadata.${key}` };
}

// ---------------------------------------------------------------------------------------------------------------
// Firewall: VPC firewall rules, and the rules of firewall policies (hierarchical, global and regional network ones)

const WORLD = /^(0\.0\.0\.0|::)\/0$/;
const FIREWALL_POLICY_RULE_TYPES: readonly string[] = ['google_compute_firewall_policy_rule', 'google_compute_network_firewall_policy_rule', 'google_compute_region_network_firewall_policy_rule'];
const FIREWALL_POLICY_WITH_RULES_TYPES: readonly string[] = [
  'google_compute_firewall_policy_with_rules', 'google_compute_network_firewall_policy_with_rules', 'google_compute_region_network_firewall_policy_with_rules',
];
const FIREWALL_TYPES: readonly string[] = ['google_compute_firewall', ...FIREWALL_POLICY_RULE_TYPES, ...FIREWALL_POLICY_WITH_RULES_TYPES];

/** What one protocol entry of a rule allows: its protocol (lowercase, by name) and port ranges (none: every port). */
interface Allowed {
  readonly protocol: string;
  readonly ranges?: readonly (readonly [number, number])[];
}

/** An INGRESS rule that admits the whole internet: the argument saying so, how (problem text), what it allows. */
interface WorldIngress {
  readonly attribute: string;
  readonly world: string;
  readonly allowed: readonly Allowed[];
}

/** Whether a VPC firewall rule is INGRESS and admits the whole internet, and how (the problem text, without the ports). */
function openToWorld(config: Readonly<Record<string, unknown>>): string | undefined {
  const direction = text(config.direction);
  if (isExpression(config.direction) || (direction !== undefined && direction.toUpperCase() !== 'INGRESS')) return undefined;
  if (!absent(config.disabled) && bool(config.disabled) !== false) return undefined;
  const ranges = config.source_ranges;
  if (isExpression(ranges)) return undefined;
  const literal = strings(ranges);
  const world = literal.find((r) => WORLD.test(r.trim()));
  if (world) return world;
  const hasSources = (Array.isArray(ranges) && ranges.length > 0) || !absent(config.source_tags) || !absent(config.source_service_accounts);
  return hasSources ? undefined : 'absent (and no source_tags or source_service_accounts): the rule applies to 0.0.0.0/0';
}

const PROTOCOL_NUMBERS: Readonly<Record<string, string>> = { '6': 'tcp', '17': 'udp', '132': 'sctp' };

/** A port range (`"22"`, `"8000-8100"`): `[from, to]`; undefined for an expression or anything else. */
function portRange(port: string): [number, number] | undefined {
  const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(port);
  return m ? [Number(m[1]), Number(m[2] ?? m[1])] : undefined;
}

/** The protocol entries (`allow` blocks, `layer4_configs`) of a rule, with their literal protocols and ports. */
function allowedOf(entries: readonly Readonly<Record<string, unknown>>[], protocolKey: string): readonly Allowed[] {
  const out: Allowed[] = [];
  for (const entry of entries) {
    const raw = text(entry[protocolKey]);
    if (raw === undefined) continue;
    const protocol = PROTOCOL_NUMBERS[raw] ?? raw.toLowerCase();
    if (isExpression(entry.ports)) continue;
    const ports = Array.isArray(entry.ports) ? entry.ports : [];
    if (ports.length === 0) out.push({ protocol });
    else out.push({ protocol, ranges: ports.map((p) => (typeof p === 'string' ? portRange(p) : typeof p === 'number' ? ([p, p] as [number, number]) : undefined)).filter((r): r is [number, number] => r !== undefined) });
  }
  return out;
}

/** An `allow` INGRESS rule of a firewall policy whose `match.src_ip_ranges` hold the whole internet; `where` prefixes the argument. */
function policyRuleToWorld(rule: Readonly<Record<string, unknown>>, where: string, layer4Key: string, label: string): WorldIngress | undefined {
  if (text(rule.action)?.toLowerCase() !== 'allow') return undefined;
  const direction = text(rule.direction);
  if (isExpression(rule.direction) || (direction !== undefined && direction.toUpperCase() !== 'INGRESS')) return undefined;
  if (!absent(rule.disabled) && bool(rule.disabled) !== false) return undefined;
  const match = block(rule.match);
  if (!match || isExpression(match.src_ip_ranges)) return undefined;
  const world = strings(match.src_ip_ranges).find((r) => WORLD.test(r.trim()));
  if (!world) return undefined;
  return { attribute: `${where}match.src_ip_ranges`, world: `${world}${label}`, allowed: allowedOf(nestedBlocks(match, layer4Key), 'ip_protocol') };
}

/** The ways a firewall rule, firewall policy rule or policy with rules admits the whole internet. */
function worldIngress(resource: ModelResource): readonly WorldIngress[] {
  const c = resource.config;
  if (resource.type === 'google_compute_firewall') {
    const world = openToWorld(c);
    return world === undefined ? [] : [{ attribute: 'source_ranges', world, allowed: allowedOf(nestedBlocks(c, 'allow'), 'protocol') }];
  }
  if (FIREWALL_POLICY_RULE_TYPES.includes(resource.type)) {
    const found = policyRuleToWorld(c, '', 'layer4_configs', '');
    return found ? [found] : [];
  }
  return nestedBlocks(c, 'rule')
    .map((rule) => policyRuleToWorld(rule, 'rule.', 'layer4_config', ` (rule ${text(rule.rule_name) ?? `priority ${String(rule.priority)}`})`))
    .filter((w): w is WorldIngress => w !== undefined);
}

/** Whether protocol entries allow `port` on one of `protocols`. */
function allowsPort(allowed: readonly Allowed[], port: number, protocols: readonly string[]): boolean {
  return allowed.some((a) => a.protocol === 'all' || (protocols.includes(a.protocol) && (a.ranges === undefined || a.ranges.some(([from, to]) => from <= port && port <= to))));
}

/** Whether port ranges together cover every port, 1-65535 (`0-32767` and `32768-65535` do). */
function coversEveryPort(ranges: readonly (readonly [number, number])[]): boolean {
  let next = 1;
  for (const [from, to] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (from > next) break;
    next = Math.max(next, to + 1);
  }
  return next > 65535;
}

/** What of every port protocol entries allow (every protocol, or every port of a protocol with ports), if they do. */
function allowsAllPorts(allowed: readonly Allowed[]): string | undefined {
  if (allowed.some((a) => a.protocol === 'all')) return 'every protocol and port';
  for (const protocol of ['tcp', 'udp', 'sctp']) {
    const entries = allowed.filter((a) => a.protocol === protocol);
    if (entries.length === 0) continue;
    if (entries.some((a) => a.ranges === undefined)) return `every ${protocol.toUpperCase()} port`;
    const ranges = entries.flatMap((a) => a.ranges ?? []);
    if (coversEveryPort(ranges)) return `every ${protocol.toUpperCase()} port (${ranges.map(([f, t]) => (f === t ? `${f}` : `${f}-${t}`)).join(', ')})`;
  }
  return undefined;
}

function firewallPortRule(id: string, port: number, service: string, protocols: readonly string[], controls: readonly string[]): GuardrailRule {
  return {
    id,
    cloud: 'gcp',
    severity: 'error',
    title: `No firewall rule admits ${service} (port ${port}) from the whole internet`,
    explanation:
      `A firewall rule that allows port ${port} from 0.0.0.0/0 lets anyone try ${service} against every instance it targets. ` +
      'An INGRESS rule with no `source_ranges`, `source_tags` or `source_service_accounts` applies to 0.0.0.0/0 too, and an `allow` INGRESS rule of a firewall policy counts by its `match.src_ip_ranges` and `match.layer4_configs`. ' +
      `Narrow \`source_ranges\` (cdktf \`sourceRanges\`) or \`src_ip_ranges\` to known addresses${port === 22 ? ", or to Identity-Aware Proxy's 35.235.240.0/20 for SSH through IAP" : ''}.`,
    controls,
    types: FIREWALL_TYPES,
    check(resource) {
      return worldIngress(resource)
        .filter((w) => allowsPort(w.allowed, port, protocols))
        .map((w) => ({ attribute: w.attribute, problem: `${w.world}, and port ${port} (${service}) is allowed` }));
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Secrets in plain text

/** How this pack words each kind of plain secret (lib/guardrails/secrets.ts judges the variables). */
const SECRET_KIND_TEXT: Readonly<Record<SecretKind, string>> = {
  name: 'a literal value',
  url: 'a URL with a literal password in it',
  shape: 'a literal private key or API token (by its format)',
};

/** Metadata keys holding scripts, read for the variables they set. */
const SCRIPT_METADATA_KEYS: readonly string[] = ['startup-script', 'shutdown-script', 'gce-container-declaration', 'user-data'];

/**
 * The variables of a Cloud Run (v2 service, v2 job, v1 service) or Cloud Functions resource, or the metadata and
 * scripts of an instance or template, that hold a secret in plain text: one violation per variable, its attribute
 * naming it (`template.containers.env.DATABASE_URL`, `metadata.startup-script.API_TOKEN`) so a suppression can name one.
 */
function containerEnvViolations(resource: ModelResource): readonly RuleViolation[] {
  const out = new Map<string, string>();
  const add = (attribute: string, kind: SecretKind | undefined, where: string) => {
    if (kind && !out.has(attribute)) out.set(attribute, `${SECRET_KIND_TEXT[kind]}, ${where}`);
  };
  const reference = 'not a Secret Manager reference';
  const nested = (parent: Readonly<Record<string, unknown>> | undefined, name: string) => (parent ? nestedBlocks(parent, name) : []);
  const fromContainers = (containers: readonly Readonly<Record<string, unknown>>[], attribute: string) => {
    for (const e of containers.flatMap((c) => nestedBlocks(c, 'env'))) {
      const name = text(e.name);
      if (name !== undefined && absent(e.value_source) && absent(e.value_from)) add(`${attribute}.${name}`, plainSecret(name, e.value), reference);
    }
  };
  const fromMap = (map: unknown, attribute: string) => {
    for (const [k, v] of Object.entries(block(map) ?? {})) add(`${attribute}.${k}`, plainSecret(k, v), reference);
  };
  const fromScript = (script: unknown, attribute: string) => {
    if (typeof script !== 'string') return;
    for (const [name, kind] of plainSecretsInScript(script)) add(`${attribute}.${name}`, kind, "set in the script, readable by anyone who may view the instance's metadata");
  };
  const c = resource.config;
  switch (resource.type) {
    case 'google_cloud_run_v2_service':
      fromContainers(nested(blockAt(c, 'template'), 'containers'), 'template.containers.env');
      break;
    case 'google_cloud_run_v2_job':
      fromContainers(nested(blockAt(c, 'template.template'), 'containers'), 'template.template.containers.env');
      break;
    case 'google_cloud_run_service':
      fromContainers(nested(blockAt(c, 'template.spec'), 'containers'), 'template.spec.containers.env');
      break;
    case 'google_cloudfunctions_function':
      fromMap(c.environment_variables, 'environment_variables');
      fromMap(c.build_environment_variables, 'build_environment_variables');
      break;
    case 'google_cloudfunctions2_function':
      fromMap(blockAt(c, 'service_config')?.environment_variables, 'service_config.environment_variables');
      fromMap(blockAt(c, 'build_config')?.environment_variables, 'build_config.environment_variables');
      break;
    default: {
      // Instances and templates: metadata values, and variables set in the startup script or container declaration.
      const metadata = block(c.metadata) ?? {};
      for (const [k, v] of Object.entries(metadata)) {
        if (SCRIPT_METADATA_KEYS.includes(k.toLowerCase())) fromScript(v, `metadata.${k}`);
        else if (!/^(ssh-keys|sshKeys|block-project-ssh-keys)$/i.test(k)) add(`metadata.${k}`, plainSecret(k, v), 'readable by anyone who may view the instance and by every process on it');
      }
      fromScript(c.metadata_startup_script, 'metadata_startup_script');
    }
  }
  return [...out].map(([attribute, problem]) => ({ attribute, problem }));
}

// ---------------------------------------------------------------------------------------------------------------
// Load balancers

const SSL_POLICY_TYPES: readonly string[] = ['google_compute_ssl_policy', 'google_compute_region_ssl_policy'];
const TLS_ORDER = ['TLS_1_0', 'TLS_1_1', 'TLS_1_2', 'TLS_1_3'];

/** What is weak about an SSL policy, if anything. Defaults: `min_tls_version` TLS_1_0, `profile` COMPATIBLE. */
function weakSslPolicy(policy: ModelResource): string | undefined {
  const c = policy.config;
  if (isExpression(c.profile) || isExpression(c.min_tls_version)) return undefined;
  const profile = (text(c.profile) ?? 'COMPATIBLE').toUpperCase();
  const min = (text(c.min_tls_version) ?? 'TLS_1_0').toUpperCase();
  const named = (value: unknown, fallback: string) => (absent(value) ? `${fallback} (the default)` : fallback);
  if (profile === 'COMPATIBLE') return `${policy.address} has profile ${named(c.profile, 'COMPATIBLE')}, which allows weak cipher suites`;
  if (profile !== 'RESTRICTED' && TLS_ORDER.indexOf(min) < TLS_ORDER.indexOf('TLS_1_2')) return `${policy.address} allows ${named(c.min_tls_version, min)}, older than TLS 1.2`;
  if (profile === 'CUSTOM' && strings(c.custom_features).some((f) => /^TLS_RSA_|3DES/.test(f))) return `${policy.address} enables non-forward-secret or 3DES cipher suites`;
  return undefined;
}

const URL_MAP_TYPES: readonly string[] = ['google_compute_url_map', 'google_compute_region_url_map'];

/** Whether a URL map sends every request to HTTPS: a default redirect with `https_redirect`, and nothing served. */
function redirectsEverythingToHttps(urlMap: ModelResource): boolean | undefined {
  const c = urlMap.config;
  const redirect = blockAt(c, 'default_url_redirect');
  const https = bool(redirect?.https_redirect);
  if (redirect && https === undefined && isExpression(redirect.https_redirect)) return undefined;
  if (https !== true) return false;
  if (!absent(c.default_service) || !absent(c.default_route_action)) return false;
  for (const pm of nestedBlocks(c, 'path_matcher')) {
    if (!absent(pm.default_service) || !absent(pm.default_route_action) || nestedBlocks(pm, 'route_rules').length > 0 || !absent(pm.route_rules)) return false;
    const pmRedirect = blockAt(pm, 'default_url_redirect');
    if (pmRedirect && bool(pmRedirect.https_redirect) !== true) return false;
    for (const pr of nestedBlocks(pm, 'path_rule')) {
      if (!absent(pr.service) || !absent(pr.route_action)) return false;
      const prRedirect = blockAt(pr, 'url_redirect');
      if (prRedirect && bool(prRedirect.https_redirect) !== true) return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Cloud Run ingress

/** A Cloud Run service's ingress, `all`, `internal` or `load-balancer`; undefined when it cannot be read. */
function cloudRunIngress(service: ModelResource): 'all' | 'internal' | 'load-balancer' | undefined {
  if (service.type === 'google_cloud_run_v2_service') {
    const ingress = service.config.ingress;
    if (isExpression(ingress)) return undefined;
    switch (text(ingress) ?? 'INGRESS_TRAFFIC_ALL') {
      case 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER':
        return 'load-balancer';
      case 'INGRESS_TRAFFIC_INTERNAL_ONLY':
        return 'internal';
      default:
        return 'all';
    }
  }
  const annotations = block(blockAt(service.config, 'metadata')?.annotations);
  const ingress = annotations?.['run.googleapis.com/ingress'];
  if (isExpression(ingress)) return undefined;
  switch (text(ingress) ?? 'all') {
    case 'internal-and-cloud-load-balancing':
      return 'load-balancer';
    case 'internal':
      return 'internal';
    default:
      return 'all';
  }
}

const CLOUD_RUN_SERVICE_TYPES: readonly string[] = ['google_cloud_run_v2_service', 'google_cloud_run_service'];
/** The roles that let a member call a Cloud Run service. */
const INVOKER_ROLES: ReadonlySet<string> = new Set(['roles/run.invoker', 'roles/run.servicesInvoker']);

/** A resource's literal `location`, else its provider's region when it has none; undefined when unknown. */
function locationOf(resource: ModelResource, stack: StackModel): string | undefined {
  return absent(resource.config.location) ? stack.regionOf(resource) : text(resource.config.location);
}

/** A resource's literal `project`, else its provider's project when it has none; undefined when unknown. */
function projectOf(resource: ModelResource, stack: StackModel): string | undefined {
  return absent(resource.config.project) ? text(stack.providerOf(resource)?.project) : text(resource.config.project);
}

/**
 * The stack's Cloud Run services an IAM member, binding or policy may be on: the one it refers to, else those with
 * its literal name in its location and project (`projects/p/locations/l/services/s` or `s` with `location`,
 * `project` or the provider's), where both sides are known. None: the service is not the stack's.
 */
function cloudRunServicesOf(resource: ModelResource, stack: StackModel): readonly ModelResource[] {
  const target = resource.type.startsWith('google_cloud_run_v2_') ? resource.config.name : resource.config.service;
  const found = referencedOf(stack, target, CLOUD_RUN_SERVICE_TYPES);
  if (found) return [found];
  const name = text(target);
  if (name === undefined) return [];
  const short = name.split('/').pop();
  const location = /(?:^|\/)locations\/([^/]+)/.exec(name)?.[1] ?? locationOf(resource, stack);
  const project = /(?:^|\/)projects\/([^/]+)/.exec(name)?.[1] ?? projectOf(resource, stack);
  const same = (a: string | undefined, b: string | undefined) => a === undefined || b === undefined || a === b;
  return CLOUD_RUN_SERVICE_TYPES.flatMap((t) => stack.ofType(t)).filter(
    (s) => s.config.name === short && same(location, locationOf(s, stack)) && same(project, projectOf(s, stack)),
  );
}

/** How anyone may call a Cloud Run service without identity: a public invoker grant, or the v2 service's `invoker_iam_disabled`. */
interface PublicInvocation {
  readonly attribute: string;
  /** Who may call (`allUsers`), for the message. */
  readonly who: string;
  /** The stack's services it opens (none: a service the stack does not hold). */
  readonly services: readonly ModelResource[];
}

/** The public invocations of a Cloud Run service IAM resource, or of a v2 service with `invoker_iam_disabled`. */
function publicInvocations(resource: ModelResource, stack: StackModel): readonly PublicInvocation[] {
  if (resource.type === 'google_cloud_run_v2_service') {
    return bool(resource.config.invoker_iam_disabled) === true ? [{ attribute: 'invoker_iam_disabled', who: 'anyone (IAM is not checked)', services: [resource] }] : [];
  }
  if (!CLOUD_RUN_SERVICE_IAM_TYPES.includes(resource.type)) return [];
  const open = grants(resource.config, stack).filter((g) => PUBLIC_MEMBERS.has(g.member) && INVOKER_ROLES.has(g.role));
  if (open.length === 0) return [];
  const services = cloudRunServicesOf(resource, stack);
  return open.map((g) => ({ attribute: g.attribute, who: g.member, services }));
}

// ---------------------------------------------------------------------------------------------------------------
// The rules

const SQL = ['google_sql_database_instance'];

/** Whether a Cloud SQL instance is a read replica (backups and point-in-time recovery are the primary's). */
function isReplica(resource: ModelResource): boolean {
  return !absent(resource.config.master_instance_name) || !absent(resource.config.replica_configuration);
}

/** The Google Cloud rules. */
export const GCP_RULES: readonly GuardrailRule[] = [
  // ---- Cloud SQL ------------------------------------------------------------------------------------------------
  {
    id: 'GCP-SQL-PUBLIC-IP',
    cloud: 'gcp',
    severity: 'error',
    title: 'Cloud SQL instances have no public IPv4 address',
    explanation:
      'A Cloud SQL instance with a public IPv4 address can be reached from the internet by anything its authorized networks or the Cloud SQL connector admit. ' +
      'The provider assigns one unless `settings.ip_configuration.ipv4_enabled` is false: an instance without `ip_configuration` has one. ' +
      'Set `ipv4_enabled = false` and `private_network` (cdktf `settings.ipConfiguration.ipv4Enabled: false`, `privateNetwork`) and reach it over private services access. ' +
      'The public IP is reported on `ipv4_enabled`, and the networks it admits besides the connector (other than 0.0.0.0/0, GCP-SQL-OPEN-NETWORK’s) on `authorized_networks`, so a suppression can accept the one without the other.',
    controls: ['CKV_GCP_60', 'CIS GCP 6.6'],
    types: SQL,
    check(resource) {
      const value = valueAt(resource.config, 'settings.ip_configuration.ipv4_enabled');
      if (isExpression(value)) return [];
      const enabled = bool(value);
      if (enabled === false) return [];
      const out: RuleViolation[] = [
        { attribute: 'settings.ip_configuration.ipv4_enabled', problem: absent(value) ? 'absent: the provider default is true, so the instance has a public IPv4 address' : 'true: the instance has a public IPv4 address' },
      ];
      const ip = blockAt(resource.config, 'settings.ip_configuration');
      const networks = ip ? nestedBlocks(ip, 'authorized_networks') : [];
      const admitted = networks.map((n) => text(n.value)).filter((v) => v === undefined || !/\/0$/.test(v.trim()));
      if (admitted.length > 0) {
        const literal = admitted.filter((v): v is string => v !== undefined);
        const unknown = admitted.length - literal.length;
        const what = [...literal, ...(unknown > 0 ? [`${unknown} known only at apply`] : [])].join(', ');
        out.push({ attribute: 'settings.ip_configuration.authorized_networks', problem: `${what}: these addresses may connect to the public IP directly, not only through the Cloud SQL connectors` });
      }
      return out;
    },
  },
  {
    id: 'GCP-SQL-OPEN-NETWORK',
    cloud: 'gcp',
    severity: 'error',
    title: 'Cloud SQL authorized networks do not include the whole internet',
    explanation:
      'An authorized network of 0.0.0.0/0 lets any address on the internet open a connection to the instance’s public IP and try its passwords. ' +
      'List only the addresses that must connect in `settings.ip_configuration.authorized_networks` (cdktf `settings.ipConfiguration.authorizedNetworks`), or use the Cloud SQL connector or a private IP instead.',
    controls: ['CKV_GCP_11', 'CIS GCP 6.5'],
    types: SQL,
    check(resource) {
      const ip = blockAt(resource.config, 'settings.ip_configuration');
      if (!ip || bool(ip.ipv4_enabled) === false) return [];
      const open = nestedBlocks(ip, 'authorized_networks')
        .map((n) => text(n.value))
        .filter((v): v is string => v !== undefined && /\/0$/.test(v.trim()));
      return violation(open.length > 0, 'settings.ip_configuration.authorized_networks', `${open.join(', ')}: any address may connect to the public IP`);
    },
  },
  {
    id: 'GCP-SQL-SSL',
    cloud: 'gcp',
    severity: 'error',
    title: 'Cloud SQL instances accept only encrypted connections',
    explanation:
      'Without an SSL mode that requires encryption, Cloud SQL accepts unencrypted connections, so passwords and data can cross the network in clear text. ' +
      'The default `ssl_mode` is ALLOW_UNENCRYPTED_AND_ENCRYPTED. Set `settings.ip_configuration.ssl_mode` to ENCRYPTED_ONLY or TRUSTED_CLIENT_CERTIFICATE_REQUIRED ' +
      '(cdktf `settings.ipConfiguration.sslMode`).',
    controls: ['CKV_GCP_6', 'CIS GCP 6.4'],
    types: SQL,
    check(resource) {
      const mode = valueAt(resource.config, 'settings.ip_configuration.ssl_mode');
      if (isExpression(mode)) return [];
      const m = text(mode);
      if (m === 'ENCRYPTED_ONLY' || m === 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED') return [];
      return [
        {
          attribute: 'settings.ip_configuration.ssl_mode',
          problem: m !== undefined ? `${m}: unencrypted connections are accepted` : 'absent: the default, ALLOW_UNENCRYPTED_AND_ENCRYPTED, accepts unencrypted connections',
        },
      ];
    },
  },
  {
    id: 'GCP-SQL-BACKUPS',
    cloud: 'gcp',
    severity: 'error',
    title: 'Production Cloud SQL instances take automated backups',
    explanation:
      'Without automated backups a deleted table, a bad migration or a lost instance cannot be restored. ' +
      'Backups are off unless `settings.backup_configuration.enabled` is true. Set it (cdktf `settings.backupConfiguration.enabled: true`) with a `start_time` and `backup_retention_settings`. Read replicas are not checked.',
    controls: ['CKV_GCP_14', 'CIS GCP 6.7'],
    types: SQL,
    check(resource) {
      if (!isProduction(resource) || isReplica(resource)) return [];
      const value = valueAt(resource.config, 'settings.backup_configuration.enabled');
      if (isExpression(value) || bool(value) === true) return [];
      return [{ attribute: 'settings.backup_configuration.enabled', problem: absent(value) ? 'absent: backups are off by default' : 'false: no automated backups' }];
    },
  },
  {
    id: 'GCP-SQL-DELETION-PROTECTION',
    cloud: 'gcp',
    severity: 'error',
    title: 'Production Cloud SQL instances keep deletion protection',
    explanation:
      'With `deletion_protection = false`, a plan that replaces or destroys the instance deletes the database, and its automated backups with it unless a final backup is kept. ' +
      'Leave `deletion_protection` at its default, true (cdktf `deletionProtection`), in production; turn it off only for a deliberate teardown. ' +
      '`settings.deletion_protection_enabled` also guards against deletion outside Terraform.',
    controls: [],
    types: SQL,
    check(resource) {
      return violation(isProduction(resource) && bool(resource.config.deletion_protection) === false, 'deletion_protection', 'false: terraform destroy or a replacement deletes the production database');
    },
  },
  {
    id: 'GCP-SQL-PITR',
    cloud: 'gcp',
    severity: 'warning',
    title: 'Production Cloud SQL instances have point-in-time recovery',
    explanation:
      'Daily backups alone lose up to a day of writes; point-in-time recovery restores to any moment within the log retention. ' +
      'Set `settings.backup_configuration.point_in_time_recovery_enabled = true` for PostgreSQL and SQL Server, or `binary_log_enabled = true` for MySQL ' +
      '(cdktf `pointInTimeRecoveryEnabled`, `binaryLogEnabled`). Instances whose backups are off are left to GCP-SQL-BACKUPS, replicas to their primary.',
    controls: ['CKV2_GCP_20'],
    types: SQL,
    check(resource) {
      if (!isProduction(resource) || isReplica(resource)) return [];
      const backups = valueAt(resource.config, 'settings.backup_configuration.enabled');
      if (bool(backups) !== true) return [];
      const version = text(resource.config.database_version) ?? '';
      const attribute = version.startsWith('MYSQL') ? 'binary_log_enabled' : 'point_in_time_recovery_enabled';
      const value = valueAt(resource.config, `settings.backup_configuration.${attribute}`);
      if (isExpression(value) || bool(value) === true) return [];
      return [{ attribute: `settings.backup_configuration.${attribute}`, problem: absent(value) ? 'absent: off by default, so only the daily backups can be restored' : 'false: only the daily backups can be restored' }];
    },
  },

  // ---- Cloud Storage --------------------------------------------------------------------------------------------
  {
    id: 'GCP-GCS-UNIFORM-ACCESS',
    cloud: 'gcp',
    severity: 'error',
    title: 'Buckets use uniform bucket-level access',
    explanation:
      'With fine-grained access, every object carries its own ACL, so whoever may upload can make an object public or readable by others, whatever the bucket’s IAM policy says. ' +
      'The provider leaves `uniform_bucket_level_access` false unless set. Set it to true (cdktf `uniformBucketLevelAccess: true`) and grant access with IAM; ' +
      'a bucket whose clients must send object ACLs needs a suppression saying which.',
    controls: ['CKV_GCP_29', 'CIS GCP 5.2'],
    types: ['google_storage_bucket'],
    check(resource) {
      const value = resource.config.uniform_bucket_level_access;
      if (isExpression(value) || bool(value) === true) return [];
      return [{ attribute: 'uniform_bucket_level_access', problem: absent(value) ? 'absent: the bucket uses fine-grained (per-object ACL) access' : 'false: the bucket uses fine-grained (per-object ACL) access' }];
    },
  },
  {
    id: 'GCP-GCS-PUBLIC-ACCESS-PREVENTION',
    cloud: 'gcp',
    severity: 'warning',
    title: 'Buckets enforce public access prevention',
    explanation:
      'With `public_access_prevention = "enforced"`, no IAM grant or ACL can make the bucket or its objects public, whatever is added later. ' +
      'Without it (`inherited`, the default) the organization policy decides. Set `public_access_prevention = "enforced"` (cdktf `publicAccessPrevention: \'enforced\'`) on every bucket ' +
      'that is not meant to serve the public; a public bucket needs a suppression saying what it serves.',
    controls: ['CKV_GCP_114'],
    types: ['google_storage_bucket'],
    check(resource) {
      const value = resource.config.public_access_prevention;
      if (isExpression(value) || text(value) === 'enforced') return [];
      return [{ attribute: 'public_access_prevention', problem: absent(value) ? 'absent: a grant to allUsers can make the bucket public' : `${String(value)}: a grant to allUsers can make the bucket public` }];
    },
  },
  {
    id: 'GCP-GCS-PUBLIC-LIST',
    cloud: 'gcp',
    severity: 'error',
    title: 'Nobody outside the project can list a bucket’s objects',
    explanation:
      'A role with `storage.objects.list` (objectViewer, objectUser, objectAdmin, admin, legacyBucketReader/Writer/Owner) or a bucket ACL READER/WRITER/OWNER for allUsers or allAuthenticatedUsers ' +
      'lets anyone enumerate every object name, so unlinked or private-by-obscurity files are found. ' +
      'To serve objects publicly, grant `roles/storage.legacyObjectReader` (object reads only) instead, on a bucket meant to be public.',
    controls: ['CKV_GCP_28', 'CIS GCP 5.1'],
    types: [...BUCKET_IAM_TYPES, ...BUCKET_ACL_TYPES],
    check(resource, stack) {
      const out: RuleViolation[] = [];
      for (const g of grants(resource.config, stack)) {
        if (PUBLIC_MEMBERS.has(g.member) && LISTING_ROLES.has(g.role)) out.push({ attribute: g.attribute, problem: `${g.member} has ${g.role}, which lists every object in the bucket` });
      }
      for (const e of aclEntries(resource.config)) {
        if (PUBLIC_MEMBERS.has(e.entity) && ['READER', 'WRITER', 'OWNER'].includes(e.role)) out.push({ attribute: e.attribute, problem: `${e.role}:${e.entity} lets anyone list every object in the bucket` });
      }
      const predefined = text(resource.config.predefined_acl);
      if (predefined !== undefined && PREDEFINED_BUCKET_ACLS[predefined]?.list) out.push({ attribute: 'predefined_acl', problem: `${predefined}: anyone may list every object in the bucket` });
      return out;
    },
  },
  {
    id: 'GCP-GCS-PUBLIC-WRITE',
    cloud: 'gcp',
    severity: 'error',
    title: 'Nobody outside the project can write to a bucket',
    explanation:
      'A role that creates, overwrites or deletes objects (objectCreator, objectUser, objectAdmin, admin, legacyBucketWriter/Owner, legacyObjectOwner), a bucket ACL WRITER/OWNER or an object ACL OWNER ' +
      'for allUsers or allAuthenticatedUsers lets anyone replace the bucket’s files, serve malware from it or run up its bill. ' +
      'Remove the public `member` or `role_entity` entry and grant write access to named service accounts only; let browsers upload with signed URLs or policies the server issues.',
    controls: ['CKV_GCP_28', 'CIS GCP 5.1'],
    types: [...BUCKET_IAM_TYPES, ...BUCKET_ACL_TYPES, ...OBJECT_ACL_TYPES],
    check(resource, stack) {
      const out: RuleViolation[] = [];
      for (const g of grants(resource.config, stack)) {
        if (PUBLIC_MEMBERS.has(g.member) && WRITING_ROLES.has(g.role)) out.push({ attribute: g.attribute, problem: `${g.member} has ${g.role}, which writes objects` });
      }
      const objectLevel = OBJECT_ACL_TYPES.includes(resource.type);
      for (const e of aclEntries(resource.config)) {
        if (PUBLIC_MEMBERS.has(e.entity) && (e.role === 'OWNER' || e.role === 'WRITER')) {
          out.push({ attribute: e.attribute, problem: objectLevel ? `${e.role}:${e.entity} lets anyone change the objects' ACLs and metadata` : `${e.role}:${e.entity} lets anyone create, overwrite and delete objects` });
        }
      }
      const predefined = text(resource.config.predefined_acl);
      if (predefined !== undefined && PREDEFINED_BUCKET_ACLS[predefined]?.write) out.push({ attribute: 'predefined_acl', problem: `${predefined}: anyone may create, overwrite and delete objects` });
      return out;
    },
  },
  {
    id: 'GCP-GCS-PUBLIC-READ',
    cloud: 'gcp',
    severity: 'error',
    title: 'No object ACL lets anyone read objects',
    explanation:
      'An object ACL entry READER for allUsers or allAuthenticatedUsers, on objects (`google_storage_object_acl`, `google_storage_object_access_control`) or as a bucket’s default for new ones ' +
      '(`google_storage_default_object_acl`, `google_storage_default_object_access_control`), or an object’s `predefined_acl` publicRead or authenticatedRead, lets anyone on the internet download them. ' +
      'Remove the public entry; serve public files from a bucket meant to be public, with uniform access and `roles/storage.legacyObjectReader` for allUsers (which GCP-IAM-PUBLIC-MEMBER asks to be suppressed with a reason). ' +
      'Public OWNER entries are GCP-GCS-PUBLIC-WRITE’s findings.',
    controls: ['CKV_GCP_28', 'CIS GCP 5.1'],
    types: OBJECT_ACL_TYPES,
    check(resource) {
      const out: RuleViolation[] = [];
      const defaults = resource.type.startsWith('google_storage_default_object_');
      for (const e of aclEntries(resource.config)) {
        if (PUBLIC_MEMBERS.has(e.entity) && e.role === 'READER') {
          out.push({ attribute: e.attribute, problem: `${e.role}:${e.entity} lets anyone read ${defaults ? 'every object uploaded without an ACL of its own' : 'the object'}` });
        }
      }
      const predefined = text(resource.config.predefined_acl);
      if (predefined === 'publicRead' || predefined === 'authenticatedRead') out.push({ attribute: 'predefined_acl', problem: `${predefined}: anyone may read the object` });
      return out;
    },
  },
  {
    id: 'GCP-GCS-VERSIONING',
    cloud: 'gcp',
    severity: 'warning',
    title: 'Buckets keep object versions',
    explanation:
      'Without versioning, an overwritten or deleted object is gone: a bug, a compromised key or a mistaken sync cannot be undone. ' +
      'Set `versioning { enabled = true }` (cdktf `versioning: { enabled: true }`) with a `lifecycle_rule` that deletes noncurrent versions after some days. ' +
      'On a public bucket, noncurrent versions stay readable by generation, which can be a reason not to.',
    controls: ['CKV_GCP_78'],
    types: ['google_storage_bucket'],
    check(resource) {
      const value = valueAt(resource.config, 'versioning.enabled');
      if (isExpression(value) || bool(value) === true) return [];
      return [{ attribute: 'versioning.enabled', problem: absent(value) ? 'absent: overwritten and deleted objects cannot be recovered' : 'false: overwritten and deleted objects cannot be recovered' }];
    },
  },
  {
    id: 'GCP-GCS-HMAC-KEY',
    cloud: 'gcp',
    severity: 'warning',
    title: 'No long-lived Cloud Storage HMAC keys',
    explanation:
      'An HMAC key is a long-lived credential for Cloud Storage’s S3-compatible API: its secret is written to the Terraform state and works from anywhere until the key is deleted. ' +
      'Prefer the platform identity (the VM’s or Cloud Run service’s service account) through the JSON API. ' +
      'Where a client can only sign with HMAC, give the key’s `service_account_email` an account that may use only its buckets, keep the secret in Secret Manager and rotate it by replacing the key.',
    controls: [],
    types: ['google_storage_hmac_key'],
    check(resource) {
      return violation(text(resource.config.state) !== 'INACTIVE', 'service_account_email', 'an active HMAC key: its secret is in the Terraform state and never expires');
    },
  },

  // ---- IAM ------------------------------------------------------------------------------------------------------
  {
    id: 'GCP-IAM-PRIMITIVE-ROLE',
    cloud: 'gcp',
    severity: 'error',
    title: 'No basic roles (owner, editor, viewer) on projects, folders or organizations',
    explanation:
      'roles/owner, roles/editor and roles/viewer grant thousands of permissions on every service of the project, folder or organization, far beyond what any workload needs. ' +
      'Grant predefined or custom roles on the narrowest resource instead (`role` of `google_project_iam_member`, or a member on the bucket, secret or service itself).',
    controls: ['CKV_GCP_117', 'CKV_GCP_116', 'CKV_GCP_115'],
    types: HIERARCHY_IAM_TYPES,
    check(resource, stack) {
      return grants(resource.config, stack)
        .filter((g) => ['roles/owner', 'roles/editor', 'roles/viewer'].includes(g.role))
        .map((g) => ({ attribute: g.attribute === 'policy_data' ? 'policy_data' : 'role', problem: `${g.role} (basic role) for ${g.member}` }));
    },
  },
  {
    id: 'GCP-IAM-PUBLIC-MEMBER',
    cloud: 'gcp',
    severity: 'error',
    title: 'No IAM grants to allUsers or allAuthenticatedUsers',
    explanation:
      'A grant to allUsers or allAuthenticatedUsers (any Google account) makes the resource usable by anyone on the internet. ' +
      'Grant roles to named members instead. roles/run.invoker for allUsers (or `invoker_iam_disabled`) on a Cloud Run service is flagged only when its `ingress` is INTERNAL_ONLY, where anything in the VPC may call it unauthenticated, or when the stack does not hold the service: ' +
      'behind a load balancer (INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER) it is how a public app runs, and with ingress ALL it is GCP-RUN-PUBLIC-DIRECT’s warning; bucket roles that list or write are GCP-GCS-PUBLIC-LIST’s and GCP-GCS-PUBLIC-WRITE’s.',
    controls: ['CKV_GCP_102', 'CKV_GCP_101', 'CKV_GCP_99', 'CKV_GCP_107'],
    types: [...IAM_MEMBER_TYPES, 'google_cloud_run_v2_service'],
    check(resource, stack) {
      const out: RuleViolation[] = [];
      for (const p of publicInvocations(resource, stack)) {
        if (p.services.length === 0) {
          out.push({ attribute: p.attribute, problem: `${p.who} may invoke a service this stack does not hold, whose ingress cannot be checked` });
          continue;
        }
        const internal = p.services.find((s) => cloudRunIngress(s) === 'internal');
        if (internal) out.push({ attribute: p.attribute, problem: `${p.who} may invoke ${internal.address}, whose ingress is internal only: anything in the VPC may call it without identity` });
      }
      if (resource.type === 'google_cloud_run_v2_service') return out;
      const isBucket = resource.type.startsWith('google_storage_bucket_');
      const isService = CLOUD_RUN_SERVICE_IAM_TYPES.includes(resource.type);
      for (const g of grants(resource.config, stack)) {
        if (!PUBLIC_MEMBERS.has(g.member)) continue;
        if (isBucket && (LISTING_ROLES.has(g.role) || WRITING_ROLES.has(g.role))) continue;
        if (isService && INVOKER_ROLES.has(g.role)) continue; // Above, or GCP-RUN-PUBLIC-DIRECT's.
        out.push({ attribute: g.attribute, problem: `${g.member} has ${g.role}` });
      }
      return out;
    },
  },
  {
    id: 'GCP-RUN-PUBLIC-DIRECT',
    cloud: 'gcp',
    severity: 'warning',
    title: 'Cloud Run services anyone may invoke are reached only through their load balancer',
    explanation:
      'With roles/run.invoker for allUsers (or `invoker_iam_disabled = true`) and ingress ALL, the default, anyone may call the service at its run.app URL, past the load balancer’s TLS policy, CDN and Cloud Armor rules. ' +
      'That is Cloud Run’s standard public setup, so this is a warning; behind a load balancer, set `ingress = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"` (cdktf `ingress`) so it stays the only way in. ' +
      'A service served at its own URL or by domain mappings needs ingress ALL: suppress the rule there, saying so.',
    controls: ['CKV_GCP_102'],
    types: [...CLOUD_RUN_SERVICE_IAM_TYPES, 'google_cloud_run_v2_service'],
    check(resource, stack) {
      const out: RuleViolation[] = [];
      for (const p of publicInvocations(resource, stack)) {
        const direct = p.services.find((s) => cloudRunIngress(s) === 'all');
        if (direct) out.push({ attribute: p.attribute, problem: `${p.who} may invoke ${direct.address} directly at its run.app URL (ingress allows all traffic)` });
      }
      return out;
    },
  },
  {
    id: 'GCP-IAM-SA-KEY',
    cloud: 'gcp',
    severity: 'error',
    title: 'No user-managed service account keys',
    explanation:
      'A service account key is a credential that works from anywhere until deleted; created by Terraform, its private key is also written to the state. ' +
      'Use the workload’s own attached service account, workload identity federation (GitHub Actions, other clouds) or short-lived tokens through impersonation instead of `google_service_account_key`.',
    controls: ['CKV2_GCP_3', 'CIS GCP 1.4'],
    types: ['google_service_account_key'],
    check(resource) {
      const uploaded = !absent(resource.config.public_key_data);
      return [{ attribute: 'service_account_id', problem: uploaded ? 'a user-managed key (uploaded public key): a long-lived credential for the account' : 'a user-managed key: its private key is in the Terraform state and works until the key is deleted' }];
    },
  },
  {
    id: 'GCP-IAM-PROJECT-SA-USER',
    cloud: 'gcp',
    severity: 'warning',
    title: 'No Service Account User or Token Creator on a whole project, folder or organization',
    explanation:
      'roles/iam.serviceAccountUser or roles/iam.serviceAccountTokenCreator granted on the project (or folder, organization) lets the member act as every service account in it, including the most privileged. ' +
      'Grant them on the one service account that must be used, with `google_service_account_iam_member` (cdktf `ServiceAccountIamMember`).',
    controls: ['CKV_GCP_41', 'CKV_GCP_49', 'CKV_GCP_44', 'CKV_GCP_45', 'CIS GCP 1.6'],
    types: HIERARCHY_IAM_TYPES,
    check(resource, stack) {
      return grants(resource.config, stack)
        .filter((g) => g.role === 'roles/iam.serviceAccountUser' || g.role === 'roles/iam.serviceAccountTokenCreator')
        .map((g) => ({ attribute: g.attribute === 'policy_data' ? 'policy_data' : 'role', problem: `${g.role} for ${g.member}: it may act as every service account of the ${resource.type.split('_')[1]}` }));
    },
  },

  // ---- Compute Engine -------------------------------------------------------------------------------------------
  {
    id: 'GCP-COMPUTE-DEFAULT-SA-FULL-ACCESS',
    cloud: 'gcp',
    severity: 'error',
    title: 'VMs do not run as the default service account with the cloud-platform scope',
    explanation:
      'The default Compute Engine service account gets roles/editor on the project unless the organization turns automatic grants off; with the cloud-platform scope, any process on the VM can then change almost everything in the project. ' +
      'A `service_account` block without `email`, or with `default` or `${data.google_compute_default_service_account.<name>.email}`, uses the default account. Give the VM a service account of its own with only the roles it needs (`service_account.email`, cdktf `serviceAccount.email`).',
    controls: ['CKV_GCP_31', 'CIS GCP 4.2'],
    types: INSTANCE_TYPES,
    check(resource) {
      const sa = defaultServiceAccount(resource.config);
      return violation(sa?.fullAccess === true, 'service_account.email', `${sa?.how}, with the cloud-platform scope`);
    },
  },
  {
    id: 'GCP-COMPUTE-DEFAULT-SA',
    cloud: 'gcp',
    severity: 'warning',
    title: 'VMs do not run as the default Compute Engine service account',
    explanation:
      'The default Compute Engine service account is shared by every VM that does not name another and often holds roles/editor on the project, so one compromised VM reaches what all of them may. ' +
      'Set `service_account.email` (cdktf `serviceAccount.email`) to a service account of the VM’s own. With the cloud-platform scope this is GCP-COMPUTE-DEFAULT-SA-FULL-ACCESS instead.',
    controls: ['CKV_GCP_30', 'CIS GCP 4.1'],
    types: INSTANCE_TYPES,
    check(resource) {
      const sa = defaultServiceAccount(resource.config);
      return violation(sa !== undefined && !sa.fullAccess, 'service_account.email', sa?.how ?? '');
    },
  },
  {
    id: 'GCP-COMPUTE-PUBLIC-IP',
    cloud: 'gcp',
    severity: 'warning',
    title: 'VMs have no external IP address',
    explanation:
      'An `access_config` block on a network interface gives the VM an external IPv4 address, and an `ipv6_access_config` block an external IPv6 one, so only firewall rules stand between it and the internet. ' +
      'Leave out `network_interface.access_config` and `ipv6_access_config` (cdktf `networkInterface[].accessConfig`, `ipv6AccessConfig`); reach the internet through Cloud NAT and serve through a load balancer, and reach the VM with IAP.',
    controls: ['CKV_GCP_40', 'CIS GCP 4.9'],
    types: INSTANCE_TYPES,
    check(resource) {
      const interfaces = nestedBlocks(resource.config, 'network_interface');
      const has = (key: string) =>
        interfaces.some((ni) => {
          const value = ni[key];
          return nestedBlocks(ni, key).length > 0 || (Array.isArray(value) && value.length > 0);
        });
      return [
        ...violation(has('access_config'), 'network_interface.access_config', 'present: the VM has an external IPv4 address'),
        ...violation(has('ipv6_access_config'), 'network_interface.ipv6_access_config', 'present: the VM has an external IPv6 address'),
      ];
    },
  },
  {
    id: 'GCP-COMPUTE-SHIELDED-VM',
    cloud: 'gcp',
    severity: 'warning',
    title: 'VMs run as Shielded VMs with secure boot',
    explanation:
      'Shielded VM’s secure boot, vTPM and integrity monitoring detect and stop boot-level malware and rootkits. ' +
      'Secure boot is off unless `shielded_instance_config.enable_secure_boot` is true; vTPM and integrity monitoring are on unless set false. ' +
      'Set all three (cdktf `shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true }`) with a Shielded VM image such as Container-Optimized OS.',
    controls: ['CKV_GCP_39', 'CIS GCP 4.8'],
    types: INSTANCE_TYPES.filter((t) => t !== 'google_compute_instance_from_template'),
    check(resource) {
      const shielded = blockAt(resource.config, 'shielded_instance_config') ?? {};
      const off = (key: string) => bool(shielded[key]) === false;
      const out: RuleViolation[] = [];
      if (off('enable_vtpm')) out.push({ attribute: 'shielded_instance_config.enable_vtpm', problem: 'false: no virtual TPM' });
      if (off('enable_integrity_monitoring')) out.push({ attribute: 'shielded_instance_config.enable_integrity_monitoring', problem: 'false: boot integrity is not monitored' });
      const secureBoot = shielded.enable_secure_boot;
      if (!isExpression(secureBoot) && bool(secureBoot) !== true) {
        out.push({ attribute: 'shielded_instance_config.enable_secure_boot', problem: absent(secureBoot) ? 'absent: secure boot is off by default' : 'false: secure boot is off' });
      }
      return out;
    },
  },
  {
    id: 'GCP-COMPUTE-SERIAL-PORT',
    cloud: 'gcp',
    severity: 'error',
    title: 'VMs do not accept interactive serial console connections',
    explanation:
      'With `serial-port-enable`, anyone holding an SSH key the VM accepts can reach its interactive serial console through ssh-serialport.googleapis.com from any address: firewall rules do not apply. ' +
      'Remove `serial-port-enable` from `metadata` (of the VM, or the project’s `google_compute_project_metadata` or `_item`, which every VM inherits) or set it to "FALSE"; use IAP SSH or the read-only serial port output for troubleshooting.',
    controls: ['CKV_GCP_35', 'CIS GCP 4.5'],
    types: [...INSTANCE_TYPES, ...PROJECT_METADATA_TYPES],
    check(resource) {
      const setting = metadataSetting(resource, 'serial-port-enable');
      const value = setting?.value;
      const on = bool(value) === true || value === 1 || value === '1';
      return violation(on, setting?.attribute ?? '', `${String(value)}: the interactive serial console is reachable from anywhere${PROJECT_METADATA_TYPES.includes(resource.type) ? ', on every VM of the project that does not turn it off' : ''}`);
    },
  },
  {
    id: 'GCP-COMPUTE-PROJECT-SSH-KEYS',
    cloud: 'gcp',
    severity: 'warning',
    title: 'VMs block project-wide SSH keys',
    explanation:
      'Without `block-project-ssh-keys`, every SSH key in the project’s metadata can log in to the VM, so one leaked key opens every VM in the project. ' +
      'Set `metadata = { "block-project-ssh-keys" = "TRUE" }` (and prefer OS Login with `enable-oslogin = "TRUE"`). Absent, project keys are accepted.',
    controls: ['CKV_GCP_32', 'CIS GCP 4.3'],
    types: INSTANCE_TYPES,
    check(resource) {
      if (resource.type === 'google_compute_instance_from_template') return [];
      const value = metadataValue(resource.config, 'block-project-ssh-keys');
      if (isExpression(value) || bool(value) === true) return [];
      return [{ attribute: 'metadata.block-project-ssh-keys', problem: absent(value) ? 'absent: every project-wide SSH key may log in' : `${String(value)}: every project-wide SSH key may log in` }];
    },
  },
  {
    id: 'GCP-COMPUTE-OS-LOGIN',
    cloud: 'gcp',
    severity: 'warning',
    title: 'VMs do not turn OS Login off',
    explanation:
      'OS Login ties SSH access to IAM (and can require 2-step verification); `enable-oslogin = "FALSE"` on a VM overrides the project’s setting, and on the project (`google_compute_project_metadata` or `_item`) turns it off for every VM that does not override it, going back to metadata SSH keys. ' +
      'Remove the setting or set `metadata = { "enable-oslogin" = "TRUE" }`.',
    controls: ['CKV_GCP_34', 'CIS GCP 4.4'],
    types: [...INSTANCE_TYPES, ...PROJECT_METADATA_TYPES],
    check(resource) {
      const setting = metadataSetting(resource, 'enable-oslogin');
      return violation(bool(setting?.value) === false, setting?.attribute ?? '', `${String(setting?.value)}: SSH access is by metadata keys, not IAM`);
    },
  },
  {
    id: 'GCP-COMPUTE-IP-FORWARDING',
    cloud: 'gcp',
    severity: 'warning',
    title: 'VMs do not forward IP packets',
    explanation:
      'With `can_ip_forward`, the VM may send and receive packets for addresses not its own, so a compromised VM can route or spoof traffic inside the VPC. ' +
      'Leave `can_ip_forward` false (cdktf `canIpForward`) unless the VM is a router or NAT appliance.',
    controls: ['CKV_GCP_36', 'CIS GCP 4.6'],
    types: INSTANCE_TYPES,
    check(resource) {
      return violation(bool(resource.config.can_ip_forward) === true, 'can_ip_forward', 'true: the VM may route and spoof traffic');
    },
  },

  // ---- VPC ------------------------------------------------------------------------------------------------------
  firewallPortRule('GCP-VPC-SSH-OPEN', 22, 'SSH', ['tcp'], ['CKV_GCP_2', 'CIS GCP 3.6']),
  firewallPortRule('GCP-VPC-RDP-OPEN', 3389, 'RDP', ['tcp', 'udp'], ['CKV_GCP_3', 'CIS GCP 3.7']),
  {
    id: 'GCP-VPC-ALL-PORTS-OPEN',
    cloud: 'gcp',
    severity: 'error',
    title: 'No firewall rule admits every port from the whole internet',
    explanation:
      'A rule that allows protocol "all", or TCP/UDP without `ports` (or ranges that together cover 1-65535), from 0.0.0.0/0 exposes every service on the targeted instances, including ones never meant to be public. ' +
      'An INGRESS rule with no `source_ranges`, `source_tags` or `source_service_accounts` applies to 0.0.0.0/0, and an `allow` INGRESS rule of a firewall policy counts by its `match.src_ip_ranges` and `match.layer4_configs`. ' +
      'List the ports (`allow.ports`) and narrow `source_ranges` (cdktf `sourceRanges`) or `src_ip_ranges`.',
    controls: ['CKV2_GCP_12'],
    types: FIREWALL_TYPES,
    check(resource) {
      return worldIngress(resource).flatMap((w) => {
        const all = allowsAllPorts(w.allowed);
        return all === undefined ? [] : [{ attribute: w.attribute, problem: `${w.world}, and ${all} is allowed` }];
      });
    },
  },
  {
    id: 'GCP-VPC-DEFAULT-NETWORK',
    cloud: 'gcp',
    severity: 'error',
    title: 'Projects are created without the default network',
    explanation:
      'A new project gets the `default` network unless `auto_create_network = false`, and that network comes with firewall rules admitting SSH and RDP from 0.0.0.0/0 and a subnet in every region. ' +
      'Set `auto_create_network = false` on `google_project` (cdktf `autoCreateNetwork: false`) and create the networks the workloads need.',
    controls: ['CKV_GCP_27', 'CIS GCP 3.1'],
    types: ['google_project'],
    check(resource) {
      const value = resource.config.auto_create_network;
      if (isExpression(value) || bool(value) === false) return [];
      return [{ attribute: 'auto_create_network', problem: absent(value) ? 'absent: the provider default, true, creates the default network with SSH and RDP open to the internet' : 'true: the default network, with SSH and RDP open to the internet, is created' }];
    },
  },
  {
    id: 'GCP-VPC-AUTO-SUBNETS',
    cloud: 'gcp',
    severity: 'warning',
    title: 'VPC networks use custom subnet mode',
    explanation:
      'An auto-mode network gets a subnet in every region, now and as regions are added, all from 10.128.0.0/9, so it overlaps every other auto-mode network and cannot be peered with them. ' +
      'The provider default for `auto_create_subnetworks` is true. Set it to false (cdktf `autoCreateSubnetworks: false`) and create only the subnets the workloads use.',
    controls: [],
    types: ['google_compute_network'],
    check(resource) {
      const value = resource.config.auto_create_subnetworks;
      if (isExpression(value) || bool(value) === false) return [];
      return [{ attribute: 'auto_create_subnetworks', problem: absent(value) ? 'absent: the provider default, true, creates a subnet in every region' : 'true: a subnet is created in every region' }];
    },
  },
  {
    id: 'GCP-VPC-FLOW-LOGS',
    cloud: 'gcp',
    severity: 'warning',
    title: 'Subnets record VPC flow logs',
    explanation:
      'Without flow logs there is no record of which addresses talked to the subnet’s VMs, for investigating an incident or checking firewall rules. ' +
      'Add a `log_config` block (cdktf `logConfig: { aggregationInterval: \'INTERVAL_5_SEC\', flowSampling: 0.5, metadata: \'INCLUDE_ALL_METADATA\' }`). Proxy-only subnets cannot have flow logs and are not checked.',
    controls: ['CKV_GCP_26', 'CIS GCP 3.8'],
    types: ['google_compute_subnetwork'],
    check(resource) {
      const purpose = text(resource.config.purpose);
      if (purpose !== undefined && ['INTERNAL_HTTPS_LOAD_BALANCER', 'REGIONAL_MANAGED_PROXY', 'GLOBAL_MANAGED_PROXY', 'PRIVATE_SERVICE_CONNECT', 'PRIVATE_NAT'].includes(purpose)) return [];
      const log = resource.config.log_config;
      if (isExpression(log)) return [];
      return violation(nestedBlocks(resource.config, 'log_config').length === 0, 'log_config', 'absent: the subnet records no flow logs');
    },
  },

  // ---- Load balancing -------------------------------------------------------------------------------------------
  {
    id: 'GCP-LB-TLS-POLICY',
    cloud: 'gcp',
    severity: 'warning',
    title: 'HTTPS and SSL proxies use an SSL policy requiring TLS 1.2 and strong ciphers',
    explanation:
      'A target HTTPS or SSL proxy without `ssl_policy` uses Google’s default policy, which accepts TLS 1.0 and the COMPATIBLE cipher profile. ' +
      'Attach a `google_compute_ssl_policy` with `min_tls_version = "TLS_1_2"` and profile MODERN or RESTRICTED (cdktf `sslPolicy` on the proxy; `minTlsVersion`, `profile` on the policy).',
    controls: ['CKV_GCP_4', 'CIS GCP 3.9'],
    types: ['google_compute_target_https_proxy', 'google_compute_region_target_https_proxy', 'google_compute_target_ssl_proxy'],
    check(resource, stack) {
      const ref = resource.config.ssl_policy;
      if (absent(ref) || ref === '') return [{ attribute: 'ssl_policy', problem: 'absent: the default policy accepts TLS 1.0 and weak cipher suites' }];
      const policy = referencedOf(stack, ref, SSL_POLICY_TYPES);
      const weak = policy && weakSslPolicy(policy);
      return violation(weak !== undefined, 'ssl_policy', weak ?? '');
    },
  },
  {
    id: 'GCP-LB-HTTP-REDIRECT',
    cloud: 'gcp',
    severity: 'error',
    title: 'Plain HTTP only redirects to HTTPS',
    explanation:
      'A target HTTP proxy whose URL map sends requests to a backend serves the app over plain HTTP, so cookies, tokens and form posts can be read and changed on the way. ' +
      'Point the HTTP proxy at a URL map that only redirects: `default_url_redirect { https_redirect = true }` and no `default_service` or path matchers with services ' +
      '(cdktf `defaultUrlRedirect: { httpsRedirect: true }`), and serve through the HTTPS proxy.',
    controls: [],
    types: ['google_compute_target_http_proxy', 'google_compute_region_target_http_proxy'],
    check(resource, stack) {
      const urlMap = referencedOf(stack, resource.config.url_map, URL_MAP_TYPES);
      if (!urlMap) return [];
      const redirects = redirectsEverythingToHttps(urlMap);
      return violation(redirects === false, 'url_map', `${urlMap.address} serves requests over plain HTTP instead of redirecting them all to HTTPS`);
    },
  },
  {
    id: 'GCP-LB-LOGGING',
    cloud: 'gcp',
    severity: 'warning',
    title: 'Backend services log requests',
    explanation:
      'Without request logs there is no record of who called the app, what failed or what an attacker tried. ' +
      'Set `log_config { enable = true }` on every backend service (cdktf `logConfig: { enable: true, sampleRate: 1 }`); lower `sample_rate` to save cost.',
    controls: ['CIS GCP 2.16'],
    types: ['google_compute_backend_service', 'google_compute_region_backend_service'],
    check(resource) {
      const value = valueAt(resource.config, 'log_config.enable');
      if (isExpression(value) || bool(value) === true) return [];
      return [{ attribute: 'log_config.enable', problem: absent(value) ? 'absent: requests are not logged' : 'false: requests are not logged' }];
    },
  },

  // ---- Memorystore ----------------------------------------------------------------------------------------------
  {
    id: 'GCP-REDIS-AUTH',
    cloud: 'gcp',
    severity: 'error',
    title: 'Memorystore for Redis requires AUTH',
    explanation:
      'Without AUTH, anything that can reach the instance’s private address can read and change every key. ' +
      '`auth_enabled` is false by default; set it to true (cdktf `authEnabled: true`) and give the servers the generated `auth_string` from Secret Manager.',
    controls: ['CKV_GCP_95'],
    types: ['google_redis_instance'],
    check(resource) {
      const value = resource.config.auth_enabled;
      if (isExpression(value) || bool(value) === true) return [];
      return [{ attribute: 'auth_enabled', problem: absent(value) ? 'absent: AUTH is off by default, so any client that reaches the instance may use it' : 'false: any client that reaches the instance may use it' }];
    },
  },
  {
    id: 'GCP-REDIS-TRANSIT-ENCRYPTION',
    cloud: 'gcp',
    severity: 'warning',
    title: 'Memorystore for Redis encrypts traffic in transit',
    explanation:
      'Without TLS, the AUTH string and every cached value cross the VPC in clear text. ' +
      '`transit_encryption_mode` is DISABLED by default; set it to SERVER_AUTHENTICATION (cdktf `transitEncryptionMode`), connect on port 6378, and make the clients trust the instance’s server CA.',
    controls: ['CKV_GCP_97'],
    types: ['google_redis_instance'],
    check(resource) {
      const value = resource.config.transit_encryption_mode;
      if (isExpression(value) || text(value) === 'SERVER_AUTHENTICATION') return [];
      return [{ attribute: 'transit_encryption_mode', problem: absent(value) ? 'absent: DISABLED by default, so Redis traffic is not encrypted' : `${String(value)}: Redis traffic is not encrypted` }];
    },
  },

  // ---- Cloud DNS ------------------------------------------------------------------------------------------------
  {
    id: 'GCP-DNS-DNSSEC',
    cloud: 'gcp',
    severity: 'warning',
    title: 'Public DNS zones are signed with DNSSEC',
    explanation:
      'Without DNSSEC, resolvers cannot tell a forged answer from the zone’s own, so traffic to the domain can be redirected by cache poisoning. ' +
      'Set `dnssec_config { state = "on" }` on public zones (cdktf `dnssecConfig: { state: \'on\' }`), then publish the DS record at the registrar.',
    controls: ['CKV_GCP_16', 'CIS GCP 3.3'],
    types: ['google_dns_managed_zone'],
    check(resource) {
      const visibility = resource.config.visibility;
      if (isExpression(visibility) || (text(visibility) ?? 'public') !== 'public') return [];
      const state = valueAt(resource.config, 'dnssec_config.state');
      if (isExpression(state) || state === 'on' || state === 'transfer') return [];
      return [{ attribute: 'dnssec_config.state', problem: absent(state) ? 'absent: the public zone is not signed' : `${String(state)}: the public zone is not signed` }];
    },
  },

  // ---- Secrets --------------------------------------------------------------------------------------------------
  {
    id: 'GCP-SECRET-PLAINTEXT-ENV',
    cloud: 'gcp',
    severity: 'error',
    title: 'Secrets reach services and VMs as Secret Manager references, not literal values',
    explanation:
      'A literal value in a variable named like a secret (PASSWORD, PASS, PWD, SECRET, TOKEN, KEY, CREDENTIALS...), a URL with a password in it (`postgres://user:pw@host`) or a value shaped like a private key or API token (`sk_live_`, `-----BEGIN PRIVATE KEY-----`) ' +
      'is in the code, the Terraform state and the service or instance configuration, which every project viewer can read; file paths, resource names and public, publishable or site keys are not flagged. ' +
      'Keep it in Secret Manager and pass a reference: `value_source.secret_key_ref` on Cloud Run (cdktf `valueSource: { secretKeyRef: { secret, version } }`), `secret_environment_variables` on Cloud Functions, ' +
      'or have the VM read it from Secret Manager at boot instead of writing it into `metadata` or the startup script. Each finding names its variable (`template.containers.env.DATABASE_URL`), so a suppression’s `attributes` can accept one.',
    controls: [],
    types: ['google_cloud_run_v2_service', 'google_cloud_run_v2_job', 'google_cloud_run_service', 'google_cloudfunctions_function', 'google_cloudfunctions2_function', ...INSTANCE_TYPES],
    check(resource) {
      return containerEnvViolations(resource);
    },
  },
  {
    id: 'GCP-SECRET-LITERAL-VALUE',
    cloud: 'gcp',
    severity: 'warning',
    title: 'Secret Manager versions do not hold a value written in the code',
    explanation:
      'A `secret_data` written as a literal is in the source code and in the Terraform state, so Secret Manager no longer keeps it secret. ' +
      'Generate it (`random_password`), use the write-only `secret_data_wo` (cdktf `secretDataWo`), or add the version outside Terraform (`gcloud secrets versions add`).',
    controls: [],
    types: ['google_secret_manager_secret_version', 'google_secret_manager_regional_secret_version'],
    check(resource) {
      const value = resource.config.secret_data;
      return violation(typeof value === 'string' && value !== '' && !isExpression(value), 'secret_data', 'a literal value: the secret is in the code and the Terraform state');
    },
  },
];
