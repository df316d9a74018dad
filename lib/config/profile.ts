import { AppProfile } from '../app/profile';
import { customProfile } from '../app/custom';
import { perseusProfile } from '../app/perseus';
import { SERVERPOD_STABLE_VERSION, serverpodAtLeast, serverpodProfile } from '../app/serverpod';
import { DeployConfig } from './schema';

/** The app profile the config describes. */
export function appProfileFromConfig(config: DeployConfig): AppProfile {
  const app = config.app;
  if (app.preset === 'custom') {
    // The same AppProfile a TypeScript user describes (examples/custom-server-aws), from the config's port list.
    return customProfile({
      name: config.project,
      ports: (app.ports ?? []).map((p) => ({ name: p.name, port: p.port, hostLabel: p.host, healthCheckPath: p.healthPath, livenessPath: p.livenessPath })),
      roles: app.roles,
      usesDatabase: config.database,
      healthCheck: app.healthCheck,
      environment: app.environment,
    });
  }
  if (app.preset === 'perseus') {
    return perseusProfile({
      name: config.project,
      port: app.port,
      hostLabel: app.hosts?.web,
      healthCheckPath: app.healthCheckPath,
      healthCheck: app.healthCheck,
      environment: app.environment,
      strategies: app.strategies,
      latencySensitive: app.latencySensitive,
    });
  }
  return serverpodProfile({
    name: config.project,
    logging: app.logging,
    version: app.serverpodVersion,
    usesDatabase: config.database,
    web: app.web,
    hostLabels: app.hosts,
    healthCheckPath: app.healthCheckPath,
    healthCheck: app.healthCheck,
    environment: app.environment,
  });
}

/**
 * Whether the storage buckets should accept object ACLs by default: Serverpod's GoogleCloudStorage sends them up to
 * 3.3.1 and sends none from 3.4.0 (integrations/serverpod_cloud_storage_gcp, supportsObjectAcl).
 */
export function storageObjectAclsByDefault(config: DeployConfig): boolean {
  return config.app.preset === 'serverpod' && !serverpodAtLeast(config.app.serverpodVersion ?? SERVERPOD_STABLE_VERSION, '3.4');
}
