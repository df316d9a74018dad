// What a Serverpod project needs from the stacks (docs/serverpod.md): parts that can never start are left out,
// migrations can be left to the user, health timings reach every platform, the connection budget sizes the pools
// or refuses, and declared secrets reach every stack. The boot scripts themselves run in boot-scripts.test.ts.
import { TerraformStack } from 'cdktf';
import { parseConfig, serverpodProfile } from '../lib';
import { createStacks } from '../stacks/app';
import { configProblems } from './helpers/assert';
import { StackJson, bootVariables, resourcesOfType, synthBundled, testApp } from './helpers/synth';

const ALL_STACKS = `
domain: example.com
stacks:
  cluster-gcp: { project: example-project }
  cluster-aws: {}
  serverless-gcp: { project: example-project }
`;

type Env = { name: string; value?: string; value_source?: { secret_key_ref: { secret: string } } };
const envOf = (container: { env: Env[] }) => Object.fromEntries(container.env.map((e) => [e.name, e.value ?? e.value_source]));
const services = (json: StackJson) => resourcesOfType(json, 'google_cloud_run_v2_service');
const service = (json: StackJson, name: string) => services(json).find((s) => s.name === name)!;
const gcpScript = (json: StackJson) => resourcesOfType(json, 'google_compute_instance_template')[0].metadata['startup-script'] as string;
const awsScript = (json: StackJson) => Object.entries<string>(json.locals).find(([k]) => k.startsWith('production_Servers_UserData'))![1];

/** The stacks a config text builds, with their synth messages (`@cdktf/info`, `@cdktf/warn`). */
function build(text: string): { stacks: Record<string, TerraformStack>; messages: (type: 'info' | 'warn') => string[] } {
  const stacks = createStacks(testApp(), parseConfig(text, { source: 'test', env: {} }), { guardrails: { print: false } }) as Record<string, TerraformStack>;
  const messages = (type: 'info' | 'warn') =>
    Object.values(stacks)
      .flatMap((s) => s.node.findAll())
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === `@cdktf/${type}`)
      .map((m) => String(m.data));
  return { stacks, messages };
}

describe('Serverpod mini (database: false): only the API server starts', () => {
  const { stacks } = synthBundled(`${ALL_STACKS}database: false\n`);

  it('publishes no Insights and no web server, and keeps no maintenance role', () => {
    const mini = serverpodProfile({ usesDatabase: false });
    expect(mini.ports.map((p) => p.name)).toEqual(['api']);
    expect(mini.roles).toEqual(['monolith', 'serverless']);
    expect(mini.generatedSecrets.map((s) => s.key)).toEqual(['serviceSecret']);
  });

  it('creates no Insights or web backend, host, certificate or service, and no maintenance or migrations job', () => {
    const run = stacks['serverless-gcp'];
    expect(services(run).map((s) => s.name)).toEqual(['serverpod-run-production-api']);
    expect(resourcesOfType(run, 'google_cloud_run_v2_job')).toEqual([]);
    expect(resourcesOfType(run, 'google_cloud_scheduler_job')).toEqual([]);
    for (const json of [stacks['cluster-gcp'], run]) {
      const hosts = resourcesOfType(json, 'google_compute_managed_ssl_certificate').flatMap((c) => c.managed.domains).sort();
      expect(hosts).toEqual(['api.example.com.', 'storage.example.com.']);
      expect(resourcesOfType(json, 'google_compute_backend_service').map((b) => b.name)).toEqual([expect.stringMatching(/production-api-backend$/)]);
    }
    const aws = stacks['cluster-aws'];
    expect(resourcesOfType(aws, 'aws_lb_target_group').map((t) => t.name)).toEqual(['serverpod-production-api']);
    expect(resourcesOfType(aws, 'aws_route53_record').map((r) => r.name)).not.toContain('insights.example.com');
  });

  it('passes the servers no Insights or web server settings', () => {
    const plain = bootVariables(gcpScript(stacks['cluster-gcp'])).plain;
    expect(Object.keys(plain).filter((k) => /INSIGHTS|WEB_SERVER/.test(k))).toEqual([]);
    expect(plain.SERVERPOD_APPLY_MIGRATIONS).toBeUndefined();
  });

  it('publishes the web server of a mini project that added routes (web: true)', () => {
    const withWeb = synthBundled(`${ALL_STACKS}database: false\napp: { web: true }\n`).stacks['serverless-gcp'];
    expect(services(withWeb).map((s) => s.name).sort()).toEqual(['serverpod-run-production-api', 'serverpod-run-production-web']);
  });

  it('leaves out the web server of a project without routes (web: false)', () => {
    const noWeb = synthBundled(`${ALL_STACKS}app: { web: false }\n`).stacks;
    const aws = noWeb['cluster-aws'];
    expect(resourcesOfType(aws, 'aws_lb_target_group').map((t) => t.name).sort()).toEqual(['serverpod-production-api', 'serverpod-production-insights']);
    expect(resourcesOfType(aws, 'aws_route53_record').map((r) => r.name)).not.toContain('app.example.com');
    expect(resourcesOfType(aws, 'aws_lb_listener_rule').flatMap((r) => r.condition.flatMap((c: { host_header?: { values: string[] } }) => c.host_header?.values ?? []))).not.toContain('app.example.com');
    // ACM: the domain and its wildcard, never app. by name.
    for (const c of resourcesOfType(aws, 'aws_acm_certificate')) expect([c.domain_name, ...(c.subject_alternative_names ?? [])]).not.toContain('app.example.com');
    const run = noWeb['serverless-gcp'];
    expect(services(run).map((s) => s.name).sort()).toEqual(['serverpod-run-production-api', 'serverpod-run-production-insights']);
    expect(resourcesOfType(run, 'google_compute_region_network_endpoint_group').map((n) => n.name).sort()).toEqual(['serverpod-run-production-api-neg', 'serverpod-run-production-insights-neg']);
    for (const json of [noWeb['cluster-gcp'], run]) {
      const hosts = resourcesOfType(json, 'google_compute_managed_ssl_certificate').flatMap((c) => c.managed.domains).sort();
      expect(hosts).toEqual(['api.example.com.', 'insights.example.com.', 'storage.example.com.']);
      expect(resourcesOfType(json, 'google_compute_backend_service').map((b) => b.name).sort()).toEqual([expect.stringMatching(/production-api-backend$/), expect.stringMatching(/production-insights-backend$/)]);
      expect(resourcesOfType(json, 'google_dns_record_set').map((r) => r.name)).not.toContain('app.example.com.');
    }
    expect(resourcesOfType(noWeb['cluster-gcp'], 'google_compute_health_check').map((c) => c.name).filter((n: string) => n.includes('web'))).toEqual([]);
    // The servers publish no web port and are told of no web server.
    for (const script of [gcpScript(noWeb['cluster-gcp']), awsScript(aws)]) {
      const docker = script.split('\n').filter((l) => / run .*--restart=/.test(l));
      expect(docker).toHaveLength(1);
      expect(docker[0].match(/-p \S+/g)).toEqual(['-p 8080:8080', '-p 8081:8081']);
      expect(Object.keys(bootVariables(script).plain).filter((k) => /WEB_SERVER/.test(k))).toEqual([]);
    }
    expect(JSON.stringify(noWeb)).not.toContain('app.example.com');
  });
});

describe('migrations left to the user (app.applyMigrations: false)', () => {
  const { stacks } = synthBundled(`${ALL_STACKS}app: { applyMigrations: false }\n`);

  it('starts the cluster servers without SERVERPOD_APPLY_MIGRATIONS', () => {
    expect(bootVariables(gcpScript(stacks['cluster-gcp'])).plain.SERVERPOD_APPLY_MIGRATIONS).toBeUndefined();
    expect(bootVariables(awsScript(stacks['cluster-aws'])).plain.SERVERPOD_APPLY_MIGRATIONS).toBeUndefined();
  });

  it('creates no migrations job on Cloud Run, unless the stack asks for it', () => {
    expect(resourcesOfType(stacks['serverless-gcp'], 'google_cloud_run_v2_job').map((j) => j.name)).toEqual(['serverpod-run-production-maintenance']);
    const asked = synthBundled(`${ALL_STACKS.replace('serverless-gcp: { project: example-project }', 'serverless-gcp: { project: example-project, migrationsJob: true }')}app: { applyMigrations: false }\n`);
    expect(resourcesOfType(asked.stacks['serverless-gcp'], 'google_cloud_run_v2_job').map((j) => j.name).sort()).toEqual(['serverpod-run-production-maintenance', 'serverpod-run-production-migrations']);
  });
});

describe('health timings from deploy.yaml', () => {
  const { stacks } = synthBundled(`${ALL_STACKS}app: { healthCheck: { intervalSec: 15, timeoutSec: 4, healthyThreshold: 3, unhealthyThreshold: 4, gracePeriodSec: 420 } }\n`);

  it('reach the GCP load balancer (readiness) and autohealing (liveness, twice as patient)', () => {
    const checks = Object.fromEntries(resourcesOfType(stacks['cluster-gcp'], 'google_compute_health_check').map((c) => [c.name, c]));
    expect(checks['serverpod-production-api-health-check']).toMatchObject({ check_interval_sec: 15, timeout_sec: 4, healthy_threshold: 3, unhealthy_threshold: 4, http_health_check: { port: 8080, request_path: '/readyz' } });
    expect(checks['serverpod-production-web-health-check'].http_health_check).toEqual({ port: 8082, request_path: '/' });
    expect(checks['serverpod-production-group-health-check']).toMatchObject({ check_interval_sec: 15, unhealthy_threshold: 8, http_health_check: { port: 8080, request_path: '/livez' } });
    expect(resourcesOfType(stacks['cluster-gcp'], 'google_compute_region_instance_group_manager')[0].auto_healing_policies.initial_delay_sec).toBe(420);
  });

  it('reach the AWS target groups, the group and the liveness watch', () => {
    const aws = stacks['cluster-aws'];
    for (const group of resourcesOfType(aws, 'aws_lb_target_group')) expect(group.health_check).toMatchObject({ interval: 15, timeout: 4, healthy_threshold: 3, unhealthy_threshold: 4, matcher: '200' });
    expect(resourcesOfType(aws, 'aws_autoscaling_group')[0]).toMatchObject({ health_check_type: 'EC2', health_check_grace_period: 420, default_instance_warmup: 450 });
    const script = awsScript(aws);
    expect(script).toContain('while sleep 15; do');
    expect(script).toContain('[ "$uptime" -lt 420 ]');
    expect(script).toContain('[ "$failures" -lt 8 ]');
  });

  it('probe liveness on AWS at /livez (Serverpod 3.3+), /readyz only to let a new instance into service', () => {
    const lines = awsScript(stacks['cluster-aws']).split('\n');
    // The watch is a script the boot script writes with a heredoc: from `cat > …-liveness <<'END'` to `END`.
    const start = lines.findIndex((l) => /^cat > \S+-liveness <<'(\w+)'$/.test(l));
    const end = lines.indexOf(/<<'(\w+)'$/.exec(lines[start])![1], start + 1);
    const watch = lines.slice(start + 1, end);
    expect(watch.some((l) => l.includes('http://127.0.0.1:8080/livez'))).toBe(true);
    // Launch readiness: the loop that completes the launch lifecycle hook once every port is ready.
    const hook = lines.findIndex((l) => l.includes('complete-lifecycle-action'));
    const loopStart = lines.slice(0, hook + 1).map((l) => l.startsWith('while ')).lastIndexOf(true);
    const launch = lines.slice(loopStart, lines.indexOf('done', hook) + 1);
    expect(launch.join('\n')).toContain('http://127.0.0.1:8080/readyz');
    expect(launch.join('\n')).toContain('http://127.0.0.1:8081/readyz');
    const where = (path: string) => lines.flatMap((l, i) => (l.includes(path) ? [i] : []));
    expect(where('/readyz').every((i) => i >= loopStart && i < loopStart + launch.length)).toBe(true);
    expect(where('/livez').every((i) => i > start && i < end)).toBe(true);
  });

  it('reach Cloud Run\'s probes: 420 s to start (180 s delay, then 16 probes of 15 s), liveness after 8 failures', () => {
    const api = service(stacks['serverless-gcp'], 'serverpod-run-production-api').template.containers[0];
    expect(api.startup_probe).toEqual({ tcp_socket: { port: 8080 }, initial_delay_seconds: 180, period_seconds: 15, timeout_seconds: 4, failure_threshold: 16 });
    expect(api.liveness_probe).toEqual({ http_get: { path: '/livez', port: 8080 }, period_seconds: 15, timeout_seconds: 4, failure_threshold: 8 });
    expect(service(stacks['serverless-gcp'], 'serverpod-run-production-web').template.containers[0].liveness_probe).toBeUndefined();
  });

  it('are refused where a platform cannot give them', () => {
    expect(configProblems(`${ALL_STACKS}app: { healthCheck: { unhealthyThreshold: 6 } }\n`)).toContain('app.healthCheck.unhealthyThreshold: got 6; expected at most 5');
  });
});

describe('Serverpod 4.0: the web server answers /livez too', () => {
  it('gets a liveness probe on Cloud Run (with 3.4, none)', () => {
    const web = (version: string) => {
      const run = synthBundled(`domain: example.com\nstacks:\n  serverless-gcp: { project: example-project }\napp: { serverpodVersion: "${version}" }\n`).stacks['serverless-gcp'];
      return service(run, 'serverpod-run-production-web').template.containers[0];
    };
    expect(web('4.0').liveness_probe).toMatchObject({ http_get: { path: '/livez', port: 8082 } });
    expect(web('3.4').liveness_probe).toBeUndefined();
  });
});

describe('Serverpod before 3.3: no /livez or /readyz', () => {
  const { stacks } = synthBundled(`${ALL_STACKS}app: { serverpodVersion: "3.2" }\n`);

  it('probes readiness on GET / and liveness with a TCP connect, and runs no HTTP liveness probe on Cloud Run', () => {
    const gcpChecks = Object.fromEntries(resourcesOfType(stacks['cluster-gcp'], 'google_compute_health_check').map((c) => [c.name, c]));
    expect(gcpChecks['serverpod-production-api-health-check'].http_health_check.request_path).toBe('/');
    expect(gcpChecks['serverpod-production-group-health-check'].tcp_health_check).toEqual({ port: 8080 });
    // To the container's own address: docker-proxy accepts on the host's published port whether the server listens or not.
    expect(awsScript(stacks['cluster-aws'])).toContain(`ip="$(timeout 5 docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' 'serverpod')" && timeout 5 bash -c "</dev/tcp/$ip/8080"`);
    expect(service(stacks['serverless-gcp'], 'serverpod-run-production-api').template.containers[0].liveness_probe).toBeUndefined();
  });
});

describe('Serverpod 2.9', () => {
  it('generates no auth passwords (the 2.9 template has no auth) and sets no pool size (2.9 always opens 10)', () => {
    const profile = serverpodProfile({ version: '2.9' });
    expect(profile.generatedSecrets.map((s) => s.key)).toEqual(['serviceSecret']);
    expect(profile.databasePool).toEqual({ preferred: 10, minimum: 2, configurable: false });
    // A fixed pool of 10 over 2 + 3 servers needs 50 connections: db-custom-1-3840 allows 100.
    const text = `${ALL_STACKS.replace('cluster-gcp: { project: example-project }', 'cluster-gcp: { project: example-project, sizes: { production: { databaseTier: db-custom-1-3840 } } }').replace(/  (cluster-aws|serverless-gcp): .*\n/g, '')}app: { serverpodVersion: "2.9" }\n`;
    const plain = bootVariables(gcpScript(synthBundled(text).stacks['cluster-gcp'])).plain;
    expect(plain.SERVERPOD_DATABASE_MAX_CONNECTION_COUNT).toBeUndefined();
  });

  it('refuses what a fixed pool of 10 cannot fit: db-f1-micro and two servers plus a rolling update', () => {
    expect(configProblemsOfStacks(`${ALL_STACKS}app: { serverpodVersion: "2.9" }\n`)).toContain('environments.production: got "50 connections at once"');
  });
});

/** The ValidationError the stacks (not the schema) raise for a config. */
function configProblemsOfStacks(text: string): string {
  try {
    synthBundled(text);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the stacks to refuse the config');
}

describe('the database connection budget', () => {
  it('sizes each cluster server\'s pool to the tier: db-f1-micro (22 usable) over 2 + 3 servers gives 4 each', () => {
    const { stacks } = synthBundled(ALL_STACKS);
    expect(bootVariables(gcpScript(stacks['cluster-gcp'])).plain.SERVERPOD_DATABASE_MAX_CONNECTION_COUNT).toBe('4');
    expect(stacks['cluster-gcp'].output.production_serverpod_config.value).toContain('maxConnectionCount: 4');
    // RDS db.t4g.micro: about 78, 75 usable, over 2 × 2 servers: the full 10.
    expect(bootVariables(awsScript(stacks['cluster-aws'])).plain.SERVERPOD_DATABASE_MAX_CONNECTION_COUNT).toBe('10');
  });

  it('counts the GCP rolling update\'s real surge: at least 3 new instances, even over two zones', () => {
    const text = ALL_STACKS.replace('cluster-gcp: { project: example-project }', 'cluster-gcp: { project: example-project, zones: [us-central1-a, us-central1-b] }');
    const gcp = synthBundled(text).stacks['cluster-gcp'];
    expect(resourcesOfType(gcp, 'google_compute_region_instance_group_manager')[0].update_policy.max_surge_fixed).toBe(3);
    // 22 usable over 2 + 3 servers: 4 each (over 2 + 2 it would be 5, and 5 × 5 = 25 overflows).
    expect(bootVariables(gcpScript(gcp)).plain.SERVERPOD_DATABASE_MAX_CONNECTION_COUNT).toBe('4');
  });

  it('counts AWS replacements launched before their old instance stops: twice the group\'s maximum', () => {
    const text = ALL_STACKS.replace('cluster-aws: {}', 'cluster-aws: { sizes: { production: { maxInstances: 8 } } }');
    // db.t4g.micro: about 78, 75 usable, over 2 × 8 servers: 4 each (over 8 alone it would be the full 9).
    expect(bootVariables(awsScript(synthBundled(text).stacks['cluster-aws'])).plain.SERVERPOD_DATABASE_MAX_CONNECTION_COUNT).toBe('4');
  });

  it('sizes every Cloud Run service and job: 3 + 1 + 3 instances, 5 maintenance runs and a migration in 22 connections', () => {
    const run = synthBundled(ALL_STACKS).stacks['serverless-gcp'];
    const pools = Object.fromEntries(services(run).map((s) => [s.name, envOf(s.template.containers[0]).SERVERPOD_DATABASE_MAX_CONNECTION_COUNT]));
    expect(pools).toEqual({ 'serverpod-run-production-api': '2', 'serverpod-run-production-insights': '2', 'serverpod-run-production-web': '2' });
    const jobs = Object.fromEntries(resourcesOfType(run, 'google_cloud_run_v2_job').map((j) => [j.name, envOf(j.template.template.containers[0]).SERVERPOD_DATABASE_MAX_CONNECTION_COUNT]));
    expect(jobs).toEqual({ 'serverpod-run-production-maintenance': '1', 'serverpod-run-production-migrations': '2' });
    expect(run.output.production_serverpod_config.value).toContain('maxConnectionCount: 2');
    // A private IP by default, over TLS (databaseConnectivity: private).
    expect(run.output.production_serverpod_config.value).toContain('isUnixSocket: false');
    expect(run.output.production_serverpod_config.value).toContain('private_ip_address}');
  });

  it('warns with the numbers when pools are at their minimum, and notes smaller pools', () => {
    const { messages } = build(ALL_STACKS);
    expect(messages('warn')).toContainEqual(expect.stringMatching(/^production database connections: Cloud SQL tier db-f1-micro allows 25 connections and 3 are kept free, leaving 22, .*api service 2 instead of 10.*Some pools are at their minimum/));
    expect(messages('info')).toContainEqual(expect.stringMatching(/^production database connections: Cloud SQL tier db-f1-micro allows 25 connections .* servers 4 instead of 10/));
  });

  it('refuses, with every number, three services of 10 instances on db-f1-micro', () => {
    const text = ALL_STACKS.replace('serverless-gcp: { project: example-project }', 'serverless-gcp: { project: example-project, sizes: { production: { maxInstances: 10 } } }');
    expect(configProblemsOfStacks(text)).toContain(
      // 10 × 2 + 1 × 2 + 10 × 2 + 5 × 1 + 1 × 2 = 49.
      'props.environments.production: got "49 connections at once"; expected database connections that fit: Cloud SQL tier db-f1-micro allows 25 connections and 3 are kept free, leaving 22, but even the smallest pools need 49 at once (api service 10 × 2 + insights service 1 × 2 + web service 10 × 2 + maintenance job 5 × 1 + migrations job 1 × 2)',
    );
  });

  it('fits them on a database whose max_connections is raised, and sets the flag', () => {
    const text = ALL_STACKS.replace('serverless-gcp: { project: example-project }', 'serverless-gcp: { project: example-project, sizes: { production: { maxInstances: 10, databaseMaxConnections: 200 } } }');
    const run = synthBundled(text).stacks['serverless-gcp'];
    expect(resourcesOfType(run, 'google_sql_database_instance')[0].settings.database_flags).toContainEqual({ name: 'max_connections', value: '200' });
    // 197 usable: 21 service instances and 7 job connections (5 × 2 + 1 × 2 = 12 at the jobs' preferred 2) → 8 each.
    expect(envOf(service(run, 'serverpod-run-production-api').template.containers[0]).SERVERPOD_DATABASE_MAX_CONNECTION_COUNT).toBe('8');
  });

  it('warns when it does not know the tier\'s limit', () => {
    // Only a tier off the kept list (lib/catalog) has no known limit, and the config takes one with allowUnlisted.
    const text = `${ALL_STACKS.replace('cluster-gcp: { project: example-project }', 'cluster-gcp: { project: example-project, sizes: { production: { databaseTier: db-n1-megamem-1 } } }')}allowUnlisted: true\n`;
    expect(build(text).messages('warn')).toContainEqual(expect.stringContaining('production: the connection limit of Cloud SQL tier db-n1-megamem-1 is not known here'));
  });
});

describe('declared secrets reach every stack', () => {
  const text = `${ALL_STACKS}secrets:\n  stripeKey: empty\n  signing: { value: generated, length: 48, variable: SIGNING_KEY }\n  serviceSecret: empty\n`;
  const { stacks } = synthBundled(text);

  it('on Cloud Run: empty secrets have no version, generated ones a random value of their length, each under its variable', () => {
    const run = stacks['serverless-gcp'];
    const env = envOf(service(run, 'serverpod-run-production-api').template.containers[0]);
    expect(env.SERVERPOD_PASSWORD_stripeKey).toEqual({ secret_key_ref: { secret: 'serverpod-run-production-stripe-key', version: 'latest' } });
    expect(env.SIGNING_KEY).toEqual({ secret_key_ref: { secret: 'serverpod-run-production-signing', version: 'latest' } });
    expect(env.SERVERPOD_SERVICE_SECRET).toEqual({ secret_key_ref: { secret: 'serverpod-run-production-service-secret', version: 'latest' } });
    const versions = resourcesOfType(run, 'google_secret_manager_secret_version').map((v) => v.secret);
    expect(versions.some((s: string) => s.includes('stripeKey'))).toBe(false);
    expect(versions.some((s: string) => s.includes('serviceSecret'))).toBe(false);
    expect(resourcesOfType(run, 'random_password').map((p) => p.length).sort()).toEqual([32, 32, 32, 48, 64]);
  });

  it('on the GCP cluster: read at boot under their variables', () => {
    expect(bootVariables(gcpScript(stacks['cluster-gcp'])).secrets).toMatchObject({
      SERVERPOD_PASSWORD_stripeKey: 'gcp_secret example-project serverpod-production-stripe-key',
      SIGNING_KEY: 'gcp_secret example-project serverpod-production-signing',
    });
  });

  it('on AWS: empty ones read, generated ones given their first value at boot', () => {
    const secrets = bootVariables(awsScript(stacks['cluster-aws'])).secrets;
    expect(secrets.SERVERPOD_PASSWORD_stripeKey).toMatch(/^sm_value '\$\{aws_secretsmanager_secret\.production_secret-stripeKey_[0-9A-F]+\.arn\}'$/);
    expect(secrets.SIGNING_KEY).toMatch(/^sm_first .* 48$/);
    expect(secrets.SERVERPOD_SERVICE_SECRET).toMatch(/^sm_value /);
  });
});

describe('secret names', () => {
  it('refuses two keys with one secret name, and a key with a name the stacks use', () => {
    const text = `${ALL_STACKS}secrets: { storageHmacSecret: empty, fooBar: empty, FooBar: generated }\n`;
    const message = configProblemsOfStacks(text);
    expect(message).toContain('props.secrets.storageHmacSecret: got "storageHmacSecret"; expected a key whose secret name (storage-hmac-secret) no other secret has (the stacks use it)');
    expect(message).toContain('props.secrets.FooBar: got "FooBar"; expected a key whose secret name (foo-bar) no other secret has (fooBar has it)');
  });
});

describe('storage Serverpod can use', () => {
  const { stacks } = synthBundled(`${ALL_STACKS}webOnTopDomain: true\n`);

  it('lets the app\'s own origins upload to and read the buckets', () => {
    const origins = ['https://api.example.com', 'https://app.example.com', 'https://example.com', 'https://insights.example.com'];
    const [priv, pub] = resourcesOfType(stacks['cluster-gcp'], 'google_storage_bucket').sort((a, b) => a.name.localeCompare(b.name));
    const own = expect.objectContaining({ origin: origins, method: ['GET', 'HEAD', 'PUT', 'POST'] });
    expect(priv.cors).toEqual([own]);
    // Public objects may also be fetched, read only, from any page.
    expect(pub.cors).toEqual([own, expect.objectContaining({ origin: ['*'], method: ['GET', 'HEAD'] })]);
    // Serverpod 3.4's GoogleCloudStorage sends no ACL: uniform access stays.
    expect([priv, pub].map((b) => b.uniform_bucket_level_access)).toEqual([true, true]);
    const awsCors = resourcesOfType(stacks['cluster-aws'], 'aws_s3_bucket_cors_configuration');
    expect(awsCors.map((c) => c.bucket).sort()).toEqual([expect.stringMatching(/aws_s3_bucket\.production_PrivateBucket/), expect.stringMatching(/aws_s3_bucket\.production_PublicBucket/)]);
    for (const cors of awsCors) expect(cors.cors_rule[0].allowed_origins).toEqual(origins);
  });

  it('takes the ACL S3CloudStorage sends with every upload, the public bucket staying private (read through CloudFront) and the private one refusing public ACLs', () => {
    const aws = stacks['cluster-aws'];
    const of = (type: string, bucket: string) => resourcesOfType(aws, type).find((r) => new RegExp(`aws_s3_bucket\\.production_${bucket}Bucket`).test(r.bucket))!;
    for (const bucket of ['Private', 'Public']) expect(of('aws_s3_bucket_ownership_controls', bucket).rule.object_ownership).toBe('BucketOwnerPreferred');
    expect(of('aws_s3_bucket_public_access_block', 'Public')).toEqual(expect.objectContaining({ block_public_acls: false, ignore_public_acls: true, block_public_policy: true, restrict_public_buckets: true }));
    expect(of('aws_s3_bucket_public_access_block', 'Private')).toEqual(expect.objectContaining({ block_public_acls: true, ignore_public_acls: true, block_public_policy: true, restrict_public_buckets: true }));
  });

  it('accepts object ACLs for Serverpod up to 3.3 (its GoogleCloudStorage sends them), private objects staying the uploader\'s', () => {
    const old = synthBundled(`${ALL_STACKS}app: { serverpodVersion: "3.3" }\n`).stacks['cluster-gcp'];
    expect(resourcesOfType(old, 'google_storage_bucket').map((b) => b.uniform_bucket_level_access)).toEqual([false, false]);
    expect(resourcesOfType(old, 'google_storage_default_object_acl')).toEqual([expect.objectContaining({ bucket: expect.stringMatching(/Buckets_Private/), role_entity: [] })]);
    const optOut = synthBundled(`${ALL_STACKS.replace('cluster-gcp: { project: example-project }', 'cluster-gcp: { project: example-project, storageObjectAcls: false }')}app: { serverpodVersion: "3.3" }\n`);
    expect(resourcesOfType(optOut.stacks['cluster-gcp'], 'google_storage_bucket').map((b) => b.uniform_bucket_level_access)).toEqual([true, true]);
  });

  it('injects the credentials Serverpod\'s storage classes read', () => {
    expect(Object.keys(bootVariables(gcpScript(stacks['cluster-gcp'])).secrets)).toEqual(expect.arrayContaining(['SERVERPOD_PASSWORD_HMACAccessKeyId', 'SERVERPOD_PASSWORD_HMACSecretKey']));
    expect(Object.keys(bootVariables(awsScript(stacks['cluster-aws'])).secrets)).toEqual(expect.arrayContaining(['SERVERPOD_PASSWORD_AWSAccessKeyId', 'SERVERPOD_PASSWORD_AWSSecretKey']));
    const env = envOf(service(stacks['serverless-gcp'], 'serverpod-run-production-api').template.containers[0]);
    expect(env.SERVERPOD_PASSWORD_HMACSecretKey).toEqual({ secret_key_ref: { secret: 'serverpod-run-production-storage-hmac-secret', version: 'latest' } });
  });

  it('keeps the key pair to the environment\'s buckets', () => {
    const aws = stacks['cluster-aws'];
    const policy = JSON.parse(resourcesOfType(aws, 'aws_iam_user_policy')[0].policy);
    const resources = policy.Statement.flatMap((s: { Resource: string[] }) => s.Resource);
    expect(resources.every((r: string) => /aws_s3_bucket\.production_(Private|Public)Bucket/.test(r))).toBe(true);
    const grants = resourcesOfType(stacks['cluster-gcp'], 'google_storage_bucket_iam_member').filter((m) => /StorageCredentials/.test(m.member));
    expect(grants.map((g) => g.role)).toEqual(['roles/storage.objectAdmin', 'roles/storage.objectAdmin']);
  });
});

describe('Redis Serverpod 3 starts with', () => {
  // Serverpod 3 refuses Redis without a `redis` password (RedisConfig._fromJson, serverpod_shared config.dart @ 3.4.12).
  const { stacks } = synthBundled(`${ALL_STACKS}redis: true\n`);

  it('on AWS, where ElastiCache has no AUTH token: Redis\'s default user, which takes any password', () => {
    const vars = bootVariables(awsScript(stacks['cluster-aws']));
    expect(vars.plain).toEqual(expect.objectContaining({ SERVERPOD_REDIS_ENABLED: 'true', SERVERPOD_REDIS_USER: 'default', SERVERPOD_PASSWORD_redis: 'no-auth-token' }));
    expect(vars.secrets.SERVERPOD_PASSWORD_redis).toBeUndefined();
    expect(stacks['cluster-aws'].output.production_serverpod_config.value).toMatch(/\nredis:\n {2}enabled: true\n {2}host: .*\n {2}port: 6379\n {2}user: default\n {2}requireSsl: true\n/);
  });

  it('on GCP: Memorystore\'s AUTH string from Secret Manager, without a user', () => {
    const vars = bootVariables(gcpScript(stacks['cluster-gcp']));
    expect(Object.keys(vars.secrets)).toContain('SERVERPOD_PASSWORD_redis');
    expect(vars.plain.SERVERPOD_REDIS_USER).toBeUndefined();
    const env = envOf(service(stacks['serverless-gcp'], 'serverpod-run-production-api').template.containers[0]);
    expect(env.SERVERPOD_PASSWORD_redis).toEqual({ secret_key_ref: { secret: 'serverpod-run-production-redis-auth', version: 'latest' } });
    expect(env.SERVERPOD_REDIS_USER).toBeUndefined();
  });
});
