import { Construct } from 'constructs';
import { STORAGE_CORS_MAX_AGE_SEC, STORAGE_CORS_METHODS, checkCorsOrigins } from '../cors';
import {
  S3Bucket,
  S3BucketCorsConfiguration,
  S3BucketOwnershipControls,
  S3BucketPublicAccessBlock,
  S3BucketServerSideEncryptionConfigurationA,
} from '../providers/aws';
import { ProblemCollector } from '../validation';
import { fitName } from './common';
import { literalStrings } from '../terraform-strings';

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
}

/** How a `PrivateBucket` treats object ACLs in requests; see `PrivateBucketProps.objectAcls`. */
export type BucketObjectAcls = 'disabled' | 'private' | 'public-ignored';

/** Every `BucketObjectAcls`. */
export const BUCKET_OBJECT_ACLS: readonly BucketObjectAcls[] = ['disabled', 'private', 'public-ignored'];

/**
 * An S3 bucket that is never public by itself: public ACLs and policies blocked or ignored, ACLs disabled
 * (bucket-owner-enforced ownership) unless `objectAcls` accepts the ACLs Serverpod sends, encrypted at rest
 * with SSE-S3, optionally with CORS for the app's origins. Public reads, if any, go through CloudFront with
 * origin access control (`BucketDistribution`).
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
