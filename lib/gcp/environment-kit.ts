import { Construct } from 'constructs';
import { MutableStoreOptions } from '../app/mutable-store';
import { AppPort, AppProfile, DatabaseConnection, MutableStoreConnection, RedisConnection, SecretRef } from '../app/profile';
import { EnvironmentSecret, secretIdPart } from '../app/secrets';
import { EnvironmentConsumer, environmentPools } from '../app/connection-budget';
import { ProblemCollector } from '../validation';
import { cloudSqlMaxConnections } from './cloud-sql-limits';
import { StorageHmacCredentials } from './storage-credentials';
import { ServerBuckets } from './storage';
import { EnvironmentHosts, appOrigins } from '../hosts';
import { EnvironmentName, boundedName } from '../naming';
import { ProjectIamMember, ServiceAccount, StorageBucket, StorageBucketIamMember } from '../providers/google';
import { ManagedCertificates } from './certificates';
import { PublicDns } from './dns';
import { BucketRoute, HttpsLoadBalancer, ServiceRoute } from './load-balancer';
import { NetworkRef } from './network';
import { MemorystoreRedis } from './redis';
import { Secret } from './secrets';
import { CloudSqlPostgres } from './database';
import { GithubDeployIdentity } from './deploy-identity';
import { WriteOutput } from '../outputs';
import { suppressGuardrails } from '../guardrails/suppress';

/**
 * What every GCP environment starts with, on servers or on Cloud Run: a service account with the project
 * roles it needs, and secrets only that account can read (the environment's secrets first: the profile's
 * generated ones and the declared ones, each `<prefix>-<key as kebab-case>`, generated or empty). The resources
 * are created in the environment's own scope (`ServiceAccount`, `Role-<role>`, `Secret-<key>`).
 *
 * `roles` are granted on the whole project: keep them to what has no narrower resource (writing logs and
 * metrics). For the Cloud SQL connector, use `allowCloudSqlConnect`, which reaches one instance only.
 */
export class EnvironmentIdentity {
  /** The environment's service account. */
  public readonly serviceAccount: ServiceAccount;
  /** The environment's secrets by key. */
  public readonly secrets: Record<string, Secret> = {};
  /** The environment's secrets by key, for `RuntimeContext.secrets`. */
  public readonly declared: Record<string, SecretRef> = {};
  /** Their variables by key, for `RuntimeContext.secretVariables`. */
  public readonly variables: Record<string, string> = {};
  private cloudSqlGrants = 0;

  constructor(
    private readonly scope: Construct,
    private readonly options: {
      /** The GCP project id. */
      readonly project: string;
      readonly prefix: string;
      readonly accountSuffix: string;
      readonly displayName: string;
      readonly roles: readonly string[];
      readonly secrets: readonly EnvironmentSecret[];
    },
  ) {
    this.serviceAccount = new ServiceAccount(scope, 'ServiceAccount', {
      project: options.project,
      accountId: boundedName(`${options.prefix}-${options.accountSuffix}`, 30),
      displayName: options.displayName,
    });
    for (const role of options.roles) {
      new ProjectIamMember(scope, `Role-${role.replace(/^roles\//, '')}`, { project: options.project, role, member: this.serviceAccount.member });
    }
    for (const s of options.secrets) {
      this.secret(s.key, secretIdPart(s.key), undefined, { length: s.length, empty: s.value === 'empty' });
      this.passToServer(s.key, s.variable);
    }
  }

  /**
   * `roles/cloudsql.client` on one Cloud SQL instance only (`CloudSqlClient<n>`), for an environment that connects
   * through the Cloud SQL connector (Cloud Run's `/cloudsql` socket, the Auth Proxy). The role can only be
   * granted on the project, where it would open every instance, the other environment's included; an IAM
   * condition on the instance's name narrows it
   * (https://cloud.google.com/sql/docs/postgres/iam-conditions, "Allow users to connect to specific instances"). Not needed to
   * connect by private IP and password. `instanceName`: the literal name, not a reference.
   */
  allowCloudSqlConnect(instanceName: string): ProjectIamMember {
    if (!/^[a-z][a-z0-9-]{0,97}$/.test(instanceName)) throw new Error(`allowCloudSqlConnect: got "${instanceName}"; expected a Cloud SQL instance name (lowercase letters, digits, hyphens)`);
    return new ProjectIamMember(this.scope, `CloudSqlClient${this.cloudSqlGrants++}`, {
      project: this.options.project,
      role: 'roles/cloudsql.client',
      member: this.serviceAccount.member,
      condition: {
        title: `Connect to ${instanceName} only`,
        expression: `resource.type == 'sqladmin.googleapis.com/Instance' && resource.name == 'projects/${this.options.project}/instances/${instanceName}'`,
      },
    });
  }

  /** Hands a secret to the server as `variable`; one made elsewhere (storage credentials) joins this identity's first. */
  passToServer(key: string, variable: string, made?: Secret): void {
    if (made) this.secrets[key] = made;
    this.declared[key] = { secret: this.secrets[key].secretId };
    this.variables[key] = variable;
  }

  /** A secret `<prefix>-<secretId>` readable by this environment only; generated unless `value` is given or it is `empty`. */
  secret(
    key: string,
    secretId: string,
    value?: string,
    options: {
      /** Length of a generated value. @default 32 (`Secret`'s) */
      readonly length?: number;
      /** Create it without a value, for you to fill. @default false */
      readonly empty?: boolean;
    } = {},
  ): SecretRef {
    this.secrets[key] = new Secret(this.scope, `Secret-${key}`, {
      project: this.options.project,
      secretId: `${this.options.prefix}-${secretId}`,
      value,
      generatedLength: options.length,
      empty: options.empty,
      readers: [this.serviceAccount.member],
    });
    return { secret: this.secrets[key].secretId };
  }
}

/**
 * An environment's Memorystore on the shared network (`Redis` in the environment's scope), with its AUTH string
 * kept as the secret `<prefix>-redis-auth` that only the environment can read.
 */
export function environmentRedis(
  scope: Construct,
  identity: EnvironmentIdentity,
  props: {
    /** The GCP project id. */
    readonly project: string;
    /** The region it is created in. */
    readonly region: string;
    readonly prefix: string;
    /** The network it is reached on, with private services access. */
    readonly network: NetworkRef;
    /** @default 1 (`MemorystoreRedis`'s) */
    readonly memorySizeGb?: number;
    /** @default - `MemorystoreRedis`'s defaults */
    readonly options?: {
      /** @default 'BASIC' */
      readonly tier?: 'BASIC' | 'STANDARD_HA';
      /** @default false */
      readonly transitEncryption?: boolean;
    };
  },
): {
  /** The Memorystore instance. */
  redis: MemorystoreRedis;
  /** Its AUTH string's secret. */
  auth: SecretRef;
} {
  const redis = new MemorystoreRedis(scope, 'Redis', {
    project: props.project,
    region: props.region,
    // Memorystore names are at most 40 characters; a longer one keeps a hash of the whole (unchanged when it fits).
    name: boundedName(`${props.prefix}-redis`, 40),
    network: props.network.networkId,
    dependsOn: [...props.network.privateServicesReady],
    tier: props.options?.tier,
    memorySizeGb: props.memorySizeGb,
    transitEncryption: props.options?.transitEncryption,
  });
  return { redis, auth: identity.secret('redisAuth', 'redis-auth', redis.authString) };
}

/**
 * An environment's mutable-store bucket (`Store` in the environment's scope): `<project>-<prefix>-store`, public
 * access prevented, no versioning (the app rewrites its pages constantly and can render them again), read and
 * written by the environment's account only (`StoreWriter`, `roles/storage.objectUser`).
 */
export function environmentStoreBucket(scope: Construct, identity: EnvironmentIdentity, props: { readonly project: string; readonly prefix: string; readonly location: string }): StorageBucket {
  const bucket = new StorageBucket(scope, 'Store', {
    project: props.project,
    name: boundedName(`${props.project}-${props.prefix}-store`, 63),
    location: props.location,
    storageClass: 'STANDARD',
    uniformBucketLevelAccess: true,
    publicAccessPrevention: 'enforced',
    forceDestroy: false,
  });
  suppressGuardrails(bucket, [
    { rule: 'GCP-GCS-VERSIONING', reason: "Perseus' mutable store is a render cache the app rewrites constantly and can render again; versions would only pile up", attributes: ['versioning.enabled'] },
  ]);
  // objectUser: read, write, list and delete objects; no IAM or ACL changes.
  new StorageBucketIamMember(scope, 'StoreWriter', { bucket: bucket.name, role: 'roles/storage.objectUser', member: identity.serviceAccount.member });
  return bucket;
}

/** The region of an environment's Redis or database: the store's, when the store is that instance. */
export function dataRegion(kind: 'redis' | 'postgres', region: string, store: MutableStoreOptions | undefined): string {
  return store?.kind === kind ? store.region ?? region : region;
}

/**
 * An environment's mutable store: a bucket of its own (`environmentStoreBucket`), or the environment's Redis or
 * database connection, with the region it is in.
 */
export function environmentMutableStore(
  scope: Construct,
  identity: EnvironmentIdentity,
  props: {
    readonly project: string;
    readonly prefix: string;
    readonly region: string;
    /** @default - none: nothing is created and no connection returned */
    readonly store?: MutableStoreOptions;
    /** The environment's Redis, for a `redis` store. @default - none */
    readonly redis?: RedisConnection;
    /** The environment's database, for a `postgres` store. @default - none */
    readonly database?: DatabaseConnection;
  },
): {
  /** The store's bucket, for a `bucket` store. */
  bucket?: StorageBucket;
  /** The store as the server reaches it; none without a store (or without the Redis or database it names). */
  connection?: MutableStoreConnection;
} {
  const { store } = props;
  const region = store?.region ?? props.region;
  if (store?.kind === 'bucket') {
    const bucket = environmentStoreBucket(scope, identity, { project: props.project, prefix: props.prefix, location: region });
    return { bucket, connection: { kind: 'bucket', region, bucket: bucket.name, url: `gs://${bucket.name}` } };
  }
  if (store?.kind === 'redis' && props.redis) return { connection: { kind: 'redis', region, redis: props.redis } };
  if (store?.kind === 'postgres' && props.database) return { connection: { kind: 'postgres', region, database: props.database } };
  return {};
}

/** One environment as the shared front sees it. */
export interface FrontEnvironment {
  /** The environment's name. */
  readonly environment: EnvironmentName;
  /** Its public hosts. */
  readonly hosts: EnvironmentHosts;
  /**
   * The public bucket served at `storage.`, when there is one.
   * @default - none: no `storage.` route
   */
  readonly publicBucketName?: string;
}

/** What `servePublicHosts` serves. */
export interface PublicFrontProps {
  /** The GCP project id. */
  readonly project: string;
  /** Prefix of the load balancer's and certificates' names. */
  readonly namePrefix: string;
  /** The server, whose ports each get a route per environment. */
  readonly profile: AppProfile;
  /** The environments served. */
  readonly environments: readonly FrontEnvironment[];
  /** The backend of one port of one environment (an instance group's named port, a serverless NEG). */
  readonly routeFor: (environment: FrontEnvironment, port: AppPort, key: string) => ServiceRoute;
  /** Cloud CDN in front of the public buckets. @default false */
  readonly storageCdn?: boolean;
  /** @default 3600 */
  readonly backendTimeoutSec?: number;
  /** Where every host gets its A record. */
  readonly dns: PublicDns;
}

/**
 * The front both GCP patterns share: a route per environment and port, a bucket route per `storage.` host,
 * one managed certificate per host, one HTTPS load balancer (unknown hosts go to production's web port), and
 * an A record per host. Created in `scope` as `Certificates` and `LoadBalancer`.
 */
export function servePublicHosts(
  scope: Construct,
  props: PublicFrontProps,
): {
  /** One certificate per host. */
  certificates: ManagedCertificates;
  /** The HTTPS load balancer. */
  loadBalancer: HttpsLoadBalancer;
} {
  const services: ServiceRoute[] = [];
  const buckets: BucketRoute[] = [];
  for (const env of props.environments) {
    for (const port of props.profile.ports) services.push(props.routeFor(env, port, `${env.environment}-${port.name}`));
    if (env.publicBucketName && env.hosts.storage) {
      buckets.push({ key: `${env.environment}-storage`, hosts: [env.hosts.storage], bucketName: env.publicBucketName, cdn: props.storageCdn ?? false });
    }
  }
  const hosts = [...new Set(props.environments.flatMap((e) => [...e.hosts.all]))].sort();
  const certificates = new ManagedCertificates(scope, 'Certificates', { project: props.project, namePrefix: props.namePrefix, hosts });
  const webPort = props.profile.ports.find((p) => p.name === 'web') ?? props.profile.mainPort;
  const loadBalancer = new HttpsLoadBalancer(scope, 'LoadBalancer', {
    project: props.project,
    namePrefix: props.namePrefix,
    services,
    buckets,
    defaultServiceKey: `production-${webPort.name}`,
    certificates: certificates.ids,
    backendTimeoutSec: props.backendTimeoutSec,
  });
  for (const host of hosts) props.dns.addARecord(host, loadBalancer.ipAddress);
  return { certificates, loadBalancer };
}

/**
 * The connection budget of each environment's Cloud SQL instance (`environmentPools`): the pool of each kind of
 * process, by environment. None for a profile without a database.
 */
export function cloudSqlPools<
  S extends {
    /** @default 'db-f1-micro' */
    readonly databaseTier?: string;
    /** @default - the tier's default */
    readonly databaseMaxConnections?: number;
  },
>(
  scope: Construct,
  problems: ProblemCollector,
  props: {
    readonly profile: AppProfile;
    /** Whether the environments have a database at all. @default true */
    readonly database?: boolean;
    readonly environments: Partial<Record<EnvironmentName, S>>;
    readonly consumers: (size: S) => EnvironmentConsumer[];
  },
): Partial<Record<EnvironmentName, Readonly<Record<string, number>>>> {
  const pools: Partial<Record<EnvironmentName, Readonly<Record<string, number>>>> = {};
  if (!(props.database ?? true) || !props.profile.usesDatabase) return pools;
  for (const [name, size] of Object.entries(props.environments) as [EnvironmentName, S][]) {
    const tier = size.databaseTier ?? 'db-f1-micro';
    pools[name] = environmentPools(scope, problems, {
      pool: props.profile.databasePool,
      limit: cloudSqlLimit(tier, size.databaseMaxConnections),
      database: `Cloud SQL tier ${tier}`,
      environment: name,
      field: `environments.${name}`,
      consumers: props.consumers(size),
    });
  }
  return pools;
}

/** A Cloud SQL instance's connection limit and where it comes from: the flag when set, else the tier's default. */
export function cloudSqlLimit(
  tier: string,
  maxConnections?: number,
):
  | {
      /** The instance's max_connections. */
      readonly limit: number;
      /** Where it comes from, for messages. */
      readonly source: string;
    }
  | undefined {
  if (maxConnections !== undefined) return { limit: maxConnections, source: `the database's max_connections flag allows ${maxConnections} connections` };
  const known = cloudSqlMaxConnections(tier);
  return known && { limit: known.limit, source: `Cloud SQL tier ${tier} allows ${known.limit} connections` };
}

/** Serverpod's password keys of the HMAC pair its `GoogleCloudStorage` reads. */
export const GCS_HMAC_KEYS = ['HMACAccessKeyId', 'HMACSecretKey'] as const;

/**
 * An environment's public and private buckets (`Buckets`), writable by its service account (Serverpod's
 * `NativeGoogleCloudStorage` with the platform identity) and readable from the app's own origins (CORS), and an
 * HMAC key pair scoped to them (`StorageCredentials`) for Serverpod's `GoogleCloudStorage`, which throws at start
 * without one. The pair joins the identity's secrets as `HMACAccessKeyId` and `HMACSecretKey`.
 */
export function environmentStorage(
  scope: Construct,
  identity: EnvironmentIdentity,
  props: {
    /** The GCP project id. */
    readonly project: string;
    readonly prefix: string;
    readonly location: string;
    readonly publicBucketName: string;
    readonly privateBucketName: string;
    readonly hosts: EnvironmentHosts;
    readonly profile: AppProfile;
    /** Let `terraform destroy` delete buckets that still hold objects. @default false */
    readonly forceDestroy?: boolean;
    /** Accept the object ACLs uploads carry (`ServerBuckets.objectAcls`). @default false */
    readonly objectAcls?: boolean;
  },
): {
  /** The public and private buckets. */
  buckets: ServerBuckets;
  /** The HMAC key pair scoped to them. */
  credentials: StorageHmacCredentials;
} {
  const member = identity.serviceAccount.member;
  const buckets = new ServerBuckets(scope, 'Buckets', {
    project: props.project,
    location: props.location,
    publicBucketName: props.publicBucketName,
    privateBucketName: props.privateBucketName,
    forceDestroy: props.forceDestroy,
    writers: [member],
    corsOrigins: appOrigins(props.hosts),
    objectAcls: props.objectAcls,
  });
  const credentials = new StorageHmacCredentials(scope, 'StorageCredentials', {
    project: props.project,
    accountId: boundedName(`${props.prefix}-storage`, 30),
    displayName: `Storage of ${props.prefix} (HMAC key for Serverpod's GoogleCloudStorage)`,
    bucketNames: [buckets.publicBucket.name, buckets.privateBucket.name],
    secretIdPrefix: props.prefix,
    readers: [member],
  });
  const [idKey, secretKey] = GCS_HMAC_KEYS;
  identity.passToServer(idKey, props.profile.secretVariable(idKey), credentials.accessKeyId);
  identity.passToServer(secretKey, props.profile.secretVariable(secretKey), credentials.secretKey);
  return { buckets, credentials };
}

/** What `environmentDataOutputs` reads of an environment of either GCP pattern. */
export interface EnvironmentData {
  /** Its Cloud SQL. @default - none (no outputs for it) */
  readonly database?: CloudSqlPostgres;
  /** Its secrets by key (`databasePassword` with a database). */
  readonly secrets: Readonly<Record<string, Secret>>;
  /** Its buckets. @default - none (no outputs for them) */
  readonly buckets?: ServerBuckets;
}

/** The outputs both GCP patterns write for an environment's data (`e`): its database's names and password, its buckets. */
export function environmentDataOutputs(out: WriteOutput, e: EnvironmentName, env: EnvironmentData): void {
  if (env.database) {
    out(`${e}_database_connection_name`, env.database.connectionName, `${e}: Cloud SQL connection name`);
    out(`${e}_database_password_secret`, env.secrets.databasePassword.secretId, `${e}: Secret Manager secret holding the postgres password`);
  }
  if (env.buckets) {
    out(`${e}_public_bucket`, env.buckets.publicBucket.name, `${e}: public storage bucket`);
    out(`${e}_private_bucket`, env.buckets.privateBucket.name, `${e}: private storage bucket`);
  }
}

/** What google-github-actions/auth takes, from a pattern's deploy identity. */
export function deployIdentityOutputs(out: WriteOutput, identity: GithubDeployIdentity | undefined): void {
  if (!identity) return;
  out('github_workload_identity_provider', identity.providerName, 'workload_identity_provider for google-github-actions/auth');
  out('github_service_account', identity.serviceAccount.email, 'service_account for google-github-actions/auth');
}
