import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { aws, gcp } from '../lib';
import { isRevalidated } from '../lib/static-cache';
import { awsTestStack, gcpTestStack } from './helpers/assert';
import { runScript } from './helpers/boot';
import { BLOG, BLOG_I18N, PerseusAppShape, PerseusExport, perseusExport, writeExport } from './helpers/perseus-export';
import { Bucket, cloudFrontGet, follow, gcloudRsync, gcsWebsiteGet, loadHandler, s3Sync } from './helpers/static-hosting';

// The acceptance test of the static sites against what Perseus 0.4 really exports (test/helpers/perseus-export.ts
// derives the layout from v0.4.2's source): every page URL, with and without its trailing slash, ends at the file
// Perseus wrote for it, and every file the client fetches by name (`/.perseus/...`) is served as it is, after the
// real upload script has run against stubbed `aws` and `gcloud`.

const APPS: [string, PerseusAppShape][] = [
  ['with locales', BLOG_I18N],
  ['without i18n', BLOG],
];

const REVALIDATE = 'public, max-age=0, s-maxage=3600, must-revalidate';
const CACHED = 'public, max-age=3600';

/** Objects a previous deploy left: an older layout's page, a locale and a page since removed, an old image. */
const PREVIOUS_DEPLOY: [string, string][] = [
  ['about.html', 'old about'],
  ['about', 'old extension-less copy'],
  ['.perseus/translations/de-DE', 'old locale'],
  ['en-US/gone/index.html', 'removed page'],
  ['old-logo.png', 'old image'],
  ['index.html', 'old index'],
];

/** Every file under `dir`, relative, with its content. */
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

/** A temp folder holding the export as pkg/. */
function exportFolder(exported: PerseusExport): string {
  const root = mkdtempSync(join(tmpdir(), 'perseus-export-'));
  writeExport(join(root, 'pkg'), exported);
  return root;
}

/** A stub that keeps each call's arguments NUL-separated in `<name>-<n>.args`, and the source folder of a gcloud rsync. */
function recordingStub(name: string): string {
  return [
    `n=$(find "$STUB_DIR" -maxdepth 1 -name '${name}-*.args' | wc -l | tr -d ' ')`,
    `printf '%s\\0' "$@" > "$STUB_DIR/${name}-$n.args"`,
    `if [ "${name}" = gcloud ] && [ "$1 $2" = "storage rsync" ]; then mkdir "$STUB_DIR/gcloud-$n.source"; cp -R "\${@: -2:1}/." "$STUB_DIR/gcloud-$n.source/"; fi`,
  ].join('\n');
}

/** The recorded calls of a stub, in order: arguments and, for a gcloud rsync, the files of its source folder. */
function recorded(dir: string, name: string): { args: string[]; source?: Record<string, string> }[] {
  const count = readdirSync(dir).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.args')).length;
  return Array.from({ length: count }, (_, n) => {
    const source = join(dir, `${name}-${n}.source`);
    return { args: readFileSync(join(dir, `${name}-${n}.args`), 'utf8').split('\0').slice(0, -1), source: existsSync(source) ? tree(source) : undefined };
  });
}

describe('the Perseus 0.4 export fixture', () => {
  it('is the layout v0.4.2 writes for an app with locales (turbine/export.rs, perseus-cli export.rs and deploy.rs)', () => {
    expect(Object.keys(perseusExport(BLOG_I18N).files).sort()).toEqual(
      [
        // Locale-redirection pages, one per page path: `<path>/index.html`, the index page's at the root.
        'index.html',
        'about/index.html',
        'post/first/index.html',
        'post/second/part/index.html',
        'docs/index.html',
        'docs/intro/index.html',
        // A path ending in `index` is written `<path>.html` (export.rs: `if path.ends_with("index")`).
        'docs/search-index.html',
        // The pages, per locale.
        ...['en-US', 'fr-FR'].flatMap((l) => [
          `${l}/index.html`,
          `${l}/about/index.html`,
          `${l}/post/first/index.html`,
          `${l}/post/second/part/index.html`,
          `${l}/docs/index.html`,
          `${l}/docs/intro/index.html`,
          `${l}/docs/search-index.html`,
        ]),
        // Page data, per locale; the index page's is `<locale>/.json`; capsules get data only.
        ...['en-US', 'fr-FR'].flatMap((l) =>
          ['', 'about', 'post/first', 'post/second/part', 'docs', 'docs/intro', 'docs/search-index', '__capsule/greeting'].map((p) => `.perseus/page/${l}/${p}.json`),
        ),
        // Translations, no extension (create_translation_file).
        '.perseus/translations/en-US',
        '.perseus/translations/fr-FR',
        // static/ and the aliases, the bundle and its snippets, and the exported 404 page.
        '.perseus/static/style.css',
        '.perseus/static/logo.png',
        'robots.txt',
        'favicon.ico',
        '.perseus/bundle.js',
        '.perseus/bundle.wasm',
        '.perseus/snippets/perseus-blog-0123abcd/inline0.js',
        '404.html',
      ].sort(),
    );
  });

  it('without i18n has the pages at their paths, data under xx-XX and no translations', () => {
    const names = Object.keys(perseusExport(BLOG).files);
    expect(names).toEqual(expect.arrayContaining(['index.html', 'about/index.html', 'docs/search-index.html', '.perseus/page/xx-XX/.json', '.perseus/page/xx-XX/about.json']));
    expect(names.filter((n) => n.startsWith('.perseus/translations/') || n.startsWith('en-US/'))).toEqual([]);
  });

  it('lists /about and /about/ as pages, and the locale roots the router and the redirection pages go to', () => {
    const urls = perseusExport(BLOG_I18N).pages.map((p) => p.url);
    // locale_detector.rs navigates to `/en-US` and `/en-US/about`; the no-script fallback (html_shell.rs) to `/en-US/`.
    expect(urls).toEqual(expect.arrayContaining(['/', '/about', '/about/', '/en-US', '/en-US/', '/en-US/about', '/en-US/about/', '/docs/search-index', '/fr-FR/post/second/part/']));
    expect(urls).not.toContain('/docs/search-index/');
  });
});

describe.each(APPS)('AwsStaticSite serving a Perseus 0.4 export %s', (_label, app) => {
  const exported = perseusExport(app);
  const stack = awsTestStack();
  const zone = new aws.DnsZone(stack, 'zone', { domain: 'example.com', hostedZoneId: 'Z0123456789ABC' });
  const site = new aws.AwsStaticSite(stack, 'docs', { namePrefix: 'docs', zone, certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' });
  const handler = loadHandler(site.cleanUrlsFunction!.codeInput!);

  /** Runs the upload script over the export into a bucket holding `PREVIOUS_DEPLOY`; the bucket, and the sync runs. */
  function upload(): { bucket: Bucket; runs: string[][]; status: number | null; stderr: string } {
    const root = exportFolder(exported);
    try {
      const run = runScript(site.uploadScript(join(root, 'pkg')), {
        stubs: {
          aws: recordingStub('aws'),
          terraform: 'case "$4" in docs_bucket) printf docs-bucket ;; docs_distribution_id) printf E2EXAMPLE ;; *) exit 1 ;; esac',
        },
      });
      const bucket: Bucket = new Map(PREVIOUS_DEPLOY.map(([k, v]) => [k, { content: v }]));
      const calls = recorded(run.dir, 'aws');
      const runs = calls.filter((c) => c.args[0] === 's3' && c.args[1] === 'sync').map((c) => c.args);
      for (const args of runs) {
        expect(args.slice(2, 4)).toEqual([join(root, 'pkg'), 's3://docs-bucket']);
        s3Sync(bucket, exported.files, args.slice(4));
      }
      expect(calls.at(-1)!.args.slice(0, 2)).toEqual(['cloudfront', 'create-invalidation']);
      rmSync(run.dir, { recursive: true, force: true });
      return { bucket, runs, status: run.status, stderr: run.stderr };
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }

  let bucket: Bucket;
  let runs: string[][];
  let status: number | null;
  let stderr: string;
  beforeAll(() => ({ bucket, runs, status, stderr } = upload()));

  it('uploads every file once, and deletes what the previous deploy left', () => {
    expect([status, stderr]).toEqual([0, '']);
    const counts = new Map<string, number>();
    for (const args of runs) {
      const once: Bucket = new Map();
      for (const name of s3Sync(once, exported.files, args.slice(4))) counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    expect(Object.keys(exported.files).filter((f) => counts.get(f) !== 1)).toEqual([]);
    expect([...bucket.keys()].sort()).toEqual(Object.keys(exported.files).sort());
  });

  it('serves every page at its URL, with and without the trailing slash, from the file Perseus wrote', () => {
    const wrong = exported.pages.filter(({ url, file }) => cloudFrontGet(bucket, handler, url, '404.html').object !== file);
    expect(wrong).toEqual([]);
    expect(exported.pages.length).toBeGreaterThan(10);
  });

  it('passes every /.perseus/ and named file through untouched, and each exists', () => {
    for (const uri of exported.assets) {
      expect(handler({ request: { uri } }).uri).toBe(uri);
      expect(cloudFrontGet(bucket, handler, uri, '404.html')).toEqual({ status: 200, object: decodeURIComponent(uri.slice(1)) });
    }
    expect(exported.assets).toEqual(expect.arrayContaining(['/.perseus/bundle.js', '/.perseus/bundle.wasm']));
  });

  it('answers a missing page or asset with the exported 404 page and status 404', () => {
    for (const uri of ['/nowhere', '/en-US/nowhere/', '/.perseus/translations/de-DE', '/.perseus/page/en-US/gone.json', '/old-logo.png']) {
      expect(cloudFrontGet(bucket, handler, uri, '404.html')).toEqual({ status: 404, object: '404.html' });
    }
  });

  it('revalidates pages and everything under .perseus/, types Wasm, and lets other files be cached', () => {
    for (const [name, object] of bucket) {
      expect([name, object.cacheControl]).toEqual([name, isRevalidated(name) ? REVALIDATE : CACHED]);
      expect([name, object.contentType]).toEqual([name, name.endsWith('.wasm') ? 'application/wasm' : undefined]);
    }
    for (const name of ['index.html', 'about/index.html', '.perseus/bundle.js', '.perseus/bundle.wasm', '.perseus/static/logo.png', '.perseus/page/xx-XX/.json', '404.html']) {
      if (bucket.has(name)) expect(bucket.get(name)!.cacheControl).toBe(REVALIDATE);
    }
    expect(bucket.get('favicon.ico')!.cacheControl).toBe(CACHED);
    if (app.locales) expect(bucket.get('.perseus/translations/en-US')!.cacheControl).toBe(REVALIDATE);
  });

  it('uploads the pages last', () => {
    expect(runs.map((args) => s3Sync(new Map(), exported.files, args.slice(4)).some((n) => n.endsWith('.html')))).toEqual([false, false, true]);
  });
});

describe.each(APPS)('GcpStaticSite serving a Perseus 0.4 export %s', (_label, app) => {
  const exported = perseusExport(app);

  /** Runs the upload script over the export into a bucket holding `PREVIOUS_DEPLOY`; the bucket and the gcloud calls. */
  function upload(cdn = true) {
    const stack = gcpTestStack();
    const site = new gcp.GcpStaticSite(stack, 'site', { project: 'p-123456', namePrefix: 'docs', domain: 'example.com', bucketName: 'docs-bucket', cdn });
    const root = exportFolder(exported);
    try {
      const run = runScript(site.uploadScript(join(root, 'pkg')), { stubs: { gcloud: recordingStub('gcloud') } });
      const calls = recorded(run.dir, 'gcloud');
      const bucket: Bucket = new Map(PREVIOUS_DEPLOY.map(([k, v]) => [k, { content: v }]));
      const rsyncs = calls.filter((c) => c.args[0] === 'storage' && c.args[1] === 'rsync');
      for (const call of rsyncs) {
        expect(call.args.at(-1)).toBe('gs://docs-bucket');
        gcloudRsync(bucket, call.source!, call.args.slice(2, -2));
      }
      // The staging folder is gone.
      expect(readdirSync(join(run.dir, 'tmp'))).toEqual([]);
      rmSync(run.dir, { recursive: true, force: true });
      return { bucket, calls, rsyncs, status: run.status, stderr: run.stderr };
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }

  let uploaded: ReturnType<typeof upload>;
  beforeAll(() => {
    uploaded = upload();
  });
  const get = (path: string) => gcsWebsiteGet(uploaded.bucket, path, 'index.html', '404.html');

  it('mirrors the export, adds a copy only of the pages written <path>.html, deletes the previous deploy\'s leftovers and invalidates the CDN', () => {
    expect([uploaded.status, uploaded.stderr]).toEqual([0, '']);
    expect(uploaded.rsyncs.map((c) => c.args.slice(0, 2))).toEqual([
      ['storage', 'rsync'],
      ['storage', 'rsync'],
      ['storage', 'rsync'],
    ]);
    // Perseus writes every page as <path>/index.html except those whose path ends in `index`.
    const copies = app.locales ? ['docs/search-index', 'en-US/docs/search-index', 'fr-FR/docs/search-index'] : ['docs/search-index'];
    expect(Object.keys(uploaded.rsyncs[2].source!).sort()).toEqual(copies);
    expect([...uploaded.bucket.keys()].sort()).toEqual([...Object.keys(exported.files), ...copies].sort());
    expect(uploaded.calls.at(-1)!.args.slice(0, 3)).toEqual(['compute', 'url-maps', 'invalidate-cdn-cache']);
  });

  it('serves every page: /about/ from about/index.html, /about by a redirect there, <path>.html pages by their copy', () => {
    const wrong = exported.pages.filter(({ url, file }) => {
      const answer = follow(get, url);
      return answer.status !== 200 || uploaded.bucket.get(answer.object!)!.content !== exported.files[file];
    });
    expect(wrong).toEqual([]);
    expect(follow(get, '/about')).toEqual({ status: 200, object: 'about/index.html', redirected: true });
    expect(follow(get, '/about/')).toEqual({ status: 200, object: 'about/index.html', redirected: false });
    expect(follow(get, '/docs/search-index')).toEqual({ status: 200, object: 'docs/search-index', redirected: false });
  });

  it('serves every /.perseus/ and named file as it is', () => {
    for (const url of exported.assets) expect(get(url)).toEqual({ status: 200, object: decodeURIComponent(url.slice(1)) });
  });

  it('answers a missing page or asset with the exported 404 page and status 404', () => {
    for (const url of ['/nowhere', '/en-US/nowhere/', '/.perseus/translations/de-DE', '/old-logo.png']) expect(get(url)).toEqual({ status: 404, object: '404.html' });
  });

  it('revalidates pages (copies included) and everything under .perseus/, and lets other files be cached', () => {
    for (const [name, object] of uploaded.bucket) {
      const copy = !(name in exported.files);
      expect([name, object.cacheControl]).toEqual([name, copy || isRevalidated(name) ? REVALIDATE : CACHED]);
      if (copy) expect(object.contentType).toBe('text/html');
    }
  });

  it('without Cloud CDN, has browsers revalidate with no-cache and invalidates nothing', () => {
    const plain = upload(false);
    expect(plain.status).toBe(0);
    expect(plain.calls.map((c) => c.args[0])).toEqual(['storage', 'storage', 'storage']);
    for (const [name, object] of plain.bucket) {
      const copy = !(name in exported.files);
      expect([name, object.cacheControl]).toEqual([name, copy || isRevalidated(name) ? 'no-cache' : CACHED]);
    }
  });
});

describe('GcpStaticSite.uploadScript with one-file pages whose names nest', () => {
  it('stages a page and a folder of the same name apart, and the mirror leaves every copy alone', () => {
    const root = mkdtempSync(join(tmpdir(), 'html-site-'));
    try {
      const files: Record<string, string> = {
        'index.html': 'home',
        'docs.html': 'docs',
        'docs/intro.html': 'intro',
        'docs/intro/deep.html': 'deep',
        'docs/index.html': 'docs index',
        '.well-known/page.html': 'not a page',
        'a,b (1).html': 'comma',
      };
      for (const [name, content] of Object.entries(files)) {
        mkdirSync(join(root, 'site', name, '..'), { recursive: true });
        writeFileSync(join(root, 'site', name), content);
      }
      const site = new gcp.GcpStaticSite(gcpTestStack(), 'site', { project: 'p-123456', namePrefix: 'docs', domain: 'example.com', bucketName: 'docs-bucket', notFoundPage: false });
      const run = runScript(site.uploadScript(join(root, 'site')), { stubs: { gcloud: recordingStub('gcloud') } });
      expect([run.status, run.stderr]).toEqual([0, '']);
      const rsyncs = recorded(run.dir, 'gcloud').filter((c) => c.args[1] === 'rsync');
      // docs, docs/intro and docs/intro/deep cannot share a staging tree; each tree is one rsync.
      const copies = rsyncs.slice(2).map((c) => c.source!);
      expect(copies.length).toBeGreaterThanOrEqual(2);
      expect(Object.assign({}, ...copies)).toEqual({ docs: 'docs', 'a,b (1)': 'comma', 'docs/intro': 'intro', 'docs/intro/deep': 'deep' });
      expect(copies.reduce((n, c) => n + Object.keys(c).length, 0)).toBe(4);
      const bucket: Bucket = new Map([['docs/intro/old', { content: 'gone page' }]]);
      for (const call of rsyncs) gcloudRsync(bucket, call.source!, call.args.slice(2, -2));
      expect([...bucket.keys()].sort()).toEqual([...Object.keys(files), 'a,b (1)', 'docs', 'docs/intro', 'docs/intro/deep'].sort());
      for (const [path, content] of [['/docs', 'docs'], ['/docs/', 'docs index'], ['/docs/intro', 'intro'], ['/docs/intro/deep', 'deep'], ['/a,b%20(1)', 'comma']]) {
        const answer = follow((p) => gcsWebsiteGet(bucket, p, 'index.html'), path);
        expect([path, bucket.get(answer.object!)?.content]).toEqual([path, content]);
      }
      rmSync(run.dir, { recursive: true, force: true });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
