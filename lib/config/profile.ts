import { AppProfile } from '../app/profile';
import { perseusProfile } from '../app/perseus';
import { serverpodProfile } from '../app/serverpod';
import { DeployConfig } from './schema';

/** The app profile the config describes. */
export function appProfileFromConfig(config: DeployConfig): AppProfile {
  const app = config.app;
  if (app.preset === 'perseus') {
    return perseusProfile({
      name: config.project,
      port: app.port,
      healthCheckPath: app.healthCheckPath,
      environment: app.environment,
      strategies: app.strategies,
      latencySensitive: app.latencySensitive,
    });
  }
  return serverpodProfile({
    name: config.project,
    logging: app.logging,
    usesDatabase: config.database,
    healthCheckPath: app.healthCheckPath,
    environment: app.environment,
  });
}
