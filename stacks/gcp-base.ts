import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { AppProfile } from '../lib/app/profile';
import { appProfileFromConfig } from '../lib/config/profile';
import { DeployConfig } from '../lib/config/schema';
import { ProjectServices, WaitForApis } from '../lib/gcp/project-services';
import { ContainerRegistry } from '../lib/gcp/registry';
import { GoogleProvider } from '../lib/providers/google';
import { configureState } from '../lib/state';
import { commonLabels } from './common';
import { literalStrings } from '../lib/terraform-strings';
import { ConfigFields } from './config-errors';

/** What both GCP stacks need from their config entry. */
export interface GcpStackSettings {
  readonly project: string;
  readonly region: string;
}

/**
 * What every GCP stack starts with: the Google provider, the state backend, the app profile, the project
 * APIs and the Artifact Registry repository its servers pull from.
 */
export abstract class GcpAppStack extends TerraformStack {
  public readonly profile: AppProfile;
  public readonly services: ProjectServices;
  public readonly registry: ContainerRegistry;

  protected constructor(scope: Construct, id: string, config: DeployConfig, settings: GcpStackSettings, repositoryId: string, apis: readonly string[]) {
    super(scope, id);
    literalStrings(this);
    this.profile = appProfileFromConfig(config);
    new GoogleProvider(this, 'google', { project: settings.project, region: settings.region, defaultLabels: commonLabels(config, id) });
    configureState(this, id, 'gcp', config.state);

    this.services = new ProjectServices(this, 'services', { project: settings.project, services: apis });
    // Every Google resource of the stack waits for the APIs (so no construct needs them in its props).
    WaitForApis.apply(this, this.services);
    this.registry = new ContainerRegistry(this, 'registry', {
      project: settings.project,
      location: settings.region,
      repositoryId,
    });

    new TerraformOutput(this, 'registry_path', { value: this.registry.path, description: 'Artifact Registry path that CI pushes the server image to' });
    for (const environment of config.environments) {
      const image = config.app.image ?? this.registry.imageUri(this.profile.name, environment);
      new TerraformOutput(this, `image_${environment}`, { value: image, description: `Image the ${environment} servers run${config.app.image ? ' (app.image: apply a new reference to deploy)' : ''}` });
    }
  }
}

/** An environment's `database` settings in the GCP patterns' terms (merged into its size). */
export function databaseSettings(database: { engineVersion: number; deletionProtection?: boolean; acknowledgeDataLoss?: string }): {
  databaseVersion: string;
  deletionProtection?: boolean;
  acknowledgeDataLoss?: string;
} {
  return { databaseVersion: `POSTGRES_${database.engineVersion}`, deletionProtection: database.deletionProtection, acknowledgeDataLoss: database.acknowledgeDataLoss };
}

/**
 * Where the props both GCP stacks' constructs share come from in deploy.yaml (config-errors.ts); `pattern` is the
 * construct the stack builds (GcpServerCluster, GcpServerlessApp).
 */
export function gcpConfigFields(stackId: 'cluster-gcp' | 'serverless-gcp', pattern: string): ConfigFields {
  const at = (field: string) => `stacks.${stackId}.${field}`;
  const size = (field: string) => `stacks.${stackId}.sizes.{env}.${field}`;
  return {
    'ContainerRegistry.repositoryId': 'project',
    [`${pattern}.project`]: at('project'),
    [`${pattern}.region`]: at('region'),
    [`${pattern}.namePrefix`]: 'project',
    [`${pattern}.domain`]: 'domain',
    [`${pattern}.dnsZone`]: at('dnsZone'),
    [`${pattern}.githubRepository`]: 'github.repository',
    [`${pattern}.githubRefs`]: 'github.refs',
    // Per environment (`environments.staging.databaseTier`), and the connection budget (`environments.staging`).
    [`${pattern}.environments`]: at('sizes'),
    [`${pattern}.redis.tier`]: at('redisTier'),
    [`${pattern}.redis.transitEncryption`]: at('redisTransitEncryption'),
    [`${pattern}.secrets`]: 'secrets',
    [`${pattern}.database`]: 'database',
    [`${pattern}.storage`]: 'storage',
    [`${pattern}.storage.cdn`]: at('storageCdn'),
    [`${pattern}.storage.objectAcls`]: at('storageObjectAcls'),
    [`${pattern}.profile`]: 'app.preset',
    'Network.namePrefix': 'project',
    'ExistingNetwork.namePrefix': 'project',
    'CloudSqlPostgres.instanceName': 'project',
    'CloudSqlPostgres.tier': size('databaseTier'),
    'CloudSqlPostgres.maxConnections': size('databaseMaxConnections'),
    'CloudSqlPostgres.diskSizeGb': size('databaseStorageGb'),
    'CloudSqlPostgres.databaseVersion': `stacks.${stackId}.database.{env}.engineVersion`,
    'MemorystoreRedis.name': 'project',
    'MemorystoreRedis.memorySizeGb': size('redisMemoryGb'),
    'MemorystoreRedis.tier': at('redisTier'),
    'ServerBuckets.corsOrigins': 'domain',
    'StorageHmacCredentials.accountId': 'project',
    'ManagedCertificates.hosts': 'domain',
    'PublicDns.domain': 'domain',
    'PublicDns.existingZoneName': at('dnsZone'),
    'GithubDeployIdentity.repository': 'github.repository',
    'GithubDeployIdentity.refs': 'github.refs',
  };
}
