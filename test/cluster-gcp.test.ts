import 'cdktf/lib/testing/adapters/jest';
import { execFileSync } from 'child_process';
import { Construct } from 'constructs';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { gcp, serverpodProfile } from '../lib';
import { configProblems, gcpTestStack, only, validationErrorOf } from './helpers/assert';
import { danglingReferences } from './helpers/references';
import { StackJson, bootVariables, forSnapshot, resourcesOfType, synthBundled, synthJson } from './helpers/synth';

const PROJECT = 'p-123456';




export const FULL_GCP_CONFIG = `
project: shop
domain: shop.example
environments: [production, staging]
redis: true
storage: true
webOnTopDomain: true
github: { repository: acme/shop-server }
state:
  gcs: { bucket: shop-tf-state }
stacks:
  cluster-gcp:
    project: shop-prod-1234
    region: europe-west4
    dnsZone: shop-example
    backendTimeoutSec: 7200
    webCdn: true
    storageCdn: true
    bucketNaming: domain
    redisTier: STANDARD_HA
    redisTransitEncryption: true
    sizes:
      production: { machineType: n2-standard-2, minInstances: 2, maxInstances: 6, cpuTargetPercent: 55, databaseTier: db-custom-2-7680, databaseAvailability: REGIONAL, redisMemoryGb: 5 }
      staging: { machineType: e2-small, minInstances: 1, maxInstances: 1, redisMemoryGb: 1 }
`;

export const MINIMAL_GCP_CONFIG = `
domain: example.com
stacks:
  cluster-gcp: { project: example-project }
`;

describe('gcp.Network', () => {
  const stack = gcpTestStack();
  new gcp.Network(stack, 'net', { project: PROJECT, region: 'us-central1', namePrefix: 'pod', serverPorts: [8080, 8081], serverTag: 'pod-server' });
  const json = synthJson(stack);

  it('is a custom-mode VPC with Private Google Access and private service access', () => {
    expect(only(json, 'google_compute_network')).toMatchObject({ name: 'pod-network', auto_create_subnetworks: false });
    expect(only(json, 'google_compute_subnetwork')).toMatchObject({ name: 'pod-subnet', private_ip_google_access: true, ip_cidr_range: '10.10.0.0/20' });
    expect(only(json, 'google_compute_global_address')).toMatchObject({ purpose: 'VPC_PEERING', address_type: 'INTERNAL', prefix_length: 16 });
    expect(only(json, 'google_service_networking_connection')).toMatchObject({
      service: 'servicenetworking.googleapis.com',
      reserved_peering_ranges: [expect.stringMatching(/^\$\{google_compute_global_address\.net_PrivateServicesRange_[A-F0-9]+\.name\}$/)],
    });
    expect(only(json, 'google_compute_router_nat')).toMatchObject({ nat_ip_allocate_option: 'AUTO_ONLY', source_subnetwork_ip_ranges_to_nat: 'ALL_SUBNETWORKS_ALL_IP_RANGES' });
  });

  it('admits only Google load balancers to the server ports and IAP to SSH, never the internet', () => {
    const rules = resourcesOfType(json, 'google_compute_firewall').sort((a, b) => a.name.localeCompare(b.name));
    expect(rules).toEqual([
      expect.objectContaining({ name: 'pod-allow-iap-ssh', source_ranges: ['35.235.240.0/20'], allow: [{ protocol: 'tcp', ports: ['22'] }] }),
      expect.objectContaining({ name: 'pod-allow-load-balancer', source_ranges: ['35.191.0.0/16', '130.211.0.0/22'], allow: [{ protocol: 'tcp', ports: ['8080', '8081'] }], target_tags: ['pod-server'] }),
    ]);
    expect(JSON.stringify(json)).not.toContain('0.0.0.0/0');
  });

  it('leaves out NAT and SSH on request', () => {
    const s = gcpTestStack();
    new gcp.Network(s, 'net', { project: PROJECT, region: 'us-central1', namePrefix: 'pod', serverPorts: [8080], serverTag: 't', nat: false, iapSsh: false });
    const j = synthJson(s);
    expect(resourcesOfType(j, 'google_compute_router_nat')).toHaveLength(0);
    expect(resourcesOfType(j, 'google_compute_firewall')).toHaveLength(1);
  });
});

describe('gcp.Secret', () => {
  it('generates an alphanumeric value whose only trace in the JSON is a reference', () => {
    const stack = gcpTestStack();
    const secret = new gcp.Secret(stack, 'db', { project: PROJECT, secretId: 'pod-db-password', readers: ['serviceAccount:a@b.iam.gserviceaccount.com'] });
    const json = synthJson(stack);
    expect(only(json, 'random_password')).toEqual(expect.objectContaining({ length: 32, special: false }));
    expect(only(json, 'google_secret_manager_secret')).toMatchObject({ secret_id: 'pod-db-password', replication: { auto: {} } });
    expect(only(json, 'google_secret_manager_secret_version').secret_data).toMatch(/^\$\{random_password\.db_Value_[A-F0-9]+\.result\}$/);
    expect(only(json, 'google_secret_manager_secret_iam_member')).toMatchObject({ role: 'roles/secretmanager.secretAccessor', member: 'serviceAccount:a@b.iam.gserviceaccount.com' });
    expect(secret.password).toBeDefined();
  });

  it('stores another resource attribute without generating one', () => {
    const stack = gcpTestStack();
    const redis = new gcp.MemorystoreRedis(stack, 'redis', { project: PROJECT, region: 'us-central1', name: 'pod-redis', network: 'net', dependsOn: [] });
    new gcp.Secret(stack, 'auth', { project: PROJECT, secretId: 'pod-redis-auth', value: redis.authString });
    const json = synthJson(stack);
    expect(resourcesOfType(json, 'random_password')).toHaveLength(0);
    expect(only(json, 'google_secret_manager_secret_version').secret_data).toMatch(/^\$\{google_redis_instance\.redis_[A-F0-9]+\.auth_string\}$/);
  });
});

describe('gcp.CloudSqlPostgres', () => {
  const stack = gcpTestStack();
  const net = new gcp.Network(stack, 'net', { project: PROJECT, region: 'us-central1', namePrefix: 'pod', serverPorts: [8080], serverTag: 't' });
  const pw = new gcp.Secret(stack, 'pw', { project: PROJECT, secretId: 'pw' });
  new gcp.CloudSqlPostgres(stack, 'db', {
    project: PROJECT,
    region: 'us-central1',
    instanceName: 'pod-production-database',
    network: net.network.id,
    dependsOn: [net.privateServicesConnection],
    password: pw.password!.result,
  });
  const json = synthJson(stack);
  const instance = only(json, 'google_sql_database_instance');

  it('is Postgres 16 on a private IP only, requiring encrypted connections', () => {
    expect(instance).toMatchObject({ name: 'pod-production-database', database_version: 'POSTGRES_16', deletion_protection: true });
    expect(instance.settings.ip_configuration).toEqual({ ipv4_enabled: false, private_network: expect.stringMatching(/google_compute_network\.net_/), ssl_mode: 'ENCRYPTED_ONLY' });
    expect(instance.depends_on).toEqual([expect.stringMatching(/^google_service_networking_connection\.net_PrivateServicesConnection_/)]);
  });

  it('keeps backups with point-in-time recovery and API-level deletion protection', () => {
    expect(instance.settings).toMatchObject({
      tier: 'db-f1-micro',
      edition: 'ENTERPRISE',
      availability_type: 'ZONAL',
      deletion_protection_enabled: true,
      backup_configuration: { enabled: true, point_in_time_recovery_enabled: true, transaction_log_retention_days: 7, backup_retention_settings: { retained_backups: 7, retention_unit: 'COUNT' } },
    });
  });

  it('creates the serverpod database and the postgres user with a referenced password', () => {
    expect(only(json, 'google_sql_database')).toMatchObject({ name: 'serverpod' });
    // ABANDON: Postgres refuses to drop a role that owns the app's tables, which would stop `destroy`.
    expect(only(json, 'google_sql_user')).toMatchObject({ name: 'postgres', deletion_policy: 'ABANDON', password: expect.stringMatching(/^\$\{random_password\.pw_Value_[A-F0-9]+\.result\}$/) });
  });
});

describe('gcp.MemorystoreRedis', () => {
  it.each([
    [false, 'DISABLED', 6379],
    [true, 'SERVER_AUTHENTICATION', 6378],
  ])('with transit encryption %s is private with AUTH, mode %s, port %d', (tls, mode, port) => {
    const stack = gcpTestStack();
    const redis = new gcp.MemorystoreRedis(stack, 'r', { project: PROJECT, region: 'us-central1', name: 'pod-redis', network: 'net-id', dependsOn: [], transitEncryption: tls, tier: 'STANDARD_HA', memorySizeGb: 5 });
    expect(only(synthJson(stack), 'google_redis_instance')).toMatchObject({
      auth_enabled: true,
      connect_mode: 'PRIVATE_SERVICE_ACCESS',
      authorized_network: 'net-id',
      transit_encryption_mode: mode,
      tier: 'STANDARD_HA',
      memory_size_gb: 5,
      redis_version: 'REDIS_7_2',
    });
    expect(redis.port).toBe(port);
  });
});

describe('gcp.ServerBuckets', () => {
  const stack = gcpTestStack();
  new gcp.ServerBuckets(stack, 'b', { project: PROJECT, location: 'us-central1', publicBucketName: 'pod-public', privateBucketName: 'pod-private', writers: ['serviceAccount:vm@x'] });
  // Serverpod 3.4's GoogleCloudStorage sends no object ACL: uniform access by default (objectAcls in storage.test.ts).
  const json = synthJson(stack);
  const buckets = resourcesOfType(json, 'google_storage_bucket');
  const pub = buckets.find((b) => b.name === 'pod-public');
  const priv = buckets.find((b) => b.name === 'pod-private');

  it('uses uniform access on both; the private one prevents public access and keeps versions', () => {
    expect(pub).toMatchObject({ name: 'pod-public', uniform_bucket_level_access: true, public_access_prevention: 'inherited', force_destroy: false });
    expect(priv).toMatchObject({ name: 'pod-private', uniform_bucket_level_access: true, public_access_prevention: 'enforced', versioning: { enabled: true } });
  });

  it('lets anyone read, but not list, the public bucket, and the servers write both', () => {
    const members = resourcesOfType(json, 'google_storage_bucket_iam_member').map((m) => [m.role, m.member]);
    expect(members.sort()).toEqual([
      ['roles/storage.legacyObjectReader', 'allUsers'],
      ['roles/storage.objectAdmin', 'serviceAccount:vm@x'],
      ['roles/storage.objectAdmin', 'serviceAccount:vm@x'],
    ]);
  });
});

describe('gcp.InstanceGroup', () => {
  const profile = serverpodProfile();
  const base = { project: PROJECT, region: 'us-central1', namePrefix: 'pod-production', profile, subnetwork: 'subnet', serviceAccountEmail: 'vm@x', startupScript: '#!/bin/bash\ndocker run x\n', tags: ['pod-server'] };

  it('runs Container-Optimized OS on shielded VMs with OS Login and no public IP', () => {
    const stack = gcpTestStack();
    new gcp.InstanceGroup(stack, 'g', { ...base, machineType: 'e2-small' });
    const template = only(synthJson(stack), 'google_compute_instance_template');
    expect(template).toMatchObject({
      name_prefix: 'pod-production-',
      machine_type: 'e2-small',
      disk: [expect.objectContaining({ source_image: 'cos-cloud/cos-stable', boot: true })],
      network_interface: [{ subnetwork: 'subnet' }],
      service_account: { email: 'vm@x', scopes: ['cloud-platform'] },
      shielded_instance_config: { enable_secure_boot: true, enable_vtpm: true, enable_integrity_monitoring: true },
      metadata: expect.objectContaining({ 'enable-oslogin': 'TRUE', 'block-project-ssh-keys': 'TRUE', 'startup-script': base.startupScript }),
      lifecycle: { create_before_destroy: true },
    });
    expect(template.network_interface[0].access_config).toBeUndefined();
  });

  it('is a regional group with named ports, autohealing and a rolling update that keeps capacity', () => {
    const stack = gcpTestStack();
    new gcp.InstanceGroup(stack, 'g', base);
    const json = synthJson(stack);
    const mig = only(json, 'google_compute_region_instance_group_manager');
    expect(mig).toMatchObject({
      name: 'pod-production-group',
      named_port: [{ name: 'api', port: 8080 }, { name: 'insights', port: 8081 }, { name: 'web', port: 8082 }],
      auto_healing_policies: { initial_delay_sec: 300, health_check: expect.stringMatching(/google_compute_health_check\.g_AutohealingHealthCheck_/) },
      update_policy: { type: 'PROACTIVE', minimal_action: 'REPLACE', max_surge_fixed: 3, max_unavailable_fixed: 0, replacement_method: 'SUBSTITUTE', instance_redistribution_type: 'PROACTIVE' },
    });
    // The autoscaler owns the size: Terraform must not reset it on every apply.
    expect(mig.target_size).toBeUndefined();
    // Autohealing probes liveness (Serverpod 3.3+: /livez), never what follows the database.
    expect(only(json, 'google_compute_health_check')).toMatchObject({ http_health_check: { port: 8080, request_path: '/livez' }, unhealthy_threshold: 6 });
  });

  it('probes a TCP connect for liveness where the server has no liveness route (Serverpod before 3.3)', () => {
    const stack = gcpTestStack();
    new gcp.InstanceGroup(stack, 'g', { ...base, profile: serverpodProfile({ version: '3.2' }) });
    const check = only(synthJson(stack), 'google_compute_health_check');
    expect(check.tcp_health_check).toEqual({ port: 8080 });
    expect(check.http_health_check).toBeUndefined();
  });

  it('scales on the CPU target it is given (Serverpod hard-coded 0.6)', () => {
    const stack = gcpTestStack();
    new gcp.InstanceGroup(stack, 'g', { ...base, minInstances: 2, maxInstances: 5, cpuTargetPercent: 45 });
    expect(only(synthJson(stack), 'google_compute_region_autoscaler').autoscaling_policy).toMatchObject({ min_replicas: 2, max_replicas: 5, cpu_utilization: { target: 0.45 } });
  });

  it('runs in one zone on request', () => {
    const stack = gcpTestStack();
    new gcp.InstanceGroup(stack, 'g', { ...base, zone: 'us-central1-c' });
    const json = synthJson(stack);
    expect(only(json, 'google_compute_instance_group_manager')).toMatchObject({ zone: 'us-central1-c', update_policy: expect.objectContaining({ max_surge_fixed: 1, max_unavailable_fixed: 0 }) });
    expect(only(json, 'google_compute_autoscaler')).toMatchObject({ zone: 'us-central1-c' });
    expect(resourcesOfType(json, 'google_compute_region_instance_group_manager')).toHaveLength(0);
  });

  it('names its manager and templates as IAM Conditions see them, regional or zonal', () => {
    const regional = new gcp.InstanceGroup(gcpTestStack(), 'g', base);
    expect(regional.managerResourceName).toBe(`projects/${PROJECT}/regions/us-central1/instanceGroupManagers/pod-production-group`);
    expect(regional.templateResourceNamePrefix).toBe(`projects/${PROJECT}/global/instanceTemplates/pod-production-`);
    expect(regional.zonal).toBe(false);
    const zonal = new gcp.InstanceGroup(gcpTestStack(), 'g', { ...base, zone: 'us-central1-c' });
    expect(zonal.managerResourceName).toBe(`projects/${PROJECT}/zones/us-central1-c/instanceGroupManagers/pod-production-group`);
    expect(zonal.zonal).toBe(true);
  });

  it('fails on impossible sizes and a zone outside the region', () => {
    const message = validationErrorOf(() => new gcp.InstanceGroup(gcpTestStack(), 'g', { ...base, minInstances: 3, maxInstances: 2, cpuTargetPercent: 95, zone: 'europe-west1-b', machineType: 'big' }));
    expect(message).toContain('props.maxInstances: got 2; expected a whole number of at least 1 and at least minInstances (3)');
    expect(message).toContain('props.cpuTargetPercent: got 95');
    expect(message).toContain('props.zone: got "europe-west1-b"; expected a zone of us-central1');
    expect(message).toContain('props.machineType: got "big"');
  });
});

describe('gcp.ManagedCertificates', () => {
  function certs(hosts: string[]) {
    const stack = gcpTestStack();
    new gcp.ManagedCertificates(stack, 'certs', { project: PROJECT, namePrefix: 'pod', hosts });
    return json2map(synthJson(stack));
  }
  function json2map(json: StackJson): Record<string, any> {
    return json.resource.google_compute_managed_ssl_certificate;
  }

  it('makes one certificate per host, created before the one it replaces', () => {
    const c = certs(['api.example.com', 'app.example.com']);
    expect(Object.values(c)).toEqual([
      expect.objectContaining({ name: 'pod-cert-api-example-com', managed: { domains: ['api.example.com.'] }, lifecycle: { create_before_destroy: true } }),
      expect.objectContaining({ name: 'pod-cert-app-example-com', managed: { domains: ['app.example.com.'] } }),
    ]);
  });

  it('adds a host without touching the certificates of the others', () => {
    const before = certs(['api.example.com', 'app.example.com']);
    const after = certs(['api.example.com', 'app.example.com', 'storage.example.com']);
    for (const [address, body] of Object.entries(before)) expect(after[address]).toEqual(body);
    expect(Object.keys(after)).toHaveLength(3);
  });

  it('refuses more hosts than a proxy takes', () => {
    const hosts = Array.from({ length: 16 }, (_, i) => `h${i}.example.com`);
    expect(validationErrorOf(() => certs(hosts))).toContain('expected from 1 to 15 hosts');
  });
});

describe('gcp.HttpsLoadBalancer', () => {
  const hc = { path: '/', intervalSec: 10, timeoutSec: 5, healthyThreshold: 2, unhealthyThreshold: 3 };
  const stack = gcpTestStack();
  new gcp.HttpsLoadBalancer(stack, 'lb', {
    project: PROJECT,
    namePrefix: 'pod',
    services: [
      { key: 'production-api', hosts: ['api.example.com'], instanceGroup: 'ig', portName: 'api', port: 8080, healthCheck: hc },
      { key: 'production-web', hosts: ['app.example.com', 'example.com'], instanceGroup: 'ig', portName: 'web', port: 8082, healthCheck: { ...hc, path: '/health' }, cdn: true },
    ],
    buckets: [{ key: 'production-storage', hosts: ['storage.example.com'], bucketName: 'pod-public' }],
    defaultServiceKey: 'production-web',
    certificates: ['cert-a', 'cert-b'],
  });
  const json = synthJson(stack);

  it('serves HTTPS on one reserved IP with TLS 1.2 or newer', () => {
    const rules = resourcesOfType(json, 'google_compute_global_forwarding_rule');
    expect(rules.map((r) => [r.port_range, r.ip_address, r.load_balancing_scheme])).toEqual([
      ['80', expect.stringMatching(/google_compute_global_address\.lb_Address_[A-F0-9]+\.address/), 'EXTERNAL_MANAGED'],
      ['443', rules[0].ip_address, 'EXTERNAL_MANAGED'],
    ]);
    expect(only(json, 'google_compute_ssl_policy')).toMatchObject({ min_tls_version: 'TLS_1_2', profile: 'MODERN' });
    expect(only(json, 'google_compute_target_https_proxy')).toMatchObject({ ssl_certificates: ['cert-a', 'cert-b'], ssl_policy: expect.stringMatching(/ssl_policy/) });
  });

  it('redirects HTTP to HTTPS', () => {
    const maps = resourcesOfType(json, 'google_compute_url_map');
    expect(maps.find((m) => m.name === 'pod-http-redirect')).toMatchObject({
      default_url_redirect: { https_redirect: true, strip_query: false, redirect_response_code: 'MOVED_PERMANENTLY_DEFAULT' },
    });
  });

  it('routes each host to its backend, each with its own health check, and a WebSocket-length timeout', () => {
    const map = resourcesOfType(json, 'google_compute_url_map').find((m) => m.name === 'pod-url-map')!;
    expect(map.host_rule).toEqual([
      { hosts: ['api.example.com'], path_matcher: 'production-api' },
      { hosts: ['app.example.com', 'example.com'], path_matcher: 'production-web' },
      { hosts: ['storage.example.com'], path_matcher: 'production-storage' },
    ]);
    expect(map.path_matcher[2].default_service).toMatch(/google_compute_backend_bucket\.lb_BackendBucket-production-storage_/);
    const backends = resourcesOfType(json, 'google_compute_backend_service');
    expect(backends.map((b) => [b.name, b.port_name, b.timeout_sec, b.enable_cdn])).toEqual([
      ['pod-production-api-backend', 'api', 3600, false],
      ['pod-production-web-backend', 'web', 3600, true],
    ]);
    expect(resourcesOfType(json, 'google_compute_health_check').map((h) => h.http_health_check)).toEqual([
      { port: 8080, request_path: '/' },
      { port: 8082, request_path: '/health' },
    ]);
  });

  it('fails on a host routed twice, an unknown default and a timeout out of range', () => {
    const message = validationErrorOf(
      () =>
        new gcp.HttpsLoadBalancer(gcpTestStack(), 'lb', {
          project: PROJECT,
          namePrefix: 'pod',
          services: [
            { key: 'a', hosts: ['x.example.com'], instanceGroup: 'ig', portName: 'api', port: 1, healthCheck: hc },
            { key: 'b', hosts: ['x.example.com'], instanceGroup: 'ig', portName: 'api', port: 1, healthCheck: hc },
          ],
          defaultServiceKey: 'c',
          certificates: ['x'],
          backendTimeoutSec: 100000,
        }),
    );
    expect(message).toContain('props.routes[b].hosts: got "x.example.com"; expected a host no other route has (a has it)');
    expect(message).toContain('props.defaultServiceKey: got "c"');
    expect(message).toContain('props.backendTimeoutSec: got 100000');
  });
});

describe('gcp.GithubDeployIdentity', () => {
  const stack = gcpTestStack();
  new gcp.GithubDeployIdentity(stack, 'gh', { project: PROJECT, namePrefix: 'pod', repository: 'acme/app', registry: { location: 'us-central1', repositoryId: 'pod-images' }, projectRoles: ['roles/compute.instanceAdmin.v1'], actAs: ['vm@x'] });
  const json = synthJson(stack);

  it('trusts GitHub tokens from one repository and its deployment refs only', () => {
    expect(only(json, 'google_iam_workload_identity_pool_provider')).toMatchObject({
      oidc: { issuer_uri: 'https://token.actions.githubusercontent.com' },
      attribute_condition: "assertion.repository == 'acme/app' && (assertion.ref == 'refs/heads/main' || assertion.ref.startsWith('refs/heads/deployment-'))",
    });
    const bindings = resourcesOfType(json, 'google_service_account_iam_member').sort((a, b) => b.role.localeCompare(a.role));
    expect(bindings[0]).toMatchObject({ role: 'roles/iam.workloadIdentityUser', member: expect.stringMatching(/^principalSet:\/\/iam\.googleapis\.com\/\$\{.*\}\/attribute\.repository\/acme\/app$/) });
    expect(bindings[1]).toMatchObject({ role: 'roles/iam.serviceAccountUser', service_account_id: `projects/${PROJECT}/serviceAccounts/vm@x` });
  });

  it('may push images and roll instance groups, and has no key', () => {
    expect(only(json, 'google_artifact_registry_repository_iam_member')).toMatchObject({ role: 'roles/artifactregistry.writer', repository: 'pod-images' });
    expect(only(json, 'google_project_iam_member')).toMatchObject({ role: 'roles/compute.instanceAdmin.v1' });
    expect(only(json, 'google_project_iam_member').condition).toBeUndefined();
    expect(json.resource.google_service_account_key).toBeUndefined();
  });

  describe('with scoped grants', () => {
    const scoped = gcpTestStack();
    const group = `projects/${PROJECT}/regions/us-central1/instanceGroupManagers/pod-production-group`;
    new gcp.GithubDeployIdentity(scoped, 'gh', {
      project: PROJECT,
      namePrefix: 'my-pod',
      repository: 'acme/app',
      registry: { location: 'us-central1', repositoryId: 'pod-images' },
      grants: [
        { id: 'roll', title: 'Roll', permissions: ['compute.instanceGroupManagers.update', 'compute.instanceGroupManagers.get'], resources: [group, `projects/${PROJECT}/global/instanceTemplates/pod-production-*`] },
        { id: 'ops', title: 'Operations', permissions: ['compute.regionOperations.get'] },
        { id: 'run', title: 'Run', role: 'roles/run.developer', resources: ['projects/p/locations/x/services/y'] },
      ],
    });
    const sj = synthJson(scoped);
    const members = Object.entries<Record<string, any>>(sj.resource.google_project_iam_member);
    const member = (id: string) => members.find(([name]) => name.startsWith(`gh_Grant-${id}_`))![1];
    const role = (id: string) => Object.entries<Record<string, any>>(sj.resource.google_project_iam_custom_role).find(([name]) => name.startsWith(`gh_CustomRole-${id}_`))!;

    it('makes a custom role of exactly the permissions, bound with a condition on the named resources', () => {
      const [name, body] = role('roll');
      expect(body).toMatchObject({ project: PROJECT, role_id: 'my_pod_deploy_roll', permissions: ['compute.instanceGroupManagers.get', 'compute.instanceGroupManagers.update'] });
      expect(member('roll')).toMatchObject({
        role: `\${google_project_iam_custom_role.${name}.name}`,
        member: expect.stringMatching(/^\$\{google_service_account\.gh_ServiceAccount_[A-F0-9]+\.member\}$/),
        condition: { title: 'Roll', expression: `resource.name == '${group}' || resource.name.startsWith('projects/${PROJECT}/global/instanceTemplates/pod-production-')` },
      });
    });

    it('binds without a condition only a grant that names no resource, and a predefined role with one', () => {
      expect(role('ops')[1].permissions).toEqual(['compute.regionOperations.get']);
      expect(member('ops').condition).toBeUndefined();
      expect(member('run')).toMatchObject({ role: 'roles/run.developer', condition: { expression: "resource.name == 'projects/p/locations/x/services/y'" } });
      expect(Object.keys(sj.resource.google_project_iam_custom_role)).toHaveLength(2);
    });

    it('refuses a grant it cannot bind as meant', () => {
      const bad = (grants: gcp.DeployGrant[]) =>
        validationErrorOf(() => new gcp.GithubDeployIdentity(gcpTestStack(), 'gh', { project: PROJECT, namePrefix: 'p', repository: 'a/b', registry: { location: 'us', repositoryId: 'r' }, grants }));
      const message = bad([
        { id: 'a-b', title: 'x', permissions: ['compute.instances.get'] },
        { id: 'c', title: 'x', role: 'roles/viewer', permissions: ['compute.instances.get'] },
        { id: 'd', title: 'x', permissions: ['compute'] },
        { id: 'e', title: 'x', permissions: ['compute.instances.get'], resources: ["projects/p' || true || '"] },
        { id: 'f', title: 'x', permissions: ['compute.instances.get'], resources: [] },
        { id: 'f', title: 'x', permissions: ['compute.instances.get'] },
      ]);
      expect(message).toContain('props.grants[0].id: got "a-b"');
      expect(message).toContain('props.grants[1]: got ["id","title","role","permissions"]; expected exactly one of role and permissions');
      expect(message).toContain('props.grants[2].permissions');
      expect(message).toContain('props.grants[3].resources[0]');
      expect(message).toContain('props.grants[4].resources: got 0');
      expect(message).toContain('props.grants[5].id: got "f"; expected letters, digits and underscores, starting with a letter, at most 32, unique among the grants');
    });
  });
});

describe('gcp.EnvironmentIdentity', () => {
  it('lets the connector reach one Cloud SQL instance, not the project\'s others', () => {
    const stack = gcpTestStack();
    const scope = new Construct(stack, 'production');
    const identity = new gcp.EnvironmentIdentity(scope, { project: PROJECT, prefix: 'pod-production', accountSuffix: 'sa', displayName: 'x', roles: ['roles/logging.logWriter'], secrets: [] });
    identity.allowCloudSqlConnect('pod-production-database');
    const grants = resourcesOfType(synthJson(stack), 'google_project_iam_member');
    expect(grants.map((g) => [g.role, g.condition?.expression])).toEqual([
      ['roles/cloudsql.client', `resource.type == 'sqladmin.googleapis.com/Instance' && resource.name == 'projects/${PROJECT}/instances/pod-production-database'`],
      ['roles/logging.logWriter', undefined],
    ]);
    expect(() => identity.allowCloudSqlConnect('${google_sql_database_instance.x.name}')).toThrow(/expected a Cloud SQL instance name/);
  });
});

describe('cluster-gcp stack, everything on', () => {
  const { stacks } = synthBundled(FULL_GCP_CONFIG);
  const json = stacks['cluster-gcp'];

  it('matches its snapshot', () => {
    expect(forSnapshot(json)).toMatchSnapshot();
  });

  it('refers only to what it declares', () => {
    expect(danglingReferences(json)).toEqual([]);
  });

  it('makes every resource wait for the APIs, so a first apply on a fresh project does not race them', () => {
    const apis = Object.keys(json.resource.google_project_service).map((name) => `google_project_service.${name}`).sort();
    for (const [type, byName] of Object.entries<Record<string, any>>(json.resource)) {
      if (!type.startsWith('google_') || type === 'google_project_service') continue;
      for (const body of Object.values(byName)) expect([type, (body.depends_on ?? []).filter((d: string) => d.startsWith('google_project_service.')).sort()]).toEqual([type, apis]);
    }
  });

  it('enables the module\'s APIs, Redis included, and never disables them', () => {
    const services = resourcesOfType(json, 'google_project_service');
    expect(services.map((s) => s.service)).toEqual(expect.arrayContaining(['redis.googleapis.com', 'sqladmin.googleapis.com', 'compute.googleapis.com', 'servicenetworking.googleapis.com', 'dns.googleapis.com']));
    for (const s of services) expect(s.disable_on_destroy).toBe(false);
  });

  it('covers every host of both environments with a certificate and a DNS record in the existing zone', () => {
    const hosts = ['api.shop.example', 'app.shop.example', 'insights.shop.example', 'shop.example', 'storage.shop.example', 'api-staging.shop.example', 'app-staging.shop.example', 'insights-staging.shop.example', 'storage-staging.shop.example'];
    const certDomains = resourcesOfType(json, 'google_compute_managed_ssl_certificate').flatMap((c) => c.managed.domains);
    expect(certDomains.sort()).toEqual(hosts.map((h) => `${h}.`).sort());
    const publicRecords = resourcesOfType(json, 'google_dns_record_set').filter((r) => r.managed_zone === 'shop-example');
    expect(publicRecords.map((r) => r.name).sort()).toEqual(hosts.map((h) => `${h}.`).sort());
    // Records in the existing zone; no public zone created and no public record for the database.
    expect(resourcesOfType(json, 'google_dns_managed_zone').every((z) => z.visibility === 'private')).toBe(true);
    expect(JSON.stringify(publicRecords)).not.toContain('database');
  });

  it('gives each environment its own database, Redis, buckets, secrets and servers', () => {
    expect(resourcesOfType(json, 'google_sql_database_instance').map((d) => [d.name, d.deletion_protection, d.settings.availability_type, d.settings.tier])).toEqual([
      ['shop-production-database', true, 'REGIONAL', 'db-custom-2-7680'],
      ['shop-staging-database', false, 'ZONAL', 'db-f1-micro'],
    ]);
    expect(resourcesOfType(json, 'google_redis_instance').map((r) => [r.name, r.memory_size_gb, r.transit_encryption_mode])).toEqual([
      ['shop-production-redis', 5, 'SERVER_AUTHENTICATION'],
      ['shop-staging-redis', 1, 'SERVER_AUTHENTICATION'],
    ]);
    expect(resourcesOfType(json, 'google_storage_bucket').map((b) => b.name).sort()).toEqual(['private-storage-staging.shop.example', 'private-storage.shop.example', 'storage-staging.shop.example', 'storage.shop.example']);
    const perEnvironment = [
      'database-password',
      'email-secret-hash-pepper',
      'jwt-hmac-sha512-private-key',
      'jwt-refresh-token-hash-pepper',
      'redis-auth',
      'service-secret',
      'storage-hmac-access-id',
      'storage-hmac-secret',
    ];
    expect(resourcesOfType(json, 'google_secret_manager_secret').map((s) => s.secret_id).sort()).toEqual(
      ['production', 'staging'].flatMap((env) => perEnvironment.map((part) => `shop-${env}-${part}`)),
    );
    expect(resourcesOfType(json, 'google_compute_region_autoscaler').map((a) => a.autoscaling_policy.cpu_utilization.target)).toEqual([0.55, 0.6]);
  });

  it('starts each environment\'s container with its runmode, role=monolith, private names and secrets fetched at boot', () => {
    const [prod, staging] = resourcesOfType(json, 'google_compute_instance_template').map((t) => t.metadata['startup-script'] as string);
    const p = bootVariables(prod);
    expect(p.plain).toMatchObject({
      runmode: 'production',
      role: 'monolith',
      serverid: '$SERVER_ID',
      SERVERPOD_DATABASE_HOST: 'database.private-production.shop.example',
      SERVERPOD_REDIS_PORT: '6378',
      SERVERPOD_REDIS_REQUIRE_SSL: 'true',
      SERVERPOD_API_SERVER_PUBLIC_HOST: 'api.shop.example',
      SERVERPOD_APPLY_MIGRATIONS: 'true',
    });
    // With TLS, the IP: Memorystore's certificate names it, not the private DNS name.
    expect(p.plain.SERVERPOD_REDIS_HOST).toMatch(/^\$\{google_redis_instance\.cluster_production_Redis_[A-F0-9]+\.host\}$/);
    expect(p.secrets).toMatchObject({
      SERVERPOD_PASSWORD_database: 'gcp_secret shop-prod-1234 shop-production-database-password',
      SERVERPOD_SERVICE_SECRET: 'gcp_secret shop-prod-1234 shop-production-service-secret',
      SERVERPOD_PASSWORD_jwtHmacSha512PrivateKey: 'gcp_secret shop-prod-1234 shop-production-jwt-hmac-sha512-private-key',
      SERVERPOD_PASSWORD_HMACAccessKeyId: 'gcp_secret shop-prod-1234 shop-production-storage-hmac-access-id',
      SERVERPOD_PASSWORD_HMACSecretKey: 'gcp_secret shop-prod-1234 shop-production-storage-hmac-secret',
    });
    expect(prod).toContain("docker pull 'europe-west4-docker.pkg.dev/shop-prod-1234/shop-images/shop:production'");
    expect(prod).toContain('--restart=always');
    expect(bootVariables(staging).plain).toMatchObject({ runmode: 'staging', SERVERPOD_DATABASE_HOST: 'database.private-staging.shop.example' });
    expect(staging).toContain(':staging');
  });

  describe('IAM', () => {
    const projectGrants = resourcesOfType(json, 'google_project_iam_member');
    const deployGrants = projectGrants.filter((g) => /GithubDeploy_ServiceAccount/.test(g.member));
    const customRole = (role: string) => json.resource.google_project_iam_custom_role[/^\$\{google_project_iam_custom_role\.([^.]+)\.name\}$/.exec(role)![1]];

    it('lets the deploy identity roll exactly the two groups and use their templates, with no project-wide role', () => {
      expect(deployGrants.map((g) => g.role).filter((r) => r.startsWith('roles/'))).toEqual([]);
      const roll = deployGrants.find((g) => g.condition)!;
      expect(customRole(roll.role).permissions).toEqual(['compute.instanceGroupManagers.get', 'compute.instanceGroupManagers.update', 'compute.instanceTemplates.useReadOnly']);
      expect(roll.condition.expression).toBe(
        [
          "resource.name == 'projects/shop-prod-1234/regions/europe-west4/instanceGroupManagers/shop-production-group'",
          "resource.name.startsWith('projects/shop-prod-1234/global/instanceTemplates/shop-production-')",
          "resource.name == 'projects/shop-prod-1234/regions/europe-west4/instanceGroupManagers/shop-staging-group'",
          "resource.name.startsWith('projects/shop-prod-1234/global/instanceTemplates/shop-staging-')",
        ].join(' || '),
      );
      // The only unconditioned grant: reading the operations gcloud polls.
      const [operations] = deployGrants.filter((g) => !g.condition);
      expect(deployGrants).toHaveLength(2);
      expect(customRole(operations.role).permissions).toEqual(['compute.regionOperations.get']);
      // The group names in the condition are the groups Terraform creates.
      expect(resourcesOfType(json, 'google_compute_region_instance_group_manager').map((m) => `projects/${m.project}/regions/${m.region}/instanceGroupManagers/${m.name}`).every((n) => roll.condition.expression.includes(`'${n}'`))).toBe(true);
      expect(resourcesOfType(json, 'google_compute_instance_template').map((t) => t.name_prefix)).toEqual(['shop-production-', 'shop-staging-']);
      const actAs = resourcesOfType(json, 'google_service_account_iam_member').filter((m) => m.role === 'roles/iam.serviceAccountUser');
      expect(actAs.map((m) => m.service_account_id)).toEqual([
        expect.stringMatching(/cluster_production_ServiceAccount_[A-F0-9]+\.email\}$/),
        expect.stringMatching(/cluster_staging_ServiceAccount_[A-F0-9]+\.email\}$/),
      ]);
    });

    it('gives the servers only logs and metrics on the project: no Cloud SQL client, which password and private IP do not use', () => {
      const runtime = projectGrants.filter((g) => !deployGrants.includes(g));
      expect(runtime.map((g) => g.role).sort()).toEqual(['roles/logging.logWriter', 'roles/logging.logWriter', 'roles/monitoring.metricWriter', 'roles/monitoring.metricWriter']);
      expect(runtime.every((g) => g.condition === undefined)).toBe(true);
      expect(JSON.stringify(json)).not.toContain('cloudsql.client');
      const [prod] = resourcesOfType(json, 'google_compute_instance_template').map((t) => bootVariables(t.metadata['startup-script']).plain);
      expect(prod.SERVERPOD_DATABASE_HOST).toBe('database.private-production.shop.example');
    });

    it('keeps each environment\'s accounts and HMAC key to its own buckets and secrets', () => {
      const env = (ref: string) => /\.cluster_(production|staging)_/.exec(ref)?.[1];
      const bucketGrants = resourcesOfType(json, 'google_storage_bucket_iam_member').filter((g) => g.member !== 'allUsers');
      // The servers' account and the HMAC key's account, on the public and the private bucket, per environment.
      expect(bucketGrants).toHaveLength(8);
      for (const g of bucketGrants) expect([g.bucket, env(g.member)]).toEqual([g.bucket, env(g.bucket)]);
      const keyAccounts = resourcesOfType(json, 'google_storage_hmac_key').map((k) => env(k.service_account_email));
      expect(keyAccounts).toEqual(['production', 'staging']);
      const secretGrants = resourcesOfType(json, 'google_secret_manager_secret_iam_member');
      for (const g of secretGrants) expect([g.secret_id, env(g.member)]).toEqual([g.secret_id, env(g.secret_id)]);
      // None of it project-wide: no storage or secret role on the project.
      expect(projectGrants.some((g) => /storage|secretmanager/.test(g.role))).toBe(false);
    });
  });

  it('writes no secret value into the configuration', () => {
    for (const v of resourcesOfType(json, 'google_secret_manager_secret_version')) {
      expect(v.secret_data).toMatch(/^\$\{(random_password\.[^.]+\.result|google_redis_instance\.[^.]+\.auth_string|google_storage_hmac_key\.[^.]+\.(access_id|secret))\}$/);
    }
    for (const u of resourcesOfType(json, 'google_sql_user')) expect(u.password).toMatch(/^\$\{random_password\.[^.]+\.result\}$/);
  });

  it('routes the bare domain to production web and storage through a CDN-backed bucket', () => {
    const map = resourcesOfType(json, 'google_compute_url_map').find((m) => m.name === 'shop-url-map')!;
    expect(map.host_rule).toEqual(expect.arrayContaining([{ hosts: ['app.shop.example', 'shop.example'], path_matcher: 'production-web' }]));
    expect(resourcesOfType(json, 'google_compute_backend_bucket').map((b) => [b.name, b.enable_cdn])).toEqual([
      ['shop-production-storage-backend', true],
      ['shop-staging-storage-backend', true],
    ]);
    expect(resourcesOfType(json, 'google_compute_backend_service').every((b) => b.timeout_sec === 7200)).toBe(true);
  });

  it('outputs what config/production.yaml needs, the URLs and the deploy identity', () => {
    expect(json.output.production_api_url.value).toBe('https://api.shop.example/');
    expect(json.output.staging_web_url.value).toBe('https://app-staging.shop.example/');
    expect(json.output.production_serverpod_config.value).toContain('host: database.private-production.shop.example');
    expect(json.output.production_serverpod_config.value).toContain('publicHost: insights.shop.example');
    expect(json.output.production_database_connection_name.value).toMatch(/connection_name/);
    expect(json.output.github_workload_identity_provider.value).toMatch(/google_iam_workload_identity_pool_provider/);
    expect(json.terraform.backend).toEqual({ gcs: { bucket: 'shop-tf-state', prefix: 'cdktf-serverpod/cluster-gcp' } });
  });
});

describe('cluster-gcp stack, zonal, with a deploy identity', () => {
  const json = synthBundled(`${MINIMAL_GCP_CONFIG}github: { repository: acme/app }\n`.replace('{ project: example-project }', '{ project: example-project, region: us-central1, zone: us-central1-b }')).stacks['cluster-gcp'];

  it('scopes the deploy to the zonal group and reads zone operations', () => {
    const grants = resourcesOfType(json, 'google_project_iam_member').filter((g) => /GithubDeploy/.test(g.member));
    expect(grants.find((g) => g.condition)!.condition.expression).toBe(
      "resource.name == 'projects/example-project/zones/us-central1-b/instanceGroupManagers/serverpod-production-group' || resource.name.startsWith('projects/example-project/global/instanceTemplates/serverpod-production-')",
    );
    expect(resourcesOfType(json, 'google_project_iam_custom_role').map((r) => [r.role_id, r.permissions])).toEqual([
      ['serverpod_deploy_readOperations', ['compute.zoneOperations.get']],
      ['serverpod_deploy_rollGroups', ['compute.instanceGroupManagers.get', 'compute.instanceGroupManagers.update', 'compute.instanceTemplates.useReadOnly']],
    ]);
  });
});

describe('cluster-gcp stack, minimal', () => {
  const json = synthBundled(MINIMAL_GCP_CONFIG).stacks['cluster-gcp'];

  it('matches its snapshot and refers only to what it declares', () => {
    expect(forSnapshot(json)).toMatchSnapshot();
    expect(danglingReferences(json)).toEqual([]);
  });

  it('has production only, no Redis, a new public zone, and project-named buckets', () => {
    expect(resourcesOfType(json, 'google_sql_database_instance')).toHaveLength(1);
    expect(resourcesOfType(json, 'google_redis_instance')).toHaveLength(0);
    expect(resourcesOfType(json, 'google_dns_managed_zone').map((z) => [z.name, z.visibility ?? 'public']).sort()).toEqual([
      ['serverpod-production-private', 'private'],
      ['serverpod-public', 'public'],
    ]);
    expect(resourcesOfType(json, 'google_storage_bucket').map((b) => b.name).sort()).toEqual(['example-project-serverpod-production-private', 'example-project-serverpod-production-public']);
    expect(json.output.dns_name_servers).toBeDefined();
  });

  it('reaches Redis without TLS by its private name, as config/production.yaml does', () => {
    const withRedis = synthBundled(`${MINIMAL_GCP_CONFIG}redis: true\n`).stacks['cluster-gcp'];
    const script: string = resourcesOfType(withRedis, 'google_compute_instance_template')[0].metadata['startup-script'];
    expect(bootVariables(script).plain).toMatchObject({ SERVERPOD_REDIS_HOST: 'redis.private-production.example.com', SERVERPOD_REDIS_PORT: '6379' });
  });

  it('leaves the database out for Serverpod mini', () => {
    const mini = synthBundled(`${MINIMAL_GCP_CONFIG}database: false\n`).stacks['cluster-gcp'];
    expect(resourcesOfType(mini, 'google_sql_database_instance')).toHaveLength(0);
    expect(resourcesOfType(mini, 'google_compute_instance_template')[0].metadata['startup-script']).not.toContain('SERVERPOD_DATABASE_HOST');
  });
});

describe('the GCP boot script on Container-Optimized OS', () => {
  it('reads tokens and secrets from the metadata server and Secret Manager with curl, sed and base64', () => {
    // Run the script's own prelude with curl stubbed: the metadata server and Secret Manager answers are canned.
    const json = synthBundled(MINIMAL_GCP_CONFIG).stacks['cluster-gcp'];
    const script: string = resourcesOfType(json, 'google_compute_instance_template')[0].metadata['startup-script'];
    const prelude = script.split('\n').filter((l) => /^(metadata|gcp_token|gcp_secret)\(\)/.test(l));
    expect(prelude).toHaveLength(3);
    const dir = mkdtempSync(join(tmpdir(), 'cos-'));
    writeFileSync(
      join(dir, 'curl'),
      [
        '#!/bin/sh',
        'for a in "$@"; do last="$a"; done',
        'case "$last" in',
        '  *token) echo \'{"access_token":"tok-123","expires_in":3599,"token_type":"Bearer"}\' ;;',
        '  *instance/name) echo "serverpod-production-abcd" ;;',
        '  *secrets/db/versions/latest:access) case "$*" in *"Bearer tok-123"*) printf \'{\\n  "name": "x",\\n  "payload": {\\n    "data": "czNjcjN0LXZhbHVl"\\n  }\\n}\\n\' ;; *) exit 22 ;; esac ;;',
        '  *) exit 22 ;;',
        'esac',
      ].join('\n'),
      { mode: 0o755 },
    );
    const run = (cmd: string) => execFileSync('bash', ['-c', `set -euo pipefail\n${prelude.join('\n')}\n${cmd}`], { encoding: 'utf8', env: { PATH: `${dir}:${process.env.PATH}` } });
    expect(run('gcp_token')).toBe('tok-123\n');
    expect(run('metadata instance/name')).toBe('serverpod-production-abcd\n');
    expect(run('gcp_secret p db')).toBe('s3cr3t-value');
    expect(() => run('gcp_secret p missing')).toThrow();
  });
});

describe('bad cluster-gcp config', () => {
  it.each<[string, string, string[]]>([
    [
      'a zone outside the region, a bad zone name and Redis too large',
      'domain: example.com\nstacks:\n  cluster-gcp: { project: my-project-1, region: us-central1, zone: europe-west1-b, dnsZone: My_Zone, sizes: { production: { redisMemoryGb: 500 } } }\n',
      [
        "stacks.cluster-gcp.zone: got \"europe-west1-b\"; expected a zone of the stack's region us-central1",
        'stacks.cluster-gcp.dnsZone: got "My_Zone"; expected the name of an existing Cloud DNS zone',
        'stacks.cluster-gcp.sizes.production.redisMemoryGb: got 500; expected at most 300',
      ],
    ],
    [
      'timeouts, tiers and naming out of range',
      'domain: example.com\nstacks:\n  cluster-gcp: { project: my-project-1, backendTimeoutSec: 0, redisTier: PREMIUM, bucketNaming: random, sizes: { staging: { databaseAvailability: MULTI } } }\n',
      [
        'stacks.cluster-gcp.backendTimeoutSec: got 0; expected at least 1',
        'stacks.cluster-gcp.redisTier: got "PREMIUM"; expected one of "BASIC", "STANDARD_HA"',
        'stacks.cluster-gcp.bucketNaming: got "random"; expected one of "project", "domain"',
        'stacks.cluster-gcp.sizes.staging.databaseAvailability: got "MULTI"; expected one of "ZONAL", "REGIONAL"',
      ],
    ],
    ['a ref pattern with * inside', 'domain: example.com\ngithub: { repository: a/b, refs: ["refs/heads/*/x", "main"] }\nstacks: {}\n', ['github.refs.0: got "refs/heads/*/x"; expected a git ref such as refs/heads/main', 'github.refs.1: got "main"']],
    ['a bad GitHub repository', 'domain: example.com\ngithub: { repository: "https://github.com/a/b" }\nstacks: {}\n', ['github.repository: got "https://github.com/a/b"; expected a GitHub repository as owner/name']],
  ])('fails on %s', (_name, text, lines) => {
    const message = configProblems(text);
    for (const line of lines) expect(message).toContain(line);
  });
});

describe('the example deploy workflow (examples/serverpod-gcp/deploy-gcp.yml)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse } = require('yaml') as typeof import('yaml');
  const workflow = parse(require('fs').readFileSync(join(__dirname, '..', 'examples', 'serverpod-gcp', 'deploy-gcp.yml'), 'utf8'));
  const steps: { uses?: string; run?: string }[] = workflow.jobs.deploy.steps;

  it('authenticates keylessly through workload identity federation', () => {
    expect(workflow.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(steps.map((s) => s.uses).filter(Boolean)).toEqual(expect.arrayContaining([expect.stringMatching(/^google-github-actions\/auth@/)]));
    expect(JSON.stringify(workflow)).not.toMatch(/credentials_json|GCP_SA_KEY/);
  });

  it('pushes the environment tag the servers run and rolls the group the construct names', () => {
    const run = steps.map((s) => s.run ?? '').join('\n');
    expect(run).toContain('docker push "${REGISTRY}/${IMAGE}:${TARGET}"');
    // InstanceGroup names groups `<prefix>-<environment>-group`; the example's prefix is `mypod`.
    expect(run).toContain('rolling-action replace "mypod-${TARGET}-group"');
    expect(workflow.env.REGISTRY).toBe('us-east1-docker.pkg.dev/my-serverpod-prod/mypod-images');
  });
});
