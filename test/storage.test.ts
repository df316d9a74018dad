import { TerraformOutput } from 'cdktf';
import { aws, gcp } from '../lib';
import { awsTestStack, gcpTestStack, only, validationErrorOf } from './helpers/assert';
import { danglingReferences } from './helpers/references';
import { StackJson, resourcesOfType, synthJson } from './helpers/synth';

const PROJECT = 'p-123456';

/** The resources of `type` by their Terraform name (construct path plus hash). */
function named(json: StackJson, type: string): [string, Record<string, any>][] {
  return Object.entries(json.resource?.[type] ?? {});
}

/** The one resource of `type` whose Terraform name starts with `prefix` (`creds_HmacKey_`). */
function byName(json: StackJson, type: string, prefix: string): { name: string; body: Record<string, any> } {
  const found = named(json, type).filter(([name]) => name.startsWith(prefix));
  expect(found).toHaveLength(1);
  return { name: found[0][0], body: found[0][1] };
}

describe('gcp.ServerBuckets: access and CORS', () => {
  const build = (extra: Partial<gcp.ServerBucketsProps> = {}) => {
    const stack = gcpTestStack();
    new gcp.ServerBuckets(stack, 'b', { project: PROJECT, location: 'us-central1', publicBucketName: 'pod-public', privateBucketName: 'pod-private', ...extra });
    const json = synthJson(stack);
    const buckets = resourcesOfType(json, 'google_storage_bucket');
    return { json, pub: buckets.find((b) => b.name === 'pod-public')!, priv: buckets.find((b) => b.name === 'pod-private')! };
  };

  it('lets everyone read the public bucket’s objects but not list them, under the same construct id', () => {
    const { json } = build();
    const publicGrants = resourcesOfType(json, 'google_storage_bucket_iam_member').filter((m) => m.member === 'allUsers');
    expect(publicGrants).toHaveLength(1);
    expect(publicGrants[0].role).toBe('roles/storage.legacyObjectReader');
    expect(publicGrants[0].bucket).toMatch(/^\$\{google_storage_bucket\.b_Public_[A-Za-z0-9]+\.name\}$/);
    expect(resourcesOfType(json, 'google_storage_bucket_iam_member').some((m) => m.member === 'allUsers' && m.role === 'roles/storage.objectViewer')).toBe(false);
    expect(byName(json, 'google_storage_bucket_iam_member', 'b_PublicRead_').body.member).toBe('allUsers');
  });

  it('keeps uniform bucket-level access on both by default (Serverpod 3.4 sends no ACL)', () => {
    const { pub, priv, json } = build();
    expect(pub.uniform_bucket_level_access).toBe(true);
    expect(priv.uniform_bucket_level_access).toBe(true);
    expect(resourcesOfType(json, 'google_storage_default_object_acl')).toEqual([]);
  });

  it('accepts object ACLs (fine-grained access) on both with objectAcls, an object without one staying its uploader\'s', () => {
    const { pub, priv, json } = build({ objectAcls: true });
    expect(pub.uniform_bucket_level_access).toBe(false);
    expect(priv.uniform_bucket_level_access).toBe(false);
    // GCS's default object ACL (projectPrivate) would let every project viewer read the private bucket's objects.
    expect(resourcesOfType(json, 'google_storage_default_object_acl')).toEqual([{ bucket: expect.stringMatching(/google_storage_bucket\.b_Private_/), role_entity: [] }]);
  });

  it('enforces public access prevention on the private bucket only, whatever objectAcls is', () => {
    for (const objectAcls of [undefined, true, false]) {
      const { pub, priv } = build({ objectAcls });
      expect(priv.public_access_prevention).toBe('enforced');
      expect(pub.public_access_prevention).toBe('inherited');
    }
  });

  it('has no CORS unless origins are given', () => {
    const { pub, priv } = build();
    expect(pub).not.toHaveProperty('cors');
    expect(priv).not.toHaveProperty('cors');
    expect(build({ corsOrigins: [] }).pub).not.toHaveProperty('cors');
  });

  it('lets the given origins read and upload to both buckets', () => {
    const { pub, priv, json } = build({ corsOrigins: ['https://app.example.com', 'https://example.com:8443'] });
    const expected = [
      {
        origin: ['https://app.example.com', 'https://example.com:8443'],
        method: ['GET', 'HEAD', 'PUT', 'POST'],
        response_header: ['Content-Type', 'Content-Length', 'ETag', 'x-goog-acl', 'x-goog-content-length-range', 'x-goog-if-generation-match'],
        max_age_seconds: 3600,
      },
    ];
    expect(priv.cors).toEqual(expected);
    // Public objects may be fetched, read only, from any page.
    expect(pub.cors).toEqual([...expected, { origin: ['*'], method: ['GET', 'HEAD'], response_header: ['Content-Type', 'ETag'], max_age_seconds: 3600 }]);
    expect(danglingReferences(json)).toEqual([]);
  });

  it('refuses a wildcard, plain http, a path and a trailing slash, naming each origin', () => {
    const message = validationErrorOf(() =>
      build({ corsOrigins: ['*', 'http://app.example.com', 'https://app.example.com/upload', 'https://app.example.com/', 'https://App.example.com', 'https://app.example.com'] }),
    );
    expect(message).toContain('ServerBuckets "test/b" has 5 problems');
    expect(message).toContain('props.corsOrigins[0]: got "*"; expected an origin such as https://app.example.com');
    expect(message).toContain('props.corsOrigins[1]: got "http://app.example.com"');
    expect(message).toContain('props.corsOrigins[2]: got "https://app.example.com/upload"');
    expect(message).toContain('props.corsOrigins[3]: got "https://app.example.com/"');
    expect(message).toContain('props.corsOrigins[4]: got "https://App.example.com"');
    expect(message).not.toContain('corsOrigins[5]');
  });
});

describe('gcp.StorageHmacCredentials', () => {
  const props: gcp.StorageHmacCredentialsProps = {
    project: PROJECT,
    accountId: 'pod-production-storage',
    displayName: 'Serverpod storage (production)',
    bucketNames: ['pod-public', 'pod-private'],
    secretIdPrefix: 'serverpod-production',
    readers: ['serviceAccount:vm@p-123456.iam.gserviceaccount.com'],
  };
  const stack = gcpTestStack();
  new gcp.StorageHmacCredentials(stack, 'creds', props);
  const json = synthJson(stack);
  const account = byName(json, 'google_service_account', 'creds_ServiceAccount_');
  const key = byName(json, 'google_storage_hmac_key', 'creds_HmacKey_');

  it('creates the account the key belongs to', () => {
    expect(account.body.account_id).toBe('pod-production-storage');
    expect(account.body.display_name).toBe('Serverpod storage (production)');
    expect(account.body.project).toBe(PROJECT);
    expect(key.body.service_account_email).toBe(`\${google_service_account.${account.name}.email}`);
    expect(key.body.project).toBe(PROJECT);
  });

  it('grants the account objectAdmin on the given buckets and nothing else', () => {
    const grants = named(json, 'google_storage_bucket_iam_member');
    expect(grants.map(([name]) => name.replace(/_[A-Za-z0-9]+$/, '')).sort()).toEqual(['creds_Bucket0', 'creds_Bucket1']);
    expect(grants.map(([, g]) => g.bucket).sort()).toEqual(['pod-private', 'pod-public']);
    for (const [, grant] of grants) {
      expect(grant.role).toBe('roles/storage.objectAdmin');
      expect(grant.member).toBe(`\${google_service_account.${account.name}.member}`);
    }
    expect(json.resource.google_project_iam_member).toBeUndefined();
  });

  it('keeps the access id and secret in two secrets filled from the key, never as literals', () => {
    const secrets = resourcesOfType(json, 'google_secret_manager_secret').map((s) => s.secret_id);
    expect(secrets.sort()).toEqual(['serverpod-production-storage-hmac-access-id', 'serverpod-production-storage-hmac-secret']);
    const accessId = byName(json, 'google_secret_manager_secret_version', 'creds_AccessKeyId_Version_');
    const secret = byName(json, 'google_secret_manager_secret_version', 'creds_SecretKey_Version_');
    expect(accessId.body.secret_data).toContain('${google_storage_hmac_key.');
    expect(secret.body.secret_data).toContain('${google_storage_hmac_key.');
    expect(accessId.body.secret_data).toBe(`\${google_storage_hmac_key.${key.name}.access_id}`);
    expect(secret.body.secret_data).toBe(`\${google_storage_hmac_key.${key.name}.secret}`);
    expect(json.resource.random_password).toBeUndefined();
  });

  it('lets only the readers read the two secrets', () => {
    const readers = resourcesOfType(json, 'google_secret_manager_secret_iam_member');
    expect(readers).toHaveLength(2);
    for (const reader of readers) {
      expect(reader.member).toBe('serviceAccount:vm@p-123456.iam.gserviceaccount.com');
      expect(reader.role).toBe('roles/secretmanager.secretAccessor');
    }
    expect(danglingReferences(json)).toEqual([]);
  });

  it('refuses a bad account id, no buckets and a bad secret prefix', () => {
    const message = validationErrorOf(() => new gcp.StorageHmacCredentials(gcpTestStack(), 'c', { ...props, accountId: 'short', bucketNames: [], secretIdPrefix: 'a/b' }));
    expect(message).toContain('has 3 problems');
    expect(message).toContain('props.accountId: got "short"; expected 6 to 30 lowercase letters');
    expect(message).toContain('props.bucketNames: got []; expected at least one bucket');
    expect(message).toContain('props.secretIdPrefix: got "a/b"');
    expect(validationErrorOf(() => new gcp.StorageHmacCredentials(gcpTestStack(), 'c', { ...props, accountId: 'a'.repeat(31) }))).toContain('props.accountId');
    expect(validationErrorOf(() => new gcp.StorageHmacCredentials(gcpTestStack(), 'c', { ...props, accountId: 'Pod_storage' }))).toContain('props.accountId: got "Pod_storage"');
  });
});

describe('aws.PrivateBucket: object ACLs and CORS', () => {
  const BUCKET_NAME = /^bucket_[0-9A-F]{8}$/;
  const BUCKET_REF = /^\$\{aws_s3_bucket\.bucket_[0-9A-F]{8}\.id\}$/;
  const build = (extra: Partial<aws.PrivateBucketProps> = {}) => {
    const stack = awsTestStack();
    new aws.PrivateBucket(stack, 'bucket', { namePrefix: 'p-production-public-', ...extra });
    const json = synthJson(stack);
    return { json, block: only(json, 'aws_s3_bucket_public_access_block'), ownership: only(json, 'aws_s3_bucket_ownership_controls').rule.object_ownership };
  };

  // Expected values written out per mode: [ownership, blockPublicAcls, ignorePublicAcls, blockPublicPolicy, restrictPublicBuckets].
  const modes: [string, Partial<aws.PrivateBucketProps>, string, boolean, boolean, boolean, boolean][] = [
    ['default (disabled): ACLs off, everything blocked', {}, 'BucketOwnerEnforced', true, true, true, true],
    ['disabled: ACLs off, everything blocked', { objectAcls: 'disabled' }, 'BucketOwnerEnforced', true, true, true, true],
    ['private: ACLs accepted, a public one refused, everything blocked', { objectAcls: 'private' }, 'BucketOwnerPreferred', true, true, true, true],
    ['public-ignored: a public-read ACL accepted but ignored, public policies blocked', { objectAcls: 'public-ignored' }, 'BucketOwnerPreferred', false, true, true, true],
  ];
  it.each(modes)('%s', (_title, extra, expectedOwnership, blockAcls, ignoreAcls, blockPolicy, restrict) => {
    const { block, ownership } = build(extra);
    expect(ownership).toBe(expectedOwnership);
    expect(block.block_public_acls).toBe(blockAcls);
    expect(block.ignore_public_acls).toBe(ignoreAcls);
    expect(block.block_public_policy).toBe(blockPolicy);
    expect(block.restrict_public_buckets).toBe(restrict);
  });

  it('keeps the existing construct ids', () => {
    const { json } = build({ objectAcls: 'public-ignored', cors: { origins: ['https://app.example.com'] } });
    // cdktf leaves the id `Resource` out of the Terraform name: the bucket is `bucket_<hash>`.
    expect(Object.keys(json.resource.aws_s3_bucket)).toEqual([expect.stringMatching(BUCKET_NAME)]);
    expect(byName(json, 'aws_s3_bucket_public_access_block', 'bucket_PublicAccessBlock_').body.bucket).toMatch(BUCKET_REF);
    expect(byName(json, 'aws_s3_bucket_ownership_controls', 'bucket_Ownership_').body.bucket).toMatch(BUCKET_REF);
  });

  it('has no CORS configuration unless origins are given', () => {
    expect(build().json.resource.aws_s3_bucket_cors_configuration).toBeUndefined();
  });

  it('lets the given origins read and upload, exposing ETag', () => {
    const { json } = build({ cors: { origins: ['https://app.example.com', 'https://example.com'] } });
    const cors = byName(json, 'aws_s3_bucket_cors_configuration', 'bucket_Cors_').body;
    expect(cors.bucket).toMatch(BUCKET_REF);
    expect(cors.cors_rule).toHaveLength(1);
    expect(cors.cors_rule[0].allowed_origins).toEqual(['https://app.example.com', 'https://example.com']);
    expect(cors.cors_rule[0].allowed_methods).toEqual(['GET', 'HEAD', 'PUT', 'POST']);
    expect(cors.cors_rule[0].allowed_headers).toEqual(['*']);
    expect(cors.cors_rule[0].expose_headers).toEqual(['ETag']);
    expect(cors.cors_rule[0].max_age_seconds).toBe(3600);
    expect(danglingReferences(json)).toEqual([]);
  });

  it('refuses bad origins, no origins and an unknown ACL mode', () => {
    const message = validationErrorOf(() => build({ cors: { origins: ['*', 'http://app.example.com', 'https://app.example.com/path'] } }));
    expect(message).toContain('PrivateBucket "test/bucket" has 3 problems');
    expect(message).toContain('props.cors.origins[0]: got "*"; expected an origin such as https://app.example.com');
    expect(message).toContain('props.cors.origins[1]: got "http://app.example.com"');
    expect(message).toContain('props.cors.origins[2]: got "https://app.example.com/path"');
    expect(validationErrorOf(() => build({ cors: { origins: [] } }))).toContain('props.cors.origins: got []; expected at least one origin');
    expect(validationErrorOf(() => build({ objectAcls: 'public' as aws.BucketObjectAcls }))).toContain('props.objectAcls: got "public"; expected one of disabled, private, public-ignored');
  });
});

describe('aws.PrivateBucket: versioning', () => {
  const BUCKET_REF = /^\$\{aws_s3_bucket\.bucket_[0-9A-F]{8}\.id\}$/;
  const build = (extra: Partial<aws.PrivateBucketProps> = {}) => {
    const stack = awsTestStack();
    const bucket = new aws.PrivateBucket(stack, 'bucket', { namePrefix: 'p-production-private-', ...extra });
    return { bucket, json: synthJson(stack) };
  };

  it('is off by default: no versioning and no lifecycle configuration', () => {
    for (const extra of [{}, { versioning: false }]) {
      const { bucket, json } = build(extra);
      expect(json.resource.aws_s3_bucket_versioning).toBeUndefined();
      expect(json.resource.aws_s3_bucket_lifecycle_configuration).toBeUndefined();
      expect(bucket.versioning).toBeUndefined();
      expect(bucket.lifecycle).toBeUndefined();
    }
  });

  it('keeps versions, deleting one 30 days after it stops being current (as the GCP private bucket) and incomplete uploads after 7', () => {
    const { json } = build({ versioning: true });
    const versioning = byName(json, 'aws_s3_bucket_versioning', 'bucket_Versioning_');
    expect(versioning.body).toEqual({ bucket: expect.stringMatching(BUCKET_REF), versioning_configuration: { status: 'Enabled' } });
    const lifecycle = byName(json, 'aws_s3_bucket_lifecycle_configuration', 'bucket_Lifecycle_').body;
    expect(lifecycle.bucket).toMatch(BUCKET_REF);
    expect(lifecycle.rule).toEqual([
      {
        id: 'expire-noncurrent-versions',
        status: 'Enabled',
        // Every object: an empty filter, the form the provider takes without a warning.
        filter: [{}],
        noncurrent_version_expiration: [{ noncurrent_days: 30 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
    ]);
    expect(lifecycle.depends_on).toEqual([`aws_s3_bucket_versioning.${versioning.name}`]);
    expect(danglingReferences(json)).toEqual([]);
  });

  it('keeps the same number of days as the GCP private bucket', () => {
    const stack = gcpTestStack();
    new gcp.ServerBuckets(stack, 'b', { project: PROJECT, location: 'us-central1', publicBucketName: 'pod-public', privateBucketName: 'pod-private' });
    const priv = resourcesOfType(synthJson(stack), 'google_storage_bucket').find((b) => b.name === 'pod-private')!;
    const days = build({ versioning: true }).json.resource.aws_s3_bucket_lifecycle_configuration;
    expect(Object.values<any>(days)[0].rule[0].noncurrent_version_expiration[0].noncurrent_days).toBe(priv.lifecycle_rule[0].condition.days_since_noncurrent_time);
  });
});

describe('aws.BucketDistribution: CORS for any origin', () => {
  const build = (extra: Partial<aws.BucketDistributionProps> = {}) => {
    const stack = awsTestStack();
    const bucket = new aws.PrivateBucket(stack, 'bucket', { namePrefix: 'b-' });
    new aws.BucketDistribution(stack, 'cdn', { bucket, name: 'b', aliases: ['storage.example.com'], certificateArn: 'arn:cert', ...extra });
    return only(synthJson(stack), 'aws_cloudfront_distribution').default_cache_behavior;
  };

  it('attaches the managed SimpleCORS response headers policy when asked', () => {
    expect(build({ corsAnyOrigin: true }).response_headers_policy_id).toBe('60669652-455b-4ae9-85a4-c4c02393f86c');
  });

  it('attaches no response headers policy by default', () => {
    expect(build()).not.toHaveProperty('response_headers_policy_id');
    expect(build({ corsAnyOrigin: false })).not.toHaveProperty('response_headers_policy_id');
  });
});

describe('aws.StorageAccessKey', () => {
  const props: aws.StorageAccessKeyProps = {
    name: 'serverpod-production-storage',
    region: 'us-west-2',
    bucketArns: ['arn:aws:s3:::pod-public', 'arn:aws:s3:::pod-private'],
    secretNamePrefix: 'serverpod-production-secrets',
  };
  const stack = awsTestStack();
  const built = new aws.StorageAccessKey(stack, 'key', props);
  new TerraformOutput(stack, 'idArn', { value: built.accessKeyIdSecretArn });
  new TerraformOutput(stack, 'secretArn', { value: built.secretKeySecretArn });
  const json = synthJson(stack);
  const user = byName(json, 'aws_iam_user', 'key_User_');
  const accessKey = byName(json, 'aws_iam_access_key', 'key_Key_');

  it('creates an IAM user of its own with one access key', () => {
    expect(user.body.name).toBe('serverpod-production-storage');
    expect(user.body.path).toBe('/cdktf-serverpod/');
    expect(accessKey.body.user).toBe(`\${aws_iam_user.${user.name}.name}`);
  });

  it('allows exactly listing the buckets and using their objects', () => {
    const policy = byName(json, 'aws_iam_user_policy', 'key_Policy_').body;
    expect(policy.user).toBe(`\${aws_iam_user.${user.name}.name}`);
    expect(JSON.parse(policy.policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Buckets', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: ['arn:aws:s3:::pod-public', 'arn:aws:s3:::pod-private'] },
        {
          Sid: 'Objects',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject', 's3:PutObjectAcl', 's3:DeleteObject'],
          Resource: ['arn:aws:s3:::pod-public/*', 'arn:aws:s3:::pod-private/*'],
        },
      ],
    });
  });

  it('keeps the key id and secret in two secrets filled from the key, never as literals', () => {
    const idSecret = byName(json, 'aws_secretsmanager_secret', 'key_AccessKeyIdSecret_');
    const keySecret = byName(json, 'aws_secretsmanager_secret', 'key_SecretKeySecret_');
    expect(idSecret.body.name).toBe('serverpod-production-secrets/AWSAccessKeyId');
    expect(keySecret.body.name).toBe('serverpod-production-secrets/AWSSecretKey');
    expect(idSecret.body.recovery_window_in_days).toBe(0);
    expect(keySecret.body.recovery_window_in_days).toBe(0);
    const idValue = byName(json, 'aws_secretsmanager_secret_version', 'key_AccessKeyIdValue_').body;
    const keyValue = byName(json, 'aws_secretsmanager_secret_version', 'key_SecretKeyValue_').body;
    expect(idValue.secret_id).toBe(`\${aws_secretsmanager_secret.${idSecret.name}.id}`);
    expect(keyValue.secret_id).toBe(`\${aws_secretsmanager_secret.${keySecret.name}.id}`);
    expect(idValue.secret_string).toBe(`\${aws_iam_access_key.${accessKey.name}.id}`);
    expect(keyValue.secret_string).toBe(`\${aws_iam_access_key.${accessKey.name}.secret}`);
    expect(json.output.idArn.value).toBe(`\${aws_secretsmanager_secret.${idSecret.name}.arn}`);
    expect(json.output.secretArn.value).toBe(`\${aws_secretsmanager_secret.${keySecret.name}.arn}`);
    expect(danglingReferences(json)).toEqual([]);
  });

  it('shortens a long user name and takes another recovery window', () => {
    const other = awsTestStack();
    new aws.StorageAccessKey(other, 'key', { ...props, name: `${'x'.repeat(70)}-storage`, recoveryWindowInDays: 7 });
    const out = synthJson(other);
    const name = only(out, 'aws_iam_user').name as string;
    expect(name).toHaveLength(64);
    expect(name.startsWith('xxxxxxxx')).toBe(true);
    expect(resourcesOfType(out, 'aws_secretsmanager_secret').map((s) => s.recovery_window_in_days)).toEqual([7, 7]);
  });

  it('accepts bucket ARNs that are references', () => {
    const other = awsTestStack();
    const bucket = new aws.PrivateBucket(other, 'bucket', { namePrefix: 'b-' });
    new aws.StorageAccessKey(other, 'key', { ...props, bucketArns: [bucket.arn] });
    const policy = JSON.parse(only(synthJson(other), 'aws_iam_user_policy').policy);
    expect(policy.Statement[1].Resource).toEqual([expect.stringMatching(/^\$\{aws_s3_bucket\.bucket_[0-9A-F]{8}\.arn\}\/\*$/)]);
  });

  it('refuses a bad name, bucket ARNs of another partition or with a path, a bad prefix and window', () => {
    const message = validationErrorOf(
      () =>
        new aws.StorageAccessKey(awsTestStack(), 'k', {
          name: 'bad name',
          region: 'us-gov-west-1',
          bucketArns: ['arn:aws:s3:::pod-public', 'arn:aws-us-gov:s3:::pod-public/*'],
          secretNamePrefix: 'has space',
          recoveryWindowInDays: 3,
        }),
    );
    expect(message).toContain('has 5 problems');
    expect(message).toContain('props.name: got "bad name"');
    expect(message).toContain('props.bucketArns[0]: got "arn:aws:s3:::pod-public"; expected a bucket ARN such as arn:aws-us-gov:s3:::name');
    expect(message).toContain('props.bucketArns[1]: got "arn:aws-us-gov:s3:::pod-public/*"');
    expect(message).toContain('props.secretNamePrefix: got "has space"');
    expect(message).toContain('props.recoveryWindowInDays: got 3; expected 0 or a whole number from 7 to 30');
    expect(validationErrorOf(() => new aws.StorageAccessKey(awsTestStack(), 'k', { ...props, bucketArns: [] }))).toContain('props.bucketArns: got []; expected at least one bucket ARN');
  });
});
