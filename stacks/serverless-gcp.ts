import { Construct } from 'constructs';
import { storageObjectAclsByDefault } from '../lib/config/profile';
import { DeployConfig, ServerlessGcpConfig } from '../lib/config/schema';
import { GcpServerlessApp } from '../lib/gcp/serverless-app';
import { RandomProvider } from '../lib/providers/google';
import { GcpAppStack, gcpConfigFields, databaseSettings } from './gcp-base';
import { ConfigFields } from './config-errors';

/** The APIs the stack enables: its pattern's (`GcpServerlessApp.REQUIRED_APIS`). */
export const SERVERLESS_GCP_APIS = GcpServerlessApp.REQUIRED_APIS;

/** The server on Cloud Run in the `serverless` role, with the `maintenance` role on a schedule. */
export class ServerlessGcpStack extends GcpAppStack {
  public readonly app: GcpServerlessApp;

  constructor(scope: Construct, id: string, config: DeployConfig, stack: ServerlessGcpConfig) {
    // Its own repository, so this stack and cluster-gcp can share a GCP project without clashing.
    super(scope, id, config, stack, `${config.project}-run-images`, SERVERLESS_GCP_APIS);
    new RandomProvider(this, 'random');
    this.app = new GcpServerlessApp(this, 'app', {
      project: stack.project,
      region: stack.region,
      // `-run` keeps every name apart from cluster-gcp's, so both stacks can share a GCP project.
      namePrefix: `${config.project}-run`,
      domain: config.domain,
      profile: this.profile,
      registry: this.registry,
      image: config.app.image,
      environments: Object.fromEntries(config.environments.map((env) => [env, { ...stack.sizes[env], ...databaseSettings(stack.database[env]) }])),
      database: config.database,
      // A store-only Redis takes the same tier and TLS as one the app uses.
      redis: config.redis || config.mutableStore === 'redis' ? { tier: stack.redisTier, transitEncryption: stack.redisTransitEncryption } : undefined,
      vpcEgress: stack.vpcEgress,
      databaseConnectivity: stack.databaseConnectivity,
      subnetCidr: stack.subnetCidr,
      privateServicesRange: stack.privateServicesRange,
      existingNetwork: stack.existingNetwork,
      mutableStore: config.mutableStore === 'none' ? undefined : { kind: config.mutableStore },
      storage: config.storage ? { cdn: stack.storageCdn, objectAcls: stack.storageObjectAcls ?? storageObjectAclsByDefault(config) } : false,
      domains: stack.domains,
      webOnTopDomain: config.webOnTopDomain,
      requestTimeoutSec: stack.requestTimeoutSec,
      publicInsights: stack.publicInsights,
      maintenanceSchedule: stack.maintenanceSchedule,
      // Left to the user's own pipeline when the app says so, unless the stack asks for the job anyway.
      migrationsJob: stack.migrationsJob ?? config.app.applyMigrations,
      secrets: config.secrets,
      initialImage: stack.initialImage,
      dnsZone: stack.dnsZone,
      githubRepository: config.github?.repository,
      githubRefs: config.github?.refs,
    });
  }
}

/** Where the props of this stack's constructs come from in deploy.yaml, to word what they refuse (config-errors.ts). */
export function serverlessGcpConfigFields(): ConfigFields {
  const at = (field: string) => `stacks.serverless-gcp.${field}`;
  const size = (field: string) => `stacks.serverless-gcp.sizes.{env}.${field}`;
  return {
    ...gcpConfigFields('serverless-gcp', 'GcpServerlessApp'),
    'GcpServerlessApp.maintenanceSchedule': at('maintenanceSchedule'),
    'GcpServerlessApp.vpcEgress': at('vpcEgress'),
    'GcpServerlessApp.databaseConnectivity': at('databaseConnectivity'),
    'GcpServerlessApp.subnetCidr': at('subnetCidr'),
    'GcpServerlessApp.requestTimeoutSec': at('requestTimeoutSec'),
    'GcpServerlessApp.migrationsJob': at('migrationsJob'),
    'GcpServerlessApp.initialImage': at('initialImage'),
    'GcpServerlessApp.privateServicesRange': at('privateServicesRange'),
    'Network.subnetCidr': at('subnetCidr'),
    'Network.privateServicesRange': at('privateServicesRange'),
    'ExistingNetwork.privateServicesRange': at('privateServicesRange'),
    'GcpServerlessApp.existingNetwork': at('existingNetwork'),
    'CloudRunService.name': 'project',
    'CloudRunService.minInstances': size('minInstances'),
    'CloudRunService.maxInstances': size('maxInstances'),
    'CloudRunService.concurrency': size('concurrency'),
    'CloudRunService.cpu': size('cpu'),
    'CloudRunService.memory': size('memory'),
    'CloudRunService.requestTimeoutSec': at('requestTimeoutSec'),
    'CloudRunService.environment.plain': 'app.environment',
    // A secret's variable (`environment.secrets.FOO`): declared under a key of secrets.
    'CloudRunService.environment.secrets': () => 'secrets',
    'CloudRunService.startupGraceSec': 'app.healthCheck.gracePeriodSec',
    'CloudRunService.probeIntervalSec': 'app.healthCheck.intervalSec',
    'CloudRunService.probeTimeoutSec': 'app.healthCheck.timeoutSec',
    'CloudRunService.livenessFailures': 'app.healthCheck.unhealthyThreshold',
    'CloudRunJob.name': 'project',
    'CloudRunJob.schedule': at('maintenanceSchedule'),
    'CloudRunJob.environment.plain': 'app.environment',
    'CloudRunJob.environment.secrets': () => 'secrets',
    'CloudRunJob.cpu': size('cpu'),
    'CloudRunJob.memory': size('memory'),
    'ServerBuckets.publicBucketName': 'project',
    'ServerBuckets.privateBucketName': 'project',
  };
}
