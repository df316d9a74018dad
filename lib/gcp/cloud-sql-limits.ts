// Cloud SQL for PostgreSQL's connection limits, shared by the constructs and the config schema (no provider
// imports here, so the config can use them without loading the Google provider).

/**
 * Cloud SQL for PostgreSQL's default `max_connections` by the instance's memory, from the "Quotas and limits"
 * page of Cloud SQL for PostgreSQL (maximum concurrent connections). It is the default only: the
 * `max_connections` database flag overrides it. Each row applies from `fromGb` up to the next row's `fromGb`.
 * The page gives the two shared-core tiers their own rows (see `SHARED_CORE`); any other instance below
 * 3.75 GB is counted as 25, the smallest figure, to stay on the safe side.
 */
const CONNECTIONS_BY_MEMORY: readonly { readonly fromGb: number; readonly limit: number }[] = [
  { fromGb: 0, limit: 25 },
  { fromGb: 3.75, limit: 100 },
  { fromGb: 6, limit: 200 },
  { fromGb: 7.5, limit: 400 },
  { fromGb: 15, limit: 500 },
  { fromGb: 30, limit: 600 },
  { fromGb: 60, limit: 800 },
  { fromGb: 120, limit: 1000 },
];

/** The shared-core tiers, which the same page lists by name. */
const SHARED_CORE: ReadonlyMap<string, { readonly limit: number; readonly memoryGb: number }> = new Map([
  ['db-f1-micro', { limit: 25, memoryGb: 0.6 }],
  ['db-g1-small', { limit: 50, memoryGb: 1.7 }],
]);

/** Memory per vCPU of the predefined (legacy) machine series, in GB. */
const PREDEFINED_GB_PER_CPU: Readonly<Record<string, number>> = { standard: 3.75, highmem: 6.5 };

/** A whole number written without a sign or leading zeros, at least 1. */
const COUNT = '([1-9][0-9]*)';

/** The tier's memory in GB (GiB: the page and the tier names count in binary units), or undefined. */
function tierMemoryGb(tier: string): number | undefined {
  const custom = new RegExp(`^db-custom-${COUNT}-${COUNT}$`).exec(tier);
  if (custom) return Number(custom[2]) / 1024;
  const predefined = new RegExp(`^db-n1-(standard|highmem)-${COUNT}$`).exec(tier);
  if (predefined) return PREDEFINED_GB_PER_CPU[predefined[1]] * Number(predefined[2]);
  return undefined;
}

/**
 * Cloud SQL for PostgreSQL's default `max_connections` for a tier, with the memory it was derived from:
 * `db-f1-micro`, `db-g1-small`, `db-custom-<vCPUs>-<memory MiB>`, `db-n1-standard-<vCPUs>` (3.75 GB each) and
 * `db-n1-highmem-<vCPUs>` (6.5 GB each). Undefined for any other tier (Enterprise Plus and the newer series,
 * say), whose limit this module does not know.
 */
export function cloudSqlMaxConnections(tier: string): { limit: number; memoryGb: number } | undefined {
  const shared = SHARED_CORE.get(tier);
  if (shared) return { ...shared };
  const memoryGb = tierMemoryGb(tier);
  if (memoryGb === undefined) return undefined;
  // The rows are in ascending order; the last one whose lower bound the memory reaches applies.
  const row = [...CONNECTIONS_BY_MEMORY].reverse().find((r) => memoryGb >= r.fromGb);
  return { limit: row!.limit, memoryGb };
}
