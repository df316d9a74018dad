/** The environments a deployment can have. Production always exists; staging is an optional second copy. */
export type EnvironmentName = 'production' | 'staging';

export const ENVIRONMENT_NAMES: readonly EnvironmentName[] = ['production', 'staging'];

/**
 * Public host name of a service label in an environment, as Serverpod's server templates expect them:
 * `api.example.com` in production and `api-staging.example.com` in staging (config/staging.yaml).
 */
export function hostName(domain: string, label: string, environment: EnvironmentName): string {
  return environment === 'production' ? `${label}.${domain}` : `${label}-${environment}.${domain}`;
}

/**
 * Name of a cloud resource: `<project>-<environment>-<part>`, as Serverpod's module named them
 * (`serverpod-production-database`). Resource names are API: changing one replaces the resource.
 */
export function resourceName(project: string, environment: EnvironmentName | 'shared', part: string): string {
  return `${project}-${environment}-${part}`;
}
