import { Construct } from 'constructs';
import { MutableStoreOptions } from '../app/mutable-store';
import { AppPort, AppProfile, DatabaseConnection, MutableStoreConnection, RedisConnection, SecretRef } from '../app/profile';
import { EnvironmentHosts } from '../hosts';
import { EnvironmentName, boundedName } from '../naming';
import { ProjectIamMember, ServiceAccount, StorageBucket, StorageBucketIamMember } from '../providers/google';
import { ManagedCertificates } from './certificates';
import { PublicDns } from './dns';
import { BucketRoute, HttpsLoadBalancer, ServiceRoute } from './load-balancer';
import { Network } from './network';
import { MemorystoreRedis } from './redis';
import { Secret } from './secrets';

/**
 * What every GCP environment starts with, on servers or on Cloud Run: a service account with the project
 * roles it needs, and secrets only that account can read (the profile's generated ones first). The resources
 * are created in the environment's own scope (`ServiceAccount`, `Role-<role>`, `Secret-<key>`).
 */
export class EnvironmentIdentity {
  public readonly serviceAccount: ServiceAccount;
  public readonly secrets: Record<string, Secret> = {};
  /** The profile's generated secrets, by the profile's key, for `RuntimeContext.secrets`. */
  public readonly generated: Record<string, SecretRef> = {};

  constructor(
    private readonly scope: Construct,
    private readonly options: { readonly project: string; readonly prefix: string; readonly accountSuffix: string; readonly displayName: string; readonly roles: readonly string[]; readonly profile: AppProfile },
  ) {
    this.serviceAccount = new ServiceAccount(scope, 'ServiceAccount', {
      project: options.project,
      accountId: boundedName(`${options.prefix}-${options.accountSuffix}`, 30),
      displayName: options.displayName,
    });
    for (const role of options.roles) {
      new ProjectIamMember(scope, `Role-${role.replace(/^roles\//, '')}`, { project: options.project, role, member: this.serviceAccount.member });
    }
    for (const key of options.profile.generatedSecrets) this.generated[key] = this.secret(key, key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
  }

  /** A secret `<prefix>-<secretId>` readable by this environment only; generated unless `value` is given. */
  secret(key: string, secretId: string, value?: string): SecretRef {
    this.secrets[key] = new Secret(this.scope, `Secret-${key}`, { project: this.options.project, secretId: `${this.options.prefix}-${secretId}`, value, readers: [this.serviceAccount.member] });
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
    readonly project: string;
    readonly region: string;
    readonly prefix: string;
    readonly network: Network;
    readonly memorySizeGb?: number;
    readonly options?: { readonly tier?: 'BASIC' | 'STANDARD_HA'; readonly transitEncryption?: boolean };
  },
): { redis: MemorystoreRedis; auth: SecretRef } {
  const redis = new MemorystoreRedis(scope, 'Redis', {
    project: props.project,
    region: props.region,
    name: `${props.prefix}-redis`,
    network: props.network.network.id,
    dependsOn: [props.network.privateServicesConnection],
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
  props: { readonly project: string; readonly prefix: string; readonly region: string; readonly store?: MutableStoreOptions; readonly redis?: RedisConnection; readonly database?: DatabaseConnection },
): { bucket?: StorageBucket; connection?: MutableStoreConnection } {
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
  readonly environment: EnvironmentName;
  readonly hosts: EnvironmentHosts;
  /** The public bucket served at `storage.`, when there is one. */
  readonly publicBucketName?: string;
}

export interface PublicFrontProps {
  readonly project: string;
  readonly namePrefix: string;
  readonly profile: AppProfile;
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
export function servePublicHosts(scope: Construct, props: PublicFrontProps): { certificates: ManagedCertificates; loadBalancer: HttpsLoadBalancer } {
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
