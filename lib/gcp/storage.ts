import { Construct } from 'constructs';
import { STORAGE_CORS_MAX_AGE_SEC, STORAGE_CORS_METHODS, checkCorsOrigins } from '../cors';
import { StorageBucket, StorageBucketIamMember, StorageDefaultObjectAcl } from '../providers/google';
import { ProblemCollector } from '../validation';
import { literalStrings } from '../terraform-strings';
import { suppressGuardrails } from '../guardrails/suppress';

/** Props of `ServerBuckets`. */
export interface ServerBucketsProps {
  /** The GCP project id. */
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
  /**
   * Accept the object ACL an upload carries (fine-grained access) instead of refusing the request (uniform
   * bucket-level access). Serverpod's `GoogleCloudStorage` 3.4+ sends none, so the default, uniform access, is
   * all it needs. Up to 3.3.1 it sends `acl` = `public-read` / `private` on every upload, and
   * `NativeGoogleCloudStorage` sends `predefinedAcl: publicRead` and a signed `x-goog-acl` header; a bucket with
   * uniform access refuses all of them, so those need `true`. Accepting them changes nobody's access: the public
   * bucket is readable by everyone anyway (an IAM grant, whatever an object's ACL says); the private bucket has
   * public access prevention enforced, so no ACL can make one of its objects public, and an empty default
   * object ACL, so an object uploaded without one is not readable by the project's viewers (GCS's default,
   * `projectPrivate`, would make it so).
   *
   * GCS makes uniform access permanent once a bucket has had it for 90 days: such a bucket cannot be switched to
   * `true`. Changing this on a younger bucket updates it in place.
   * @default false
   */
  readonly objectAcls?: boolean;
  /**
   * Origins (`https://app.example.com`) whose pages may read and upload straight to both buckets: Flutter web
   * loads images with fetch, and direct uploads go from the browser to the bucket. Each is `https://`, a DNS
   * name and an optional port, without a path; `*` is refused.
   * @default - none: no CORS, so browsers on other origins can neither fetch from nor upload to the buckets
   */
  readonly corsOrigins?: readonly string[];
}

const BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;

/**
 * Serverpod's two buckets: a public one whose objects anyone may read but nobody may list (`allUsers` has
 * `roles/storage.legacyObjectReader`, object reads only; it is served at `storage.` through the load
 * balancer), and a private one with public access prevention enforced and object versioning. Uniform access by
 * default; with `objectAcls` both accept the object ACLs older Serverpod uploads carry without becoming more or
 * less public. With `corsOrigins`, browsers on the app's own origins may fetch from and upload to them, and any
 * page may fetch the public bucket's objects.
 */
export class ServerBuckets extends Construct {
  /** The public bucket (served at `storage.`). */
  public readonly publicBucket: StorageBucket;
  /** The private bucket. */
  public readonly privateBucket: StorageBucket;
  /** The private bucket's empty default object ACL, with `objectAcls`. */
  public readonly privateDefaultObjectAcl?: StorageDefaultObjectAcl;
  private writerCount = 0;

  constructor(scope: Construct, id: string, props: ServerBucketsProps) {
    super(scope, id);
    literalStrings(this);
    const problems = new ProblemCollector('props.');
    for (const field of ['publicBucketName', 'privateBucketName'] as const) {
      const name = props[field];
      problems.check(BUCKET.test(name) && !name.split('.').some((part) => part.length > 63), field, name, 'a bucket name: lowercase letters, digits, dots, hyphens, underscores; dot-separated parts of at most 63 characters');
    }
    const corsOrigins = props.corsOrigins ?? [];
    checkCorsOrigins(problems, 'corsOrigins', corsOrigins, false);
    problems.throwIfAny(`ServerBuckets "${this.node.path}"`);

    const objectAcls = props.objectAcls ?? false;
    const common = {
      project: props.project,
      location: props.location,
      storageClass: props.storageClass ?? 'STANDARD',
      uniformBucketLevelAccess: !objectAcls,
      forceDestroy: props.forceDestroy ?? false,
      cors: corsOrigins.length
        ? [
            {
              origin: [...corsOrigins],
              method: [...STORAGE_CORS_METHODS],
              // What a direct upload's preflight asks for (NativeGoogleCloudStorage sends x-goog-if-generation-match with
              // preventOverwrite, native_google_cloud_storage.dart @ 3.4.12) and what the app reads back.
              responseHeader: ['Content-Type', 'Content-Length', 'ETag', 'x-goog-acl', 'x-goog-content-length-range', 'x-goog-if-generation-match'],
              maxAgeSeconds: STORAGE_CORS_MAX_AGE_SEC,
            },
          ]
        : undefined,
    };
    this.publicBucket = new StorageBucket(this, 'Public', {
      ...common,
      name: props.publicBucketName,
      publicAccessPrevention: 'inherited',
      // Public objects may be fetched from any page (a static site elsewhere, local development), read only.
      cors: common.cors && [...common.cors, { origin: ['*'], method: ['GET', 'HEAD'], responseHeader: ['Content-Type', 'ETag'], maxAgeSeconds: STORAGE_CORS_MAX_AGE_SEC }],
    });
    this.privateBucket = new StorageBucket(this, 'Private', {
      ...common,
      name: props.privateBucketName,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: true },
      // Old versions are for recovering mistakes, not for keeping forever.
      lifecycleRule: [{ action: { type: 'Delete' }, condition: { daysSinceNoncurrentTime: 30, withState: 'ARCHIVED' } }],
    });
    suppressGuardrails(this.publicBucket, [
      { rule: 'GCP-GCS-PUBLIC-ACCESS-PREVENTION', reason: 'the public bucket serves its objects to anyone (storage. host); public access prevention would refuse the allUsers read grant', attributes: ['public_access_prevention'] },
      { rule: 'GCP-GCS-VERSIONING', reason: 'allUsers may read any generation of an object, so old versions would keep a deleted or replaced public upload readable', attributes: ['versioning.enabled'] },
    ]);
    if (objectAcls) {
      const why = "objectAcls: Serverpod's GoogleCloudStorage up to 3.3.1 sends acl public-read/private and NativeGoogleCloudStorage predefinedAcl/x-goog-acl, which uniform access refuses";
      suppressGuardrails(this.publicBucket, [{ rule: 'GCP-GCS-UNIFORM-ACCESS', reason: why, attributes: ['uniform_bucket_level_access'] }]);
      suppressGuardrails(this.privateBucket, [{ rule: 'GCP-GCS-UNIFORM-ACCESS', reason: `${why}; public access prevention keeps every object private`, attributes: ['uniform_bucket_level_access'] }]);
      // With fine-grained access, an object uploaded without an ACL gets the bucket's default object ACL: none here,
      // so it stays its uploader's (and IAM's), not every project viewer's as GCS's default would make it.
      this.privateDefaultObjectAcl = new StorageDefaultObjectAcl(this, 'PrivateDefaultObjectAcl', { bucket: this.privateBucket.name, roleEntity: [] });
    }
    // Object reads only: roles/storage.objectViewer would also let anyone list every object in the bucket.
    const publicRead = new StorageBucketIamMember(this, 'PublicRead', { bucket: this.publicBucket.name, role: 'roles/storage.legacyObjectReader', member: 'allUsers' });
    suppressGuardrails(publicRead, [
      { rule: 'GCP-IAM-PUBLIC-MEMBER', reason: "Serverpod's public storage serves uploads to anyone by URL; legacyObjectReader reads objects by name and cannot list them", attributes: ['member'] },
    ]);
    for (const member of props.writers ?? []) this.grantWrite(member);
  }

  /** Lets `member` read, write and delete objects in both buckets. */
  grantWrite(member: string): void {
    const n = this.writerCount++;
    new StorageBucketIamMember(this, `PublicWriter${n}`, { bucket: this.publicBucket.name, role: 'roles/storage.objectAdmin', member });
    new StorageBucketIamMember(this, `PrivateWriter${n}`, { bucket: this.privateBucket.name, role: 'roles/storage.objectAdmin', member });
  }
}
