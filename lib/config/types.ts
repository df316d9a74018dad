// The config's public types, written out so the package's declarations need no zod (the schema in schema.ts
// infers the same shapes; test/config-types.test.ts fails when the two differ). A field added to the schema is
// added here too, with what it does and its default: docs/config.md says the same for deploy.yaml's readers.
import type { RenderingStrategy } from '../app/perseus-strategies';
import type { ServerRole } from '../app/profile';
import type { SecretDeclaration } from '../app/secrets';
import type { Architecture, EgressMode, WebVia } from '../aws/common';
import type { CloudRunCpu, CloudRunMemory } from '../gcp/cloud-run-limits';
import type { EnvironmentName } from '../naming';
import type { StateSettings } from '../state';

/** The validated config file (`deploy.yaml`), every default filled in: what `loadConfig` returns. */
export interface DeployConfig {
  /** Prefix of every resource name (`serverpod-production-database`); changing it replaces everything. @default 'serverpod' */
  readonly project: string;
  /** The domain the servers are published under: `api.`, `insights.`, `app.`, `storage.` of it (`api-staging.` in staging). */
  readonly domain: string;
  /** The environments, production first; `staging` adds a second, separate copy of everything. @default ['production'] */
  readonly environments: EnvironmentName[];
  /** The server every stack runs. @default - the serverpod preset with its defaults */
  readonly app: AppConfig;
  /** Postgres for each environment; `false` for Serverpod mini. @default true */
  readonly database: boolean;
  /** Memorystore or ElastiCache for each environment. @default false */
  readonly redis: boolean;
  /** A public bucket at `storage.` and a private bucket for each environment. @default true */
  readonly storage: boolean;
  /**
   * Perseus only: one store per environment that its servers share, for pages that revalidate or generate
   * incrementally, used only by a `MutableStore` the app implements (Perseus ships only the filesystem store);
   * `none` keeps them on each server's disk (on Cloud Run, in each instance's memory).
   * @default 'none'
   */
  readonly mutableStore: 'none' | 'bucket' | 'redis' | 'postgres';
  /** Also serve the web server at the bare domain. @default false */
  readonly webOnTopDomain: boolean;
  /** The server's own passwords and secrets by key, each environment its own value, on every stack. @default {} */
  readonly secrets: Record<string, SecretDeclaration>;
  /** Where Terraform keeps each stack's state. @default - local files in the project root */
  readonly state: StateSettings;
  /** Exceptions to the synth-time guardrails (docs/guardrails.md). @default { suppress: [] } */
  readonly guardrails: GuardrailsConfig;
  /** The one GitHub repository allowed to deploy, through keyless identities. @default - none: no deploy identity */
  readonly github?: GithubConfig;
  /** Let regions, zones and types off the kept lists (lib/catalog) through, each with a synth warning. @default false */
  readonly allowUnlisted: boolean;
  /** One entry per stack to synthesize. */
  readonly stacks: StacksConfig;
}

/** `guardrails`: exceptions to the synth-time guardrails. */
export interface GuardrailsConfig {
  /** Each a rule no stack's resources are held to where it says, and why. @default [] */
  readonly suppress: GuardrailSuppressionConfig[];
}

/** `guardrails.suppress[]`: one exception. */
export interface GuardrailSuppressionConfig {
  /** The rule's id (docs/guardrails.md). */
  readonly rule: string;
  /** Why the rule does not apply here: at least five words; shown in every report. */
  readonly reason: string;
  /** The stacks it applies to. @default - every stack */
  readonly stacks?: ('cluster-gcp' | 'cluster-aws' | 'serverless-gcp')[];
  /**
   * The resources it covers: Terraform addresses (`google_storage_bucket.assets`) or construct paths inside the stack
   * (`cluster/production/Buckets`, everything under it).
   * @default - every resource of those stacks
   */
  readonly resources?: string[];
  /** Only findings on these arguments, dotted as the finding names them. @default - every finding of the rule */
  readonly attributes?: string[];
}

/** `app`: the server every stack runs. */
export interface AppConfig {
  /**
   * `serverpod` (ports 8080, 8081, 8082, roles), `perseus` (a Perseus standalone server, one port) or `custom`
   * (your own server, described by `ports` and `roles`).
   * @default 'serverpod'
   */
  readonly preset: 'serverpod' | 'perseus' | 'custom';
  /** Serverpod's startup logging (the `logging` variable). @default 'normal' */
  readonly logging: 'normal' | 'verbose';
  /**
   * Serverpod only: the release the image is built with, as `major.minor`; it decides the health routes, the pool
   * setting and the generated passwords.
   * @default - '3.4', the current stable release line
   */
  readonly serverpodVersion?: string;
  /** Perseus only: the server's port. @default - 8080 */
  readonly port?: number;
  /** The readiness path of the main port, which load balancers probe. @default - '/readyz' from Serverpod 3.3, '/' before and for Perseus */
  readonly healthCheckPath?: string;
  /** Probe timings and the boot grace period. @default - each timing's default */
  readonly healthCheck: HealthCheckConfig;
  /** Serverpod only: publish the web server at `app.`. @default - the value of `database` */
  readonly web?: boolean;
  /** Pending migrations are applied for you (at server start on the clusters, by a job on Cloud Run). @default true */
  readonly applyMigrations: boolean;
  /** Extra plain variables for the server, one-line literal text; secrets belong in `secrets`. @default {} */
  readonly environment: Record<string, string>;
  /** Perseus only: the rendering strategies the app uses; they decide whether a mutable store is needed. @default - all five */
  readonly strategies?: RenderingStrategy[];
  /** Perseus only: a mutable store outside the servers' region is an error instead of a warning. @default false */
  readonly latencySensitive: boolean;
  /** An image from another registry, run instead of the stack's own in every environment. @default - the stack's registry */
  readonly image?: string;
  /** The serverpod and perseus presets: the host label of each port, by port name (`{ web: 'www' }`). @default - api., insights., app. */
  readonly hosts?: Record<string, string>;
  /** The custom preset: the ports the server listens on, the first the main one (required with `custom`). @default - none */
  readonly ports?: AppPortConfig[];
  /** The custom preset: the roles the server can take. @default - ['monolith', 'serverless'] */
  readonly roles?: ServerRole[];
}

/** `app.healthCheck`: probe timings and the boot grace period, each left out taking its default. */
export interface HealthCheckConfig {
  /** Seconds between probes, 5–300. @default 10 */
  readonly intervalSec?: number;
  /** Seconds before a probe fails, 2–120, less than `intervalSec`. @default 5 */
  readonly timeoutSec?: number;
  /** Passed probes before a server counts as ready, 2–10. @default 2 */
  readonly healthyThreshold?: number;
  /** Failed probes before a load balancer skips a server, 2–5. @default 3 */
  readonly unhealthyThreshold?: number;
  /** Seconds after boot during which a server that never answered is left alone, 0–3600. @default 300 */
  readonly gracePeriodSec?: number;
}

/** One port of the custom preset (`app.ports[]`). */
export interface AppPortConfig {
  /** The port's name: lowercase letters and digits, starting with a letter, at most 15 characters. */
  readonly name: string;
  /** The container port, 1–65535. */
  readonly port: number;
  /** The host label it is served at (`www` gives `www.<domain>`). @default - the port's name */
  readonly host?: string;
  /** Readiness: load balancers route to a server while it answers 200 here. @default '/' */
  readonly healthPath?: string;
  /** Liveness: a server that stops answering here is replaced. @default - a TCP connect to the port */
  readonly livenessPath?: string;
}

/** `github`: the repository whose workflows may deploy. */
export interface GithubConfig {
  /** The one repository allowed to deploy, as `owner/name`. */
  readonly repository: string;
  /** The refs whose workflows may deploy (`*` only at the end). @default ['refs/heads/main', 'refs/heads/deployment-*'] */
  readonly refs: string[];
}

/** `stacks`: the stacks to synthesize, by id; at least one without `enabled: false`. */
export interface StacksConfig {
  /** The server cluster on GCP. @default - not synthesized */
  readonly 'cluster-gcp'?: ClusterGcpConfig;
  /** The server cluster on AWS. @default - not synthesized */
  readonly 'cluster-aws'?: ClusterAwsConfig;
  /** The server on Cloud Run. @default - not synthesized */
  readonly 'serverless-gcp'?: ServerlessGcpConfig;
}

/** A setting per environment: `production` and `staging` (used only when `environments` lists it). */
export interface PerEnvironment<T> {
  /** Production's. */
  readonly production: T;
  /** Staging's. */
  readonly staging: T;
}

/** `stacks.<stack>.database.<env>`: an environment's Postgres beyond its size, the same on every stack. */
export interface DatabaseConfig {
  /** The PostgreSQL major version, 13–18; raising it upgrades in place, and neither cloud goes back down. @default 16 */
  readonly engineVersion: number;
  /** Refuse deletion; turn it off and deploy before a destroy. @default - true in production, false in staging */
  readonly deletionProtection?: boolean;
  /** Why production's database may go unprotected: required beside `deletionProtection: false` in production. @default - none */
  readonly acknowledgeDataLoss?: string;
}

/** `stacks.cluster-gcp`: the server cluster on GCP. */
export interface ClusterGcpConfig {
  /** `false` keeps the entry but synthesizes nothing. @default true */
  readonly enabled: boolean;
  /** The GCP project id. */
  readonly project: string;
  /** This stack's hosts go under this domain instead of the top-level one. @default - the top-level `domain` */
  readonly domain?: string;
  /** The region. @default 'us-central1' */
  readonly region: string;
  /** One zonal group per environment in this zone of `region`, instead of regional groups. @default - regional groups */
  readonly zone?: string;
  /** The zones of `region` the regional groups spread over; fixed once a group exists. @default - the region's first three zones */
  readonly zones?: string[];
  /** The private services range for Cloud SQL and Memorystore, or `auto`; fixed once created. @default - '10.100.0.0/16' */
  readonly privateServicesRange?: string;
  /** An existing Cloud DNS zone for the domain. @default - a new zone */
  readonly dnsZone?: string;
  /** Longest request or WebSocket connection through the load balancer, in seconds. @default 3600 */
  readonly backendTimeoutSec: number;
  /** Cloud CDN in front of the web server. @default true */
  readonly webCdn: boolean;
  /** Cloud CDN in front of the public bucket. @default false */
  readonly storageCdn: boolean;
  /** The buckets accept the object ACLs uploads carry. @default - true when `app.serverpodVersion` is older than 3.4, else false */
  readonly storageObjectAcls?: boolean;
  /** `project` (`<gcp project>-<prefix>-<env>-public`) or `domain` (Serverpod's `storage.<domain>`, domain verified first). @default 'project' */
  readonly bucketNaming: 'project' | 'domain';
  /** Region or multi-region of the buckets. @default - the region */
  readonly bucketLocation?: string;
  /** Memorystore's tier. @default 'BASIC' */
  readonly redisTier: 'BASIC' | 'STANDARD_HA';
  /** TLS to Memorystore (the server must trust its CA). @default false */
  readonly redisTransitEncryption: boolean;
  /** Cloud NAT for outbound internet access; with `existingNetwork`, a NAT for its subnet only. @default - true for a new network, false with `existingNetwork` */
  readonly nat?: boolean;
  /** SSH through Identity-Aware Proxy only, with OS Login. @default true */
  readonly iapSsh: boolean;
  /** A VPC network someone else owns instead of a new one; `subnet` is required here. @default - a new network */
  readonly existingNetwork?: ExistingNetworkConfig;
  /** Sizes per environment. @default - each size's defaults */
  readonly sizes: PerEnvironment<GcpClusterSizeConfig>;
  /** Postgres per environment, beyond its size. @default - each field's default */
  readonly database: PerEnvironment<DatabaseConfig>;
}

/** `stacks.cluster-gcp.sizes.<env>`. */
export interface GcpClusterSizeConfig {
  /** The servers' Compute Engine machine type. @default 'e2-micro' */
  readonly machineType: string;
  /** Fewest servers. @default 1 */
  readonly minInstances: number;
  /** Most servers, at least `minInstances`. @default 2 */
  readonly maxInstances: number;
  /** The autoscaler's CPU target, 10–90. @default 60 */
  readonly cpuTargetPercent: number;
  /** The Cloud SQL tier. @default 'db-f1-micro' */
  readonly databaseTier: string;
  /** `REGIONAL` keeps a standby in a second zone (about twice the cost). @default 'ZONAL' */
  readonly databaseAvailability: 'ZONAL' | 'REGIONAL';
  /** The `max_connections` flag, 14–262143; the servers' pools are sized to it. @default - Cloud SQL's default for the tier */
  readonly databaseMaxConnections?: number;
  /** Cloud SQL's data disk in GB, 10–65536 (3062 on shared-core tiers); Cloud SQL grows it automatically. @default 10 */
  readonly databaseStorageGb: number;
  /** Memorystore's size in GB, 1–300. @default 1 */
  readonly redisMemoryGb: number;
}

/** `stacks.<cluster-gcp or serverless-gcp>.existingNetwork`: a VPC network someone else owns (docs/config.md). */
export interface ExistingNetworkConfig {
  /** The network's name (in the stack's project), or `projects/<project>/global/networks/<name>` or its self link. */
  readonly network: string;
  /** The subnet, in the stack's region: its name, or `projects/<project>/regions/<region>/subnetworks/<name>` or its self link. @default - none */
  readonly subnet?: string;
  /** `existing`: the network has private services access; `create`: this stack reserves a range and connects it. @default 'existing' */
  readonly privateServicesAccess: 'existing' | 'create';
}

/** `stacks.cluster-aws`: the server cluster on AWS. */
export interface ClusterAwsConfig {
  /** `false` keeps the entry but synthesizes nothing. @default true */
  readonly enabled: boolean;
  /** This stack's hosts go under this domain instead of the top-level one. @default - the top-level `domain` */
  readonly domain?: string;
  /** The region. @default 'us-west-2' */
  readonly region: string;
  /** The 12-digit account id; the provider refuses to act on any other account. @default - any account */
  readonly accountId?: string;
  /** Two to eight zones of `region`, given so a plan needs no credentials. @default - `<region>a` and `<region>b` */
  readonly availabilityZones: string[];
  /** An existing Route 53 hosted zone for the domain. @default - a new zone */
  readonly hostedZoneId?: string;
  /** The VPC's private range, /16 to /20. @default '10.0.0.0/16' */
  readonly vpcCidr: string;
  /** An existing VPC instead of a new one. @default - a new VPC */
  readonly existingVpc?: ExistingVpcConfig;
  /** How the private subnets reach AWS services and the internet. @default 'nat-gateway' */
  readonly egress: EgressMode;
  /** The instances' CPU architecture; instance types must match. @default 'x86_64' */
  readonly architecture: Architecture;
  /** An explicit AMI. @default - the latest Amazon Linux 2023, resolved at launch */
  readonly amiId?: string;
  /** `cloudfront` serves `app.` only through CloudFront in front of the load balancer. @default 'load-balancer' */
  readonly webVia: WebVia;
  /** The region's CloudFront origin-facing prefix list id, for `webVia: cloudfront` where none is built in. @default - built in per region */
  readonly cloudFrontPrefixListId?: string;
  /** The load balancer's idle timeout (WebSockets), 1–4000 seconds. @default 3600 */
  readonly idleTimeoutSec: number;
  /** The earlier shape of the top-level `secrets`: keys, each an `empty` secret. @default [] */
  readonly secrets: string[];
  /** The account's existing GitHub OIDC provider. @default - one is created */
  readonly githubOidcProviderArn?: string;
  /** Sizes per environment. @default - each size's defaults */
  readonly sizes: PerEnvironment<AwsClusterSizeConfig>;
  /** Postgres per environment, beyond its size. @default - each field's default */
  readonly database: PerEnvironment<AwsDatabaseConfig>;
}

/** `stacks.cluster-aws.existingVpc`. */
export interface ExistingVpcConfig {
  /** The VPC's id (`vpc-…`). */
  readonly vpcId: string;
  /** Two or more public subnets (the load balancer). */
  readonly publicSubnetIds: string[];
  /** Two or more private subnets (servers, database, Redis), with a NAT gateway or VPC endpoints. */
  readonly privateSubnetIds: string[];
}

/** `stacks.cluster-aws.sizes.<env>`. */
export interface AwsClusterSizeConfig {
  /** The EC2 instance type, of `architecture`. @default - 't3.micro', or 't4g.micro' for arm64 */
  readonly instanceType: string;
  /** Fewest servers. @default 1 */
  readonly minInstances: number;
  /** Most servers, at least `minInstances`. @default 2 */
  readonly maxInstances: number;
  /** The group's CPU target, 10–90. @default 60 */
  readonly cpuTargetPercent: number;
  /** The RDS instance class. @default 'db.t4g.micro' */
  readonly databaseInstanceClass: string;
  /** A standby in a second zone. @default false */
  readonly databaseMultiAz: boolean;
  /** Allocated storage in GB, 20–65536. @default 20 */
  readonly databaseStorageGb: number;
  /** The `max_connections` parameter, 6–262143; the servers' pools are sized to it. @default - RDS's default for the class */
  readonly databaseMaxConnections?: number;
  /** The ElastiCache node type. @default 'cache.t4g.micro' */
  readonly redisNodeType: string;
  /** Redis nodes, 1–6. @default 1 */
  readonly redisNodes: number;
}

/** `stacks.cluster-aws.database.<env>`. */
export interface AwsDatabaseConfig extends DatabaseConfig {
  /** Apply changes now instead of in the weekly maintenance window: for the apply that needs it, then removed. @default false */
  readonly applyImmediately: boolean;
  /** A final snapshot when the database is destroyed, whatever its deletion protection. @default true */
  readonly finalSnapshot: boolean;
}

/** `stacks.serverless-gcp`: the server on Cloud Run. */
export interface ServerlessGcpConfig {
  /** `false` keeps the entry but synthesizes nothing. @default true */
  readonly enabled: boolean;
  /** The GCP project id. */
  readonly project: string;
  /** This stack's hosts go under this domain instead of the top-level one. @default - the top-level `domain` */
  readonly domain?: string;
  /** The region. @default 'us-central1' */
  readonly region: string;
  /** Sizes per environment (each service of it). @default - each size's defaults */
  readonly sizes: PerEnvironment<ServerlessSizeConfig>;
  /** Postgres per environment, beyond its size. @default - each field's default */
  readonly database: PerEnvironment<DatabaseConfig>;
  /** When the `maintenance` role runs (five-field cron, UTC), or `off`. @default '* * * * *' */
  readonly maintenanceSchedule: string;
  /** A Cloud Run job that applies migrations, for the deploy workflow to run first. @default - the value of `app.applyMigrations` */
  readonly migrationsJob?: boolean;
  /** What the services run when created: Google's sample images, or the environment's tag; not with `app.image`. @default - 'placeholder' */
  readonly initialImage?: 'placeholder' | 'registry';
  /** A global load balancer, or Cloud Run's domain mappings (some regions; no `storage.`, no bare domain). @default 'load-balancer' */
  readonly domains: 'load-balancer' | 'domain-mappings';
  /** An existing Cloud DNS zone for the domain. @default - a new zone */
  readonly dnsZone?: string;
  /** Longest request or WebSocket, 1–3600 seconds. @default 3600 */
  readonly requestTimeoutSec: number;
  /** `false` keeps Insights to callers with IAM. @default true */
  readonly publicInsights: boolean;
  /** Direct VPC egress, or a Serverless VPC Access connector, for Redis and the private database. @default 'direct' */
  readonly vpcEgress: 'direct' | 'connector';
  /** Cloud SQL on a private IP only, or a public IP only the Cloud SQL connector reaches. @default 'private' */
  readonly databaseConnectivity: 'private' | 'cloud-sql-connector';
  /** The subnet Direct VPC egress takes addresses from, /16 to /26. @default - '10.10.0.0/20' */
  readonly subnetCidr?: string;
  /** The private services range for Cloud SQL and Memorystore, or `auto`; fixed once created. @default - '10.100.0.0/16' */
  readonly privateServicesRange?: string;
  /** A VPC network someone else owns for the private database and Redis, instead of a new one. @default - a new network */
  readonly existingNetwork?: ExistingNetworkConfig;
  /** Memorystore's tier. @default 'BASIC' */
  readonly redisTier: 'BASIC' | 'STANDARD_HA';
  /** TLS to Memorystore. @default false */
  readonly redisTransitEncryption: boolean;
  /** Cloud CDN in front of the public bucket. @default false */
  readonly storageCdn: boolean;
  /** The buckets accept the object ACLs uploads carry. @default - true when `app.serverpodVersion` is older than 3.4, else false */
  readonly storageObjectAcls?: boolean;
}

/** `stacks.serverless-gcp.sizes.<env>`: each service of the environment. */
export interface ServerlessSizeConfig {
  /** Fewest instances of each service; 0 lets an idle deployment cost nothing. @default 0 */
  readonly minInstances: number;
  /** Most instances of each service. @default 3 */
  readonly maxInstances: number;
  /** Most instances of particular services, by port name, over `maxInstances`. @default - Insights 1 (or `minInstances` if more) */
  readonly serviceMaxInstances?: Record<string, number>;
  /** CPUs per instance. @default '1' */
  readonly cpu: CloudRunCpu;
  /** Memory per instance, paired with `cpu` by Cloud Run's rules. @default '512Mi' */
  readonly memory: CloudRunMemory;
  /** Requests one instance handles at once, 1–1000. @default 80 */
  readonly concurrency: number;
  /** The Cloud SQL tier. @default 'db-f1-micro' */
  readonly databaseTier: string;
  /** The `max_connections` flag, 14–262143; every service's and job's pools are sized to it. @default - Cloud SQL's default for the tier */
  readonly databaseMaxConnections?: number;
  /** Cloud SQL's data disk in GB, 10–65536 (3062 on shared-core tiers); Cloud SQL grows it automatically. @default 10 */
  readonly databaseStorageGb: number;
  /** Memorystore's size in GB. @default 1 */
  readonly redisMemoryGb: number;
}

/**
 * `T` as it may be written: every field optional at every depth, the schema filling in defaults. Lists and
 * mappings are written whole (their entries keep their own required fields).
 */
export type Written<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? string extends keyof T
      ? T
      : { readonly [K in keyof T]?: Written<T[K]> }
    : T;

/** `existingNetwork` as it may be written: `network` required, the rest optional. */
export type ExistingNetworkInput = Written<ExistingNetworkConfig> & {
  /** As `ExistingNetworkConfig.network`. */
  readonly network: string;
};

/** A serverless size as it may be written: `cpu` a string or a number (YAML reads `cpu: 2` as one). */
export type ServerlessSizeInput = Written<Omit<ServerlessSizeConfig, 'cpu'>> & {
  /** As `ServerlessSizeConfig.cpu`. @default '1' */
  readonly cpu?: string | number;
};

/** What may be written in the config file: `DeployConfig` with defaults left out, and numbers where YAML reads them. */
export interface DeployConfigInput extends Written<Omit<DeployConfig, 'domain' | 'state' | 'github' | 'stacks'>> {
  /** As `DeployConfig.domain`. */
  readonly domain: string;
  /** As `DeployConfig.state`, with each backend's bucket (and S3's region) required. @default - local state */
  readonly state?: {
    /** As `StateSettings.gcs`. @default - none */
    readonly gcs?: {
      /** An existing bucket. */
      readonly bucket: string;
      /** Each stack's state is under `<prefix>/<stack id>`. @default 'cdktf-serverpod' */
      readonly prefix?: string;
    };
    /** As `StateSettings.s3`. @default - none */
    readonly s3?: {
      /** An existing bucket. */
      readonly bucket: string;
      /** The bucket's region. */
      readonly region: string;
      /** Each stack's state is `<keyPrefix>/<stack id>.tfstate`. @default 'cdktf-serverpod' */
      readonly keyPrefix?: string;
    };
  };
  /** As `DeployConfig.github`. @default - none */
  readonly github?: Written<GithubConfig> & {
    /** As `GithubConfig.repository`. */
    readonly repository: string;
  };
  /** As `DeployConfig.stacks`. */
  readonly stacks: {
    /** As `StacksConfig['cluster-gcp']`, with `existingNetwork`'s `network` required. @default - not synthesized */
    readonly 'cluster-gcp'?: Written<Omit<ClusterGcpConfig, 'existingNetwork'>> & {
      /** As `ClusterGcpConfig.project`. */
      readonly project: string;
      /** As `ClusterGcpConfig.existingNetwork`. @default - a new network */
      readonly existingNetwork?: ExistingNetworkInput;
    };
    /** As `StacksConfig['cluster-aws']`, with `existingVpc` whole; an unquoted `accountId` is read as its digits. @default - not synthesized */
    readonly 'cluster-aws'?: Written<Omit<ClusterAwsConfig, 'accountId' | 'existingVpc'>> & {
      /** As `ClusterAwsConfig.accountId`, or its digits as a number. @default - any account */
      readonly accountId?: string | number;
      /** As `ClusterAwsConfig.existingVpc`, every field required. @default - a new VPC */
      readonly existingVpc?: ExistingVpcConfig;
    };
    /** As `StacksConfig['serverless-gcp']`; `cpu` may be a number. @default - not synthesized */
    readonly 'serverless-gcp'?: Written<Omit<ServerlessGcpConfig, 'sizes' | 'existingNetwork'>> & {
      /** As `ServerlessGcpConfig.project`. */
      readonly project: string;
      /** As `ServerlessGcpConfig.existingNetwork`. @default - a new network */
      readonly existingNetwork?: ExistingNetworkInput;
      /** As `ServerlessGcpConfig.sizes`, `cpu` a string or a number. @default - each size's defaults */
      readonly sizes?: {
        /** Production's. @default - the defaults */
        readonly production?: ServerlessSizeInput;
        /** Staging's. @default - the defaults */
        readonly staging?: ServerlessSizeInput;
      };
    };
  };
}
