import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { shellQuote } from '../app/boot-script';
import { CloudfrontFunction } from '../providers/aws';
import { refuseTokenEncodings } from '../rules';
import { ProblemCollector } from '../validation';
import { PrivateBucket } from './bucket';
import { BucketDistribution, DistributionErrorResponse, PRICE_CLASSES } from './cdn';
import { CLOUDFRONT_ZONE_ID, fitName } from './common';
import { AliasRecord, DnsZone } from './dns';
import { DNS_NAME, inZone } from '../hosts';
import { literalStrings } from '../terraform-strings';
import { CACHED_CACHE_CONTROL, REVALIDATED_EXTENSIONS, REVALIDATED_FOLDER, revalidatedCacheControl } from '../static-cache';
import { suppressGuardrails } from '../guardrails/suppress';

/** One path segment of an object key: URL-safe characters, not starting with a dot. */
const SEGMENT = '[A-Za-z0-9_~-][A-Za-z0-9._~-]*';
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:us-east-1:[0-9]{12}:certificate\/[A-Za-z0-9-]+$/;

/**
 * Where a page lives for clean URLs, the object an extension-less path such as `/about` is served from:
 * - `'directory'`: `about/index.html` (the index page), the layout `perseus export` writes since Perseus 0.3
 *   (and Hugo, Jekyll's pretty permalinks, Next.js with `trailingSlash`). A last segment ending in `index` gets
 *   `.html` instead (`/reindex` → `reindex.html`), as Perseus names those pages;
 * - `'html'`: `about.html`, for generators that write one `.html` file per page.
 */
export type CleanUrlStyle = 'directory' | 'html';

/** Every `CleanUrlStyle`. */
export const CLEAN_URL_STYLES: readonly CleanUrlStyle[] = ['directory', 'html'];

/**
 * The CloudFront Function (cloudfront-js-2.0) behind clean URLs, for an index page name and a page layout. A
 * path ending in `/` gets the index page (`/docs/` → `/docs/index.html`, `/` → `/index.html`); a path whose
 * last segment has no dot gets the page file of `style` (`/about` → `/about/index.html`, or `/about.html`); a
 * path whose last segment has a dot (`/style.css`) is left alone, and so is every path through a folder whose
 * name starts with a dot (`/.perseus/translations/en-US`, `/.well-known/openid-configuration`): those are files
 * fetched by name, never pages. ES5 only, no imports, so it runs in CloudFront's runtime and in Node's `vm`
 * alike. Throws on an index page that is not a plain file name or an unknown style.
 */
export function cleanUrlsFunctionCode(indexPage = 'index.html', style: CleanUrlStyle = 'directory'): string {
  // Checked here too: the code is exported, and both values end up in JavaScript that CloudFront runs.
  if (!new RegExp(`^${SEGMENT}$`).test(indexPage)) throw new Error(`cleanUrlsFunctionCode: indexPage ${JSON.stringify(indexPage)} is not a file name such as index.html`);
  if (!CLEAN_URL_STYLES.includes(style)) throw new Error(`cleanUrlsFunctionCode: style ${JSON.stringify(style)} is not one of ${CLEAN_URL_STYLES.join(', ')}`);
  const page =
    style === 'html'
      ? ["    request.uri = uri + '.html';"]
      : [
          "    // Perseus 0.4 writes a page whose path ends in 'index' as <path>.html, not <path>/index.html.",
          "    request.uri = last.slice(-5) === 'index' ? uri + '.html' : uri + '/' + INDEX_PAGE;",
        ];
  const summary = style === 'html' ? '/about -> /about.html' : '/about -> /about/index page';
  return [
    `// Clean URLs: ${summary}, /docs/ -> /docs/index page; a last segment with a dot, or a dot folder, is left alone.`,
    `var INDEX_PAGE = ${JSON.stringify(indexPage)};`,
    'function handler(event) {',
    '  var request = event.request;',
    '  var uri = request.uri;',
    '  // Dot folders (/.perseus/, /.well-known/) hold files fetched by name, some without an extension.',
    "  if (uri.indexOf('/.') !== -1) return request;",
    "  var last = uri.substring(uri.lastIndexOf('/') + 1);",
    "  if (last === '') {",
    '    request.uri = uri + INDEX_PAGE;',
    "  } else if (last.indexOf('.') === -1) {",
    ...page,
    '  }',
    '  return request;',
    '}',
    '',
  ].join('\n');
}

/** The clean-URLs function's source with the defaults: index page `index.html`, `'directory'` pages (Perseus' layout). */
export const CLEAN_URLS_FUNCTION_CODE = cleanUrlsFunctionCode();

/** Props of `AwsStaticSite`. */
export interface AwsStaticSiteProps {
  /**
   * Start of every resource name: the bucket (`<namePrefix>-` and a unique suffix), the origin access control,
   * the CloudFront Function (`<namePrefix>-clean-urls`) and the stack outputs (`<name_prefix>_bucket`,
   * `<name_prefix>_distribution_id`). Lowercase letters, digits and hyphens, starting with a letter. Unique in
   * the AWS account, not just the stack: origin access control and function names are account-wide, so give
   * each stage its own (`docs-staging`, `docs`). Changing it replaces the resources.
   */
  readonly namePrefix: string;
  /** The hosted zone the hosts' alias records go into. */
  readonly zone: DnsZone;
  /**
   * Full host names the site answers at, each the zone's domain or a name under it. The first is the site's URL.
   * @default - [zone.domain]
   */
  readonly hosts?: readonly string[];
  /**
   * ARN of an ACM certificate in us-east-1 (CloudFront takes no other region) covering every host: a
   * `DnsValidatedCertificate` created with the stack's `us-east-1` provider alias covers the domain and one
   * level below it (`*.domain`). Give its `certificateArn`, so the distribution waits until it is issued.
   */
  readonly certificateArn: string;
  /**
   * Page served for `/` (the distribution's default root object) and, with clean URLs, for a path ending in
   * `/` (and for `/about` in the `'directory'` style). A file name, no slash.
   * @default 'index.html'
   */
  readonly indexPage?: string;
  /**
   * Page answered, with status 404, for a path the bucket does not hold (S3 answers 403 for a missing key,
   * as CloudFront may not list the bucket; both are mapped). A key without a leading slash; `perseus
   * export-error-page --code 404 --output pkg/404.html` writes the default one into the export. `false`: no error page, the bucket's
   * own 403/404 answer passes through. Not used with `spa`.
   * @default '404.html'
   */
  readonly notFoundPage?: string | false;
  /**
   * A single-page app: every path the bucket does not hold (403/404) is answered with the index page and
   * status 200, and the app routes in the browser. A missing asset then also gets the index page.
   * @default false
   */
  readonly spa?: boolean;
  /**
   * Serve pages at clean URLs with a CloudFront Function on viewer request, a rewrite (no redirect, the address
   * stays `/about`): `/docs/` from `docs/index.html`, and `/about` from the file the style names
   * (`CleanUrlStyle`): `true` or `'directory'`, `about/index.html`, the layout `perseus export` writes since
   * Perseus 0.3, which links to `/about`; `'html'`, `about.html`. Paths whose last segment has a dot, and paths
   * through a dot folder (`/.perseus/`, `/.well-known/`), are left alone; any other file without an extension
   * is not served at its own path. `false`: no function, only `/` gets the index page.
   * @default true
   */
  readonly cleanUrls?: boolean | CleanUrlStyle;
  /**
   * Edge locations used: `PriceClass_100` (North America, Europe), `PriceClass_200`, `PriceClass_All`.
   * @default 'PriceClass_100'
   */
  readonly priceClass?: string;
  /**
   * Let `terraform destroy` delete the bucket while it still holds the site's files.
   * @default false
   */
  readonly forceDestroy?: boolean;
}

/**
 * A static site (the output of `perseus export`, or any folder of files) on AWS: a private S3 bucket read by
 * CloudFront through origin access control, HTTPS only with the given us-east-1 certificate, A and AAAA alias
 * records for every host, optional clean URLs (a CloudFront Function), a 404 page or a single-page-app
 * fallback. Upload with `uploadScript()`; the bucket name and distribution id are stack outputs for it.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'fs';
 * import { App, TerraformStack } from 'cdktf';
 * import { AwsProvider, aws } from 'cdktf-serverpod';
 *
 * const app = new App();
 * const stack = new TerraformStack(app, 'docs');
 * new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
 * // CloudFront takes certificates from us-east-1 only.
 * const usEast1 = new AwsProvider(stack, 'aws_us_east_1', { alias: 'us_east_1', region: 'us-east-1' });
 * const zone = new aws.DnsZone(stack, 'zone', { domain: 'example.com' });
 * const certificate = new aws.DnsValidatedCertificate(stack, 'certificate', { zone, provider: usEast1 });
 * const site = new aws.AwsStaticSite(stack, 'docs', {
 *   namePrefix: 'docs',
 *   zone,
 *   hosts: ['docs.example.com'],
 *   certificateArn: certificate.certificateArn,
 * });
 * app.synth();
 * // After `cdktf deploy`, run this script to publish `perseus deploy -e`'s pkg/ folder.
 * writeFileSync('upload-docs.sh', site.uploadScript('pkg'), { mode: 0o755 });
 * ```
 */
export class AwsStaticSite extends Construct {
  /** The private bucket holding the files. */
  public readonly bucket: PrivateBucket;
  /** The CloudFront distribution in front of it. */
  public readonly distribution: BucketDistribution;
  /** The clean-URLs function; undefined with `cleanUrls: false`. */
  public readonly cleanUrlsFunction?: CloudfrontFunction;
  /** One alias record (A and AAAA) per host, in the order of `hosts`. */
  public readonly records: readonly AliasRecord[];
  /** The hosts the site answers at, the first one its URL. */
  public readonly hosts: readonly string[];
  /** The page served for `/` and, with clean URLs, for paths ending in `/`. */
  public readonly indexPage: string;
  /** The page answered for a missing path, or undefined (none, or `spa`). */
  public readonly notFoundPage?: string;
  /** `https://` and the first host. */
  public readonly url: string;
  /** Stack output holding the bucket name (`<name_prefix>_bucket`). */
  public readonly bucketOutput: TerraformOutput;
  /** Stack output holding the distribution id (`<name_prefix>_distribution_id`). */
  public readonly distributionIdOutput: TerraformOutput;

  constructor(scope: Construct, id: string, props: AwsStaticSiteProps) {
    super(scope, id);
    literalStrings(this);
    const domain = props.zone.domain;
    const hosts = props.hosts ?? [domain];
    const indexPage = props.indexPage ?? 'index.html';
    const spa = props.spa ?? false;
    const notFoundPage = props.notFoundPage ?? '404.html';
    const priceClass = props.priceClass ?? 'PriceClass_100';
    const cleanUrls = props.cleanUrls ?? true;

    const problems = new ProblemCollector('props.');
    problems.check(/^[a-z]([a-z0-9-]*[a-z0-9])?$/.test(props.namePrefix), 'namePrefix', props.namePrefix, 'lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen');
    problems.check(typeof cleanUrls === 'boolean' || CLEAN_URL_STYLES.includes(cleanUrls), 'cleanUrls', cleanUrls, `true, false or one of ${CLEAN_URL_STYLES.join(', ')}`);
    problems.check(hosts.length >= 1, 'hosts', hosts, 'at least one host name');
    hosts.forEach((host, i) => {
      const under = inZone(host, domain);
      problems.check(DNS_NAME.test(host) && under && hosts.indexOf(host) === i, `hosts[${i}]`, host, `a lowercase host name that is ${domain} or under it, each once`);
    });
    problems.check(CERTIFICATE_ARN.test(props.certificateArn), 'certificateArn', props.certificateArn, 'the ARN of an ACM certificate in us-east-1 (arn:aws:acm:us-east-1:<account>:certificate/<id>)');
    problems.check(new RegExp(`^${SEGMENT}$`).test(indexPage), 'indexPage', indexPage, 'a file name such as index.html: letters, digits, . _ ~ -, no slash');
    if (notFoundPage !== false) {
      problems.check(new RegExp(`^${SEGMENT}(/${SEGMENT})*$`).test(notFoundPage), 'notFoundPage', notFoundPage, 'false or an object key without a leading slash, such as 404.html');
      // The default page is simply unused with spa; one given on purpose would be silently ignored.
      problems.check(!spa || props.notFoundPage === undefined, 'notFoundPage', notFoundPage, 'false or nothing with spa, which answers every missing path with the index page');
    }
    problems.check(PRICE_CLASSES.includes(priceClass), 'priceClass', priceClass, `one of ${PRICE_CLASSES.join(', ')}`);
    refuseTokenEncodings(problems, { namePrefix: props.namePrefix, hosts: props.hosts, indexPage: props.indexPage, notFoundPage: props.notFoundPage, cleanUrls: typeof cleanUrls === 'string' ? cleanUrls : undefined });
    problems.throwIfAny(`AwsStaticSite "${this.node.path}"`);
    this.hosts = [...hosts];
    this.indexPage = indexPage;
    this.notFoundPage = spa || notFoundPage === false ? undefined : notFoundPage;
    this.url = `https://${hosts[0]}`;

    this.bucket = new PrivateBucket(this, 'Bucket', { namePrefix: `${props.namePrefix}-`, forceDestroy: props.forceDestroy ?? false });
    suppressGuardrails(this.bucket.bucket, [
      { rule: 'AWS-S3-VERSIONING', reason: 'the bucket holds a build output (uploadScript syncs the export folder into it); the export is the copy to restore from', attributes: ['aws_s3_bucket_versioning'] },
    ]);
    if (cleanUrls !== false) {
      this.cleanUrlsFunction = new CloudfrontFunction(this, 'CleanUrls', {
        name: fitName(`${props.namePrefix}-clean-urls`, 64),
        // CloudFront takes comments of up to 128 characters.
        comment: `Clean URLs of ${hosts[0]}`.slice(0, 128),
        runtime: 'cloudfront-js-2.0',
        code: cleanUrlsFunctionCode(indexPage, cleanUrls === true ? 'directory' : cleanUrls),
        publish: true,
      });
    }
    this.distribution = new BucketDistribution(this, 'Cdn', {
      bucket: this.bucket,
      name: props.namePrefix,
      aliases: hosts,
      certificateArn: props.certificateArn,
      priceClass,
      defaultRootObject: indexPage,
      viewerRequestFunctionArn: this.cleanUrlsFunction?.arn,
      customErrorResponses: errorResponses(spa ? { path: `/${indexPage}`, status: 200 } : notFoundPage === false ? undefined : { path: `/${notFoundPage}`, status: 404 }),
    });
    this.records = hosts.map(
      (host) =>
        new AliasRecord(this, `Record-${host}`, {
          zoneId: props.zone.zoneId,
          name: host,
          targetDnsName: this.distribution.distribution.domainName,
          targetZoneId: CLOUDFRONT_ZONE_ID,
          ipv6: true,
        }),
    );

    const outputPrefix = props.namePrefix.replace(/-/g, '_');
    this.bucketOutput = new TerraformOutput(this, 'BucketOutput', { value: this.bucket.bucketName, description: `Bucket holding the files of ${this.url}` });
    this.bucketOutput.overrideLogicalId(`${outputPrefix}_bucket`);
    this.distributionIdOutput = new TerraformOutput(this, 'DistributionIdOutput', { value: this.distribution.distribution.id, description: `CloudFront distribution of ${this.url} (invalidate after an upload)` });
    this.distributionIdOutput.overrideLogicalId(`${outputPrefix}_distribution_id`);
  }

  /**
   * A bash script that uploads a folder (`perseus deploy -e`, the production static export, writes `pkg`) to the site and invalidates
   * CloudFront's cache. Run it with the AWS CLI v2 and credentials for the account. The bucket name and
   * distribution id are known only after apply, so the script reads them with `terraform output` in the
   * stack's synthesized folder (`cdktf.out/stacks/<stack id>`, initialized by `cdktf deploy`; override with
   * `STACK_DIR`), unless `SITE_BUCKET` and `SITE_DISTRIBUTION_ID` give them. `.wasm` files are uploaded with
   * `Content-Type: application/wasm` (browsers compile them while streaming only with that type); every
   * other type is guessed from the extension. `--delete` removes files the folder no longer holds.
   *
   * Pages, code, styles, data (`.html`, `.js`, `.mjs`, `.css`, `.json`, `.wasm`) and everything under
   * `.perseus/` get `Cache-Control: public, max-age=0, s-maxage=3600, must-revalidate`: Perseus' bundle and
   * translations keep their names from release to release, so browsers revalidate them on every use while
   * CloudFront keeps them until the invalidation. Other files get `public, max-age=3600`. Three `aws s3 sync`
   * runs, one per kind, other files first and pages last. A file `sync` skips as unchanged keeps the headers it
   * was uploaded with (`perseus deploy -e` writes every file anew, so its export is uploaded whole).
   * @param localDir the folder to upload, relative to where the script runs or absolute
   */
  uploadScript(localDir = 'pkg'): string {
    const stackDir = `cdktf.out/stacks/${TerraformStack.of(this).node.id}`;
    const output = (o: TerraformOutput) => `$(terraform -chdir="$stack_dir" output -raw ${o.friendlyUniqueId})`;
    // The same filters in both directions: each file (and each object --delete may remove) is in exactly one run.
    const revalidated = [...REVALIDATED_EXTENSIONS.filter((e) => e !== 'wasm').map((e) => `"*.${e}"`), `"${REVALIDATED_FOLDER}/*"`];
    return [
      '#!/usr/bin/env bash',
      // The folder is not named here: a comment cannot quote a line break.
      `# Uploads a static export to ${this.url} and invalidates the CloudFront cache.`,
      'set -euo pipefail',
      `dir=${shellQuote(localDir)}`,
      `stack_dir="\${STACK_DIR:-${stackDir}}"`,
      `bucket="\${SITE_BUCKET:-${output(this.bucketOutput)}}"`,
      `distribution="\${SITE_DISTRIBUTION_ID:-${output(this.distributionIdOutput)}}"`,
      `[ -f "$dir"/${shellQuote(this.indexPage)} ] || { echo "$dir has no ${this.indexPage}: export the site first (perseus deploy -e)" >&2; exit 1; }`,
      ...(this.notFoundPage
        ? [`[ -f "$dir"/${shellQuote(this.notFoundPage)} ] || echo "warning: $dir has no ${this.notFoundPage}; a missing path gets CloudFront's error page (perseus export-error-page --code 404 --output $dir/${this.notFoundPage})" >&2`]
        : []),
      `revalidate=${shellQuote(revalidatedCacheControl(true))}`,
      `cached=${shellQuote(CACHED_CACHE_CONTROL)}`,
      '# Pages, code, styles, data and .perseus/ (fixed names) must come from one release: browsers revalidate them.',
      `aws s3 sync "$dir" "s3://$bucket" --delete ${revalidated.map((p) => `--exclude ${p}`).join(' ')} --exclude "*.wasm" --cache-control "$cached"`,
      'aws s3 sync "$dir" "s3://$bucket" --delete --exclude "*" --include "*.wasm" --content-type application/wasm --cache-control "$revalidate"',
      `aws s3 sync "$dir" "s3://$bucket" --delete --exclude "*" ${revalidated.map((p) => `--include ${p}`).join(' ')} --exclude "*.wasm" --cache-control "$revalidate"`,
      'aws cloudfront create-invalidation --distribution-id "$distribution" --paths "/*" --query Invalidation.Id --output text',
      '',
    ].join('\n');
  }
}

/** The same answer for S3's 403 (a missing key, without ListBucket) and 404. */
function errorResponses(answer: { path: string; status: number } | undefined): DistributionErrorResponse[] | undefined {
  if (!answer) return undefined;
  return [403, 404].map((errorCode) => ({ errorCode, responseCode: answer.status, responsePagePath: answer.path }));
}
