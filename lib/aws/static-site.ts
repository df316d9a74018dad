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

/** One path segment of an object key: URL-safe characters, not starting with a dot. */
const SEGMENT = '[A-Za-z0-9_~-][A-Za-z0-9._~-]*';
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:us-east-1:[0-9]{12}:certificate\/[A-Za-z0-9-]+$/;

/**
 * The CloudFront Function (cloudfront-js-2.0) behind clean URLs, for an index page name. A path whose last
 * segment has no dot gets `.html` (`/about` → `/about.html`, how `perseus export` names its pages); a path
 * ending in `/` gets the index page (`/docs/` → `/docs/index.html`, `/` → `/index.html`); a path whose last
 * segment has a dot (`/style.css`, `/.perseus/bundle.wasm`) is left alone. ES5 only, no imports, so it runs
 * in CloudFront's runtime and in Node's `vm` alike.
 */
export function cleanUrlsFunctionCode(indexPage = 'index.html'): string {
  return [
    '// Clean URLs: /about -> /about.html, /docs/ -> /docs/index.html; a last segment with a dot is left alone.',
    `var INDEX_PAGE = ${JSON.stringify(indexPage)};`,
    'function handler(event) {',
    '  var request = event.request;',
    '  var uri = request.uri;',
    "  var last = uri.substring(uri.lastIndexOf('/') + 1);",
    "  if (last === '') {",
    '    request.uri = uri + INDEX_PAGE;',
    "  } else if (last.indexOf('.') === -1) {",
    "    request.uri = uri + '.html';",
    '  }',
    '  return request;',
    '}',
    '',
  ].join('\n');
}

/** The clean-URLs function's source with the default index page, `index.html`. */
export const CLEAN_URLS_FUNCTION_CODE = cleanUrlsFunctionCode();

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
   * `/`. A file name, no slash.
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
   * Serve `/about` from `about.html` and `/docs/` from `docs/index.html` with a CloudFront Function on viewer
   * request; paths whose last segment has a dot are left alone, so a file without an extension is not served.
   * `perseus export` writes `about.html` and links to `/about`, so a Perseus site needs it.
   * @default true
   */
  readonly cleanUrls?: boolean;
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
 */
export class AwsStaticSite extends Construct {
  public readonly bucket: PrivateBucket;
  public readonly distribution: BucketDistribution;
  /** The clean-URLs function; undefined with `cleanUrls: false`. */
  public readonly cleanUrlsFunction?: CloudfrontFunction;
  /** One alias record (A and AAAA) per host, in the order of `hosts`. */
  public readonly records: readonly AliasRecord[];
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

    const problems = new ProblemCollector('props.');
    problems.check(/^[a-z]([a-z0-9-]*[a-z0-9])?$/.test(props.namePrefix), 'namePrefix', props.namePrefix, 'lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen');
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
    refuseTokenEncodings(problems, { namePrefix: props.namePrefix, hosts: props.hosts, indexPage: props.indexPage, notFoundPage: props.notFoundPage });
    problems.throwIfAny(`AwsStaticSite "${this.node.path}"`);
    this.hosts = [...hosts];
    this.indexPage = indexPage;
    this.notFoundPage = spa || notFoundPage === false ? undefined : notFoundPage;
    this.url = `https://${hosts[0]}`;

    this.bucket = new PrivateBucket(this, 'Bucket', { namePrefix: `${props.namePrefix}-`, forceDestroy: props.forceDestroy ?? false });
    if (props.cleanUrls ?? true) {
      this.cleanUrlsFunction = new CloudfrontFunction(this, 'CleanUrls', {
        name: fitName(`${props.namePrefix}-clean-urls`, 64),
        // CloudFront takes comments of up to 128 characters.
        comment: `Clean URLs of ${hosts[0]}`.slice(0, 128),
        runtime: 'cloudfront-js-2.0',
        code: cleanUrlsFunctionCode(indexPage),
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
   * @param localDir the folder to upload, relative to where the script runs or absolute
   */
  uploadScript(localDir = 'pkg'): string {
    const stackDir = `cdktf.out/stacks/${TerraformStack.of(this).node.id}`;
    const output = (o: TerraformOutput) => `$(terraform -chdir="$stack_dir" output -raw ${o.friendlyUniqueId})`;
    return [
      '#!/usr/bin/env bash',
      `# Uploads ${localDir} to ${this.url} and invalidates the CloudFront cache.`,
      'set -euo pipefail',
      `dir=${shellQuote(localDir)}`,
      `stack_dir="\${STACK_DIR:-${stackDir}}"`,
      `bucket="\${SITE_BUCKET:-${output(this.bucketOutput)}}"`,
      `distribution="\${SITE_DISTRIBUTION_ID:-${output(this.distributionIdOutput)}}"`,
      `[ -f "$dir"/${shellQuote(this.indexPage)} ] || { echo "$dir has no ${this.indexPage}: export the site first (perseus deploy -e)" >&2; exit 1; }`,
      ...(this.notFoundPage
        ? [`[ -f "$dir"/${shellQuote(this.notFoundPage)} ] || echo "warning: $dir has no ${this.notFoundPage}; a missing path gets CloudFront's error page (perseus export-error-page --code 404 --output $dir/${this.notFoundPage})" >&2`]
        : []),
      'aws s3 sync "$dir" "s3://$bucket" --delete --exclude "*.wasm"',
      'aws s3 sync "$dir" "s3://$bucket" --delete --exclude "*" --include "*.wasm" --content-type application/wasm',
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
