import { AppProfile, RuntimeContext, perseusProfile, serverpodProfile } from '../lib';
import { ProblemCollector, environmentSecrets } from '../lib';
import { configProblems, validationErrorOf } from './helpers/assert';

const cluster: RuntimeContext = {
  runmode: 'production',
  role: 'monolith',
  serverId: 'instance-1',
  publicHosts: { api: 'api.example.com', insights: 'insights.example.com', web: 'app.example.com' },
  database: { host: 'database.private-production.example.com', password: { secret: 'database-password' } },
  redis: { host: '10.0.0.3', password: { secret: 'redis-auth' }, requireSsl: true },
  secrets: { serviceSecret: { secret: 'service-secret' }, jwtHmacSha512PrivateKey: { secret: 'jwt-key' } },
};

describe('serverpod preset', () => {
  const profile = serverpodProfile();

  it('has Serverpod ports api 8080, insights 8081 and web 8082 at app.', () => {
    expect(profile.ports.map((p) => [p.name, p.port, profile.hostLabel(p)])).toEqual([
      ['api', 8080, 'api'],
      ['insights', 8081, 'insights'],
      ['web', 8082, 'app'],
    ]);
    // Serverpod 3.3+ routes (packages/serverpod/lib/src/server/server.dart @3.4.12): readiness /readyz, liveness /livez.
    expect(profile.healthCheck).toMatchObject({ portName: 'api', path: '/readyz' });
    expect(profile.ports.map((p) => [p.name, p.healthCheckPath, p.livenessPath])).toEqual([
      ['api', '/readyz', '/livez'],
      ['insights', '/readyz', '/livez'],
      ['web', '/', undefined],
    ]);
  });

  it('gives the web server a liveness route from Serverpod 4.0 (before, only its root route answers)', () => {
    const web = (version: string) => serverpodProfile({ name: 'x', version }).ports.find((p) => p.name === 'web')!;
    expect(web('4.0')).toMatchObject({ healthCheckPath: '/', livenessPath: '/livez' });
    expect(web('3.4').livenessPath).toBeUndefined();
  });

  it('supports the three Serverpod roles', () => {
    expect(profile.roles).toEqual(['monolith', 'serverless', 'maintenance']);
    expect(profile.usesDatabase).toBe(true);
  });

  it('passes runmode, serverid, logging and role as the Dockerfile reads them', () => {
    const env = profile.containerEnvironment(cluster);
    expect(env.plain).toMatchObject({ runmode: 'production', serverid: 'instance-1', logging: 'normal', role: 'monolith' });
  });

  it('passes the database, Redis and public hosts as SERVERPOD_* variables and keeps secrets as references', () => {
    const env = profile.containerEnvironment(cluster);
    expect(env.plain).toMatchObject({
      SERVERPOD_DATABASE_HOST: 'database.private-production.example.com',
      SERVERPOD_DATABASE_PORT: '5432',
      SERVERPOD_DATABASE_NAME: 'serverpod',
      SERVERPOD_DATABASE_USER: 'postgres',
      SERVERPOD_DATABASE_REQUIRE_SSL: 'true',
      SERVERPOD_DATABASE_IS_UNIX_SOCKET: 'false',
      SERVERPOD_REDIS_ENABLED: 'true',
      SERVERPOD_REDIS_HOST: '10.0.0.3',
      SERVERPOD_REDIS_PORT: '6379',
      SERVERPOD_REDIS_REQUIRE_SSL: 'true',
      SERVERPOD_API_SERVER_PORT: '8080',
      SERVERPOD_API_SERVER_PUBLIC_HOST: 'api.example.com',
      SERVERPOD_API_SERVER_PUBLIC_PORT: '443',
      SERVERPOD_API_SERVER_PUBLIC_SCHEME: 'https',
      SERVERPOD_WEB_SERVER_PUBLIC_HOST: 'app.example.com',
    });
    expect(env.secrets).toEqual({
      SERVERPOD_PASSWORD_database: { secret: 'database-password' },
      SERVERPOD_PASSWORD_redis: { secret: 'redis-auth' },
      SERVERPOD_SERVICE_SECRET: { secret: 'service-secret' },
      SERVERPOD_PASSWORD_jwtHmacSha512PrivateKey: { secret: 'jwt-key' },
    });
    // No secret value can leak into plain variables: they only ever hold references.
    expect(JSON.stringify(env.plain)).not.toMatch(/password|secret/i);
  });

  it('reads the Cloud SQL Unix socket the serverless way', () => {
    const env = profile.containerEnvironment({
      runmode: 'staging',
      role: 'serverless',
      serverId: 'default',
      database: { host: '/cloudsql/p:r:i/.s.PGSQL.5432', isUnixSocket: true, requireSsl: false, password: { secret: 'db' } },
    });
    expect(env.plain).toMatchObject({ role: 'serverless', runmode: 'staging', SERVERPOD_DATABASE_IS_UNIX_SOCKET: 'true', SERVERPOD_REDIS_ENABLED: 'false' });
    expect(env.plain).not.toHaveProperty('SERVERPOD_REDIS_HOST');
  });

  it('runs without Postgres as Serverpod mini', () => {
    const mini = serverpodProfile({ usesDatabase: false, logging: 'verbose' });
    const env = mini.containerEnvironment(cluster);
    expect(mini.usesDatabase).toBe(false);
    expect(env.plain).not.toHaveProperty('SERVERPOD_DATABASE_HOST');
    expect(env.secrets).not.toHaveProperty('SERVERPOD_PASSWORD_database');
    expect(env.plain.logging).toBe('verbose');
  });
});

describe('perseus preset', () => {
  const profile = perseusProfile({ port: 3000 });

  it('has one port and runs the standalone binary', () => {
    expect(profile.ports).toHaveLength(1);
    expect(profile.mainPort).toMatchObject({ name: 'web', port: 3000 });
    const env = profile.containerEnvironment({ runmode: 'production', role: 'serverless', serverId: 'x' });
    // No PERSEUS_STANDALONE: Perseus ignores it since 0.3.0-beta.22, and the binary from `perseus deploy` is standalone.
    expect(env.plain).toEqual({ PERSEUS_HOST: '0.0.0.0', PERSEUS_PORT: '3000' });
  });

  it('has no maintenance role', () => {
    expect(profile.supportsRole('maintenance')).toBe(false);
    expect(() => profile.containerEnvironment({ runmode: 'production', role: 'maintenance', serverId: 'x' })).toThrow(
      'App profile "perseus" does not support the role "maintenance"; it supports monolith, serverless',
    );
  });

  it('refuses PERSEUS_* in the extra environment (the preset sets those), and keeps the rest', () => {
    expect(validationErrorOf(() => perseusProfile({ environment: { PERSEUS_STANDALONE: 'false', STORE: 'gs://b' } }))).toContain(
      'profile.environment.PERSEUS_STANDALONE: got "PERSEUS_STANDALONE"; expected a name not set by the perseus profile (PERSEUS_*): passwords and keys go under secrets',
    );
    const p = perseusProfile({ environment: { STORE: 'gs://b' } });
    expect(p.containerEnvironment({ runmode: 'production', role: 'monolith', serverId: '1' }).plain).toMatchObject({ PERSEUS_HOST: '0.0.0.0', STORE: 'gs://b' });
  });
});

describe('plain environment rules', () => {
  it('refuses the Serverpod preset\'s own variables, line breaks, NUL and bad names, naming each', () => {
    const message = validationErrorOf(() =>
      serverpodProfile({ environment: { runmode: 'x', SERVERPOD_PASSWORD_stripe: 'sk', SERVERPOD_DATABASE_HOST: 'h', MULTI: 'a\nb', NUL: 'a\u0000b', '1BAD': 'x', FINE: '${not evaluated}' } }),
    );
    for (const field of ['runmode', 'SERVERPOD_PASSWORD_stripe', 'SERVERPOD_DATABASE_HOST', 'MULTI', 'NUL', '1BAD']) expect(message).toContain(`profile.environment.${field}:`);
    expect(message).not.toContain('profile.environment.FINE');
    expect(message).toContain('a multi-line value (a PEM, a JSON key) goes under secrets');
  });

  it('refuses, when building a container, a fixed variable the profile also sets from the context', () => {
    const p = new AppProfile({ name: 'x', ports: [{ name: 'api', port: 8080 }], environment: { MODE: 'a' }, contextEnvironment: () => ({ plain: { MODE: 'b' }, secrets: {} }) });
    expect(() => p.containerEnvironment({ runmode: 'production', role: 'monolith', serverId: '1' })).toThrow('profile.environment.MODE: got "MODE"; expected a name the profile does not set itself for the monolith role');
  });
});

describe('user-described profile', () => {
  it('merges fixed and context environment, and gives args per role', () => {
    const p = new AppProfile({
      name: 'worker',
      ports: [{ name: 'http', port: 9000 }],
      roles: ['monolith', 'maintenance'],
      environment: { A: '1' },
      contextEnvironment: (ctx) => ({ plain: { MODE: ctx.runmode }, secrets: { TOKEN: { secret: 'tok' } } }),
      args: (ctx) => (ctx.role === 'maintenance' ? ['--once'] : []),
    });
    const ctx: RuntimeContext = { runmode: 'staging', role: 'maintenance', serverId: 's' };
    expect(p.containerEnvironment(ctx)).toEqual({ plain: { A: '1', MODE: 'staging' }, secrets: { TOKEN: { secret: 'tok' } } });
    expect(p.args(ctx)).toEqual(['--once']);
    expect(p.healthCheck).toEqual({ portName: 'http', path: '/', intervalSec: 10, timeoutSec: 5, healthyThreshold: 2, unhealthyThreshold: 3, gracePeriodSec: 300 });
    expect(() => p.port('web')).toThrow('App profile "worker" has no port named "web"; it has http');
  });

  it.each<[string, ConstructorParameters<typeof AppProfile>[0], string[]]>([
    ['a bad name and no ports', { name: 'My App', ports: [] }, ['profile.name: got "My App"', 'profile.ports: got []; expected at least one port', 'profile.healthCheck.portName: got ""']],
    [
      'duplicate and out-of-range ports',
      { name: 'app', ports: [{ name: 'web', port: 0 }, { name: 'web', port: 70000 }] },
      ['profile.ports[0].port: got 0; expected an integer from 1 to 65535', 'profile.ports[1].name: got "web"; expected a name not used by another port', 'profile.ports[1].port: got 70000'],
    ],
    [
      'a health check on an unknown port with a timeout above its interval',
      { name: 'app', ports: [{ name: 'web', port: 80 }], healthCheck: { portName: 'admin', path: 'health', intervalSec: 5, timeoutSec: 10 } },
      ['profile.healthCheck.portName: got "admin"; expected one of the port names (web)', 'profile.healthCheck.path: got "health"; expected a path starting with /', 'profile.healthCheck.timeoutSec: got 10; expected at most intervalSec (5)'],
    ],
    [
      'probe paths Terraform would evaluate',
      { name: 'app', ports: [{ name: 'web', port: 80, healthCheckPath: '/${file("x")}', livenessPath: '/%{if true}x%{endif}' }] },
      ['profile.ports[0].healthCheckPath: got "/${file(\\"x\\")}"; expected a path starting with /, without spaces or braces', 'profile.ports[0].livenessPath: got "/%{if true}x%{endif}"', 'profile.healthCheck.path: got "/${file(\\"x\\")}"'],
    ],
  ])('fails on %s, naming every bad field', (_name, props, messages) => {
    let error: Error | undefined;
    try {
      new AppProfile(props);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('ValidationError');
    for (const m of messages) expect(error?.message).toContain(m);
  });
});

describe('secret variables', () => {
  it('refuses, in deploy.yaml, a variable the preset, Cloud Run or a plain variable sets, naming each', () => {
    const message = configProblems(`
domain: shop.example
app: { environment: { FOO: "1" } }
secrets:
  dbOverride: { value: empty, variable: SERVERPOD_PASSWORD_database }
  hostOverride: { value: empty, variable: SERVERPOD_DATABASE_HOST }
  port: { value: empty, variable: PORT }
  foo: { value: empty, variable: FOO }
  ok: { value: empty, variable: STRIPE_KEY }
stacks: { serverless-gcp: { project: shop-prod }, cluster-aws: {} }
`);
    expect(message).toContain('has 4 problems');
    expect(message).toContain('secrets.dbOverride.variable: got "SERVERPOD_PASSWORD_database"; expected a name not set by the serverpod preset');
    expect(message).toContain('secrets.hostOverride.variable: got "SERVERPOD_DATABASE_HOST"');
    expect(message).toContain('secrets.port.variable: got "PORT"; expected a name not set by Cloud Run');
    expect(message).toContain('secrets.foo.variable: got "FOO"; expected a name not set by app.environment (FOO)');
  });

  it('refuses the same in construct props, and a secret sharing a plain variable\'s name, as validation errors', () => {
    const profile = serverpodProfile({ environment: { FOO: '1' } });
    const problems = new ProblemCollector('props.');
    environmentSecrets(profile, { dbOverride: { value: 'empty', variable: 'SERVERPOD_PASSWORD_database' }, home: { value: 'empty', variable: 'HOME' } }, problems);
    expect(problems.list.map((p) => p.field)).toEqual(['props.secrets.dbOverride.variable', 'props.secrets.home.variable']);
    const ctx: RuntimeContext = { runmode: 'production', role: 'monolith', serverId: '1', secrets: { foo: { secret: 'foo' } }, secretVariables: { foo: 'FOO' } };
    expect(validationErrorOf(() => profile.containerEnvironment(ctx))).toContain('profile.secrets.FOO: got "FOO"; expected a variable no plain environment variable has');
  });
});
