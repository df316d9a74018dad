import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { CloudfrontDistribution, CloudfrontOriginAccessControl, S3BucketPolicy } from '../providers/aws';
import { ProblemCollector } from '../validation';
import { fitName, isCloudFrontOriginPort, policyDocument } from './common';
import { PrivateBucket, denyInsecureTransport } from './bucket';
import { literalStrings } from '../terraform-strings';
import { suppressGuardrails } from '../guardrails/suppress';

/** AWS-managed CloudFront policies (fixed ids, the same in every account). */
export const CLOUDFRONT_POLICIES = {
  /** Cache policy `Managed-CachingOptimized`: cache by path, long TTLs, compressed. */
  cachingOptimized: '658327ea-f89d-4fab-a63d-7e88639e58f6',
  /** Cache policy `Managed-CachingDisabled`: nothing cached. */
  cachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
  /** Origin request policy `Managed-AllViewer`: every viewer header, cookie and query string to the origin. */
  allViewer: '216adef6-5c7f-47e4-b989-5492eafa07d3',
  /** Response headers policy: `Access-Control-Allow-Origin: *` on every response. */
  simpleCors: '60669652-455b-4ae9-85a4-c4c02393f86c',
} as const;

/** Why the distributions write no access logs: the setup and cost they would take, and what there is instead. */
const NO_ACCESS_LOGS = {
  rule: 'AWS-CLOUDFRONT-LOGGING',
  reason:
    "standard logs need an S3 log bucket with ACLs enabled for CloudFront's log delivery (or a v2 log delivery set up in us-east-1) and their storage; CloudFront's default CloudWatch metrics count requests, bytes and 4xx/5xx error rates instead",
  attributes: ['logging_config'],
};

/** CloudFront's price classes, cheapest (fewest edge locations) first. */
export const PRICE_CLASSES: readonly string[] = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'];

/** Origin statuses CloudFront lets a distribution answer with a custom error response. */
const ERROR_CODES = [400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504];

interface DistributionCommonProps {
  /** Host names the distribution answers (`storage.example.com`). */
  readonly aliases: readonly string[];
  /** ARN of a us-east-1 certificate covering the aliases. */
  readonly certificateArn: string;
  /**
   * Edge locations used: `PriceClass_100` (North America, Europe), `PriceClass_200`, `PriceClass_All`.
   * @default 'PriceClass_100'
   */
  readonly priceClass?: string;
}

function checkCommon(problems: ProblemCollector, props: DistributionCommonProps): void {
  problems.check(props.aliases.length >= 1, 'aliases', props.aliases, 'at least one host name');
  const priceClass = props.priceClass ?? 'PriceClass_100';
  problems.check(PRICE_CLASSES.includes(priceClass), 'priceClass', priceClass, `one of ${PRICE_CLASSES.join(', ')}`);
}

/** The aliases, cut to the 128 characters CloudFront takes for a comment. */
function distributionComment(aliases: readonly string[]): string {
  return aliases.join(', ').slice(0, 128);
}

function viewerCertificate(arn: string) {
  return { acmCertificateArn: arn, sslSupportMethod: 'sni-only', minimumProtocolVersion: 'TLSv1.2_2021' };
}

/** What CloudFront answers instead of an error status from the origin. */
export interface DistributionErrorResponse {
  /** The origin's status this applies to: 400, 403, 404, 405, 414, 416, 500, 501, 502, 503 or 504. */
  readonly errorCode: number;
  /**
   * Status sent to the viewer (200 for a single-page app's fallback). Required with `responsePagePath`.
   * @default - the origin's status
   */
  readonly responseCode?: number;
  /**
   * Object served instead, as a path from the bucket's root (`/404.html`).
   * @default - the origin's own error body
   */
  readonly responsePagePath?: string;
  /**
   * Seconds CloudFront caches the error answer before asking the origin again.
   * @default - CloudFront's default, 10 seconds
   */
  readonly cachingMinTtlSec?: number;
}

/** Props of `BucketDistribution`. */
export interface BucketDistributionProps extends DistributionCommonProps {
  /** The bucket served; it stays private, CloudFront reads it with origin access control. */
  readonly bucket: PrivateBucket;
  /** Name of the origin access control (at most 64 characters; shortened with a hash if longer). */
  readonly name: string;
  /**
   * Object returned for a request of the root URL (`index.html`, no leading slash). Only `/` gets it, not
   * subfolders; rewrite those with `viewerRequestFunctionArn`.
   * @default - none: `/` asks the bucket for an empty key
   */
  readonly defaultRootObject?: string;
  /**
   * ARN of a published CloudFront Function run on every viewer request of the default behaviour (URL
   * rewrites such as clean URLs).
   * @default - no function
   */
  readonly viewerRequestFunctionArn?: string;
  /**
   * Answers for error statuses from the bucket (a 404 page, a single-page app's fallback). A bucket read
   * without `s3:ListBucket`, as this one is, answers 403 for a missing key, not 404.
   * @default - none: the bucket's error passes through
   */
  readonly customErrorResponses?: readonly DistributionErrorResponse[];
  /**
   * Attach CloudFront's managed `SimpleCORS` response headers policy to the default behaviour: every answer
   * carries `Access-Control-Allow-Origin: *`, so pages on any origin (Flutter web loads images with fetch) may
   * read the objects. Only for buckets whose objects are public anyway; uploads do not go through CloudFront,
   * so they need the bucket's own CORS (`PrivateBucketProps.cors`).
   * @default false
   */
  readonly corsAnyOrigin?: boolean;
}

function checkBucketOptions(problems: ProblemCollector, props: BucketDistributionProps): void {
  if (props.defaultRootObject !== undefined) {
    problems.check(/^[^/\s][^\s]*$/.test(props.defaultRootObject), 'defaultRootObject', props.defaultRootObject, 'an object key without a leading slash, such as index.html');
  }
  const seen = new Set<number>();
  (props.customErrorResponses ?? []).forEach((r, i) => {
    const field = `customErrorResponses[${i}]`;
    problems.check(ERROR_CODES.includes(r.errorCode) && !seen.has(r.errorCode), `${field}.errorCode`, r.errorCode, `one of ${ERROR_CODES.join(', ')}, each once`);
    seen.add(r.errorCode);
    if (r.responseCode !== undefined) problems.check(r.responseCode === 200 || ERROR_CODES.includes(r.responseCode), `${field}.responseCode`, r.responseCode, `200 or one of ${ERROR_CODES.join(', ')}`);
    if (r.responsePagePath !== undefined) {
      problems.check(/^\/\S*$/.test(r.responsePagePath), `${field}.responsePagePath`, r.responsePagePath, 'a path starting with /, such as /404.html');
      problems.check(r.responseCode !== undefined, `${field}.responseCode`, r.responseCode, 'a status, as CloudFront requires one with responsePagePath');
    }
    if (r.cachingMinTtlSec !== undefined) problems.wholeNumber(`${field}.cachingMinTtlSec`, r.cachingMinTtlSec, 0);
  });
}

/**
 * Serves a private bucket over HTTPS at its aliases: CloudFront with origin access control (SigV4-signed
 * requests, not the legacy origin access identity), a bucket policy that admits only this distribution and
 * refuses requests without TLS, cached GET/HEAD, HTTP redirected to HTTPS. Optionally a default root object, a
 * viewer-request CloudFront Function and custom error responses (a static site: `AwsStaticSite`), and CORS for any
 * origin (`corsAnyOrigin`).
 */
export class BucketDistribution extends Construct {
  /** The origin access control CloudFront signs its requests to the bucket with. */
  public readonly originAccessControl: CloudfrontOriginAccessControl;
  /** The CloudFront distribution. */
  public readonly distribution: CloudfrontDistribution;
  /** The bucket policy that admits only this distribution. */
  public readonly bucketPolicy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: BucketDistributionProps) {
    super(scope, id);
    literalStrings(this);
    const problems = new ProblemCollector('props.');
    checkCommon(problems, props);
    checkBucketOptions(problems, props);
    problems.throwIfAny(`BucketDistribution "${this.node.path}"`);
    this.originAccessControl = new CloudfrontOriginAccessControl(this, 'OriginAccessControl', {
      name: fitName(props.name, 64),
      description: `Reads ${props.name}`,
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    });
    const originId = 'bucket';
    this.distribution = new CloudfrontDistribution(this, 'Resource', {
      enabled: true,
      isIpv6Enabled: true,
      httpVersion: 'http2and3',
      comment: distributionComment(props.aliases),
      aliases: [...props.aliases],
      priceClass: props.priceClass ?? 'PriceClass_100',
      defaultRootObject: props.defaultRootObject,
      origin: [{ originId, domainName: props.bucket.bucket.bucketRegionalDomainName, originAccessControlId: this.originAccessControl.id }],
      defaultCacheBehavior: {
        targetOriginId: originId,
        allowedMethods: ['GET', 'HEAD'],
        cachedMethods: ['GET', 'HEAD'],
        viewerProtocolPolicy: 'redirect-to-https',
        cachePolicyId: CLOUDFRONT_POLICIES.cachingOptimized,
        compress: true,
        responseHeadersPolicyId: props.corsAnyOrigin ? CLOUDFRONT_POLICIES.simpleCors : undefined,
        functionAssociation: props.viewerRequestFunctionArn === undefined ? undefined : [{ eventType: 'viewer-request', functionArn: props.viewerRequestFunctionArn }],
      },
      // Left out when empty: an empty list would still be an argument in the synthesized JSON.
      customErrorResponse: props.customErrorResponses?.length
        ? props.customErrorResponses.map((r) => ({ errorCode: r.errorCode, responseCode: r.responseCode, responsePagePath: r.responsePagePath, errorCachingMinTtl: r.cachingMinTtlSec }))
        : undefined,
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate: viewerCertificate(props.certificateArn),
    });
    suppressGuardrails(this.distribution, [NO_ACCESS_LOGS]);
    this.bucketPolicy = new S3BucketPolicy(this, 'BucketPolicy', {
      bucket: props.bucket.bucket.id,
      policy: policyDocument([
        {
          Sid: 'CloudFrontReads',
          Effect: 'Allow',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject',
          Resource: `${props.bucket.arn}/*`,
          Condition: { StringEquals: { 'AWS:SourceArn': this.distribution.arn } },
        },
        // CloudFront reads over HTTPS (viewers are redirected to HTTPS first); nobody else may use plain HTTP.
        denyInsecureTransport(props.bucket.arn),
      ]),
      // The public-access block must exist first, or S3 may judge the policy against no block at all.
      dependsOn: [props.bucket.publicAccessBlock],
    });
  }
}

/** Props of `LoadBalancerDistribution`. */
export interface LoadBalancerDistributionProps extends DistributionCommonProps {
  /** DNS name of the load balancer. */
  readonly originDomainName: string;
  /**
   * The load balancer's HTTPS port CloudFront connects to: 443, or 1024 to 65535 (a CloudFront-only listener,
   * `AppLoadBalancer.cloudFrontListenerPort`).
   * @default 443
   */
  readonly originHttpsPort?: number;
  /**
   * Seconds CloudFront waits for the origin's response (1 to 60 without a quota increase).
   * @default 60
   */
  readonly originReadTimeoutSec?: number;
  /**
   * What must exist before CloudFront is pointed at the origin (the CloudFront-only listener, its rules and the
   * ingress that admits CloudFront), so an update never sends viewers to a port that does not answer yet.
   * @default []
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Serves the load balancer's web host through CloudFront: every method, no caching, every viewer header
 * (the Host header too, so the load balancer's host rule and certificate match: CloudFront then checks the
 * origin's certificate against that host), HTTPS only to the origin, on `originHttpsPort`, with TLS 1.2. Use it for edge TLS termination close to users; it adds CloudFront request charges.
 */
export class LoadBalancerDistribution extends Construct {
  /** The CloudFront distribution. */
  public readonly distribution: CloudfrontDistribution;

  constructor(scope: Construct, id: string, props: LoadBalancerDistributionProps) {
    super(scope, id);
    literalStrings(this);
    const readTimeout = props.originReadTimeoutSec ?? 60;
    const httpsPort = props.originHttpsPort ?? 443;
    const problems = new ProblemCollector('props.');
    checkCommon(problems, props);
    problems.check(httpsPort !== 80 && isCloudFrontOriginPort(httpsPort), 'originHttpsPort', httpsPort, '443 or a whole number from 1024 to 65535 (the ports CloudFront connects to)');
    problems.check(Number.isInteger(readTimeout) && readTimeout >= 1 && readTimeout <= 180, 'originReadTimeoutSec', readTimeout, 'a whole number from 1 to 180');
    problems.throwIfAny(`LoadBalancerDistribution "${this.node.path}"`);
    const originId = 'load-balancer';
    this.distribution = new CloudfrontDistribution(this, 'Resource', {
      dependsOn: props.dependsOn?.length ? [...props.dependsOn] : undefined,
      enabled: true,
      isIpv6Enabled: true,
      httpVersion: 'http2',
      comment: distributionComment(props.aliases),
      aliases: [...props.aliases],
      priceClass: props.priceClass ?? 'PriceClass_100',
      origin: [
        {
          originId,
          domainName: props.originDomainName,
          customOriginConfig: { httpPort: 80, httpsPort, originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'], originReadTimeout: readTimeout },
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: originId,
        allowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'],
        cachedMethods: ['GET', 'HEAD'],
        viewerProtocolPolicy: 'redirect-to-https',
        cachePolicyId: CLOUDFRONT_POLICIES.cachingDisabled,
        originRequestPolicyId: CLOUDFRONT_POLICIES.allViewer,
        compress: true,
      },
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate: viewerCertificate(props.certificateArn),
    });
    suppressGuardrails(this.distribution, [NO_ACCESS_LOGS]);
  }
}
