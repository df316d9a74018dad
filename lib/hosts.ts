import { AppProfile } from './app/profile';
import { EnvironmentName, hostName } from './naming';

/** A lowercase DNS name such as `example.com` or `docs.example.com` (no scheme, no trailing dot). */
export const DNS_NAME = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * Whether `name` is `zoneDomain` or a name under it, on a label boundary (`shop.example.com` is under
 * `example.com`, `badexample.com` is not): the names a zone can hold records for.
 */
export function inZone(name: string, zoneDomain: string): boolean {
  return name === zoneDomain || name.endsWith(`.${zoneDomain}`);
}

/** What an environment serves besides its ports (`environmentHosts`). */
export interface HostOptions {
  /** Whether a public bucket is served at `storage.`. */
  readonly storage: boolean;
  /** Whether production's web port is also served at the bare domain. */
  readonly webOnTopDomain: boolean;
}

/** The public host names of one environment, the same on every cloud. */
export interface EnvironmentHosts {
  /** Host names per port name of the profile: `api` → [`api.example.com`], `web` → [`app.example.com`, `example.com`]. */
  readonly byPort: Readonly<Record<string, readonly string[]>>;
  /** The first host of each port: what the server announces as its public host. */
  readonly primary: Readonly<Record<string, string>>;
  /**
   * `storage.example.com` (`storage-staging.` in staging), when storage is on.
   * @default - none: storage is off
   */
  readonly storage?: string;
  /** Every host, sorted: what the certificate must cover. */
  readonly all: readonly string[];
}

/**
 * The hosts of one environment: each port at its label (`api.`, `insights.`, `app.`), `storage.` for the
 * public bucket, and the bare domain for production's web port on request. Staging uses Serverpod's
 * template names (`api-staging.`). The bare domain goes to the port named `web`, else the main port.
 */
export function environmentHosts(profile: AppProfile, domain: string, environment: EnvironmentName, options: HostOptions): EnvironmentHosts {
  const byPort: Record<string, string[]> = {};
  const primary: Record<string, string> = {};
  const topDomainPort = profile.ports.find((p) => p.name === 'web') ?? profile.mainPort;
  for (const port of profile.ports) {
    const host = hostName(domain, profile.hostLabel(port), environment);
    byPort[port.name] = [host];
    primary[port.name] = host;
    if (options.webOnTopDomain && environment === 'production' && port === topDomainPort) byPort[port.name].push(domain);
  }
  const storage = options.storage ? hostName(domain, 'storage', environment) : undefined;
  const all = [...new Set([...Object.values(byPort).flat(), ...(storage ? [storage] : [])])].sort();
  return { byPort, primary, storage, all };
}

/** The origins a browser loads the app from (`https://<host>` of every host but `storage.`), for CORS. */
export function appOrigins(hosts: EnvironmentHosts): string[] {
  return hosts.all.filter((h) => h !== hosts.storage).map((h) => `https://${h}`);
}
