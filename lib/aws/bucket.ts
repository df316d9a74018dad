import { Construct } from 'constructs';
import { STORAGE_CORS_MAX_AGE_SEC, STORAGE_CORS_METHODS, checkCorsOrigins } from '../cors';
import {
  S3Bucket,
  S3BucketCorsConfiguration,
  S3BucketLifecycleConfiguration,
  S3BucketOwnershipControls,
  S3BucketPolicy,
  S3BucketPublicAccessBlock,
  S3BucketServerSideEncryptionConfigurationA,
  S3BucketVersioningA,
} from '../providers/aws';
import { ProblemCollector } from '../validation';
import { PolicyStatement, fitName, policyDocument } from './common';
import { literalStrings } from '../terraform-strings';
import { suppressGuardrails } from '../guardrails/suppress';

/** Props of `PrivateBucket`. */
export interface PrivateBucketProps {
  /**
   * Prefix of the bucket name; S3 appends a unique suffix, as bucket names are global. At most 37 characters
   * (longer prefixes are shortened with a hash). Changing it replaces the bucket.
   */
  readonly namePrefix: string;
  /**
   * Let `terraform destroy` delete a bucket that still holds objects.
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * What the bucket does with an object ACL in a request. Serverpod's `S3CloudStorage` sends `acl` =
   * `public-read` (public storage) or `private` on every upload, and a bucket with ACLs disabled refuses any
   * ACL but `bucket-owner-full-control` (AccessControlListNotSupported).
   * - `disabled`: ACLs off (`BucketOwnerEnforced`), every public-access block on. The safest; refuses
   *   Serverpod's uploads.
   * - `private`: ACLs accepted (`BucketOwnerPreferred`), every public-access block on: a `private` ACL is
   *   accepted, a public one refused, nothing can become public. For Serverpod's private storage.
   * - `public-ignored`: ACLs accepted, `blockPublicAcls` off so an upload carrying `public-read` is not
   *   refused, but `ignorePublicAcls` on so that ACL has no effect, and public policies blocked: the bucket
   *   stays private at the origin, readable only through CloudFront (`BucketDistribution`), yet accepts what
   *   Serverpod sends. For Serverpod's public storage. An account-level block of public ACLs still refuses.
   * The trade-off of both ACL modes: object ACLs exist again (objects uploaded by another account would
   * stay theirs), in exchange for accepting Serverpod's requests unchanged.
   * @default 'disabled'
   */
  readonly objectAcls?: BucketObjectAcls;
  /**
   * Origins whose pages may read from and upload straight to the bucket's own endpoint (browser direct
   * uploads POST or PUT to `<bucket>.s3.<region>.amazonaws.com`): GET, HEAD, PUT and POST, any request
   * header, `ETag` exposed. Each origin is `https://`, a DNS name and an optional port, without a path;
   * `*` is refused.
   * @default - no CORS configuration
   */
  readonly cors?: {
    /** The origins (`https://app.example.com`). */
    readonly origins: readonly string[];
  };
  /**
   * Give the bucket a policy that refuses every request made without TLS (`aws:SecureTransport` false). Leave it
   * off for a bucket a `BucketDistribution` serves: a bucket has one policy, and the distribution's refuses such
   * requests too.
   * @default false
   */
  readonly tlsOnly?: boolean;
  /**
   * Keep every version of an object, so an overwritten or deleted one can be restored, with a lifecycle
   * configuration that deletes a version 30 days after it stops being current (as the GCP private bucket does) and
   * aborts multipart uploads left incomplete for 7 days. Versions are billed as storage while they are kept, so a
   * bucket whose objects are rewritten often costs more. S3 cannot make a versioned bucket unversioned again:
   * turning this off later suspends versioning and removes the lifecycle configuration, and the versions already
   * kept stay until deleted.
   * @default false
   */
  readonly versioning?: boolean;
}

/** How a `PrivateBucket` treats object ACLs in requests; see `PrivateBucketProps.objectAcls`. */
export type BucketObjectAcls = 'disabled' | 'private' | 'public-ignored';

/** Every `BucketObjectAcls`. */
export const BUCKET_OBJECT_ACLS: readonly BucketObjectAcls[] = ['disabled', 'private', 'public-ignored'];

/** Days a `PrivateBucketProps.versioning` bucket keeps a version after it stops being current. */
const NONCURRENT_VERSION_DAYS = 30;
/** Days after which S3 aborts a multipart upload that was never completed, in a `versioning` bucket. */
const INCOMPLETE_UPLOAD_DAYS = 7;

/** A bucket policy statement refusing every request to the bucket and its objects made without TLS. */
export function denyInsecureTransport(bucketArn: string): PolicyStatement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: 's3:*',
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/**
 * An S3 bucket that is never public by itself: public ACLs and policies blocked or ignored, ACLs disabled
 * (bucket-owner-enforced ownership) unless `objectAcls` accepts the ACLs Serverpod sends, encrypted at rest
 * with SSE-S3, optionally with CORS for the app's origins, a policy refusing requests without TLS (`tlsOnly`) and
 * object versioning whose old versions expire after 30 days (`versioning`). Public reads, if any, go through
 * CloudFront with origin access control (`BucketDistribution`).
 */
export class PrivateBucket extends Construct {
  /** The S3 bucket. */
  public readonly bucket: S3Bucket;
  /** Its public access block. */
  public readonly publicAccessBlock: S3BucketPublicAccessBlock;
  /** Its object ownership setting (ACLs off, or accepted with `objectAcls`). */
  public readonly ownershipControls: S3BucketOwnershipControls;
  /** Its default encryption (SSE-S3). */
  public readonly encryption: S3BucketServerSideEncryptionConfigurationA;
  /** Present when `cors` is given. */
  public readonly cors?: S3BucketCorsConfiguration;
  /** The bucket policy refusing requests without TLS, with `tlsOnly`. */
  public readonly policy?: S3BucketPolicy;
  /** Its versioning (enabled), with `versioning`. */
  public readonly versioning?: S3BucketVersioningA;
  /** The lifecycle configuration expiring noncurrent versions and incomplete uploads, with `versioning`. */
  public readonly lifecycle?: S3BucketLifecycleConfiguration;

  constructor(scope: Construct, id: string, props: PrivateBucketProps) {
    super(scope, id);
    literalStrings(this);
    const problems = new ProblemCollector('props.');
    problems.check(/^[a-z0-9][a-z0-9-]*-?$/.test(props.namePrefix), 'namePrefix', props.namePrefix, 'lowercase letters, digits and hyphens, starting with a letter or digit');
    const objectAcls = props.objectAcls ?? 'disabled';
    problems.check(BUCKET_OBJECT_ACLS.includes(objectAcls), 'objectAcls', objectAcls, `one of ${BUCKET_OBJECT_ACLS.join(', ')}`);
    if (props.cors) checkCorsOrigins(problems, 'cors.origins', props.cors.origins, true);
    problems.throwIfAny(`PrivateBucket "${this.node.path}"`);
    this.bucket = new S3Bucket(this, 'Resource', { bucketPrefix: fitName(props.namePrefix, 37), forceDestroy: props.forceDestroy ?? false });
    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
      bucket: this.bucket.id,
      // Off only so that uploads carrying public-read are accepted; ignorePublicAcls keeps them without effect.
      blockPublicAcls: objectAcls !== 'public-ignored',
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    this.ownershipControls = new S3BucketOwnershipControls(this, 'Ownership', { bucket: this.bucket.id, rule: { objectOwnership: objectAcls === 'disabled' ? 'BucketOwnerEnforced' : 'BucketOwnerPreferred' } });
    // The ACL modes exist for Serverpod's S3CloudStorage (serverpod_cloud_storage_s3_compat 3.4, upload/
    // multipart_post_strategy.dart): every upload carries acl=private or acl=public-read.
    if (objectAcls !== 'disabled') {
      suppressGuardrails(this.ownershipControls, [
        { rule: 'AWS-S3-ACLS-ENABLED', reason: "Serverpod's S3CloudStorage sends an ACL (private or public-read) with every upload, which a bucket with ACLs disabled refuses", attributes: ['rule.object_ownership'] },
      ]);
    }
    if (objectAcls === 'public-ignored') {
      suppressGuardrails(this.publicAccessBlock, [
        {
          rule: 'AWS-S3-PUBLIC-ACCESS-BLOCK',
          reason: "Serverpod's S3CloudStorage uploads public files with acl=public-read, which block_public_acls would refuse; ignore_public_acls leaves that ACL without effect and public policies stay blocked",
          // The three other settings stay on: a finding on one of them is not this trade-off.
          attributes: ['block_public_acls'],
        },
      ]);
    }
    this.encryption = new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }],
    });
    if (props.cors) {
      this.cors = new S3BucketCorsConfiguration(this, 'Cors', {
        bucket: this.bucket.id,
        corsRule: [
          {
            allowedOrigins: [...props.cors.origins],
            allowedMethods: [...STORAGE_CORS_METHODS],
            allowedHeaders: ['*'],
            exposeHeaders: ['ETag'],
            maxAgeSeconds: STORAGE_CORS_MAX_AGE_SEC,
          },
        ],
      });
    }
    if (props.tlsOnly) {
      this.policy = new S3BucketPolicy(this, 'Policy', {
        bucket: this.bucket.id,
        policy: policyDocument([denyInsecureTransport(this.bucket.arn)]),
        // The public-access block must exist first, or S3 may judge the policy against no block at all.
        dependsOn: [this.publicAccessBlock],
      });
    }
    if (props.versioning) {
      this.versioning = new S3BucketVersioningA(this, 'Versioning', { bucket: this.bucket.id, versioningConfiguration: { status: 'Enabled' } });
      this.lifecycle = new S3BucketLifecycleConfiguration(this, 'Lifecycle', {
        bucket: this.bucket.id,
        rule: [
          {
            id: 'expire-noncurrent-versions',
            status: 'Enabled',
            // An empty filter: every object of the bucket.
            filter: [{}],
            noncurrentVersionExpiration: [{ noncurrentDays: NONCURRENT_VERSION_DAYS }],
            abortIncompleteMultipartUpload: [{ daysAfterInitiation: INCOMPLETE_UPLOAD_DAYS }],
          },
        ],
        // Versioning first, as the provider's documentation asks of a configuration with noncurrent-version rules.
        dependsOn: [this.versioning],
      });
    }
  }

  /** The bucket's name (prefix and S3's suffix). */
  get bucketName(): string {
    return this.bucket.bucket;
  }

  /** The bucket's ARN. */
  get arn(): string {
    return this.bucket.arn;
  }
}
