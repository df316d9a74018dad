import { Construct } from 'constructs';
import { StorageBucket, StorageBucketIamMember } from '../providers/google';
import { ProblemCollector } from '../validation';

export interface ServerBucketsProps {
  readonly project: string;
  /** Region or multi-region (`US`). Keep it in the servers' region for speed and no egress between regions. */
  readonly location: string;
  /** Name of the public bucket (served at `storage.`). */
  readonly publicBucketName: string;
  /** Name of the private bucket. */
  readonly privateBucketName: string;
  /** @default 'STANDARD' */
  readonly storageClass?: 'STANDARD' | 'NEARLINE' | 'COLDLINE' | 'ARCHIVE';
  /**
   * Allow `terraform destroy` to delete buckets that still hold objects. Staging only, if at all.
   * @default false
   */
  readonly forceDestroy?: boolean;
  /** Members given `roles/storage.objectAdmin` on both buckets (the servers). @default [] */
  readonly writers?: readonly string[];
}

const BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;

/**
 * Serverpod's two buckets: a public one whose objects anyone may read (it is served at `storage.` through
 * the load balancer), and a private one with public access prevented and object versioning. Both use
 * uniform bucket-level access (no per-object ACLs).
 */
export class ServerBuckets extends Construct {
  public readonly publicBucket: StorageBucket;
  public readonly privateBucket: StorageBucket;
  private writerCount = 0;

  constructor(scope: Construct, id: string, props: ServerBucketsProps) {
    super(scope, id);
    const problems = new ProblemCollector('props.');
    for (const field of ['publicBucketName', 'privateBucketName'] as const) {
      const name = props[field];
      problems.check(BUCKET.test(name) && !name.split('.').some((part) => part.length > 63), field, name, 'a bucket name: lowercase letters, digits, dots, hyphens, underscores; dot-separated parts of at most 63 characters');
    }
    problems.throwIfAny(`ServerBuckets "${this.node.path}"`);

    const common = {
      project: props.project,
      location: props.location,
      storageClass: props.storageClass ?? 'STANDARD',
      uniformBucketLevelAccess: true,
      forceDestroy: props.forceDestroy ?? false,
    };
    this.publicBucket = new StorageBucket(this, 'Public', { ...common, name: props.publicBucketName, publicAccessPrevention: 'inherited' });
    this.privateBucket = new StorageBucket(this, 'Private', {
      ...common,
      name: props.privateBucketName,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: true },
      // Old versions are for recovering mistakes, not for keeping forever.
      lifecycleRule: [{ action: { type: 'Delete' }, condition: { daysSinceNoncurrentTime: 30, withState: 'ARCHIVED' } }],
    });
    new StorageBucketIamMember(this, 'PublicRead', { bucket: this.publicBucket.name, role: 'roles/storage.objectViewer', member: 'allUsers' });
    for (const member of props.writers ?? []) this.grantWrite(member);
  }

  /** Lets `member` read, write and delete objects in both buckets. */
  grantWrite(member: string): void {
    const n = this.writerCount++;
    new StorageBucketIamMember(this, `PublicWriter${n}`, { bucket: this.publicBucket.name, role: 'roles/storage.objectAdmin', member });
    new StorageBucketIamMember(this, `PrivateWriter${n}`, { bucket: this.privateBucket.name, role: 'roles/storage.objectAdmin', member });
  }
}
