import { AppProfile, RuntimeContext, customProfile, gcp, imageReferenceProblem, imageRegistryKind, parseConfig, serverpodProfile } from '../lib';
import { appProfileFromConfig } from '../lib/config/profile';
import { configProblems, gcpTestStack, only, validationErrorOf } from './helpers/assert';
import { StackJson, bootVariables, resourcesOfType, synthBundled, synthJson } from './helpers/synth';

// The knobs of issue 13 §5: the custom preset (any containerised server from deploy.yaml), an image from another
// registry, and the host label of each port.

const GCP = 'stacks:\n  cluster-gcp: { project: my-project-1 }\n';
const BOTH_GCP = 'stacks:\n  cluster-gcp: { project: my-project-1 }\n  serverless-gcp: { project: my-project-1 }\n';

/** A Node.js API and its admin port, from a public image on GitHub's registry. */
const CUSTOM_CONFIG = `
project: orders
domain: example.com
environments: [production, staging]
app:
  preset: custom
  image: ghcr.io/acme/orders:1.2
  ports:
    - { name: api, port: 3000, host: www, healthPath: /healthz, livenessPath: /livez }
    - { name: admin, port: 3001 }
  environment: { NODE_ENV: production }
${BOTH_GCP}`;

function envOf(container: Record<string, any>): Record<string, unknown> {
  return Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.value_source]));
}

function startupScripts(json: StackJson): string[] {
  return resourcesOfType(json, 'google_compute_instance_template').map((t) => t.metadata['startup-script']);
}

describe('app.preset: custom in deploy.yaml', () => {
  it('describes the server by its ports, with the defaults of an AppProfile', () => {
    const profile = appProfileFromConfig(parseConfig(CUSTOM_CONFIG));
    expect(profile.ports.map((p) => [p.name, p.port, profile.hostLabel(p), p.healthCheckPath, p.livenessPath])).toEqual([
      ['api', 3000, 'www', '/healthz', '/livez'],
      ['admin', 3001, 'admin', undefined, undefined],
    ]);
    // The first port is the main one: its readiness path is the health check's.
    expect(profile.healthCheck).toMatchObject({ portName: 'api', path: '/healthz', intervalSec: 10, gracePeriodSec: 300 });
    expect(profile.roles).toEqual(['monolith', 'serverless']);
    expect(profile.usesDatabase).toBe(true);
    expect(profile.appliesMigrations).toBe(false);
    expect(profile.environment).toEqual({ NODE_ENV: 'production' });
  });

  it('takes the roles it is given, and follows database: false', () => {
    const profile = appProfileFromConfig(parseConfig(`domain: example.com\ndatabase: false\napp: { preset: custom, ports: [{ name: web, port: 80 }], roles: [monolith, serverless, maintenance] }\n${GCP}`));
    expect(profile.roles).toEqual(['monolith', 'serverless', 'maintenance']);
    expect(profile.usesDatabase).toBe(false);
  });

  it.each([
    ['no ports', 'app: { preset: custom }', 'app.ports: missing; expected the ports the server listens on, such as [{ name: web, port: 8080, host: www, healthPath: /healthz }]'],
    ['an empty list', 'app: { preset: custom, ports: [] }', 'app.ports: got []; expected at least one port'],
    ['a bad name', 'app: { preset: custom, ports: [{ name: Web, port: 80 }] }', 'app.ports.0.name: got "Web"; expected lowercase letters and digits, starting with a letter, at most 15 characters'],
    ['a port out of range', 'app: { preset: custom, ports: [{ name: web, port: 70000 }] }', 'app.ports.0.port: got 70000; expected at most 65535'],
    ['a host that is no DNS label', 'app: { preset: custom, ports: [{ name: web, port: 80, host: www.shop }] }', 'app.ports.0.host: got "www.shop"; expected one DNS label'],
    ['a probe path with a space', 'app: { preset: custom, ports: [{ name: web, port: 80, healthPath: "/a b" }] }', 'app.ports.0.healthPath: got "/a b"; expected a path starting with /'],
    ['a liveness path without /', 'app: { preset: custom, ports: [{ name: web, port: 80, livenessPath: livez }] }', 'app.ports.0.livenessPath: got "livez"; expected a path starting with /'],
    ['an unknown port field', 'app: { preset: custom, ports: [{ name: web, port: 80, hostLabel: www }] }', 'app.ports.0.hostLabel: got "www"; expected no field of this name here'],
    ['a name twice', 'app: { preset: custom, ports: [{ name: web, port: 80 }, { name: web, port: 81 }] }', 'app.ports.1.name: got "web"; expected a name no other port has (ports.0 has it)'],
    ['a port number twice', 'app: { preset: custom, ports: [{ name: web, port: 80 }, { name: admin, port: 80 }] }', 'app.ports.1.port: got 80; expected a port number no other port listens on (ports.0 has it)'],
    ['a host twice', 'app: { preset: custom, ports: [{ name: web, port: 80 }, { name: admin, port: 81, host: web }] }', 'app.ports.1.host: got "web"; expected a host label of its own (web.<domain> is already the web port\'s production host)'],
    ['a default host that is another\'s', 'app: { preset: custom, ports: [{ name: web, port: 80, host: admin }, { name: admin, port: 81 }] }', 'app.ports.1.name: got "admin"; expected a host label of its own (admin.<domain> is already the web port\'s production host)'],
    ['the bucket\'s host', 'app: { preset: custom, ports: [{ name: storage, port: 80 }] }', 'app.ports.0.name: got "storage"; expected a host label of its own (storage.<domain> is already the public bucket\'s production host)'],
    ['an unknown role', 'app: { preset: custom, ports: [{ name: web, port: 80 }], roles: [worker] }', 'app.roles.0: got "worker"; expected one of "monolith", "serverless", "maintenance"'],
    ['a role twice', 'app: { preset: custom, ports: [{ name: web, port: 80 }], roles: [monolith, monolith] }', 'app.roles: got ["monolith","monolith"]; expected each role once'],
    ['a variable the preset sets', 'app: { preset: custom, ports: [{ name: web, port: 80 }], environment: { PGHOST: db } }', 'app.environment.PGHOST: got "db"; expected a name not set by the custom preset (APP_ENVIRONMENT, APP_ROLE, APP_SERVER_ID, APP_PUBLIC_URL_*, PGHOST'],
    ['a public URL variable', 'app: { preset: custom, ports: [{ name: web, port: 80 }], environment: { APP_PUBLIC_URL_WEB: x } }', 'app.environment.APP_PUBLIC_URL_WEB: got "x"; expected a name not set by the custom preset'],
    ['Serverpod\'s version', 'app: { preset: custom, ports: [{ name: web, port: 80 }], serverpodVersion: "3.4" }', 'app.serverpodVersion: got "3.4"; expected no serverpodVersion for the custom preset (it is a Serverpod setting)'],
    ['Serverpod\'s web switch', 'app: { preset: custom, ports: [{ name: web, port: 80 }], web: true }', 'app.web: got true; expected no web for the custom preset (it is a Serverpod setting)'],
    ['Perseus\' port', 'app: { preset: custom, ports: [{ name: web, port: 80 }], port: 8080 }', 'app.port: got 8080; expected no port for the custom preset (list the server\'s ports under ports)'],
    ['the main port\'s path', 'app: { preset: custom, ports: [{ name: web, port: 80 }], healthCheckPath: /x }', 'app.healthCheckPath: got "/x"; expected no healthCheckPath for the custom preset (give each port its own healthPath)'],
    ['the presets\' host labels', 'app: { preset: custom, ports: [{ name: web, port: 80 }], hosts: { web: www } }', 'app.hosts: got {"web":"www"}; expected no hosts for the custom preset (give each port its own host)'],
    ['Perseus\' strategies', 'app: { preset: custom, ports: [{ name: web, port: 80 }], strategies: [buildState] }', 'app.strategies: got ["buildState"]; expected no strategies for the custom preset (they are Perseus rendering strategies)'],
    ['Perseus\' latency switch', 'app: { preset: custom, ports: [{ name: web, port: 80 }], latencySensitive: true }', 'app.latencySensitive: got true; expected false for the custom preset (it applies to a Perseus mutable store)'],
    ['a mutable store', 'app: { preset: custom, ports: [{ name: web, port: 80 }] }\nmutableStore: bucket', 'mutableStore: got "bucket"; expected none for the custom preset (a mutable store is for Perseus revalidation and incremental generation)'],
  ])('refuses %s, naming the field, the value and what is allowed', (_name, app, line) => {
    expect(configProblems(`domain: example.com\n${app}\n${GCP}`)).toContain(`  - ${line}`);
  });

  it('refuses a role set a bundled stack cannot run', () => {
    const stacks = 'stacks:\n  cluster-gcp: { project: my-project-1 }\n  cluster-aws: {}\n  serverless-gcp: { project: my-project-1 }\n';
    const message = configProblems(`domain: example.com\napp: { preset: custom, ports: [{ name: web, port: 80 }], roles: [maintenance] }\n${stacks}`);
    expect(message).toContain('  - app.roles: got ["maintenance"]; expected roles including monolith with stacks.cluster-gcp and stacks.cluster-aws');
    expect(message).toContain('  - app.roles: got ["maintenance"]; expected roles including serverless with stacks.serverless-gcp');
    // A stack that is off asks for nothing.
    expect(() => parseConfig(`domain: example.com\napp: { preset: custom, ports: [{ name: web, port: 80 }], roles: [serverless] }\nstacks:\n  cluster-gcp: { enabled: false, project: my-project-1 }\n  serverless-gcp: { project: my-project-1 }\n`)).not.toThrow();
  });

  it('refuses the custom preset\'s fields with the other presets, the default preset named as one', () => {
    expect(configProblems(`domain: example.com\napp: { ports: [{ name: web, port: 80 }], roles: [monolith] }\n${GCP}`)).toContain(
      '  - app.ports: got [{"name":"web","port":80}]; expected no ports for the serverpod preset (the default; set app.preset too); its ports are fixed: app.hosts chooses the host each is served at',
    );
    expect(configProblems(`domain: example.com\napp: { preset: serverpod, roles: [monolith] }\n${GCP}`)).toContain('  - app.roles: got ["monolith"]; expected no roles for the serverpod preset (it gives each server its role itself)');
    const perseus = configProblems(`domain: example.com\ndatabase: false\napp: { preset: perseus, ports: [{ name: web, port: 80 }], roles: [monolith] }\n${GCP}`);
    expect(perseus).toContain('  - app.ports: got [{"name":"web","port":80}]; expected no ports for the perseus preset (it has one: port sets its number and app.hosts.web its host');
    expect(perseus).toContain('  - app.roles: got ["monolith"]; expected no roles for the perseus preset');
  });

  it('takes a per-service maximum by the custom port\'s name', () => {
    const config = parseConfig(`domain: example.com\napp: { preset: custom, ports: [{ name: admin, port: 81 }] }\nstacks:\n  serverless-gcp: { project: my-project-1, sizes: { production: { serviceMaxInstances: { admin: 1 } } } }\n`);
    expect(config.stacks['serverless-gcp']?.sizes.production.serviceMaxInstances).toEqual({ admin: 1 });
  });
});

describe('the custom preset on cluster-gcp', () => {
  const json = synthBundled(CUSTOM_CONFIG).stacks['cluster-gcp'];
  const [production, staging] = startupScripts(json);

  it('runs the image from elsewhere with every port published, logging in to no registry', () => {
    expect(production).toContain("docker pull 'ghcr.io/acme/orders:1.2'");
    expect(production).toMatch(/ -p 3000:3000 -p 3001:3001 .*'ghcr\.io\/acme\/orders:1\.2'$/m);
    expect(production).not.toContain('docker login');
    expect(production).not.toContain('orders-images/orders:production');
  });

  it('hands the server where it runs, its public URLs and the database in libpq\'s variables', () => {
    const vars = bootVariables(production);
    expect(vars.plain).toEqual({
      NODE_ENV: 'production',
      APP_ENVIRONMENT: 'production',
      APP_ROLE: 'monolith',
      APP_SERVER_ID: '$SERVER_ID',
      APP_PUBLIC_URL_API: 'https://www.example.com',
      APP_PUBLIC_URL_ADMIN: 'https://admin.example.com',
      PGHOST: 'database.private-production.example.com',
      PGPORT: '5432',
      PGDATABASE: 'serverpod',
      PGUSER: 'postgres',
      PGSSLMODE: 'require',
    });
    expect(vars.secrets.PGPASSWORD).toBe('gcp_secret my-project-1 orders-production-database-password');
    expect(Object.keys(vars.plain).some((v) => v.startsWith('SERVERPOD_'))).toBe(false);
    expect(bootVariables(staging).plain).toMatchObject({ APP_ENVIRONMENT: 'staging', APP_PUBLIC_URL_API: 'https://www-staging.example.com' });
  });

  it('routes each port\'s host to it, checked on its own readiness path, and replaces servers on the liveness path', () => {
    const map = resourcesOfType(json, 'google_compute_url_map').find((m) => m.name === 'orders-url-map')!;
    expect(map.host_rule.map((r: any) => r.hosts[0]).sort()).toEqual(['admin-staging.example.com', 'admin.example.com', 'storage-staging.example.com', 'storage.example.com', 'www-staging.example.com', 'www.example.com']);
    const checks = resourcesOfType(json, 'google_compute_health_check').map((h) => [h.http_health_check?.port ?? h.tcp_health_check?.port, h.http_health_check?.request_path ?? 'tcp']);
    // Readiness per backend (api /healthz, admin /), and autohealing on the main port's liveness path.
    expect(checks).toEqual(expect.arrayContaining([[3000, '/healthz'], [3001, '/'], [3000, '/livez']]));
    const backends = resourcesOfType(json, 'google_compute_backend_service').map((b) => b.port_name).sort();
    expect(backends).toEqual(['admin', 'admin', 'api', 'api']);
    const lbRule = resourcesOfType(json, 'google_compute_firewall').find((f) => f.name === 'orders-allow-load-balancer')!;
    expect(lbRule.allow).toEqual([{ protocol: 'tcp', ports: ['3000', '3001'] }]);
  });

  it('names the image in its outputs', () => {
    expect(json.output.image_production).toEqual({ value: 'ghcr.io/acme/orders:1.2', description: 'Image the production servers run (app.image: apply a new reference to deploy)' });
    expect(json.output.production_api_url.value).toBe('https://www.example.com/');
  });

  it('logs in to an Artifact Registry host of another project with the servers\' own identity', () => {
    const ar = synthBundled(CUSTOM_CONFIG.replace('ghcr.io/acme/orders:1.2', 'europe-docker.pkg.dev/shared-images/apps/orders:1.2')).stacks['cluster-gcp'];
    const [script] = startupScripts(ar);
    expect(script).toContain("gcp_token | docker login -u oauth2accesstoken --password-stdin 'https://europe-docker.pkg.dev'");
    expect(script).toContain("docker pull 'europe-docker.pkg.dev/shared-images/apps/orders:1.2'");
  });
});

describe('the custom preset on serverless-gcp', () => {
  const json = synthBundled(CUSTOM_CONFIG).stacks['serverless-gcp'];
  const services = resourcesOfType(json, 'google_cloud_run_v2_service');
  const byName = (name: string) => services.find((s) => s.name === name)!;

  it('runs one service per port from the image, owned by Terraform from the first apply', () => {
    expect(services.map((s) => s.name).sort()).toEqual(['orders-run-production-admin', 'orders-run-production-api', 'orders-run-staging-admin', 'orders-run-staging-api']);
    for (const s of services) {
      expect(s.template.containers[0].image).toBe('ghcr.io/acme/orders:1.2');
      // No ignore_changes: a changed app.image and an apply is the deploy.
      expect(s.lifecycle).toBeUndefined();
    }
    const api = byName('orders-run-production-api').template.containers[0];
    expect(api.ports).toEqual({ name: 'http1', container_port: 3000 });
    expect(api.liveness_probe).toMatchObject({ http_get: { path: '/livez', port: 3000 } });
    expect(byName('orders-run-production-admin').template.containers[0].liveness_probe).toBeUndefined();
    expect(envOf(api)).toMatchObject({ APP_ENVIRONMENT: 'production', APP_ROLE: 'serverless', APP_SERVER_ID: 'production-api', APP_PUBLIC_URL_API: 'https://www.example.com', PGPORT: '5432', PGSSLMODE: 'require', NODE_ENV: 'production' });
    expect(envOf(api).PGPASSWORD).toEqual({ secret_key_ref: { secret: 'orders-run-production-database-password', version: 'latest' } });
  });

  it('has no maintenance or migrations job without the maintenance role', () => {
    expect(resourcesOfType(json, 'google_cloud_run_v2_job')).toEqual([]);
    expect(resourcesOfType(json, 'google_cloud_scheduler_job')).toEqual([]);
  });

  it('runs the image as a scheduled job in the maintenance role when the app has one', () => {
    const withMaintenance = synthBundled(CUSTOM_CONFIG.replace('  environment:', '  roles: [monolith, serverless, maintenance]\n  environment:')).stacks['serverless-gcp'];
    const jobs = resourcesOfType(withMaintenance, 'google_cloud_run_v2_job');
    expect(jobs.map((j) => j.name).sort()).toEqual(['orders-run-production-maintenance', 'orders-run-staging-maintenance']);
    const container = jobs[0].template.template.containers[0];
    expect(container.image).toBe('ghcr.io/acme/orders:1.2');
    expect(envOf(container)).toMatchObject({ APP_ROLE: 'maintenance' });
    expect(jobs[0].lifecycle).toBeUndefined();
    expect(resourcesOfType(withMaintenance, 'google_cloud_scheduler_job').map((s) => s.schedule)).toEqual(['* * * * *', '* * * * *']);
  });

  it('gives the Cloud SQL socket\'s directory as PGHOST through the connector', () => {
    const socket = synthBundled(CUSTOM_CONFIG.replace('serverless-gcp: { project: my-project-1 }', 'serverless-gcp: { project: my-project-1, databaseConnectivity: cloud-sql-connector }')).stacks['serverless-gcp'];
    const api = resourcesOfType(socket, 'google_cloud_run_v2_service').find((s) => s.name === 'orders-run-production-api')!;
    expect(envOf(api.template.containers[0])).toMatchObject({ PGHOST: expect.stringMatching(/^\/cloudsql\/\$\{google_sql_database_instance\.[^}]+\.connection_name\}$/), PGSSLMODE: 'disable' });
  });
});

describe('app.image, an image from another registry', () => {
  it.each([
    ['ghcr.io/acme/orders:1.2', 'ghcr'],
    ['docker.io/library/nginx:1.27', 'docker-hub'],
    ['europe-docker.pkg.dev/p/r/server@sha256:' + 'a'.repeat(64), 'artifact-registry'],
    ['gcr.io/p/server:v1', 'artifact-registry'],
    ['registry.example.com:5000/team/server:2024.1', 'other'],
  ])('takes %s (%s)', (image, kind) => {
    expect(imageReferenceProblem(image)).toBeUndefined();
    expect(imageRegistryKind(image)).toBe(kind);
    expect(parseConfig(`domain: example.com\napp: { image: "${image}" }\n${GCP}`).app.image).toBe(image);
  });

  it.each([
    ['nginx:1.27', 'name the registry (docker.io/library/nginx:1.27, not nginx:1.27)'],
    ['ghcr.io/acme/orders', 'add a tag or digest'],
    ['ghcr.io/Acme/orders:1', 'lowercase path'],
    ['ghcr.io/acme/orders:1 && curl x', 'lowercase path)'],
    ['ghcr.io/acme/orders:${TAG}', 'lowercase path)'],
    ["ghcr.io/acme/orders:1'", 'lowercase path)'],
    ['ghcr.io/acme/orders@sha256:abc', 'lowercase path)'],
  ])('refuses %s', (image, why) => {
    const message = configProblems(`domain: example.com\napp: { image: ${JSON.stringify(image)} }\n${GCP}`);
    expect(message).toContain(`  - app.image: got ${JSON.stringify(image)}; expected a full image reference with its registry host and a tag or digest, such as ghcr.io/my-org/server:1.2`);
    expect(message).toContain(why);
  });

  it('refuses a registry a stack cannot reach or Cloud Run cannot pull from', () => {
    const stacks = 'stacks:\n  cluster-gcp: { project: my-project-1, nat: false }\n  cluster-aws: { egress: vpc-endpoints }\n  serverless-gcp: { project: my-project-1 }\n';
    const message = configProblems(`domain: example.com\napp: { image: quay.io/acme/orders:1 }\n${stacks}`);
    expect(message).toContain('  - app.image: got "quay.io/acme/orders:1"; expected an image in Artifact Registry (<location>-docker.pkg.dev or gcr.io) with stacks.cluster-gcp.nat: false');
    expect(message).toContain('  - app.image: got "quay.io/acme/orders:1"; expected an image Cloud Run can pull: one in Artifact Registry (<location>-docker.pkg.dev, gcr.io), or a public one on docker.io or ghcr.io; for another registry put an Artifact Registry remote repository in front of it');
    expect(message).toContain('  - app.image: got "quay.io/acme/orders:1"; expected no image from another registry with stacks.cluster-aws.egress: vpc-endpoints (the servers reach only AWS services): set egress: nat-gateway');
    // Artifact Registry is reached through Private Google Access, NAT or not; the other stacks take a public image.
    expect(() => parseConfig(`domain: example.com\napp: { image: us-docker.pkg.dev/p/r/s:1 }\nstacks:\n  cluster-gcp: { project: my-project-1, nat: false }\n`)).not.toThrow();
    expect(() => parseConfig(`domain: example.com\napp: { image: quay.io/acme/orders:1 }\nstacks:\n  cluster-gcp: { project: my-project-1 }\n  cluster-aws: { egress: nat-gateway }\n`)).not.toThrow();
  });

  it('refuses initialImage beside it, which would mean nothing', () => {
    expect(configProblems(`domain: example.com\napp: { image: ghcr.io/acme/orders:1 }\nstacks:\n  serverless-gcp: { project: my-project-1, initialImage: placeholder }\n`)).toContain(
      '  - stacks.serverless-gcp.initialImage: got "placeholder"; expected no initialImage with app.image (the services and jobs run app.image from the first apply)',
    );
  });

  it('runs a Serverpod image from elsewhere too, leaving the placeholder out', () => {
    const { stacks } = synthBundled(`domain: example.com\napp: { image: docker.io/acme/pod:3.4.12 }\n${BOTH_GCP}`);
    const [script] = startupScripts(stacks['cluster-gcp']);
    expect(script).toContain("docker pull 'docker.io/acme/pod:3.4.12'");
    const images = [
      ...resourcesOfType(stacks['serverless-gcp'], 'google_cloud_run_v2_service').map((s) => s.template.containers[0].image),
      ...resourcesOfType(stacks['serverless-gcp'], 'google_cloud_run_v2_job').map((j) => j.template.template.containers[0].image),
    ];
    expect(images.length).toBe(5);
    expect(new Set(images)).toEqual(new Set(['docker.io/acme/pod:3.4.12']));
  });

  it('leaves the stack\'s own registry image, its login and the placeholders as they were without it', () => {
    const { stacks } = synthBundled(`domain: example.com\n${BOTH_GCP}`);
    const [script] = startupScripts(stacks['cluster-gcp']);
    expect(script).toContain('gcp_token | docker login -u oauth2accesstoken --password-stdin https://us-central1-docker.pkg.dev');
    expect(script).toContain("docker pull 'us-central1-docker.pkg.dev/my-project-1/serverpod-images/serverpod:production'");
    for (const s of resourcesOfType(stacks['serverless-gcp'], 'google_cloud_run_v2_service')) {
      expect(s.template.containers[0].image).toBe('us-docker.pkg.dev/cloudrun/container/hello');
      expect(s.lifecycle).toEqual({ ignore_changes: ['template[0].containers[0].image', 'client', 'client_version'] });
    }
  });
});

describe('the patterns\' image prop', () => {
  const profile = serverpodProfile({ name: 'pod' });
  const cluster = (image: string, extra: Record<string, unknown> = {}) => () => {
    const stack = gcpTestStack();
    const registry = new gcp.ContainerRegistry(stack, 'images', { project: 'p-123456', location: 'us-central1', repositoryId: 'pod-images' });
    new gcp.GcpServerCluster(stack, 'cluster', { project: 'p-123456', region: 'us-central1', namePrefix: 'pod', domain: 'example.com', profile, registry, image, environments: { production: {} }, ...extra });
    return stack;
  };
  const serverless = (image: string, extra: Record<string, unknown> = {}) => () => {
    const stack = gcpTestStack();
    const registry = new gcp.ContainerRegistry(stack, 'images', { project: 'p-123456', location: 'us-central1', repositoryId: 'pod-images' });
    new gcp.GcpServerlessApp(stack, 'app', { project: 'p-123456', region: 'us-central1', namePrefix: 'pod', domain: 'example.com', profile, registry, image, environments: { production: {} }, ...extra });
    return stack;
  };

  it('refuses a reference that is not a full, pinned one, on both GCP patterns', () => {
    expect(validationErrorOf(cluster('nginx'))).toContain('props.image: got "nginx"; expected a full image reference');
    expect(validationErrorOf(serverless('ghcr.io/a/b:1"; rm -rf /'))).toContain('props.image: got "ghcr.io/a/b:1\\"; rm -rf /"; expected a full image reference');
  });

  it('refuses what the platform cannot pull', () => {
    expect(validationErrorOf(cluster('ghcr.io/a/b:1', { nat: false }))).toContain('props.image: got "ghcr.io/a/b:1"; expected an image in Artifact Registry (<location>-docker.pkg.dev or gcr.io) with nat: false');
    expect(validationErrorOf(serverless('quay.io/a/b:1'))).toContain('props.image: got "quay.io/a/b:1"; expected an image Cloud Run can pull');
    expect(validationErrorOf(serverless('ghcr.io/a/b:1', { initialImage: 'registry' }))).toContain('props.initialImage: got "registry"; expected none with image');
  });

  it('runs it where the registry\'s image would run', () => {
    const json = synthJson(serverless('docker.io/library/nginx:1.27')());
    const api = resourcesOfType(json, 'google_cloud_run_v2_service').find((s) => s.name === 'pod-production-api')!;
    expect(api.template.containers[0].image).toBe('docker.io/library/nginx:1.27');
    const template = only(synthJson(cluster('docker.io/library/nginx:1.27')()), 'google_compute_instance_template');
    expect(template.metadata['startup-script']).toContain("docker pull 'docker.io/library/nginx:1.27'");
  });
});

describe('host labels', () => {
  const HOSTS_CONFIG = `
domain: example.com
environments: [production, staging]
webOnTopDomain: true
app: { hosts: { web: www, api: backend } }
${BOTH_GCP}`;

  it('map the serverpod preset\'s ports to the labels given, the others keeping theirs', () => {
    const profile = appProfileFromConfig(parseConfig(HOSTS_CONFIG));
    expect(profile.ports.map((p) => [p.name, profile.hostLabel(p)])).toEqual([
      ['api', 'backend'],
      ['insights', 'insights'],
      ['web', 'www'],
    ]);
    const perseus = appProfileFromConfig(parseConfig(`domain: example.com\ndatabase: false\napp: { preset: perseus, hosts: { web: www } }\n${GCP}`));
    expect(perseus.hostLabel(perseus.mainPort)).toBe('www');
  });

  it('reach Serverpod as its public hosts, its config output and the certificates, in staging with Serverpod\'s suffix', () => {
    const { stacks } = synthBundled(HOSTS_CONFIG);
    const cluster = stacks['cluster-gcp'];
    const [production, staging] = startupScripts(cluster);
    expect(bootVariables(production).plain).toMatchObject({ SERVERPOD_WEB_SERVER_PUBLIC_HOST: 'www.example.com', SERVERPOD_API_SERVER_PUBLIC_HOST: 'backend.example.com', SERVERPOD_INSIGHTS_SERVER_PUBLIC_HOST: 'insights.example.com' });
    expect(bootVariables(staging).plain).toMatchObject({ SERVERPOD_WEB_SERVER_PUBLIC_HOST: 'www-staging.example.com', SERVERPOD_API_SERVER_PUBLIC_HOST: 'backend-staging.example.com' });
    expect(cluster.output.production_serverpod_config.value).toContain('webServer:\n  port: 8082\n  publicHost: www.example.com\n');
    expect(cluster.output.staging_serverpod_config.value).toContain('apiServer:\n  port: 8080\n  publicHost: backend-staging.example.com\n');
    const certificates = resourcesOfType(cluster, 'google_compute_managed_ssl_certificate').flatMap((c) => c.managed.domains).sort();
    expect(certificates).toEqual(['backend-staging.example.com.', 'backend.example.com.', 'example.com.', 'insights-staging.example.com.', 'insights.example.com.', 'storage-staging.example.com.', 'storage.example.com.', 'www-staging.example.com.', 'www.example.com.']);
    expect(JSON.stringify(cluster)).not.toContain('app.example.com');
    const web = resourcesOfType(stacks['serverless-gcp'], 'google_cloud_run_v2_service').find((s) => s.name === 'serverpod-run-production-web')!;
    expect(envOf(web.template.containers[0])).toMatchObject({ SERVERPOD_WEB_SERVER_PUBLIC_HOST: 'www.example.com' });
    expect(stacks['serverless-gcp'].output.production_web_url.value).toBe('https://www.example.com/');
  });

  it.each([
    ['a port the preset does not publish', 'database: false\napp: { hosts: { insights: data } }', 'app.hosts.insights: got "data"; expected a port the serverpod preset publishes with these settings (api)'],
    ['Perseus\' one port under another name', 'database: false\napp: { preset: perseus, hosts: { api: www } }', 'app.hosts.api: got "www"; expected a port the perseus preset publishes with these settings (web)'],
    ['a key that is no port name', 'app: { hosts: { Web: www } }', 'app.hosts.Web: got "Web"; expected a port name (lowercase letters and digits'],
    ['a label that is no DNS label', 'app: { hosts: { web: www.shop } }', 'app.hosts.web: got "www.shop"; expected one DNS label: lowercase letters, digits and inner hyphens, at most 63 characters'],
    ['another port\'s label', 'app: { hosts: { web: api } }', 'app.hosts.web: got "api"; expected a host label of its own (api.<domain> is already the api port\'s production host)'],
    ['the bucket\'s label', 'app: { hosts: { web: storage } }', 'app.hosts.web: got "storage"; expected a host label of its own (storage.<domain> is already the public bucket\'s production host)'],
    ['another port\'s staging host', 'environments: [production, staging]\napp: { hosts: { web: api-staging } }', 'app.hosts.web: got "api-staging"; expected a host label of its own (api-staging.<domain> is already the api port\'s staging host)'],
    ['a label too long for its staging host', `environments: [production, staging]\napp: { hosts: { web: ${'w'.repeat(56)} } }`, `app.hosts.web: got "${'w'.repeat(56)}"; expected a host label of at most 55 characters with staging`],
  ])('refuse %s', (_name, yaml, line) => {
    expect(configProblems(`domain: example.com\n${yaml}\n${GCP}`)).toContain(`  - ${line}`);
  });

  it('take a long label without staging, and the bucket\'s label without storage', () => {
    expect(() => parseConfig(`domain: example.com\napp: { hosts: { web: ${'w'.repeat(63)} } }\n${GCP}`)).not.toThrow();
    expect(() => parseConfig(`domain: example.com\nstorage: false\napp: { hosts: { web: storage } }\n${GCP}`)).not.toThrow();
  });

  it('size the domain by the longest real host, not the default labels', () => {
    // insights-staging. (17 characters) fits with this domain; a 60-character label's staging host does not.
    const label = 'w'.repeat(55);
    const long = `${'d'.repeat(60)}.${'d'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(30)}.com`;
    expect(long.length + 'insights-staging.'.length).toBeLessThanOrEqual(253);
    expect(() => parseConfig(`domain: ${long}\nenvironments: [production, staging]\n${GCP}`)).not.toThrow();
    expect(configProblems(`domain: ${long}\nenvironments: [production, staging]\napp: { hosts: { web: ${label} } }\n${GCP}`)).toContain(
      `; expected a domain of at most ${253 - label.length - '-staging.'.length} characters, so the host ${label}-staging.<domain> fits DNS's 253`,
    );
  });
});

describe('profiles in TypeScript', () => {
  const context: RuntimeContext = {
    runmode: 'staging',
    role: 'serverless',
    serverId: 'staging-web',
    publicHosts: { web: 'www-staging.example.com' },
    database: { host: '/cloudsql/p:r:i/.s.PGSQL.5432', isUnixSocket: true, requireSsl: false, name: 'shop', user: 'shop', password: { secret: 'db' } },
    redis: { host: '10.0.0.3', port: 6378, password: { secret: 'redis' }, requireSsl: true },
    secrets: { stripeKey: { secret: 'stripe' } },
  };

  it('customProfile hands a context over in the variables docs/config.md lists', () => {
    const profile = customProfile({ name: 'shop', ports: [{ name: 'web', port: 8080 }], usesDatabase: true });
    expect(profile.containerEnvironment(context)).toEqual({
      plain: {
        APP_ENVIRONMENT: 'staging',
        APP_ROLE: 'serverless',
        APP_SERVER_ID: 'staging-web',
        APP_PUBLIC_URL_WEB: 'https://www-staging.example.com',
        PGHOST: '/cloudsql/p:r:i',
        PGPORT: '5432',
        PGDATABASE: 'shop',
        PGUSER: 'shop',
        PGSSLMODE: 'disable',
        REDIS_HOST: '10.0.0.3',
        REDIS_PORT: '6378',
        REDIS_TLS: 'true',
      },
      secrets: { PGPASSWORD: { secret: 'db' }, REDIS_PASSWORD: { secret: 'redis' }, stripeKey: { secret: 'stripe' } },
    });
    // Without a database of its own, the context's is not handed over.
    expect(customProfile({ ports: [{ name: 'web', port: 8080 }] }).containerEnvironment(context).plain.PGHOST).toBeUndefined();
  });

  it('AppProfile refuses two ports on one number or one host', () => {
    expect(validationErrorOf(() => new AppProfile({ name: 'x', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] }))).toContain('profile.ports[1].port: got 80; expected a port number no other port uses');
    expect(validationErrorOf(() => new AppProfile({ name: 'x', ports: [{ name: 'a', port: 80, hostLabel: 'b' }, { name: 'b', port: 81 }] }))).toContain('profile.ports[1].hostLabel: got "b"; expected a host label no other port is served at');
  });

  it('serverpodProfile refuses a host label for a server it does not publish', () => {
    expect(serverpodProfile({ hostLabels: { web: 'www' } }).ports.map((p) => p.hostLabel ?? p.name)).toEqual(['api', 'insights', 'www']);
    expect(validationErrorOf(() => serverpodProfile({ usesDatabase: false, hostLabels: { insights: 'x' } }))).toContain('options.hostLabels.insights: got "insights"; expected a server the preset publishes (api)');
  });
});
