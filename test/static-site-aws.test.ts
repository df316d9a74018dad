import { execFileSync, spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createContext, runInContext } from 'vm';
import { TerraformStack } from 'cdktf';
import { AwsProvider, aws } from '../lib';
import { awsTestStack, only, validationErrorOf } from './helpers/assert';
import { danglingReferences } from './helpers/references';
import { StackJson, forSnapshot, resourcesOfType, synthJson } from './helpers/synth';
import { initValidatePlan, terraformAvailability } from './helpers/terraform';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab';

/** A stack with a zone (existing, by id) and a site on it; the props override the defaults given here. */
function site(props: Partial<aws.AwsStaticSiteProps> = {}): { stack: TerraformStack; site: aws.AwsStaticSite; json: StackJson } {
  const stack = awsTestStack();
  const zone = new aws.DnsZone(stack, 'zone', { domain: 'example.com', hostedZoneId: 'Z0123456789ABC' });
  const built = new aws.AwsStaticSite(stack, 'docs', { namePrefix: 'docs', zone, certificateArn: CERT, ...props });
  return { stack, site: built, json: synthJson(stack) };
}

/** The reference expression of a resource's attribute, as cdktf writes it: `${type.name.attr}`. */
function refTo(json: StackJson, type: string, attribute: string): string {
  const names = Object.keys(json.resource?.[type] ?? {});
  expect(names).toHaveLength(1);
  return `\${${type}.${names[0]}.${attribute}}`;
}

/** Loads a CloudFront Function's source the way CloudFront does (a script defining `handler`) and returns the handler. */
function loadHandler(code: string): (event: { request: Record<string, unknown> }) => { uri: string } & Record<string, unknown> {
  const context = createContext({});
  runInContext(code, context);
  expect(typeof context.handler).toBe('function');
  return context.handler;
}

describe('the clean-URLs CloudFront Function', () => {
  const handler = loadHandler(aws.CLEAN_URLS_FUNCTION_CODE);

  // The default is the layout Perseus 0.3+ exports (test/perseus-static-export.test.ts runs it over a whole export).
  it.each([
    ['/', '/index.html'],
    ['/about', '/about/index.html'],
    ['/about/', '/about/index.html'],
    ['/en-US', '/en-US/index.html'],
    ['/en-US/', '/en-US/index.html'],
    ['/a/b', '/a/b/index.html'],
    ['/a/b/', '/a/b/index.html'],
    ['/a.b/c', '/a.b/c/index.html'],
    // Perseus writes a path ending in `index` as `<path>.html`.
    ['/docs/search-index', '/docs/search-index.html'],
    ['/index', '/index.html'],
    ['/style.css', '/style.css'],
    ['/index.html', '/index.html'],
    ['/404.html', '/404.html'],
    ['/docs/v1.2', '/docs/v1.2'],
    // Dot folders hold files fetched by name, some without an extension.
    ['/.perseus/bundle.wasm', '/.perseus/bundle.wasm'],
    ['/.perseus/translations/en-US', '/.perseus/translations/en-US'],
    ['/.perseus/page/en-US/.json', '/.perseus/page/en-US/.json'],
    ['/.perseus/page/en-US/about.json', '/.perseus/page/en-US/about.json'],
    ['/.perseus/static/', '/.perseus/static/'],
    ['/.well-known/openid-configuration', '/.well-known/openid-configuration'],
  ])('rewrites %s to %s', (uri, expected) => {
    expect(handler({ request: { uri, method: 'GET' } }).uri).toBe(expected);
  });

  it.each([
    ['/', '/index.html'],
    ['/about', '/about.html'],
    ['/about/', '/about/index.html'],
    ['/a/b', '/a/b.html'],
    ['/a.b/c', '/a.b/c.html'],
    ['/style.css', '/style.css'],
    ['/.perseus/translations/en-US', '/.perseus/translations/en-US'],
    ['/.well-known/openid-configuration', '/.well-known/openid-configuration'],
  ])("in the 'html' style, rewrites %s to %s", (uri, expected) => {
    expect(loadHandler(aws.cleanUrlsFunctionCode('index.html', 'html'))({ request: { uri } }).uri).toBe(expected);
  });

  it('returns the request itself, other fields untouched', () => {
    const request = { uri: '/about', method: 'GET', querystring: { lang: { value: 'en' } }, headers: { host: { value: 'docs.example.com' } } };
    const result = handler({ request });
    expect(result).toBe(request);
    expect(result).toEqual({ uri: '/about/index.html', method: 'GET', querystring: { lang: { value: 'en' } }, headers: { host: { value: 'docs.example.com' } } });
  });

  it('uses the index page it is built for', () => {
    const custom = loadHandler(aws.cleanUrlsFunctionCode('home.htm'));
    expect(custom({ request: { uri: '/' } }).uri).toBe('/home.htm');
    expect(custom({ request: { uri: '/docs/' } }).uri).toBe('/docs/home.htm');
    expect(custom({ request: { uri: '/docs' } }).uri).toBe('/docs/home.htm');
    expect(loadHandler(aws.cleanUrlsFunctionCode('home.htm', 'html'))({ request: { uri: '/docs' } }).uri).toBe('/docs.html');
  });

  it('refuses an index page that is not a file name, and an unknown style, before writing any code', () => {
    for (const page of ['', 'a/b.html', '.hidden', 'x";evil();"', 'line\nbreak', '\u2028.html']) {
      expect(() => aws.cleanUrlsFunctionCode(page)).toThrow(/indexPage [\s\S]* is not a file name/);
    }
    expect(() => aws.cleanUrlsFunctionCode('index.html', 'folders' as aws.CleanUrlStyle)).toThrow('style "folders" is not one of directory, html');
  });

  it('keeps to ES5 with no imports, so cloudfront-js-2.0 runs it', () => {
    for (const code of [aws.CLEAN_URLS_FUNCTION_CODE, aws.cleanUrlsFunctionCode('index.html', 'html')]) {
      expect(code).not.toMatch(/\b(let|const|class|import|require|export)\b|=>|`/);
      expect(code).toMatch(/^function handler\(event\) \{$/m);
    }
  });
});

describe('aws.AwsStaticSite', () => {
  it('keeps the bucket private and admits only its own distribution, through origin access control', () => {
    const { json } = site();
    expect(only(json, 'aws_s3_bucket')).toEqual({ bucket_prefix: 'docs-', force_destroy: false });
    expect(only(json, 'aws_s3_bucket_public_access_block')).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(only(json, 'aws_cloudfront_origin_access_control')).toMatchObject({ name: 'docs', origin_access_control_origin_type: 's3', signing_behavior: 'always', signing_protocol: 'sigv4' });
    const distribution = only(json, 'aws_cloudfront_distribution');
    expect(distribution.origin).toEqual([
      { origin_id: 'bucket', domain_name: refTo(json, 'aws_s3_bucket', 'bucket_regional_domain_name'), origin_access_control_id: refTo(json, 'aws_cloudfront_origin_access_control', 'id') },
    ]);
    const policy = only(json, 'aws_s3_bucket_policy');
    expect(policy.bucket).toBe(refTo(json, 'aws_s3_bucket', 'id'));
    expect(JSON.parse(policy.policy).Statement).toEqual([
      {
        Sid: 'CloudFrontReads',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: `${refTo(json, 'aws_s3_bucket', 'arn')}/*`,
        Condition: { StringEquals: { 'AWS:SourceArn': refTo(json, 'aws_cloudfront_distribution', 'arn') } },
      },
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Resource: [refTo(json, 'aws_s3_bucket', 'arn'), `${refTo(json, 'aws_s3_bucket', 'arn')}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
  });

  it('serves HTTPS at the zone domain by default, with the certificate, the index page as root and clean URLs', () => {
    const { json, site: built } = site();
    const distribution = only(json, 'aws_cloudfront_distribution');
    expect(distribution).toMatchObject({
      aliases: ['example.com'],
      default_root_object: 'index.html',
      price_class: 'PriceClass_100',
      viewer_certificate: { acm_certificate_arn: CERT, ssl_support_method: 'sni-only', minimum_protocol_version: 'TLSv1.2_2021' },
    });
    expect(distribution.default_cache_behavior).toMatchObject({ viewer_protocol_policy: 'redirect-to-https', allowed_methods: ['GET', 'HEAD'] });
    expect(distribution.default_cache_behavior.function_association).toEqual([{ event_type: 'viewer-request', function_arn: refTo(json, 'aws_cloudfront_function', 'arn') }]);
    expect(only(json, 'aws_cloudfront_function')).toEqual({
      name: 'docs-clean-urls',
      comment: 'Clean URLs of example.com',
      runtime: 'cloudfront-js-2.0',
      code: aws.CLEAN_URLS_FUNCTION_CODE,
      publish: true,
    });
    expect(built.cleanUrlsFunction).toBeDefined();
    expect(built.hosts).toEqual(['example.com']);
    expect(built.url).toBe('https://example.com');
  });

  it('points A and AAAA alias records of every host at the distribution, in CloudFront zone', () => {
    const { json, site: built } = site({ hosts: ['docs.example.com', 'example.com', 'www.docs.example.com'] });
    expect(only(json, 'aws_cloudfront_distribution').aliases).toEqual(['docs.example.com', 'example.com', 'www.docs.example.com']);
    const records = resourcesOfType(json, 'aws_route53_record');
    expect(records).toHaveLength(6);
    for (const host of ['docs.example.com', 'example.com', 'www.docs.example.com']) {
      expect(records.filter((r) => r.name === host).map((r) => r.type).sort()).toEqual(['A', 'AAAA']);
    }
    for (const record of records) {
      expect(record).toEqual({
        zone_id: 'Z0123456789ABC',
        name: record.name,
        type: record.type,
        alias: { name: refTo(json, 'aws_cloudfront_distribution', 'domain_name'), zone_id: aws.CLOUDFRONT_ZONE_ID, evaluate_target_health: false },
      });
    }
    expect(built.records).toHaveLength(3);
    expect(built.records.every((r) => r.aaaa !== undefined)).toBe(true);
    expect(built.url).toBe('https://docs.example.com');
  });

  it('answers a missing page (S3 403 or 404) with 404.html and status 404 by default', () => {
    const { json } = site();
    expect(only(json, 'aws_cloudfront_distribution').custom_error_response).toEqual([
      { error_code: 403, response_code: 404, response_page_path: '/404.html' },
      { error_code: 404, response_code: 404, response_page_path: '/404.html' },
    ]);
  });

  it('answers with the page given as notFoundPage', () => {
    const { json } = site({ notFoundPage: 'errors/missing.html' });
    expect(only(json, 'aws_cloudfront_distribution').custom_error_response.map((r: Record<string, unknown>) => r.response_page_path)).toEqual(['/errors/missing.html', '/errors/missing.html']);
  });

  it('as a single-page app, answers a missing path with the index page and status 200', () => {
    const { json } = site({ spa: true, indexPage: 'app.html' });
    const distribution = only(json, 'aws_cloudfront_distribution');
    expect(distribution.custom_error_response).toEqual([
      { error_code: 403, response_code: 200, response_page_path: '/app.html' },
      { error_code: 404, response_code: 200, response_page_path: '/app.html' },
    ]);
    expect(distribution.default_root_object).toBe('app.html');
    expect(only(json, 'aws_cloudfront_function').code).toBe(aws.cleanUrlsFunctionCode('app.html'));
  });

  it('with notFoundPage false, lets the bucket answer errors itself', () => {
    const { json } = site({ notFoundPage: false });
    expect(only(json, 'aws_cloudfront_distribution')).not.toHaveProperty('custom_error_response');
  });

  it('without clean URLs, has no function and no association, and still serves the index page at /', () => {
    const { json, site: built } = site({ cleanUrls: false });
    expect(resourcesOfType(json, 'aws_cloudfront_function')).toHaveLength(0);
    const distribution = only(json, 'aws_cloudfront_distribution');
    expect(distribution.default_cache_behavior).not.toHaveProperty('function_association');
    expect(distribution.default_root_object).toBe('index.html');
    expect(built.cleanUrlsFunction).toBeUndefined();
  });

  it("serves Perseus' folder layout with cleanUrls true or 'directory', and one file a page with 'html'", () => {
    expect(only(site({ cleanUrls: true }).json, 'aws_cloudfront_function').code).toBe(aws.CLEAN_URLS_FUNCTION_CODE);
    expect(only(site({ cleanUrls: 'directory' }).json, 'aws_cloudfront_function').code).toBe(aws.CLEAN_URLS_FUNCTION_CODE);
    expect(only(site({ cleanUrls: 'html', indexPage: 'home.htm' }).json, 'aws_cloudfront_function').code).toBe(aws.cleanUrlsFunctionCode('home.htm', 'html'));
  });

  it.each([['folders'], ['${aws_s3_bucket.x.id}'], ['html\n'], [`html' + evil() + '`]])('refuses cleanUrls %j, naming the field', (value) => {
    expect(validationErrorOf(() => site({ cleanUrls: value as aws.CleanUrlStyle }))).toContain(`props.cleanUrls: got ${JSON.stringify(value)}; expected true, false or one of directory, html`);
  });

  it('keeps the distribution and function comments within CloudFront 128 characters', () => {
    const hosts = ['a', 'b', 'c', 'd', 'e'].map((l) => `${l.repeat(40)}.example.com`);
    const { json } = site({ hosts });
    expect(only(json, 'aws_cloudfront_distribution').comment).toBe(hosts.join(', ').slice(0, 128));
    expect(only(json, 'aws_cloudfront_function').comment).toBe(`Clean URLs of ${hosts[0]}`);
    expect(only(json, 'aws_cloudfront_function').comment.length).toBeLessThanOrEqual(128);
  });

  it('passes the price class and forceDestroy on', () => {
    const { json } = site({ priceClass: 'PriceClass_All', forceDestroy: true });
    expect(only(json, 'aws_cloudfront_distribution').price_class).toBe('PriceClass_All');
    expect(only(json, 'aws_s3_bucket').force_destroy).toBe(true);
  });

  it('outputs the bucket name and distribution id under names made from namePrefix', () => {
    const { json } = site({ namePrefix: 'perseus-docs' });
    expect(json.output).toEqual({
      perseus_docs_bucket: { value: refTo(json, 'aws_s3_bucket', 'bucket'), description: 'Bucket holding the files of https://example.com' },
      perseus_docs_distribution_id: { value: refTo(json, 'aws_cloudfront_distribution', 'id'), description: 'CloudFront distribution of https://example.com (invalidate after an upload)' },
    });
  });

  it('takes a us-east-1 DnsValidatedCertificate, waiting for its validation', () => {
    const stack = awsTestStack();
    const usEast1 = new AwsProvider(stack, 'aws_us_east_1', { alias: 'us_east_1', region: 'us-east-1' });
    const zone = new aws.DnsZone(stack, 'zone', { domain: 'example.com' });
    const certificate = new aws.DnsValidatedCertificate(stack, 'cdn-certificate', { zone, provider: usEast1 });
    new aws.AwsStaticSite(stack, 'docs', { namePrefix: 'docs', zone, hosts: ['docs.example.com'], certificateArn: certificate.certificateArn });
    const json = synthJson(stack);
    expect(only(json, 'aws_acm_certificate').provider).toBe('aws.us_east_1');
    expect(only(json, 'aws_cloudfront_distribution').viewer_certificate.acm_certificate_arn).toBe(refTo(json, 'aws_acm_certificate_validation', 'certificate_arn'));
    const aliasRecords = resourcesOfType(json, 'aws_route53_record').filter((r) => r.alias);
    expect(aliasRecords.map((r) => r.zone_id)).toEqual([refTo(json, 'aws_route53_zone', 'zone_id'), refTo(json, 'aws_route53_zone', 'zone_id')]);
    expect(danglingReferences(json)).toEqual([]);
  });

  it('refers only to what the stack declares', () => {
    for (const props of [{}, { spa: true, hosts: ['a.example.com', 'b.example.com'] }, { cleanUrls: false, notFoundPage: false as const }]) {
      expect(danglingReferences(site(props).json)).toEqual([]);
    }
  });

  it('matches its snapshot', () => {
    expect(forSnapshot(site({ namePrefix: 'perseus-docs', hosts: ['docs.example.com', 'www.docs.example.com'] }).json)).toMatchSnapshot();
  });

  it('names every bad field in one ValidationError', () => {
    const message = validationErrorOf(() =>
      site({
        namePrefix: 'Docs_',
        hosts: ['docs.example.org', 'Docs.example.com', 'docs.example.com', 'docs.example.com'],
        certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
        indexPage: '/index.html',
        notFoundPage: '/404.html',
        priceClass: 'PriceClass_1',
      }),
    );
    expect(message).toContain('AwsStaticSite "test/docs" has 8 problems; nothing was synthesized');
    expect(message).toContain('props.namePrefix: got "Docs_"; expected lowercase letters, digits and hyphens');
    expect(message).toContain('props.hosts[0]: got "docs.example.org"; expected a lowercase host name that is example.com or under it, each once');
    expect(message).toContain('props.hosts[1]: got "Docs.example.com"');
    expect(message).toContain('props.hosts[3]: got "docs.example.com"');
    expect(message).not.toContain('props.hosts[2]');
    expect(message).toContain('props.certificateArn: got "arn:aws:acm:eu-west-1:123456789012:certificate/abc"; expected the ARN of an ACM certificate in us-east-1');
    expect(message).toContain('props.indexPage: got "/index.html"; expected a file name such as index.html');
    expect(message).toContain('props.notFoundPage: got "/404.html"; expected false or an object key without a leading slash');
    expect(message).toContain('props.priceClass: got "PriceClass_1"; expected one of PriceClass_100, PriceClass_200, PriceClass_All');
  });

  it('rejects no hosts, a notFoundPage given with spa, and a host of another domain that ends like the zone', () => {
    const message = validationErrorOf(() => site({ hosts: [], spa: true, notFoundPage: '404.html' }));
    expect(message).toContain('has 2 problems');
    expect(message).toContain('props.hosts: got []; expected at least one host name');
    expect(message).toContain('props.notFoundPage: got "404.html"; expected false or nothing with spa');
    expect(validationErrorOf(() => site({ hosts: ['badexample.com'] }))).toContain('props.hosts[0]: got "badexample.com"');
  });

  it('accepts spa with the default or no notFoundPage, and a certificate ARN that is a token', () => {
    expect(() => site({ spa: true })).not.toThrow();
    expect(() => site({ spa: true, notFoundPage: false })).not.toThrow();
    const stack = awsTestStack();
    const zone = new aws.DnsZone(stack, 'zone', { domain: 'example.com' });
    const certificate = new aws.DnsValidatedCertificate(stack, 'cert', { zone });
    expect(() => new aws.AwsStaticSite(stack, 'docs', { namePrefix: 'docs', zone, certificateArn: certificate.certificateArn })).not.toThrow();
  });
});

describe('aws.BucketDistribution options', () => {
  const build = (extra: Partial<aws.BucketDistributionProps> = {}) => {
    const stack = awsTestStack();
    const bucket = new aws.PrivateBucket(stack, 'bucket', { namePrefix: 'b-' });
    new aws.BucketDistribution(stack, 'cdn', { bucket, name: 'b', aliases: ['storage.example.com'], certificateArn: 'arn:cert', ...extra });
    return only(synthJson(stack), 'aws_cloudfront_distribution');
  };

  it('adds nothing when unset', () => {
    const distribution = build();
    expect(distribution).not.toHaveProperty('default_root_object');
    expect(distribution).not.toHaveProperty('custom_error_response');
    expect(distribution.default_cache_behavior).not.toHaveProperty('function_association');
    expect(build({ customErrorResponses: [] })).not.toHaveProperty('custom_error_response');
  });

  it('writes the root object, the viewer-request function and error responses with their caching', () => {
    const distribution = build({
      defaultRootObject: 'index.html',
      viewerRequestFunctionArn: 'arn:aws:cloudfront::123456789012:function/f',
      customErrorResponses: [{ errorCode: 503, cachingMinTtlSec: 0 }, { errorCode: 404, responseCode: 404, responsePagePath: '/missing.html', cachingMinTtlSec: 60 }],
    });
    expect(distribution.default_root_object).toBe('index.html');
    expect(distribution.default_cache_behavior.function_association).toEqual([{ event_type: 'viewer-request', function_arn: 'arn:aws:cloudfront::123456789012:function/f' }]);
    expect(distribution.custom_error_response).toEqual([
      { error_code: 503, error_caching_min_ttl: 0 },
      { error_code: 404, response_code: 404, response_page_path: '/missing.html', error_caching_min_ttl: 60 },
    ]);
  });

  it('rejects a root object with a slash, unknown or repeated codes, a page without a status and a fractional TTL', () => {
    const message = validationErrorOf(() =>
      build({
        defaultRootObject: '/index.html',
        customErrorResponses: [
          { errorCode: 302 },
          { errorCode: 404, responseCode: 201 },
          { errorCode: 404, responsePagePath: 'missing.html', cachingMinTtlSec: 1.5 },
        ],
      }),
    );
    expect(message).toContain('has 7 problems');
    expect(message).toContain('props.defaultRootObject: got "/index.html"; expected an object key without a leading slash');
    expect(message).toContain('props.customErrorResponses[0].errorCode: got 302; expected one of 400, 403, 404');
    expect(message).toContain('props.customErrorResponses[1].responseCode: got 201; expected 200 or one of');
    expect(message).toContain('props.customErrorResponses[2].errorCode: got 404; expected one of 400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504, each once');
    expect(message).toContain('props.customErrorResponses[2].responsePagePath: got "missing.html"; expected a path starting with /');
    expect(message).toContain('props.customErrorResponses[2].responseCode: missing; expected a status, as CloudFront requires one with responsePagePath');
    expect(message).toContain('props.customErrorResponses[2].cachingMinTtlSec: got 1.5; expected a whole number of at least 0');
  });
});

/**
 * The arguments of the three `aws s3 sync` runs after the bucket, as the stub logs them: other files cached for an
 * hour, Wasm typed, then pages, code, styles, data and .perseus/ revalidated (perseus-static-export.test.ts
 * checks what each run uploads).
 */
const SYNC_RUNS = [
  '--delete --exclude *.html --exclude *.js --exclude *.mjs --exclude *.css --exclude *.json --exclude .perseus/* --exclude *.wasm --cache-control public, max-age=3600',
  '--delete --exclude * --include *.wasm --content-type application/wasm --cache-control public, max-age=0, s-maxage=3600, must-revalidate',
  '--delete --exclude * --include *.html --include *.js --include *.mjs --include *.css --include *.json --include .perseus/* --exclude *.wasm --cache-control public, max-age=0, s-maxage=3600, must-revalidate',
];

describe('AwsStaticSite.uploadScript', () => {
  const { site: built } = site({ namePrefix: 'perseus-docs', hosts: ['docs.example.com'] });

  /** A temp folder with the exported site and `aws`/`terraform` stubs that log their arguments. */
  function sandbox(): { dir: string; run: (script: string, env?: Record<string, string>) => { status: number | null; stderr: string }; log: () => string[] } {
    const dir = mkdtempSync(join(tmpdir(), 'upload-'));
    mkdirSync(join(dir, 'pkg', '.perseus'), { recursive: true });
    writeFileSync(join(dir, 'pkg', 'index.html'), '<html></html>');
    writeFileSync(join(dir, 'pkg', '404.html'), '<html>not found</html>');
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'aws'), `#!/bin/sh\necho "aws $*" >> ${dir}/calls.log\n`, { mode: 0o755 });
    // terraform answers `-chdir=<dir> output -raw <name>` the way it would after apply, without a newline.
    writeFileSync(
      join(dir, 'bin', 'terraform'),
      `#!/bin/sh\necho "terraform $*" >> ${dir}/calls.log\ncase "$4" in\n  perseus_docs_bucket) printf perseus-docs-20250101 ;;\n  perseus_docs_distribution_id) printf E2EXAMPLE ;;\n  *) echo "no output $4" >&2; exit 1 ;;\nesac\n`,
      { mode: 0o755 },
    );
    const run = (script: string, env: Record<string, string> = {}) => {
      const result = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8', env: { PATH: `${dir}/bin:${process.env.PATH}`, HOME: dir, ...env } });
      return { status: result.status, stderr: result.stderr };
    };
    const log = () => {
      try {
        return readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n');
      } catch {
        return [];
      }
    };
    return { dir, run, log };
  }

  it('is a strict bash script that syncs with --delete and invalidates /*', () => {
    const script = built.uploadScript();
    expect(script.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(script).toContain('set -euo pipefail');
    expect(script).toContain("dir='pkg'");
    expect(script).toContain('stack_dir="${STACK_DIR:-cdktf.out/stacks/test}"');
    expect(script).toContain(`revalidate='public, max-age=0, s-maxage=3600, must-revalidate'`);
    expect(script).toContain(`cached='public, max-age=3600'`);
    expect(script).toContain('aws s3 sync "$dir" "s3://$bucket" --delete --exclude "*" --include "*.wasm" --content-type application/wasm --cache-control "$revalidate"');
    expect(script).toContain('aws cloudfront create-invalidation --distribution-id "$distribution" --paths "/*"');
    // No unresolved cdktf token may end up in a script that runs outside Terraform.
    expect(script).not.toMatch(/TOKEN|\$\{aws_/);
    expect(execFileSync('bash', ['-n'], { input: script }).toString()).toBe('');
  });

  it('reads the bucket and distribution from terraform output, uploads, then invalidates', () => {
    const box = sandbox();
    try {
      const result = box.run(built.uploadScript());
      expect(result).toEqual({ status: 0, stderr: '' });
      expect(box.log()).toEqual([
        'terraform -chdir=cdktf.out/stacks/test output -raw perseus_docs_bucket',
        'terraform -chdir=cdktf.out/stacks/test output -raw perseus_docs_distribution_id',
        ...SYNC_RUNS.map((run) => `aws s3 sync pkg s3://perseus-docs-20250101 ${run}`),
        'aws cloudfront create-invalidation --distribution-id E2EXAMPLE --paths /* --query Invalidation.Id --output text',
      ]);
    } finally {
      rmSync(box.dir, { recursive: true, force: true });
    }
  });

  it('warns, and still uploads, when the export has no 404 page', () => {
    const box = sandbox();
    try {
      rmSync(join(box.dir, 'pkg', '404.html'));
      const result = box.run(built.uploadScript());
      expect(result.status).toBe(0);
      expect(result.stderr).toBe("warning: pkg has no 404.html; a missing path gets CloudFront's error page (perseus export-error-page --code 404 --output pkg/404.html)\n");
      expect(box.log().filter((l) => l.startsWith('aws s3 sync'))).toHaveLength(3);
    } finally {
      rmSync(box.dir, { recursive: true, force: true });
    }
  });

  it('takes the bucket, distribution and stack folder from the environment, and quotes the folder', () => {
    const box = sandbox();
    try {
      mkdirSync(join(box.dir, "my site's out"));
      writeFileSync(join(box.dir, "my site's out", 'index.html'), '');
      const result = box.run(built.uploadScript("my site's out"), { SITE_BUCKET: 'b1', SITE_DISTRIBUTION_ID: 'D1' });
      expect(result.status).toBe(0);
      expect(box.log()).toEqual([
        ...SYNC_RUNS.map((run) => `aws s3 sync my site's out s3://b1 ${run}`),
        'aws cloudfront create-invalidation --distribution-id D1 --paths /* --query Invalidation.Id --output text',
      ]);
      rmSync(join(box.dir, 'calls.log'));
      expect(box.run(built.uploadScript(), { STACK_DIR: '/elsewhere' }).status).toBe(0);
      expect(box.log()[0]).toBe('terraform -chdir=/elsewhere output -raw perseus_docs_bucket');
    } finally {
      rmSync(box.dir, { recursive: true, force: true });
    }
  });

  it('stops before touching AWS when the folder has no index page or terraform has no output', () => {
    const box = sandbox();
    try {
      const missing = box.run(built.uploadScript('dist/none'));
      expect(missing.status).not.toBe(0);
      expect(missing.stderr).toContain('dist/none has no index.html: export the site first');
      expect(box.log().filter((l) => l.startsWith('aws'))).toEqual([]);
      const other = new aws.AwsStaticSite(built.node.scope!, 'other', { namePrefix: 'other', zone: new aws.DnsZone(built.node.scope!, 'zone2', { domain: 'example.org' }), certificateArn: CERT });
      const noOutput = box.run(other.uploadScript());
      expect(noOutput.status).not.toBe(0);
      expect(noOutput.stderr).toContain('no output other_bucket');
      expect(box.log().filter((l) => l.startsWith('aws'))).toEqual([]);
    } finally {
      rmSync(box.dir, { recursive: true, force: true });
    }
  });

  it('runs nothing a folder name holds, a line break included', () => {
    const box = sandbox();
    try {
      // Commands run in the sandbox (the script's working folder); a slash would make the name a path.
      const hostile = 'out\ntouch CANARY-1 $(touch CANARY-2) `touch CANARY-3`';
      mkdirSync(join(box.dir, hostile));
      writeFileSync(join(box.dir, hostile, 'index.html'), '');
      const result = box.run(built.uploadScript(hostile), { SITE_BUCKET: 'b1', SITE_DISTRIBUTION_ID: 'D1' });
      expect(result.status).toBe(0);
      expect(readdirSync(box.dir).filter((f) => f.startsWith('CANARY'))).toEqual([]);
      expect(box.log().filter((l) => l.startsWith('aws s3 sync'))).toHaveLength(3);
    } finally {
      rmSync(box.dir, { recursive: true, force: true });
    }
  });
});

const availability = terraformAvailability();
const withTerraform = availability.available ? it : it.skip;

describe('aws.AwsStaticSite with the real AWS provider', () => {
  withTerraform('passes terraform init, validate and an offline plan', () => {
    const stack = awsTestStack();
    const usEast1 = new AwsProvider(stack, 'aws_us_east_1', { alias: 'us_east_1', region: 'us-east-1' });
    const zone = new aws.DnsZone(stack, 'zone', { domain: 'example.com' });
    const certificate = new aws.DnsValidatedCertificate(stack, 'cdn-certificate', { zone, provider: usEast1 });
    new aws.AwsStaticSite(stack, 'docs', { namePrefix: 'docs', zone, hosts: ['example.com', 'docs.example.com'], certificateArn: certificate.certificateArn, spa: true });
    const json = synthJson(stack);
    const { validate, plan } = initValidatePlan(json, 'static-site');
    expect(validate).toMatchObject({ valid: true, error_count: 0 });
    const planned = (plan.resource_changes ?? []).map((c) => c.address).sort();
    const declared = Object.entries<Record<string, unknown>>(json.resource).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`)).sort();
    expect(planned).toEqual(declared);
    expect(planned.filter((a) => a.startsWith('aws_cloudfront_function.'))).toHaveLength(1);
    expect(planned.filter((a) => a.startsWith('aws_route53_record.docs_'))).toHaveLength(4);
    for (const change of plan.resource_changes ?? []) expect(change.change.actions).toEqual(['create']);
  });
});
