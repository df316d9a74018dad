import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { BootScriptOptions, SERVER_ID_FROM_MACHINE, environmentHosts, perseusProfile, renderBootScript, serverpodProfile, shellQuote } from '../lib';
import { DOCKER_STUB, dockerCliVariables, dockerRun, runScript, stubCalls } from './helpers/boot';

describe('environmentHosts', () => {
  const profile = serverpodProfile();

  it('gives production Serverpod host names, the bare domain for web on request, and storage.', () => {
    const hosts = environmentHosts(profile, 'example.com', 'production', { storage: true, webOnTopDomain: true });
    expect(hosts.byPort).toEqual({ api: ['api.example.com'], insights: ['insights.example.com'], web: ['app.example.com', 'example.com'] });
    expect(hosts.primary).toEqual({ api: 'api.example.com', insights: 'insights.example.com', web: 'app.example.com' });
    expect(hosts.storage).toBe('storage.example.com');
    expect(hosts.all).toEqual(['api.example.com', 'app.example.com', 'example.com', 'insights.example.com', 'storage.example.com']);
  });

  it('gives staging the names of config/staging.yaml and never the bare domain', () => {
    const hosts = environmentHosts(profile, 'example.com', 'staging', { storage: false, webOnTopDomain: true });
    expect(hosts.all).toEqual(['api-staging.example.com', 'app-staging.example.com', 'insights-staging.example.com']);
    expect(hosts.storage).toBeUndefined();
  });

  it('puts a one-port app at its label', () => {
    expect(environmentHosts(perseusProfile(), 'site.dev', 'production', { storage: false, webOnTopDomain: true }).byPort).toEqual({ web: ['app.site.dev', 'site.dev'] });
  });
});

describe('renderBootScript', () => {
  const options: BootScriptOptions = {
    containerName: 'serverpod',
    image: 'registry.example/app:production',
    environment: {
      plain: {
        runmode: 'production',
        serverid: `node-${SERVER_ID_FROM_MACHINE}`,
        QUOTED: "it's $HOME `x` $(y) ${z} %{ if w }",
        LINES: 'first\nsecond',
        LINES_NL: 'first\nsecond\n',
        EMPTY: '',
      },
      secrets: { SERVERPOD_PASSWORD_database: { secret: 'db-password' }, PEM: { secret: 'pem' } },
    },
    ports: [8080, 8081],
    args: ['--mode', 'production'],
    serverIdCommand: 'echo i-123',
    // Fetched values are written as they come: the PEM keeps its line breaks and final newline.
    secretCommand: (ref) => (ref.secret === 'pem' ? "printf -- '-----BEGIN KEY-----\\nAB+/==\\n-----END KEY-----\\n'" : `printf '%s' 'value-of-${ref.secret}'`),
    registryLogin: ['echo token | docker login registry.example'],
  };
  const script = renderBootScript(options);
  const run = (s: string) => runScript(s, { stubs: { docker: DOCKER_STUB }, rewrite: [['/run/', 'run']] });
  let booted: ReturnType<typeof run>;
  beforeAll(() => {
    booted = run(script);
  });

  it('is plain shell: the constructs that write it escape it for Terraform (literalStrings)', () => {
    expect(script).toContain('"${cli_env[@]}" "${container_env[@]}"');
    expect(script).not.toContain('$${');
  });

  it('writes each variable to its own file: literal values, the machine id and the fetched secrets', () => {
    expect(booted.stderr).toBe('');
    expect(booted.status).toBe(0);
    const envDir = join(booted.dir, 'run', 'serverpod', 'env');
    expect(readdirSync(envDir).sort()).toEqual(['EMPTY', 'LINES', 'LINES_NL', 'PEM', 'QUOTED', 'SERVERPOD_PASSWORD_database', 'runmode', 'serverid']);
    expect(readFileSync(join(envDir, 'serverid'), 'utf8')).toBe('node-i-123');
    expect(readFileSync(join(envDir, 'SERVERPOD_PASSWORD_database'), 'utf8')).toBe('value-of-db-password');
  });

  it('hands the container exactly those values through docker\'s environment, line breaks included', () => {
    const docker = dockerRun(booted.dir)!;
    expect(docker.containerEnv).toEqual({
      runmode: 'production',
      serverid: 'node-i-123',
      QUOTED: "it's $HOME `x` $(y) ${z} %{ if w }",
      LINES: 'first\nsecond',
      LINES_NL: 'first\nsecond\n',
      EMPTY: '',
      SERVERPOD_PASSWORD_database: 'value-of-db-password',
      PEM: '-----BEGIN KEY-----\nAB+/==\n-----END KEY-----\n',
    });
    // Nothing of the boot script's own variables (SERVER_ID, value, ...) reaches docker.
    expect(dockerCliVariables(docker)).toEqual(['HOME', 'PATH']);
  });

  it('logs in, pulls, replaces an earlier container and runs with a restart policy, -e NAME flags, the ports and args', () => {
    expect(stubCalls(booted.dir)).toEqual([
      'docker login registry.example',
      'docker pull registry.example/app:production',
      // The check after the pull's retries: the image is there.
      'docker image inspect registry.example/app:production',
      'docker rm -f serverpod',
      expect.stringMatching(/^docker run /),
    ]);
    expect(readFileSync(join(booted.dir, 'docker-login.stdin'), 'utf8')).toBe('token\n');
    const names = ['runmode', 'serverid', 'QUOTED', 'LINES', 'LINES_NL', 'EMPTY', 'SERVERPOD_PASSWORD_database', 'PEM'];
    expect(dockerRun(booted.dir)!.argv).toEqual([
      'run', '-d', '--name', 'serverpod', '--restart=always',
      ...names.flatMap((n) => ['-e', n]),
      '-p', '8080:8080', '-p', '8081:8081',
      'registry.example/app:production', '--mode', 'production',
    ]);
  });

  it('stops when a secret cannot be fetched, before pulling or running anything', () => {
    const failed = run(renderBootScript({ ...options, secretCommand: (ref) => (ref.secret === 'pem' ? 'false' : 'echo ok') }));
    expect(failed.status).not.toBe(0);
    expect(stubCalls(failed.dir)).toEqual([]);
    expect(dockerRun(failed.dir)).toBeUndefined();
  });

  it('refuses names the Docker CLI reads and names that are not variable names, naming them', () => {
    const withNames = (plain: Record<string, string>, secrets: Record<string, { secret: string }> = {}) => () =>
      renderBootScript({ ...options, environment: { plain, secrets } });
    expect(withNames({ DOCKER_HOST: 'tcp://evil:2375', GOMAXPROCS: '1', OK: 'x' })).toThrow('Container variables DOCKER_HOST, GOMAXPROCS cannot be passed');
    expect(withNames({}, { DOCKER_CONFIG: { secret: 's' } })).toThrow('Container variables DOCKER_CONFIG cannot be passed');
    expect(withNames({ 'BAD-NAME': 'x', '1X': 'y' })).toThrow('Container variables BAD-NAME, 1X cannot be passed');
  });

  it('refuses a variable that is both plain and secret', () => {
    expect(() => renderBootScript({ ...options, environment: { plain: { A: 'x' }, secrets: { A: { secret: 's' } } } })).toThrow('Container variable A is both plain and secret');
  });

  it('quotes for the shell', () => {
    expect(shellQuote("a'b")).toBe(`'a'"'"'b'`);
  });
});
