import 'cdktf/lib/testing/adapters/jest';
import { gcp, perseusProfile, serverpodProfile } from '../lib';
import { configProblems, gcpTestStack, only, validationErrorOf } from './helpers/assert';
import { danglingReferences } from './helpers/references';
import { forSnapshot, resourcesOfType, synthBundled, synthJson } from './helpers/synth';

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
    expect(envOf(container)).toEqual({ PERSEUS_STANDALONE: 'true', PERSEUS_HOST: '0.0.0.0', PERSEUS_PORT: '3000' });
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
    // The profile's 300 s grace: 24 probes of 10 s (Cloud Run's 240 s most) after 60 s of initial delay.
    expect(api.template.containers[0].startup_probe).toMatchObject({ tcp_socket: { port: 8080 }, initial_delay_seconds: 60, period_seconds: 10, failure_threshold: 24 });
  });

  it('reaches Cloud SQL on its Unix socket, with no network allowed to connect directly', () => {
    const env = envOf(byName('shop-run-production-api').template.containers[0]);
    expect(env.SERVERPOD_DATABASE_HOST).toMatch(/^\/cloudsql\/\$\{google_sql_database_instance\.app_production_Database_[A-F0-9]+\.connection_name\}\/\.s\.PGSQL\.5432$/);
    expect(env).toMatchObject({ SERVERPOD_DATABASE_IS_UNIX_SOCKET: 'true', SERVERPOD_DATABASE_REQUIRE_SSL: 'false', SERVERPOD_PASSWORD_database: { secret_key_ref: { secret: 'shop-run-production-database-password', version: 'latest' } } });
    for (const db of resourcesOfType(json, 'google_sql_database_instance')) {
      expect(db.settings.ip_configuration).toEqual({ ipv4_enabled: true, ssl_mode: 'ENCRYPTED_ONLY' });
    }
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
    const invokers = resourcesOfType(json, 'google_cloud_run_v2_service_iam_member');
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

  it('outputs the URLs, jobs and the Unix-socket database settings', () => {
    expect(json.output.production_api_url.value).toBe('https://api.shop.example/');
    expect(json.output.production_migrations_job.value).toMatch(/google_cloud_run_v2_job/);
    expect(json.output.production_serverpod_config.value).toContain('host: /cloudsql/');
    expect(json.output.github_service_account.value).toMatch(/google_service_account/);
  });
});

describe('serverless-gcp stack, minimal', () => {
  const json = synthBundled(MINIMAL_SERVERLESS_CONFIG).stacks['serverless-gcp'];

  it('matches its snapshot and refers only to what it declares', () => {
    expect(forSnapshot(json)).toMatchSnapshot();
    expect(danglingReferences(json)).toEqual([]);
  });

  it('costs nothing idle: every service scales to zero, no VPC, no Redis', () => {
    for (const s of resourcesOfType(json, 'google_cloud_run_v2_service')) expect(s.template.scaling.min_instance_count).toBe(0);
    expect(resourcesOfType(json, 'google_compute_network')).toHaveLength(0);
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

  it('turns the maintenance schedule off, and uses a connector on request', () => {
    const text = `domain: example.com\nredis: true\nstacks:\n  serverless-gcp: { project: example-project, maintenanceSchedule: "off", vpcEgress: connector }\n`;
    const j = synthBundled(text).stacks['serverless-gcp'];
    expect(resourcesOfType(j, 'google_cloud_scheduler_job')).toHaveLength(0);
    expect(only(j, 'google_vpc_access_connector')).toMatchObject({ ip_cidr_range: '10.8.0.0/28' });
    expect(resourcesOfType(j, 'google_cloud_run_v2_service')[0].template.vpc_access).toEqual({ connector: expect.stringContaining('google_vpc_access_connector'), egress: 'PRIVATE_RANGES_ONLY' });
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
