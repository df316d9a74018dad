import { Construct } from 'constructs';
import { CloudfrontDistribution, CloudfrontOriginAccessControl, S3BucketPolicy } from '../providers/aws';
import { ProblemCollector } from '../validation';
import { fitName, policyDocument } from './common';
import { PrivateBucket } from './bucket';

/** AWS-managed CloudFront policies (fixed ids, the same in every account). */
export const CLOUDFRONT_POLICIES = {
  cachingOptimized: '658327ea-f89d-4fab-a63d-7e88639e58f6',
  cachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
  allViewer: '216adef6-5c7f-47e4-b989-5492eafa07d3',
} as const;

const PRICE_CLASSES = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'];

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

function viewerCertificate(arn: string) {
  return { acmCertificateArn: arn, sslSupportMethod: 'sni-only', minimumProtocolVersion: 'TLSv1.2_2021' };
}

export interface BucketDistributionProps extends DistributionCommonProps {
  /** The bucket served; it stays private, CloudFront reads it with origin access control. */
  readonly bucket: PrivateBucket;
  /** Name of the origin access control (at most 64 characters; shortened with a hash if longer). */
  readonly name: string;
}

/**
 * Serves a private bucket over HTTPS at its aliases: CloudFront with origin access control (SigV4-signed
 * requests, not the legacy origin access identity), a bucket policy that admits only this distribution,
 * cached GET/HEAD, HTTP redirected to HTTPS.
 */
export class BucketDistribution extends Construct {
  public readonly originAccessControl: CloudfrontOriginAccessControl;
  public readonly distribution: CloudfrontDistribution;
  public readonly bucketPolicy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: BucketDistributionProps) {
    super(scope, id);
    const problems = new ProblemCollector('props.');
    checkCommon(problems, props);
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
      comment: props.aliases.join(', '),
      aliases: [...props.aliases],
      priceClass: props.priceClass ?? 'PriceClass_100',
      origin: [{ originId, domainName: props.bucket.bucket.bucketRegionalDomainName, originAccessControlId: this.originAccessControl.id }],
      defaultCacheBehavior: {
        targetOriginId: originId,
        allowedMethods: ['GET', 'HEAD'],
        cachedMethods: ['GET', 'HEAD'],
        viewerProtocolPolicy: 'redirect-to-https',
        cachePolicyId: CLOUDFRONT_POLICIES.cachingOptimized,
        compress: true,
      },
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate: viewerCertificate(props.certificateArn),
    });
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
      ]),
      // The public-access block must exist first, or S3 may judge the policy against no block at all.
      dependsOn: [props.bucket.publicAccessBlock],
    });
  }
}

export interface LoadBalancerDistributionProps extends DistributionCommonProps {
  /** DNS name of the load balancer. */
  readonly originDomainName: string;
  /**
   * Seconds CloudFront waits for the origin's response (1 to 60 without a quota increase).
   * @default 60
   */
  readonly originReadTimeoutSec?: number;
}

/**
 * Serves the load balancer's web host through CloudFront: every method, no caching, every viewer header
 * (the Host header too, so the load balancer's host rule and certificate match), HTTPS to the origin with
 * TLS 1.2. Use it for edge TLS termination close to users; it adds CloudFront request charges.
 */
export class LoadBalancerDistribution extends Construct {
  public readonly distribution: CloudfrontDistribution;

  constructor(scope: Construct, id: string, props: LoadBalancerDistributionProps) {
    super(scope, id);
    const readTimeout = props.originReadTimeoutSec ?? 60;
    const problems = new ProblemCollector('props.');
    checkCommon(problems, props);
    problems.check(Number.isInteger(readTimeout) && readTimeout >= 1 && readTimeout <= 180, 'originReadTimeoutSec', readTimeout, 'a whole number from 1 to 180');
    problems.throwIfAny(`LoadBalancerDistribution "${this.node.path}"`);
    const originId = 'load-balancer';
    this.distribution = new CloudfrontDistribution(this, 'Resource', {
      enabled: true,
      isIpv6Enabled: true,
      httpVersion: 'http2',
      comment: props.aliases.join(', '),
      aliases: [...props.aliases],
      priceClass: props.priceClass ?? 'PriceClass_100',
      origin: [
        {
          originId,
          domainName: props.originDomainName,
          customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'], originReadTimeout: readTimeout },
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
  }
}
