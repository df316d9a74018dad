import 'cdktf/lib/testing/adapters/jest';
import { TerraformStack } from 'cdktf';
import { gcp, parseConfig, perseusProfile, serverpodProfile } from '../lib';
import { createStacks } from '../stacks/app';
import { configProblems, gcpTestStack, only, validationErrorOf } from './helpers/assert';
import { danglingReferences } from './helpers/references';
import { forSnapshot, resourcesOfType, synthBundled, synthJson, testApp } from './helpers/synth';

const PROJECT = 'p-123456';




function envOf(container: Record<string, any>): Record<string, unknown> {
  return Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.value_source]));
}

const FULL_SERVERLESS_CONFIG = `
project: shop
domain: shop.example
environments: [production, staging]
redis: true
webOnTopDomain: true
github: { repository: acme/shop-server }
stacks:
  serverless-gcp:
    project: shop-prod-1234
    region: europe-west4
    maintenanceSchedule: "*/2 * * * *"
    requestTimeoutSec: 1800
    publicInsights: false
    vpcEgress: direct
    redisTier: STANDARD_HA
    redisTransitEncryption: true
    storageCdn: true
    sizes:
      production: { minInstances: 1, maxInstances: 20, cpu: "2", memory: 2Gi, concurrency: 200, databaseTier: db-custom-1-3840, redisMemoryGb: 5 }
      staging: { maxInstances: 2 }
`;

const MINIMAL_SERVERLESS_CONFIG = `
domain: example.com
stacks:
  serverless-gcp: { project: example-project }
`;

describe('gcp.CloudRunService', () => {
  const profile = serverpodProfile();
  const base = {
    project: PROJECT,
    region: 'us-central1',
    name: 'pod-api',
    image: 'us-central1-docker.pkg.dev/p/r/pod:production',
    port: profile.port('api'),
    serviceAccountEmail: 'run@x',
    environment: { plain: { role: 'serverless' }, secrets: { SERVERPOD_PASSWORD_database: { secret: 'pod-db-password' } } },
  };

  it('scales from zero with the concurrency, timeout, probes and resources it is given', () => {
    const stack = gcpTestStack();
    new gcp.CloudRunService(stack, 's', { ...base, cloudSqlInstances: ['p:r:i'] });
    const service = only(synthJson(stack), 'google_cloud_run_v2_service');
    expect(service).toMatchObject({ name: 'pod-api', location: 'us-central1', ingress: 'INGRESS_TRAFFIC_ALL', deletion_protection: false });
    expect(service.template).toMatchObject({
      service_account: 'run@x',
      scaling: { min_instance_count: 0, max_instance_count: 10 },
      max_instance_request_concurrency: 80,
      timeout: '3600s',
      volumes: [{ name: 'cloudsql', cloud_sql_instance: { instances: ['p:r:i'] } }],
    });
    const container = service.template.containers[0];
    expect(container).toMatchObject({
      image: base.image,
      ports: { name: 'http1', container_port: 8080 },
      resources: { limits: { cpu: '1', memory: '512Mi' }, cpu_idle: true, startup_cpu_boost: true },
      // Startup: the port opens (TCP), for up to 240 s by default; liveness: the port's own liveness route.
      startup_probe: { tcp_socket: { port: 8080 }, initial_delay_seconds: 0, period_seconds: 10, timeout_seconds: 5, failure_threshold: 24 },
      liveness_probe: { http_get: { path: '/livez', port: 8080 }, period_seconds: 10, timeout_seconds: 5, failure_threshold: 3 },
      volume_mounts: [{ name: 'cloudsql', mount_path: '/cloudsql' }],
    });
  });

  it('passes secrets as Secret Manager references, never values', () => {
    const stack = gcpTestStack();
    new gcp.CloudRunService(stack, 's', base);
    const container = only(synthJson(stack), 'google_cloud_run_v2_service').template.containers[0];
    expect(envOf(container)).toEqual({ role: 'serverless', SERVERPOD_PASSWORD_database: { secret_key_ref: { secret: 'pod-db-password', version: 'latest' } } });
  });

  it('is invokable by anyone only when public, and reachable only through a load balancer on request', () => {
    const stack = gcpTestStack();
    new gcp.CloudRunService(stack, 'open', { ...base, public: true, ingress: 'load-balancer' });
    new gcp.CloudRunService(stack, 'closed', { ...base, name: 'pod-insights' });
    const json = synthJson(stack);
    expect(only(json, 'google_cloud_run_v2_service_iam_member')).toMatchObject({ role: 'roles/run.invoker', member: 'allUsers', name: expect.stringContaining('open') });
    expect(resourcesOfType(json, 'google_cloud_run_v2_service').map((s) => s.ingress).sort()).toEqual(['INGRESS_TRAFFIC_ALL', 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER']);
  });

  it('runs any profile, such as a Perseus server, directly', () => {
    const stack = gcpTestStack();
    const perseus = perseusProfile({ port: 3000 });
    new gcp.CloudRunService(stack, 'site', {
      ...base,
      name: 'site',
      port: perseus.mainPort,
      environment: perseus.containerEnvironment({ runmode: 'production', role: 'serverless', serverId: 'site' }),
      public: true,
    });
    const container = only(synthJson(stack), 'google_cloud_run_v2_service').template.containers[0];
    expect(container.ports).toEqual({ name: 'http1', container_port: 3000 });
    expect(envOf(container)).toEqual({ PERSEUS_HOST: '0.0.0.0', PERSEUS_PORT: '3000' });
  });

  it('fails on impossible sizes, naming each', () => {
    const message = validationErrorOf(() => new gcp.CloudRunService(gcpTestStack(), 's', { ...base, minInstances: 5, maxInstances: 2, concurrency: 2000, requestTimeoutSec: 7200, cpu: '1', memory: '8Gi' }));
    expect(message).toContain('props.maxInstances: got 2; expected a whole number of at least 1 and at least minInstances (5)');
    expect(message).toContain('props.concurrency: got 2000; expected a whole number from 1 to 1000');
    expect(message).toContain('props.requestTimeoutSec: got 7200; expected a whole number of seconds from 1 to 3600');
    expect(message).toContain('props.memory: got "8Gi"; expected at most 4Gi with 1 CPU(s) (8Gi needs 2)');
  });
});

describe('gcp.CloudRunJob', () => {
  const base = { project: PROJECT, region: 'us-central1', image: 'img', serviceAccountEmail: 'run@x', environment: { plain: { role: 'maintenance' }, secrets: {} } };

  it('is started on its schedule by Cloud Scheduler as an invoker allowed to run this job only', () => {
    const stack = gcpTestStack();
    new gcp.CloudRunJob(stack, 'm', { ...base, name: 'pod-production-maintenance', schedule: '* * * * *' });
    const json = synthJson(stack);
    expect(only(json, 'google_cloud_run_v2_job')).toMatchObject({ name: 'pod-production-maintenance', template: { task_count: 1, template: expect.objectContaining({ service_account: 'run@x', max_retries: 0 }) } });
    const scheduler = only(json, 'google_cloud_scheduler_job');
    // It waits for the invoker's grant: runs before it would be refused with 403.
    expect(scheduler.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^google_cloud_run_v2_job_iam_member\.m_InvokerRole_/)]));
    expect(scheduler).toMatchObject({
      schedule: '* * * * *',
      time_zone: 'Etc/UTC',
      http_target: {
        http_method: 'POST',
        uri: `https://run.googleapis.com/v2/projects/${PROJECT}/locations/us-central1/jobs/pod-production-maintenance:run`,
        oauth_token: { service_account_email: expect.stringMatching(/google_service_account\.m_Invoker_[A-F0-9]+\.email/), scope: 'https://www.googleapis.com/auth/cloud-platform' },
      },
    });
    expect(only(json, 'google_cloud_run_v2_job_iam_member')).toMatchObject({
      role: 'roles/run.invoker',
      name: expect.stringMatching(/google_cloud_run_v2_job\.m_[A-F0-9]+\.name/),
      member: expect.stringMatching(/google_service_account\.m_Invoker_[A-F0-9]+\.member/),
    });
    expect(resourcesOfType(json, 'google_project_iam_member')).toHaveLength(0);
  });

  it('has no scheduler without a schedule, and replaces the command when asked', () => {
    const stack = gcpTestStack();
    new gcp.CloudRunJob(stack, 'mig', { ...base, name: 'pod-migrations', command: ['/server', '--apply-migrations'] });
    const json = synthJson(stack);
    expect(resourcesOfType(json, 'google_cloud_scheduler_job')).toHaveLength(0);
    expect(only(json, 'google_cloud_run_v2_job').template.template.containers[0].command).toEqual(['/server', '--apply-migrations']);
  });

  it('fails on a schedule that is not cron', () => {
    expect(validationErrorOf(() => new gcp.CloudRunJob(gcpTestStack(), 'm', { ...base, name: 'j', schedule: 'every minute' }))).toContain('props.schedule: got "every minute"; expected a five-field cron expression');
  });
});

describe('serverless-gcp stack, everything on', () => {
  const json = synthBundled(FULL_SERVERLESS_CONFIG).stacks['serverless-gcp'];
  const services = resourcesOfType(json, 'google_cloud_run_v2_service');
  const byName = (name: string) => services.find((s) => s.name === name)!;

  it('matches its snapshot and refers only to what it declares', () => {
    expect(forSnapshot(json)).toMatchSnapshot();
    expect(danglingReferences(json)).toEqual([]);
  });

  it('runs api, insights and web per environment in the serverless role, behind the load balancer only', () => {
    expect(services.map((s) => s.name).sort()).toEqual(['shop-run-production-api', 'shop-run-production-insights', 'shop-run-production-web', 'shop-run-staging-api', 'shop-run-staging-insights', 'shop-run-staging-web']);
    for (const s of services) expect(s.ingress).toBe('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER');
    const api = byName('shop-run-production-api');
    expect(api.template).toMatchObject({ scaling: { min_instance_count: 1, max_instance_count: 20 }, max_instance_request_concurrency: 200, timeout: '1800s' });
    expect(api.template.containers[0].resources.limits).toEqual({ cpu: '2', memory: '2Gi' });
    expect(envOf(api.template.containers[0])).toMatchObject({ role: 'serverless', runmode: 'production', serverid: 'production-api', SERVERPOD_API_SERVER_PUBLIC_HOST: 'api.shop.example' });
    expect(byName('shop-run-staging-web').template.scaling).toEqual({ min_instance_count: 0, max_instance_count: 2 });
  });

  it('starts from placeholder images and leaves the image to the deploy workflow afterwards', () => {
    for (const s of services) {
      expect(s.template.containers[0].image).toBe('us-docker.pkg.dev/cloudrun/container/hello');
      expect(s.lifecycle).toEqual({ ignore_changes: ['template[0].containers[0].image', 'client', 'client_version'] });
    }
    for (const j of resourcesOfType(json, 'google_cloud_run_v2_job')) {
      expect(j.template.template.containers[0].image).toBe('us-docker.pkg.dev/cloudrun/container/job');
      expect(j.lifecycle).toEqual({ ignore_changes: ['template[0].template[0].containers[0].image', 'client', 'client_version'] });
    }
  });

  it('creates services only once their secrets and the grants to read them exist', () => {
    const api = byName('shop-run-production-api');
    const grants = Object.keys(json.resource.google_secret_manager_secret_iam_member).filter((n) => n.includes('_production_'));
    // The database password, Redis AUTH, the template's four passwords and the storage HMAC pair.
    expect(grants.length).toBe(8);
    for (const grant of grants) expect(api.depends_on).toContain(`google_secret_manager_secret_iam_member.${grant}`);
    // No grace given: 24 probes of 10 s (Cloud Run's 240 s most) from the start, no initial delay, so a cold start or a
    // scale-out serves as soon as the port opens (the clusters' 300 s default is for migrating at boot).
    expect(api.template.containers[0].startup_probe).toMatchObject({ tcp_socket: { port: 8080 }, initial_delay_seconds: 0, period_seconds: 10, failure_threshold: 24 });
  });

  it('gives every service and job the passwords the template reads before it starts, whatever the role', () => {
    // JwtConfigFromPasswords() and EmailIdpConfigFromPasswords() run in the template's run() before pod.start(), so the
    // migrations and maintenance jobs need them as much as the services (projectname_server/lib/server.dart @ 3.4.12).
    const keys = { SERVERPOD_SERVICE_SECRET: 'service-secret', SERVERPOD_PASSWORD_jwtHmacSha512PrivateKey: 'jwt-hmac-sha512-private-key', SERVERPOD_PASSWORD_jwtRefreshTokenHashPepper: 'jwt-refresh-token-hash-pepper', SERVERPOD_PASSWORD_emailSecretHashPepper: 'email-secret-hash-pepper', SERVERPOD_PASSWORD_database: 'database-password' };
    const jobs = resourcesOfType(json, 'google_cloud_run_v2_job');
    const all = [...services.map((s) => [s.name, s.template] as const), ...jobs.map((j) => [j.name, j.template.template] as const)];
    expect(all).toHaveLength(10);
    for (const [name, template] of all) {
      const environment = String(name).includes('-staging-') ? 'staging' : 'production';
      const vars = envOf(template.containers[0]);
      for (const [variable, secret] of Object.entries(keys)) expect([name, variable, vars[variable]]).toEqual([name, variable, { secret_key_ref: { secret: `shop-run-${environment}-${secret}`, version: 'latest' } }]);
    }
  });

  it('reaches Cloud SQL on its private IP only, over TCP with TLS, from every service and job through the VPC', () => {
    const jobs = resourcesOfType(json, 'google_cloud_run_v2_job');
    for (const [env, who] of [...services.map((s) => [s.name, s.template] as const), ...jobs.map((j) => [j.name, j.template.template] as const)]) {
      const vars = envOf(who.containers[0]);
      const environment = String(env).includes('-staging-') ? 'staging' : 'production';
      expect(vars.SERVERPOD_DATABASE_HOST).toMatch(new RegExp(`^\\$\\{google_sql_database_instance\\.app_${environment}_Database_[A-F0-9]+\\.private_ip_address\\}$`));
      expect(vars).toMatchObject({ SERVERPOD_DATABASE_PORT: '5432', SERVERPOD_DATABASE_IS_UNIX_SOCKET: 'false', SERVERPOD_DATABASE_REQUIRE_SSL: 'true' });
      expect(who.vpc_access).toEqual({ network_interfaces: [{ network: expect.stringContaining('google_compute_network'), subnetwork: expect.stringContaining('google_compute_subnetwork') }], egress: 'PRIVATE_RANGES_ONLY' });
      // No Cloud SQL connection: no socket volume, no mount.
      expect(who.volumes).toBeUndefined();
      expect(who.containers[0].volume_mounts).toBeUndefined();
    }
    expect(jobs).toHaveLength(4);
    expect(envOf(byName('shop-run-production-api').template.containers[0]).SERVERPOD_PASSWORD_database).toEqual({ secret_key_ref: { secret: 'shop-run-production-database-password', version: 'latest' } });
    for (const db of resourcesOfType(json, 'google_sql_database_instance')) {
      expect(db.settings.ip_configuration).toEqual({ ipv4_enabled: false, private_network: expect.stringMatching(/^\$\{google_compute_network\.app_Network_[A-F0-9]+\.id\}$/), ssl_mode: 'ENCRYPTED_ONLY' });
      expect(db.depends_on).toContainEqual(expect.stringMatching(/^google_service_networking_connection\.app_Network_PrivateServicesConnection_/));
    }
    expect(only(json, 'google_service_networking_connection')).toMatchObject({ service: 'servicenetworking.googleapis.com' });
    expect(only(json, 'google_compute_subnetwork')).toMatchObject({ ip_cidr_range: '10.10.0.0/20', private_ip_google_access: true });
    // Neither a NAT nor a connector: Direct VPC egress costs nothing of its own.
    expect(resourcesOfType(json, 'google_compute_router_nat')).toHaveLength(0);
    expect(resourcesOfType(json, 'google_vpc_access_connector')).toHaveLength(0);
  });

  it('gives the runtime accounts no Cloud SQL role, and the deploy account Cloud Run Developer on its own services and jobs only', () => {
    const projectRoles = resourcesOfType(json, 'google_project_iam_member');
    expect(projectRoles.map((m) => m.role)).not.toContain('roles/cloudsql.client');
    expect(projectRoles.map((m) => m.role)).not.toContain('roles/run.developer');
    const deployer = projectRoles.filter((m) => m.member.includes('GithubDeploy'));
    expect(deployer.map((m) => m.role)).toEqual(['roles/logging.viewer']);
    const onServices = resourcesOfType(json, 'google_cloud_run_v2_service_iam_member').filter((m) => m.role === 'roles/run.developer');
    expect(onServices).toHaveLength(6);
    for (const m of onServices) expect(m).toMatchObject({ location: 'europe-west4', member: expect.stringMatching(/google_service_account\.app_GithubDeploy_ServiceAccount_[A-F0-9]+\.member/), name: expect.stringMatching(/google_cloud_run_v2_service\./) });
    const onJobs = resourcesOfType(json, 'google_cloud_run_v2_job_iam_member').filter((m) => m.role === 'roles/run.developer');
    expect(onJobs.map((m) => m.name.replace(/_[A-F0-9]+\.name\}$/, '')).sort()).toEqual([
      '${google_cloud_run_v2_job.app_production_Maintenance',
      '${google_cloud_run_v2_job.app_production_Migrations',
      '${google_cloud_run_v2_job.app_staging_Maintenance',
      '${google_cloud_run_v2_job.app_staging_Migrations',
    ]);
  });

  it('reaches Memorystore through Direct VPC egress with AUTH and TLS', () => {
    const api = byName('shop-run-production-api');
    expect(api.template.vpc_access).toEqual({ network_interfaces: [{ network: expect.stringContaining('google_compute_network'), subnetwork: expect.stringContaining('google_compute_subnetwork') }], egress: 'PRIVATE_RANGES_ONLY' });
    expect(envOf(api.template.containers[0])).toMatchObject({ SERVERPOD_REDIS_ENABLED: 'true', SERVERPOD_REDIS_PORT: '6378', SERVERPOD_REDIS_REQUIRE_SSL: 'true', SERVERPOD_PASSWORD_redis: { secret_key_ref: { secret: 'shop-run-production-redis-auth', version: 'latest' } } });
    expect(resourcesOfType(json, 'google_redis_instance').map((r) => [r.name, r.auth_enabled])).toEqual([
      ['shop-run-production-redis', true],
      ['shop-run-staging-redis', true],
    ]);
  });

  it('runs the maintenance role on the schedule and has a migrations job', () => {
    const jobs = resourcesOfType(json, 'google_cloud_run_v2_job');
    expect(jobs.map((j) => j.name).sort()).toEqual(['shop-run-production-maintenance', 'shop-run-production-migrations', 'shop-run-staging-maintenance', 'shop-run-staging-migrations']);
    const maintenance = jobs.find((j) => j.name === 'shop-run-production-maintenance')!;
    expect(envOf(maintenance.template.template.containers[0])).toMatchObject({ role: 'maintenance', runmode: 'production' });
    const migrations = jobs.find((j) => j.name === 'shop-run-production-migrations')!;
    // The image's own entrypoint (no /server: 3.4.9+ images keep it at /app/server), told to migrate and exit.
    expect(migrations.template.template.containers[0].command).toBeUndefined();
    expect(envOf(migrations.template.template.containers[0])).toMatchObject({ role: 'maintenance', runmode: 'production', SERVERPOD_APPLY_MIGRATIONS: 'true', SERVERPOD_DATABASE_MAX_CONNECTION_COUNT: '2' });
    expect(envOf(byName('shop-run-production-api').template.containers[0]).SERVERPOD_APPLY_MIGRATIONS).toBeUndefined();
    expect(resourcesOfType(json, 'google_cloud_scheduler_job').map((s) => [s.name, s.schedule])).toEqual([
      ['shop-run-production-maintenance-schedule', '*/2 * * * *'],
      ['shop-run-staging-maintenance-schedule', '*/2 * * * *'],
    ]);
  });

  it('lets anyone invoke api and web, but Insights only with IAM', () => {
    const invokers = resourcesOfType(json, 'google_cloud_run_v2_service_iam_member').filter((m) => m.role === 'roles/run.invoker');
    expect(invokers).toHaveLength(4);
    expect(JSON.stringify(invokers)).not.toContain('insights');
  });

  it('serves every host through serverless NEGs on one HTTPS load balancer', () => {
    const negs = resourcesOfType(json, 'google_compute_region_network_endpoint_group');
    expect(negs).toHaveLength(6);
    for (const n of negs) expect(n).toMatchObject({ network_endpoint_type: 'SERVERLESS', region: 'europe-west4', cloud_run: { service: expect.stringContaining('google_cloud_run_v2_service') } });
    const backends = resourcesOfType(json, 'google_compute_backend_service');
    for (const b of backends) {
      expect(b.backend[0].group).toMatch(/google_compute_region_network_endpoint_group/);
      expect(b.health_checks).toBeUndefined();
      expect(b.timeout_sec).toBeUndefined();
    }
    const certDomains = resourcesOfType(json, 'google_compute_managed_ssl_certificate').flatMap((c) => c.managed.domains);
    expect(certDomains).toEqual(expect.arrayContaining(['api.shop.example.', 'shop.example.', 'storage.shop.example.', 'insights-staging.shop.example.']));
    expect(resourcesOfType(json, 'google_compute_url_map').find((m) => m.name === 'shop-run-http-redirect')).toBeDefined();
  });

  it('outputs the URLs, jobs and the private-IP database settings', () => {
    expect(json.output.production_api_url.value).toBe('https://api.shop.example/');
    expect(json.output.production_migrations_job.value).toMatch(/google_cloud_run_v2_job/);
    const config = json.output.production_serverpod_config.value;
    expect(config).toMatch(/host: \$\{google_sql_database_instance\.app_production_Database_[A-F0-9]+\.private_ip_address\}/);
    expect(config).toContain('requireSsl: true');
    expect(config).toContain('isUnixSocket: false');
    expect(json.output.github_service_account.value).toMatch(/google_service_account/);
  });
});

describe('gcp.startupProbeTiming', () => {
  it('probes from the start within 240 s, whatever the interval, and delays only what a longer grace leaves', () => {
    expect(gcp.startupProbeTiming(240, 10)).toEqual({ initialDelaySec: 0, failureThreshold: 24 });
    // 50 s probes: four fit in 240 s; no delay to make up the other 40 s.
    expect(gcp.startupProbeTiming(240, 50)).toEqual({ initialDelaySec: 0, failureThreshold: 4 });
    expect(gcp.startupProbeTiming(100, 7)).toEqual({ initialDelaySec: 0, failureThreshold: 15 });
    expect(gcp.startupProbeTiming(0, 10)).toEqual({ initialDelaySec: 0, failureThreshold: 1 });
    expect(gcp.startupProbeTiming(300, 10)).toEqual({ initialDelaySec: 60, failureThreshold: 24 });
    expect(gcp.startupProbeTiming(300, 50)).toEqual({ initialDelaySec: 100, failureThreshold: 4 });
    expect(gcp.startupProbeTiming(480, 240)).toEqual({ initialDelaySec: 240, failureThreshold: 1 });
  });
});

describe('serverless-gcp startup window', () => {
  const infos = (stacks: Record<string, TerraformStack>) => Object.values(stacks).flatMap((st) => st.node.findAll()).flatMap((c) => c.node.metadata).filter((m) => m.type === '@cdktf/info').map((m) => String(m.data));
  const build = (app: string) => createStacks(testApp(), parseConfig(`${MINIMAL_SERVERLESS_CONFIG}${app}`, { source: 'test', env: {} }), { guardrails: { print: false } }) as Record<string, TerraformStack>;

  it('delays no start when no grace period is given, and says what a longer one costs when it is', () => {
    expect(infos(build('')).filter((m) => m.includes('gracePeriodSec'))).toEqual([]);
    const given = build('app: { healthCheck: { gracePeriodSec: 300 } }\n');
    expect(infos(given)).toContainEqual(expect.stringMatching(/^healthCheck\.gracePeriodSec 300: .*every new container \(cold starts and scale-outs too\) waits 60 s before its first probe/));
    // The delay the probe gets, not grace - 240: with 50 s probes four cover 200 s.
    expect(infos(build('app: { healthCheck: { gracePeriodSec: 300, intervalSec: 50, timeoutSec: 5 } }\n'))).toContainEqual(expect.stringContaining('waits 100 s before its first probe'));
    expect(infos(build('app: { healthCheck: { intervalSec: 50, timeoutSec: 5 } }\n')).filter((m) => m.includes('gracePeriodSec'))).toEqual([]);
    const api = resourcesOfType(synthJson(given['serverless-gcp']), 'google_cloud_run_v2_service').find((sv) => sv.name.endsWith('-production-api'))!;
    expect(api.template.containers[0].startup_probe).toMatchObject({ initial_delay_seconds: 60, failure_threshold: 24 });
  });
});

describe('serverless-gcp stack, minimal', () => {
  const json = synthBundled(MINIMAL_SERVERLESS_CONFIG).stacks['serverless-gcp'];

  it('matches its snapshot and refers only to what it declares', () => {
    expect(forSnapshot(json)).toMatchSnapshot();
    expect(danglingReferences(json)).toEqual([]);
  });

  it('costs nothing idle: every service scales to zero, a VPC for the private database with no NAT or connector, no Redis', () => {
    for (const s of resourcesOfType(json, 'google_cloud_run_v2_service')) expect(s.template.scaling.min_instance_count).toBe(0);
    expect(only(json, 'google_sql_database_instance').settings.ip_configuration.ipv4_enabled).toBe(false);
    expect(only(json, 'google_compute_network')).toMatchObject({ name: 'serverpod-run-network', auto_create_subnetworks: false });
    expect(resourcesOfType(json, 'google_compute_router_nat')).toHaveLength(0);
    expect(resourcesOfType(json, 'google_vpc_access_connector')).toHaveLength(0);
    expect(resourcesOfType(json, 'google_compute_firewall')).toHaveLength(0);
    expect(resourcesOfType(json, 'google_redis_instance')).toHaveLength(0);
    expect(resourcesOfType(json, 'google_cloud_scheduler_job').map((s) => s.schedule)).toEqual(['* * * * *']);
  });

  it('uses Cloud Run domain mappings instead of a load balancer on request', () => {
    const mapped = synthBundled(`${MINIMAL_SERVERLESS_CONFIG.replace('{ project: example-project }', '{ project: example-project, domains: domain-mappings }')}`).stacks['serverless-gcp'];
    expect(resourcesOfType(mapped, 'google_compute_global_forwarding_rule')).toHaveLength(0);
    expect(resourcesOfType(mapped, 'google_cloud_run_domain_mapping').map((m) => m.name).sort()).toEqual(['api.example.com', 'app.example.com', 'insights.example.com']);
    const cnames = resourcesOfType(mapped, 'google_dns_record_set').filter((r) => r.type === 'CNAME');
    expect(cnames.map((r) => r.rrdatas[0])).toEqual(['ghs.googlehosted.com.', 'ghs.googlehosted.com.', 'ghs.googlehosted.com.']);
    for (const s of resourcesOfType(mapped, 'google_cloud_run_v2_service')) expect(s.ingress).toBe('INGRESS_TRAFFIC_ALL');
    expect(danglingReferences(mapped)).toEqual([]);
  });

  it('turns the maintenance schedule off, and uses a connector on request, for the private database too', () => {
    const text = `domain: example.com\nredis: true\nstacks:\n  serverless-gcp: { project: example-project, maintenanceSchedule: "off", vpcEgress: connector }\n`;
    const j = synthBundled(text).stacks['serverless-gcp'];
    expect(resourcesOfType(j, 'google_cloud_scheduler_job')).toHaveLength(0);
    expect(only(j, 'google_vpc_access_connector')).toMatchObject({ ip_cidr_range: '10.8.0.0/28' });
    const connector = { connector: expect.stringContaining('google_vpc_access_connector'), egress: 'PRIVATE_RANGES_ONLY' };
    for (const s of resourcesOfType(j, 'google_cloud_run_v2_service')) expect(s.template.vpc_access).toEqual(connector);
    for (const job of resourcesOfType(j, 'google_cloud_run_v2_job')) expect(job.template.template.vpc_access).toEqual(connector);
    expect(only(j, 'google_sql_database_instance').settings.ip_configuration.ipv4_enabled).toBe(false);
    expect(danglingReferences(j)).toEqual([]);
  });

  it('takes a larger subnet for Direct VPC egress', () => {
    const j = synthBundled(MINIMAL_SERVERLESS_CONFIG.replace('{ project: example-project }', '{ project: example-project, subnetCidr: 10.20.0.0/16 }')).stacks['serverless-gcp'];
    expect(only(j, 'google_compute_subnetwork').ip_cidr_range).toBe('10.20.0.0/16');
  });
});

describe('serverless-gcp stack, databaseConnectivity: cloud-sql-connector (the opt-in)', () => {
  const text = `domain: example.com\nenvironments: [production, staging]\nstacks:\n  serverless-gcp: { project: example-project, databaseConnectivity: cloud-sql-connector }\n`;
  const json = synthBundled(text).stacks['serverless-gcp'];

  it('keeps the connector-only public IP, the Unix socket in every service and job, and no VPC', () => {
    for (const db of resourcesOfType(json, 'google_sql_database_instance')) expect(db.settings.ip_configuration).toEqual({ ipv4_enabled: true, ssl_mode: 'ENCRYPTED_ONLY' });
    expect(resourcesOfType(json, 'google_compute_network')).toHaveLength(0);
    const workloads = [...resourcesOfType(json, 'google_cloud_run_v2_service').map((s) => s.template), ...resourcesOfType(json, 'google_cloud_run_v2_job').map((j) => j.template.template)];
    expect(workloads).toHaveLength(10);
    for (const w of workloads) {
      expect(w.volumes).toEqual([{ name: 'cloudsql', cloud_sql_instance: { instances: [expect.stringMatching(/^\$\{google_sql_database_instance\..+\.connection_name\}$/)] } }]);
      expect(w.containers[0].volume_mounts).toEqual([{ name: 'cloudsql', mount_path: '/cloudsql' }]);
      expect(w.vpc_access).toBeUndefined();
      const vars = envOf(w.containers[0]);
      expect(vars.SERVERPOD_DATABASE_HOST).toMatch(/^\/cloudsql\/\$\{google_sql_database_instance\.app_(production|staging)_Database_[A-F0-9]+\.connection_name\}\/\.s\.PGSQL\.5432$/);
      expect(vars).toMatchObject({ SERVERPOD_DATABASE_IS_UNIX_SOCKET: 'true', SERVERPOD_DATABASE_REQUIRE_SSL: 'false' });
    }
    expect(json.output.production_serverpod_config.value).toContain('isUnixSocket: true');
    expect(danglingReferences(json)).toEqual([]);
  });

  it('grants Cloud SQL Client on the environment\'s own instance only', () => {
    const clients = resourcesOfType(json, 'google_project_iam_member').filter((m) => m.role === 'roles/cloudsql.client');
    expect(clients.map((m) => [m.member.replace(/_[A-F0-9]+\.member\}$/, ''), m.condition.expression])).toEqual([
      ['${google_service_account.app_production_ServiceAccount', "resource.name == 'projects/example-project/instances/serverpod-run-production-database' && resource.type == 'sqladmin.googleapis.com/Instance'"],
      ['${google_service_account.app_staging_ServiceAccount', "resource.name == 'projects/example-project/instances/serverpod-run-staging-database' && resource.type == 'sqladmin.googleapis.com/Instance'"],
    ]);
    for (const m of clients) expect(m.condition.title).toMatch(/^serverpod-run-(production|staging)-database only$/);
  });

  it('keeps the database public-IP but reaches Redis through the VPC when Redis is on', () => {
    const j = synthBundled(text.replace('environments: [production, staging]', 'redis: true')).stacks['serverless-gcp'];
    expect(only(j, 'google_sql_database_instance').settings.ip_configuration).toEqual({ ipv4_enabled: true, ssl_mode: 'ENCRYPTED_ONLY' });
    const api = resourcesOfType(j, 'google_cloud_run_v2_service')[0].template;
    expect(api.vpc_access.network_interfaces).toHaveLength(1);
    expect(api.volumes[0].name).toBe('cloudsql');
  });
});

describe('the subnet of Direct VPC egress (gcp.GcpServerlessApp)', () => {
  function build(props: Partial<gcp.GcpServerlessAppProps>) {
    const stack = gcpTestStack();
    const registry = new gcp.ContainerRegistry(stack, 'images', { project: PROJECT, location: 'us-central1', repositoryId: 'pod' });
    return new gcp.GcpServerlessApp(stack, 'run', { project: PROJECT, region: 'us-central1', namePrefix: 'pod', domain: 'pod.example', profile: serverpodProfile({ name: 'pod' }), registry, environments: { production: {} }, ...props });
  }

  it('counts about two addresses per instance, 16 at a time', () => {
    expect([1, 8, 9, 100].map(gcp.directVpcAddresses)).toEqual([16, 16, 32, 208]);
  });

  // Enough connections for 100 instances, so only the subnet is in question.
  const large = { maxInstances: 100, databaseMaxConnections: 1000 };

  it('refuses a subnet too small for every instance of both environments, naming the field and the count', () => {
    const message = validationErrorOf(() => build({ subnetCidr: '10.10.0.0/24', environments: { production: large, staging: { maxInstances: 1 } } }));
    // Production: 100 api and web instances (208 addresses each), Insights (16), five maintenance runs and a
    // migration (16 each); staging: 16 for each of the five.
    expect(message).toContain('props.subnetCidr: got "10.10.0.0/24"; expected a range with at least 544 usable addresses (production 464, staging 80)');
    expect(validationErrorOf(() => build({ subnetCidr: '10.10.0.0/28' }))).toContain('props.subnetCidr: got "10.10.0.0/28"; expected an IPv4 CIDR block from /16 to /26');
    expect(() => build({ subnetCidr: '10.10.0.0/22', environments: { production: large } })).not.toThrow();
  });

  it('refuses an unknown connectivity or egress, naming both', () => {
    const message = validationErrorOf(() => build({ databaseConnectivity: 'public' as never, vpcEgress: 'nat' as never }));
    expect(message).toContain('props.databaseConnectivity: got "public"; expected private or cloud-sql-connector');
    expect(message).toContain('props.vpcEgress: got "nat"; expected direct or connector');
  });

  it('needs no subnet check with a connector, or without anything in the VPC', () => {
    expect(() => build({ subnetCidr: '10.10.0.0/26', environments: { production: large }, vpcEgress: 'connector' })).not.toThrow();
    expect(() => build({ subnetCidr: '10.10.0.0/8', environments: { production: large }, databaseConnectivity: 'cloud-sql-connector' })).not.toThrow();
  });
});

describe('bad serverless-gcp config', () => {
  it.each<[string, string, string[]]>([
    [
      'concurrency out of range, memory not allowed, a bad schedule',
      'domain: example.com\nstacks:\n  serverless-gcp:\n    project: my-project-1\n    maintenanceSchedule: "61 * *"\n    sizes:\n      production: { concurrency: 0, memory: 3Gi }\n',
      [
        'stacks.serverless-gcp.maintenanceSchedule: got "61 * *"; expected a five-field cron expression such as "* * * * *", or off',
        'stacks.serverless-gcp.sizes.production.concurrency: got 0; expected at least 1',
        'stacks.serverless-gcp.sizes.production.memory: got "3Gi"; expected one of "512Mi", "1Gi", "2Gi", "4Gi", "8Gi", "16Gi", "32Gi"',
      ],
    ],
    ['min above max', 'domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, sizes: { staging: { minInstances: 3, maxInstances: 1 } } }\n', ['stacks.serverless-gcp.sizes.staging.minInstances: got 3; expected at most maxInstances (1)']],
    ['too little memory for the CPUs', 'domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, sizes: { production: { cpu: "4", memory: 1Gi } } }\n', ['stacks.serverless-gcp.sizes.production.memory: got "1Gi"; expected at least 2Gi with 4 CPUs']],
    [
      'domain mappings in a region without them, a bad region, a timeout above Cloud Run\'s limit',
      'domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, region: southamerica-east1, domains: domain-mappings, requestTimeoutSec: 7200 }\n',
      ['stacks.serverless-gcp.region: got "southamerica-east1"; expected a region with Cloud Run domain mappings', "stacks.serverless-gcp.requestTimeoutSec: got 7200; expected at most 3600 (Cloud Run's limit)"],
    ],
    ['a region in the wrong format', 'domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, region: EU }\n', ['stacks.serverless-gcp.region: got "EU"; expected a GCP region']],
    [
      'an unknown database connectivity, a subnet too small for Direct VPC egress, an unknown egress',
      'domain: example.com\nstacks:\n  serverless-gcp: { project: my-project-1, databaseConnectivity: public, subnetCidr: 10.10.0.0/28, vpcEgress: nat }\n',
      [
        'stacks.serverless-gcp.databaseConnectivity: got "public"; expected one of "private", "cloud-sql-connector"',
        'stacks.serverless-gcp.subnetCidr: got "10.10.0.0/28"; expected an IPv4 CIDR block from /16 to /26 such as 10.10.0.0/20',
        'stacks.serverless-gcp.vpcEgress: got "nat"; expected one of "direct", "connector"',
      ],
    ],
  ])('fails on %s', (_name, text, lines) => {
    const message = configProblems(text);
    for (const line of lines) expect(message).toContain(line);
  });
});

describe('the example deploy workflow (examples/serverless-gcp/deploy-serverless.yml)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse } = require('yaml') as typeof import('yaml');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readFileSync } = require('fs') as typeof import('fs');
  const workflow = parse(readFileSync(`${__dirname}/../examples/serverless-gcp/deploy-serverless.yml`, 'utf8'));
  const run = (workflow.jobs.deploy.steps as { run?: string }[]).map((s) => s.run ?? '').join('\n');

  it('is keyless, migrates first, then deploys every service and the maintenance job by the names the construct gives', () => {
    expect(workflow.permissions['id-token']).toBe('write');
    expect(run.indexOf('-migrations" --region')).toBeLessThan(run.indexOf('gcloud run deploy'));
    // GcpServerlessApp names services <prefix>-<environment>-<port> and jobs <prefix>-<environment>-<job>.
    expect(run).toContain('for server in api insights web; do');
    expect(run).toContain('gcloud run deploy "${PREFIX}-${TARGET}-${server}"');
    expect(run).toContain('gcloud run jobs update "${PREFIX}-${TARGET}-maintenance"');
    expect(run).toContain('gcloud run jobs execute "${PREFIX}-${TARGET}-migrations"');
  });
});
