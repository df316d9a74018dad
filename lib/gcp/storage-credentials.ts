import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { ServiceAccount, StorageBucketIamMember, StorageHmacKey } from '../providers/google';
import { ProblemCollector } from '../validation';
import { Secret } from './secrets';
import { literalStrings } from '../terraform-strings';
import { suppressGuardrails } from '../guardrails/suppress';

/** Props of `StorageHmacCredentials`. */
export interface StorageHmacCredentialsProps {
  /** The GCP project id. */
  readonly project: string;
  /** Id of the service account the key belongs to: 6 to 30 lowercase letters, digits and hyphens, starting with a letter. */
  readonly accountId: string;
  /** Shown in the console, at most 100 characters. */
  readonly displayName: string;
  /** Buckets the key may read, write and delete objects in (`roles/storage.objectAdmin`), and no others. */
  readonly bucketNames: readonly string[];
  /**
   * Start of the two secret ids (`serverpod-production`): `<prefix>-storage-hmac-access-id` and
   * `<prefix>-storage-hmac-secret`.
   */
  readonly secretIdPrefix: string;
  /** Members that may read the two secrets (the servers' service account). */
  readonly readers: readonly string[];
}

const ACCOUNT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const SECRET_ID_PREFIX = /^[A-Za-z0-9_-]{1,230}$/;

/**
 * An HMAC key for Serverpod's `GoogleCloudStorage`, which talks to GCS's S3-compatible XML API and will not
 * start without one (passwords `HMACAccessKeyId` and `HMACSecretKey`). The key belongs to a service account of
 * its own that may use the given buckets' objects and nothing else: an HMAC key grants nothing but Cloud
 * Storage, and only what its account may do there. Its access id and secret are kept as two Secret Manager
 * secrets that only `readers` can read; they are in the Terraform state (keep it private), never in the
 * synthesized configuration.
 *
 * Rotate by replacing the key: `terraform apply -replace=<address of HmacKey>` creates the new key first, updates
 * both secrets, then deletes the old key, so running servers lose storage until they restart: roll the instance
 * group (or deploy a Cloud Run revision) right after the apply.
 */
export class StorageHmacCredentials extends Construct {
  /** The service account the key belongs to, allowed the buckets and nothing else. */
  public readonly serviceAccount: ServiceAccount;
  /** The `roles/storage.objectAdmin` grants, one a bucket (`Bucket0`, `Bucket1`, ...). */
  public readonly bucketGrants: readonly StorageBucketIamMember[];
  /** The HMAC key. */
  public readonly hmacKey: StorageHmacKey;
  /** The key's access id (Serverpod's `HMACAccessKeyId`). */
  public readonly accessKeyId: Secret;
  /** The key's secret (Serverpod's `HMACSecretKey`). */
  public readonly secretKey: Secret;

  constructor(scope: Construct, id: string, props: StorageHmacCredentialsProps) {
    super(scope, id);
    literalStrings(this);
    const problems = new ProblemCollector('props.');
    problems.check(ACCOUNT_ID.test(props.accountId), 'accountId', props.accountId, '6 to 30 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen');
    problems.check(props.displayName.length <= 100, 'displayName', props.displayName, 'at most 100 characters');
    problems.check(props.bucketNames.length >= 1, 'bucketNames', props.bucketNames, 'at least one bucket');
    problems.check(SECRET_ID_PREFIX.test(props.secretIdPrefix), 'secretIdPrefix', props.secretIdPrefix, 'letters, digits, - and _, at most 230 characters');
    problems.throwIfAny(`StorageHmacCredentials "${this.node.path}"`);

    this.serviceAccount = new ServiceAccount(this, 'ServiceAccount', { project: props.project, accountId: props.accountId, displayName: props.displayName });
    this.bucketGrants = props.bucketNames.map(
      (bucket, i) => new StorageBucketIamMember(this, `Bucket${i}`, { bucket, role: 'roles/storage.objectAdmin', member: this.serviceAccount.member }),
    );
    // A replaced key (rotation) exists beside the old one until the secrets hold it.
    this.hmacKey = new StorageHmacKey(this, 'HmacKey', { project: props.project, serviceAccountEmail: this.serviceAccount.email, lifecycle: { createBeforeDestroy: true } });
    suppressGuardrails(this.hmacKey, [
      {
        rule: 'GCP-GCS-HMAC-KEY',
        reason: "Serverpod's GoogleCloudStorage signs with HMAC only and throws at start without HMACAccessKeyId (3.4.12); the key's account may use only these buckets",
        attributes: ['service_account_email'],
      },
    ]);
    const secret = (id: string, secretId: string, value: string) => new Secret(this, id, { project: props.project, secretId: `${props.secretIdPrefix}-${secretId}`, value, readers: props.readers });
    this.accessKeyId = secret('AccessKeyId', 'storage-hmac-access-id', this.hmacKey.accessId);
    this.secretKey = secret('SecretKey', 'storage-hmac-secret', this.hmacKey.secret);
  }

  /** Both secrets' versions and read grants and the bucket grants: what a server using the key must wait for. */
  get readyToUse(): ITerraformDependable[] {
    return [...this.accessKeyId.readyToRead, ...this.secretKey.readyToRead, ...this.bucketGrants];
  }
}
