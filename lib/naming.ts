/** The environments a deployment can have. Production always exists; staging is an optional second copy. */
export type EnvironmentName = 'production' | 'staging';

/** Every environment name, production first. */
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

/**
 * A name no longer than `max`: unchanged when it fits, else cut and ended with a short hash of the whole,
 * so distinct long names stay distinct and the same input always gives the same name.
 */
export function boundedName(name: string, max: number): string {
  if (name.length <= max) return name;
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193) >>> 0;
  const suffix = hash.toString(36).padStart(7, '0').slice(0, 7);
  return `${name.slice(0, max - suffix.length - 1).replace(/-+$/, '')}-${suffix}`;
}
