import { Construct } from 'constructs';
import { S3Bucket, S3BucketOwnershipControls, S3BucketPublicAccessBlock, S3BucketServerSideEncryptionConfigurationA } from '../providers/aws';
import { ProblemCollector } from '../validation';
import { fitName } from './common';

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
}

/**
 * An S3 bucket that is never public by itself: every public-access block on, ACLs disabled
 * (bucket-owner-enforced ownership), encrypted at rest with SSE-S3. Public reads, if any, go through
 * CloudFront with origin access control (`BucketDistribution`).
 */
export class PrivateBucket extends Construct {
  public readonly bucket: S3Bucket;
  public readonly publicAccessBlock: S3BucketPublicAccessBlock;
  public readonly ownershipControls: S3BucketOwnershipControls;
  public readonly encryption: S3BucketServerSideEncryptionConfigurationA;

  constructor(scope: Construct, id: string, props: PrivateBucketProps) {
    super(scope, id);
    const problems = new ProblemCollector('props.');
    problems.check(/^[a-z0-9][a-z0-9-]*-?$/.test(props.namePrefix), 'namePrefix', props.namePrefix, 'lowercase letters, digits and hyphens, starting with a letter or digit');
    problems.throwIfAny(`PrivateBucket "${this.node.path}"`);
    this.bucket = new S3Bucket(this, 'Resource', { bucketPrefix: fitName(props.namePrefix, 37), forceDestroy: props.forceDestroy ?? false });
    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    this.ownershipControls = new S3BucketOwnershipControls(this, 'Ownership', { bucket: this.bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    this.encryption = new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }],
    });
  }

  get bucketName(): string {
    return this.bucket.bucket;
  }

  get arn(): string {
    return this.bucket.arn;
  }
}
