import { Construct } from 'constructs';
import { IamAccessKey, IamUser, IamUserPolicy, SecretsmanagerSecret, SecretsmanagerSecretVersion } from '../providers/aws';
import { ProblemCollector } from '../validation';
import { fitName, partitionOf, policyDocument } from './common';
import { literalStrings } from '../terraform-strings';
import { suppressGuardrails } from '../guardrails/suppress';

/** Props of `StorageAccessKey`. */
export interface StorageAccessKeyProps {
  /** IAM user name (at most 64 characters; longer names are shortened with a hash). */
  readonly name: string;
  /** Region, for the ARN partition the bucket ARNs must be in. */
  readonly region: string;
  /** ARNs of the buckets the key may use (`arn:aws:s3:::name`); no other bucket. */
  readonly bucketArns: readonly string[];
  /**
   * Start of the two secret names (`serverpod-production-secrets`): `<prefix>/AWSAccessKeyId` and
   * `<prefix>/AWSSecretKey`, Serverpod's password names.
   */
  readonly secretNamePrefix: string;
  /**
   * Days a deleted secret can be restored: 0 (deleted at once) or 7 to 30. The key is deleted with its user, so a
   * restored secret would hold a dead key, and a window only keeps the names from being used again meanwhile.
   * @default 0
   */
  readonly recoveryWindowInDays?: number;
}

/**
 * An access key for Serverpod's `S3CloudStorage`, which signs with an access-key pair (passwords
 * `AWSAccessKeyId` and `AWSSecretKey`) and never uses the instance role. The key belongs to an IAM user of
 * its own (path `/cdktf-serverpod/`) that may list and locate the given buckets and get, put (with an ACL)
 * and delete their objects, nothing else. The key id and secret are kept as two Secrets Manager secrets for
 * the servers to read at boot. The secret is in the Terraform state (keep the state private and encrypted),
 * never in the synthesized configuration.
 *
 * Rotate with `terraform apply -replace=<address of the access key>`: the new key is created first, both
 * secrets get new versions, then the old key is deleted, so running servers lose storage until they restart:
 * start an instance refresh right after the apply.
 */
export class StorageAccessKey extends Construct {
  /** The IAM user the key belongs to. */
  public readonly user: IamUser;
  /** Its inline policy: the buckets and nothing else. */
  public readonly policy: IamUserPolicy;
  /** The access key. */
  public readonly accessKey: IamAccessKey;
  /** The secret holding the key's id (Serverpod's `AWSAccessKeyId`). */
  public readonly accessKeyIdSecret: SecretsmanagerSecret;
  /** Its value. */
  public readonly accessKeyIdValue: SecretsmanagerSecretVersion;
  /** The secret holding the key's secret (Serverpod's `AWSSecretKey`). */
  public readonly secretKeySecret: SecretsmanagerSecret;
  /** Its value. */
  public readonly secretKeyValue: SecretsmanagerSecretVersion;

  constructor(scope: Construct, id: string, props: StorageAccessKeyProps) {
    super(scope, id);
    literalStrings(this);
    const recoveryWindow = props.recoveryWindowInDays ?? 0;
    const partition = partitionOf(props.region);
    const problems = new ProblemCollector('props.');
    problems.check(/^[\w+=,.@-]+$/.test(props.name), 'name', props.name, 'letters, digits and _+=,.@-');
    problems.check(props.bucketArns.length >= 1, 'bucketArns', props.bucketArns, 'at least one bucket ARN');
    props.bucketArns.forEach((arn, i) => {
      problems.check(new RegExp(`^arn:${partition}:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`).test(arn), `bucketArns[${i}]`, arn, `a bucket ARN such as arn:${partition}:s3:::name`);
    });
    problems.check(/^[A-Za-z0-9/_+=.@-]{1,490}$/.test(props.secretNamePrefix), 'secretNamePrefix', props.secretNamePrefix, 'letters, digits and /_+=.@-, at most 490 characters');
    problems.check(recoveryWindow === 0 || (Number.isInteger(recoveryWindow) && recoveryWindow >= 7 && recoveryWindow <= 30), 'recoveryWindowInDays', recoveryWindow, '0 or a whole number from 7 to 30');
    problems.throwIfAny(`StorageAccessKey "${this.node.path}"`);

    const userName = fitName(props.name, 64);
    this.user = new IamUser(this, 'User', { name: userName, path: '/cdktf-serverpod/' });
    this.policy = new IamUserPolicy(this, 'Policy', {
      name: 'storage',
      user: this.user.name,
      policy: policyDocument([
        { Sid: 'Buckets', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: [...props.bucketArns] },
        { Sid: 'Objects', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:PutObjectAcl', 's3:DeleteObject'], Resource: props.bucketArns.map((arn) => `${arn}/*`) },
      ]),
    });
    // A replaced key (rotation) exists beside the old one until the secrets hold it: a user may have two.
    this.accessKey = new IamAccessKey(this, 'Key', { user: this.user.name, lifecycle: { createBeforeDestroy: true } });
    // serverpod_cloud_storage_s3 3.4 (s3_cloud_storage.dart) loads AWSAccessKeyId and AWSSecretKey and signs with them.
    const why = "Serverpod's S3CloudStorage signs with an access-key pair (passwords AWSAccessKeyId and AWSSecretKey) and cannot use the instance role";
    suppressGuardrails(this.policy, [{ rule: 'AWS-IAM-USER-POLICY', reason: `${why}; this user exists only for that key, limited to the given buckets` }]);
    suppressGuardrails(this.accessKey, [{ rule: 'AWS-IAM-ACCESS-KEY', reason: `${why}; the key is kept in Secrets Manager and rotated with -replace` }]);

    const secret = (id: string, key: string, value: string): [SecretsmanagerSecret, SecretsmanagerSecretVersion] => {
      const s = new SecretsmanagerSecret(this, `${id}Secret`, {
        name: `${props.secretNamePrefix}/${key}`,
        description: `${key} of the S3 access key of IAM user ${userName}, for Serverpod's S3CloudStorage`,
        recoveryWindowInDays: recoveryWindow,
      });
      return [s, new SecretsmanagerSecretVersion(this, `${id}Value`, { secretId: s.id, secretString: value })];
    };
    [this.accessKeyIdSecret, this.accessKeyIdValue] = secret('AccessKeyId', 'AWSAccessKeyId', this.accessKey.id);
    [this.secretKeySecret, this.secretKeyValue] = secret('SecretKey', 'AWSSecretKey', this.accessKey.secret);
  }

  /** ARN of the secret holding the key id (Serverpod's `AWSAccessKeyId`). */
  get accessKeyIdSecretArn(): string {
    return this.accessKeyIdSecret.arn;
  }

  /** ARN of the secret holding the key's secret (Serverpod's `AWSSecretKey`). */
  get secretKeySecretArn(): string {
    return this.secretKeySecret.arn;
  }
}
