import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { SERVER_ID_FROM_MACHINE, environmentHosts, perseusProfile, renderBootScript, serverpodProfile, shellQuote } from '../lib';

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
  const script = renderBootScript({
    containerName: 'serverpod',
    image: 'registry.example/app:production',
    environment: {
      plain: { runmode: 'production', serverid: `node-${SERVER_ID_FROM_MACHINE}`, QUOTED: "it's $HOME `x`" },
      secrets: { SERVERPOD_PASSWORD_database: { secret: 'db-password' } },
    },
    ports: [8080, 8081],
    args: ['--mode', 'production'],
    serverIdCommand: 'echo i-123',
    secretCommand: (ref) => `echo value-of-${ref.secret}`,
    registryLogin: ['echo login'],
  });

  it('runs the container with a restart policy and the ports', () => {
    expect(script).toContain("docker run -d --name 'serverpod' --restart=always --env-file /run/serverpod/container.env -p 8080:8080 -p 8081:8081 'registry.example/app:production' '--mode' 'production'");
    expect(script.indexOf('echo login')).toBeLessThan(script.indexOf('docker pull'));
  });

  it('writes an env file with literal values, the machine id and the fetched secrets', () => {
    // Run the env-file part for real with docker stubbed out, and read the file it wrote.
    const dir = mkdtempSync(join(tmpdir(), 'boot-'));
    const runnable = script.replace(/\/run\/serverpod/g, dir);
    writeFileSync(join(dir, 'docker'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    execFileSync('bash', ['-c', runnable], { env: { PATH: `${dir}:${process.env.PATH}`, HOME: '/nowhere' } });
    expect(readFileSync(join(dir, 'container.env'), 'utf8')).toBe(
      "runmode=production\nserverid=node-i-123\nQUOTED=it's $HOME `x`\nSERVERPOD_PASSWORD_database=value-of-db-password\n",
    );
  });

  it('stops when a secret cannot be fetched', () => {
    const failing = renderBootScript({
      containerName: 'c',
      image: 'i',
      environment: { plain: {}, secrets: { S: { secret: 's' } } },
      ports: [],
      serverIdCommand: 'true',
      secretCommand: () => 'false',
      registryLogin: [],
    });
    const dir = mkdtempSync(join(tmpdir(), 'boot-'));
    const runnable = failing.replace(/\/run\/c/g, dir);
    // docker is stubbed to record its calls: the script must stop before pulling or running anything.
    writeFileSync(join(dir, 'docker'), `#!/bin/sh\necho "$@" >> ${dir}/docker.log\n`, { mode: 0o755 });
    expect(() => execFileSync('bash', ['-c', runnable], { stdio: 'pipe', env: { PATH: `${dir}:${process.env.PATH}` } })).toThrow();
    expect(readFileSync(join(dir, 'container.env'), 'utf8')).toBe('');
    expect(() => readFileSync(join(dir, 'docker.log'))).toThrow();
  });

  it('refuses a value with a line break', () => {
    expect(() =>
      renderBootScript({ containerName: 'c', image: 'i', environment: { plain: { A: 'x\ny' }, secrets: {} }, ports: [], serverIdCommand: 'true', secretCommand: () => 'true', registryLogin: [] }),
    ).toThrow('Environment variable A holds a line break');
  });

  it('quotes for the shell', () => {
    expect(shellQuote("a'b")).toBe(`'a'"'"'b'`);
  });
});
