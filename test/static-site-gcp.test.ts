import { execFileSync, spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { gcp } from '../lib';
import { gcpTestStack, only, validationErrorOf } from './helpers/assert';
import { danglingReferences } from './helpers/references';
import { pythonRegex } from './helpers/static-hosting';
import { StackJson, forSnapshot, resourcesOfType, synthJson } from './helpers/synth';

const PROJECT = 'p-123456';
const REVALIDATE = 'public, max-age=0, s-maxage=3600, must-revalidate';
const CACHED = 'public, max-age=3600';
const CI = 'serviceAccount:ci@p-123456.iam.gserviceaccount.com';

function build(props: Partial<gcp.GcpStaticSiteProps> = {}): { site: gcp.GcpStaticSite; json: StackJson } {
  const stack = gcpTestStack();
  const site = new gcp.GcpStaticSite(stack, 'site', { project: PROJECT, namePrefix: 'docs', domain: 'example.com', ...props });
  return { site, json: synthJson(stack) };
}

/** The URL map that serves the site (not the HTTP redirect). */
function siteUrlMap(json: StackJson): Record<string, any> {
  return resourcesOfType(json, 'google_compute_url_map').find((m) => m.name === 'docs-url-map')!;
}

describe('gcp.GcpStaticSite, defaults', () => {
  const { json } = build();

  it('keeps the files in a public-read bucket with uniform access, the index page and the 404 page', () => {
    expect(only(json, 'google_storage_bucket')).toEqual(
      expect.objectContaining({
        name: 'p-123456-docs-site',
        location: 'US',
        uniform_bucket_level_access: true,
        public_access_prevention: 'inherited',
        force_destroy: false,
        website: { main_page_suffix: 'index.html', not_found_page: '404.html' },
      }),
    );
    expect(only(json, 'google_storage_bucket_iam_member')).toEqual({
      bucket: expect.stringMatching(/^\$\{google_storage_bucket\.site_Bucket_[A-F0-9]+\.name\}$/),
      role: 'roles/storage.objectViewer',
      member: 'allUsers',
    });
  });

  it('serves the bucket through a backend bucket with Cloud CDN, the only route and the default', () => {
    const backend = only(json, 'google_compute_backend_bucket');
    expect(backend).toMatchObject({
      name: 'docs-site-backend',
      bucket_name: expect.stringMatching(/^\$\{google_storage_bucket\.site_Bucket_[A-F0-9]+\.name\}$/),
      enable_cdn: true,
      cdn_policy: { cache_mode: 'CACHE_ALL_STATIC', default_ttl: 3600, client_ttl: 3600, max_ttl: 86400 },
    });
    const backendId = expect.stringMatching(/^\$\{google_compute_backend_bucket\.site_LoadBalancer_BackendBucket-site_[A-F0-9]+\.id\}$/);
    const map = siteUrlMap(json);
    expect(map.default_service).toEqual(backendId);
    expect(map.host_rule).toEqual([{ hosts: ['example.com'], path_matcher: 'site' }]);
    expect(map.path_matcher).toEqual([{ name: 'site', default_service: backendId }]);
    expect(json.resource.google_compute_backend_service).toBeUndefined();
    expect(json.resource.google_compute_health_check).toBeUndefined();
  });

  it('answers HTTPS on one IP and redirects HTTP there', () => {
    const rules = resourcesOfType(json, 'google_compute_global_forwarding_rule');
    expect(rules.map((r) => r.port_range).sort()).toEqual(['443', '80']);
    expect(resourcesOfType(json, 'google_compute_url_map').find((m) => m.name === 'docs-http-redirect')).toMatchObject({ default_url_redirect: { https_redirect: true } });
    expect(only(json, 'google_compute_target_https_proxy').ssl_certificates).toEqual([expect.stringMatching(/google_compute_managed_ssl_certificate\.site_Certificates_examplecom_/)]);
  });

  it('creates a public zone for the domain with an A record to the load balancer', () => {
    expect(only(json, 'google_dns_managed_zone')).toMatchObject({ name: 'docs-public', dns_name: 'example.com.' });
    expect(only(json, 'google_dns_record_set')).toEqual(
      expect.objectContaining({
        name: 'example.com.',
        type: 'A',
        managed_zone: expect.stringMatching(/^\$\{google_dns_managed_zone\.site_Dns_Zone_[A-F0-9]+\.name\}$/),
        rrdatas: [expect.stringMatching(/^\$\{google_compute_global_address\.site_LoadBalancer_Address_[A-F0-9]+\.address\}$/)],
      }),
    );
  });

  it('refers only to what it declares', () => {
    expect(danglingReferences(json)).toEqual([]);
  });
});

describe('gcp.GcpStaticSite, several hosts in an existing zone, with writers', () => {
  const { site, json } = build({ hosts: ['docs.example.com', 'example.com'], dnsZoneName: 'example-com', writers: [CI], bucketName: 'docs.example.com', location: 'EU' });

  it('has a certificate and an A record per host, in the given zone', () => {
    const certs = resourcesOfType(json, 'google_compute_managed_ssl_certificate');
    expect(certs.map((c) => c.managed.domains).sort()).toEqual([['docs.example.com.'], ['example.com.']]);
    expect(only(json, 'google_compute_target_https_proxy').ssl_certificates).toHaveLength(2);
    const records = resourcesOfType(json, 'google_dns_record_set');
    expect(records.map((r) => [r.name, r.managed_zone, r.rrdatas[0] === records[0].rrdatas[0]])).toEqual([
      ['docs.example.com.', 'example-com', true],
      ['example.com.', 'example-com', true],
    ]);
    expect(json.resource.google_dns_managed_zone).toBeUndefined();
    expect(siteUrlMap(json).host_rule).toEqual([{ hosts: ['docs.example.com', 'example.com'], path_matcher: 'site' }]);
    expect(site.url).toBe('https://docs.example.com');
  });

  it('lets the writers manage objects, and the bucket has the given name and location', () => {
    const members = resourcesOfType(json, 'google_storage_bucket_iam_member').map((m) => [m.role, m.member]);
    expect(members.sort()).toEqual([
      ['roles/storage.objectAdmin', CI],
      ['roles/storage.objectViewer', 'allUsers'],
    ]);
    expect(only(json, 'google_storage_bucket')).toMatchObject({ name: 'docs.example.com', location: 'EU' });
  });

  it('matches its snapshot', () => {
    expect(forSnapshot(json)).toMatchSnapshot();
  });

  it('refers only to what it declares', () => {
    expect(danglingReferences(json)).toEqual([]);
  });
});

describe('gcp.GcpStaticSite, 404 and single-page-app handling', () => {
  it('answers a missing path with the index page and 200 for a single-page app, without a 404 page', () => {
    const { json } = build({ spa: true });
    expect(siteUrlMap(json).path_matcher[0].default_custom_error_response_policy).toEqual({
      error_service: expect.stringMatching(/^\$\{google_compute_backend_bucket\.site_LoadBalancer_BackendBucket-site_[A-F0-9]+\.id\}$/),
      error_response_rule: [{ match_response_codes: ['404'], path: '/index.html', override_response_code: 200 }],
    });
    expect(only(json, 'google_storage_bucket').website).toEqual({ main_page_suffix: 'index.html' });
  });

  it('uses a custom index page for the fallback and the main page suffix', () => {
    const { json } = build({ spa: true, indexPage: 'app.html' });
    expect(siteUrlMap(json).path_matcher[0].default_custom_error_response_policy.error_response_rule[0].path).toBe('/app.html');
    expect(only(json, 'google_storage_bucket').website).toEqual({ main_page_suffix: 'app.html' });
  });

  it('has no error policy without spa, a custom 404 page, or none at all', () => {
    const custom = build({ notFoundPage: 'errors/not-found.html' }).json;
    expect(siteUrlMap(custom).path_matcher[0].default_custom_error_response_policy).toBeUndefined();
    expect(only(custom, 'google_storage_bucket').website).toEqual({ main_page_suffix: 'index.html', not_found_page: 'errors/not-found.html' });
    const none = build({ notFoundPage: false }).json;
    expect(only(none, 'google_storage_bucket').website).toEqual({ main_page_suffix: 'index.html' });
  });

  it('leaves Cloud CDN off on request', () => {
    const { json } = build({ cdn: false });
    expect(only(json, 'google_compute_backend_bucket')).toMatchObject({ enable_cdn: false });
    expect(only(json, 'google_compute_backend_bucket').cdn_policy).toBeUndefined();
  });
});

describe('gcp.GcpStaticSite validation', () => {
  it('names every bad field in one error', () => {
    const message = validationErrorOf(() =>
      build({
        namePrefix: 'Docs_',
        hosts: ['docs.example.com', 'docs.other.com', 'docs.example.com'],
        bucketName: 'B',
        location: 'us central',
        indexPage: 'pages/index.html',
        notFoundPage: '/404.html',
        spa: true,
        dnsZoneName: 'Zone',
        writers: ['ci@example.com'],
      }),
    );
    expect(message).toContain('GcpStaticSite "test/site" has 10 problems');
    expect(message).toContain('props.namePrefix: got "Docs_"');
    expect(message).toContain('props.hosts[1]: got "docs.other.com"; expected a lowercase host name that is example.com or under it, each once');
    expect(message).toContain('props.hosts[2]: got "docs.example.com"');
    expect(message).toContain('props.bucketName: got "B"');
    expect(message).toContain('props.location: got "us central"');
    expect(message).toContain('props.indexPage: got "pages/index.html"');
    expect(message).toContain('props.notFoundPage: got "/404.html"; expected false or an object name without a leading slash');
    expect(message).toContain('props.notFoundPage: got "/404.html"; expected false or nothing with spa');
    expect(message).toContain('props.dnsZoneName: got "Zone"');
    expect(message).toContain('props.writers[0]: got "ci@example.com"');
  });

  it('refuses a 404 page given together with spa, but not false', () => {
    expect(validationErrorOf(() => build({ spa: true, notFoundPage: '404.html' }))).toContain('has 1 problem;');
    expect(() => build({ spa: true, notFoundPage: false })).not.toThrow();
  });

  it('refuses more hosts than one proxy takes, in its own error', () => {
    const hosts = Array.from({ length: 16 }, (_, i) => `h${i}.example.com`);
    expect(validationErrorOf(() => build({ hosts }))).toContain('GcpStaticSite "test/site" has 1 problem; nothing was synthesized:\n  - props.hosts:');
  });

  it('cuts a long default bucket name to 63 characters', () => {
    const { json } = build({ project: 'a-very-long-project-id-30chars', namePrefix: 'documentation-site-for-the-product' });
    const name = only(json, 'google_storage_bucket').name as string;
    expect(name.length).toBe(63);
    expect(name.startsWith('a-very-long-project-id-30chars-documentation-site-for')).toBe(true);
  });
});

describe('gcp.HttpsLoadBalancer with a bucket alone', () => {
  const base = { project: PROJECT, namePrefix: 'pod', services: [], certificates: ['cert'] };

  it('routes every host to the bucket and turns its errors into pages', () => {
    const stack = gcpTestStack();
    new gcp.HttpsLoadBalancer(stack, 'lb', {
      ...base,
      buckets: [{ key: 'files', hosts: ['files.example.com'], bucketName: 'pod-files', errorResponses: [{ codes: ['404', '403'], path: '/missing.html' }, { codes: ['5xx'], path: '/down.html', overrideCode: 503 }] }],
      defaultServiceKey: 'files',
    });
    const json = synthJson(stack);
    const map = resourcesOfType(json, 'google_compute_url_map').find((m) => m.name === 'pod-url-map')!;
    expect(map.default_service).toMatch(/^\$\{google_compute_backend_bucket\.lb_BackendBucket-files_[A-F0-9]+\.id\}$/);
    expect(map.path_matcher[0].default_custom_error_response_policy).toEqual({
      error_service: map.default_service,
      error_response_rule: [
        { match_response_codes: ['404', '403'], path: '/missing.html' },
        { match_response_codes: ['5xx'], path: '/down.html', override_response_code: 503 },
      ],
    });
    expect(danglingReferences(json)).toEqual([]);
  });

  it('still refuses a default that names no route, and bad error responses', () => {
    const message = validationErrorOf(
      () =>
        new gcp.HttpsLoadBalancer(gcpTestStack(), 'lb', {
          ...base,
          buckets: [
            { key: 'files', hosts: ['files.example.com'], bucketName: 'b', errorResponses: [{ codes: ['404', '4xx', '404', '399', '6xx'], path: 'missing.html', overrideCode: 99 }, { codes: [], path: '/x/' }] },
            { key: 'files', hosts: ['other.example.com'], bucketName: 'c' },
          ],
          defaultServiceKey: 'nope',
        }),
    );
    expect(message).toContain('props.defaultServiceKey: got "nope"; expected the key of a service or bucket route (files, files)');
    expect(message).toContain('props.routes[files].key: got "files"; expected a key no other route has');
    expect(message).toContain(`props.routes[files].errorResponses[0].codes: got "404"; expected a code named once in the route's error responses`);
    expect(message).toContain('props.routes[files].errorResponses[0].codes: got "399"');
    expect(message).toContain('props.routes[files].errorResponses[0].codes: got "6xx"');
    expect(message).toContain('props.routes[files].errorResponses[0].path: got "missing.html"');
    expect(message).toContain('props.routes[files].errorResponses[0].overrideCode: got 99');
    expect(message).toContain('props.routes[files].errorResponses[1].codes: got []; expected at least one status code');
    expect(message).toContain('props.routes[files].errorResponses[1].path: got "/x/"');
    expect(message).toContain('has 9 problems');
  });
});

describe('GcpStaticSite.uploadScript', () => {
  /**
   * A folder of one-file pages (`<name>.html`, the layout of Perseus before 0.3 and of some generators), with
   * awkward names. perseus-static-export.test.ts runs the script over Perseus 0.4's layout.
   */
  function exportFolder(root: string): string {
    const dir = join(root, "it's exported");
    const files: Record<string, string> = {
      'index.html': '<h1>home</h1>',
      '404.html': '<h1>not found</h1>',
      'about.html': '<h1>about</h1>',
      'docs/intro.html': '<h1>intro</h1>',
      'docs/index.html': '<h1>docs</h1>',
      'with space.html': 'space',
      'a,b (1).html': 'comma',
      '.perseus/bundle.wasm': 'wasm',
      '.perseus/translations/en-US': 'hello = Hello',
      '.perseus/static/page.html': 'a static file, not a page',
      'style.css': 'body{}',
      'logo.png': 'png',
    };
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    return dir;
  }

  /** Every file under `dir`, relative, sorted, with its content. */
  function tree(dir: string): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (d: string): void => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const path = join(d, entry.name);
        if (entry.isDirectory()) walk(path);
        else out[relative(dir, path)] = readFileSync(path, 'utf8');
      }
    };
    walk(dir);
    return out;
  }

  /** Runs the script with `gcloud` stubbed: each call's arguments, and a copy of an rsync's source folder. */
  function run(script: string, args: string[] = [], cwd?: string): { status: number | null; stderr: string; calls: { args: string[]; source?: Record<string, string> }[] } {
    const root = mkdtempSync(join(tmpdir(), 'upload-'));
    const bin = join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'gcloud'),
      [
        '#!/usr/bin/env bash',
        'n=$(find "$CALLS" -maxdepth 1 -name "*.args" | wc -l)',
        'printf "%s\\n" "$@" > "$CALLS/$n.args"',
        'if [ "$1 $2" = "storage rsync" ]; then mkdir "$CALLS/$n.source"; cp -R "${@: -2:1}/." "$CALLS/$n.source/"; fi',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    const calls = join(root, 'calls');
    mkdirSync(calls);
    writeFileSync(join(root, 'upload.sh'), script, { mode: 0o755 });
    const result = spawnSync('bash', [join(root, 'upload.sh'), ...args], { cwd: cwd ?? root, env: { PATH: `${bin}:${process.env.PATH}`, CALLS: calls, TMPDIR: root }, encoding: 'utf8' });
    const count = readdirSync(calls).filter((f) => f.endsWith('.args')).length;
    const list = Array.from({ length: count }, (_, n) => {
      const source = join(calls, `${n}.source`);
      return { args: readFileSync(join(calls, `${n}.args`), 'utf8').split('\n').slice(0, -1), source: existsSync(source) ? tree(source) : undefined };
    });
    // The staging folder of the copies is gone afterwards.
    expect(readdirSync(root).sort()).toEqual(['bin', 'calls', 'upload.sh']);
    return { status: result.status, stderr: result.stderr, calls: list };
  }

  /** The --exclude value of a gcloud call as a JavaScript RegExp (Python's \A and \Z anchors become ^ and $). */
  function excludeOf(args: string[]): RegExp {
    const flag = args.find((a) => a.startsWith('--exclude='))!;
    const python = flag.slice('--exclude='.length);
    expect(python).toMatch(/^\\A\(\?:.*\)$/);
    // gcloud splits the flag at commas; an empty alternative would match every name.
    expect(python).not.toContain(',');
    expect(python).not.toMatch(/\(\?:\)|\|\)|\(\?:\|/);
    return pythonRegex(python);
  }

  it('mirrors the folder in two runs by Cache-Control, stores each <name>.html page again as <name>, and invalidates the CDN', () => {
    const { site } = build({ bucketName: 'docs-bucket' });
    const root = mkdtempSync(join(tmpdir(), 'site-'));
    const dir = exportFolder(root);
    const { status, stderr, calls } = run(site.uploadScript(dir));
    expect([status, stderr]).toEqual([0, '']);
    expect(calls.map((c) => c.args.filter((a) => !a.startsWith('--exclude=') && !a.startsWith('/')))).toEqual([
      ['storage', 'rsync', '--recursive', '--delete-unmatched-destination-objects', `--cache-control=${CACHED}`, 'gs://docs-bucket'],
      ['storage', 'rsync', '--recursive', '--delete-unmatched-destination-objects', `--cache-control=${REVALIDATE}`, 'gs://docs-bucket'],
      ['storage', 'rsync', '--recursive', '--content-type=text/html', `--cache-control=${REVALIDATE}`, 'gs://docs-bucket'],
      ['compute', 'url-maps', 'invalidate-cdn-cache', 'docs-url-map', `--project=${PROJECT}`, '--global', '--path=/*', '--async'],
    ]);
    // 1 and 2: the export itself, everything in it, each run leaving the other's files alone.
    for (const call of calls.slice(0, 2)) {
      expect(call.args.at(-2)).toBe(dir);
      expect(call.source).toEqual(tree(dir));
    }
    // 3: the extension-less copies, not of the index pages, the 404 page or files in dot folders.
    const copies = ['about', 'docs/intro', 'with space', 'a,b (1)'];
    expect(calls[2].source).toEqual({ about: '<h1>about</h1>', 'docs/intro': '<h1>intro</h1>', 'with space': 'space', 'a,b (1)': 'comma' });
    // Neither mirror run touches a live copy; a copy of a page that is gone matches neither and is deleted.
    const [cachedRun, revalidatedRun] = [excludeOf(calls[0].args), excludeOf(calls[1].args)];
    for (const name of copies) expect([name, cachedRun.test(name), revalidatedRun.test(name)]).toEqual([name, true, true]);
    const revalidated = ['about.html', 'index.html', 'docs/index.html', 'style.css', 'app.js', 'data.json', '.perseus/bundle.wasm', '.perseus/translations/en-US', '.perseus/static/logo.png'];
    const cached = ['logo.png', 'robots.txt', 'old-page', 'index', 'docs', 'docs/index', '404', 'aXb (1)', 'a,b 1', 'x.perseus/a', 'html'];
    for (const name of revalidated) expect([name, cachedRun.test(name), revalidatedRun.test(name)]).toEqual([name, true, false]);
    for (const name of cached) expect([name, cachedRun.test(name), revalidatedRun.test(name)]).toEqual([name, false, true]);
  });

  it('takes the folder as its argument, and stops before uploading when the index page is missing', () => {
    const { site } = build({ cdn: false, spa: true });
    const root = mkdtempSync(join(tmpdir(), 'site-'));
    const dir = exportFolder(root);
    const ok = run(site.uploadScript('nowhere'), [`${dir}/`]);
    expect(ok.status).toBe(0);
    // No CDN: browsers revalidate with no-cache, nothing to invalidate; with spa the 404 page is an ordinary page.
    expect(ok.calls.map((c) => c.args.slice(0, 2))).toEqual([
      ['storage', 'rsync'],
      ['storage', 'rsync'],
      ['storage', 'rsync'],
    ]);
    expect(ok.calls[1].args).toContain('--cache-control=no-cache');
    expect(Object.keys(ok.calls[2].source!).sort()).toEqual(['404', 'a,b (1)', 'about', 'docs/intro', 'with space']);

    const missing = run(site.uploadScript('nowhere'));
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('nowhere/index.html is missing: export the site first');
    expect(missing.calls).toEqual([]);
  });

  it('uploads a folder with no pages but the index in two runs, with no copies, warning of the missing 404 page', () => {
    const { site } = build();
    const root = mkdtempSync(join(tmpdir(), 'site-'));
    writeFileSync(join(root, 'index.html'), 'home');
    const { status, stderr, calls } = run(site.uploadScript(root));
    expect(status).toBe(0);
    expect(stderr).toBe(`warning: ${root}/404.html is missing; a missing path gets Cloud Storage's plain 404\n`);
    expect(calls.map((c) => c.args[0])).toEqual(['storage', 'storage', 'compute']);
    expect(excludeOf(calls[0].args).test('index.html')).toBe(true);
    expect(excludeOf(calls[1].args).test('index.html')).toBe(false);
  });

  it('runs nothing a folder name holds, a line break included', () => {
    const { site } = build();
    // run() fails if anything but its own files appears in the folder the script runs in.
    const result = run(site.uploadScript('out\ntouch CANARY-1 $(touch CANARY-2) `touch CANARY-3`'));
    expect(result.status).not.toBe(0);
    expect(result.calls).toEqual([]);
  });

  it('is valid bash that names the bucket and folder quoted', () => {
    const { site } = build();
    const script = site.uploadScript("my 'site'");
    expect(script).toContain(`default_dir='my '"'"'site'"'"''`);
    expect(script).toContain("bucket='gs://p-123456-docs-site'");
    execFileSync('bash', ['-n'], { input: script });
  });
});
