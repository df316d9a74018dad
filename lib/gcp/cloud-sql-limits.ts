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
export function cloudSqlMaxConnections(tier: string):
  | {
      /** The default `max_connections`. */
      limit: number;
      /** The tier's memory in GB, which decides it. */
      memoryGb: number;
    }
  | undefined {
  const shared = SHARED_CORE.get(tier);
  if (shared) return { ...shared };
  const memoryGb = tierMemoryGb(tier);
  if (memoryGb === undefined) return undefined;
  // The rows are in ascending order; the last one whose lower bound the memory reaches applies.
  const row = [...CONNECTIONS_BY_MEMORY].reverse().find((r) => memoryGb >= r.fromGb);
  return { limit: row!.limit, memoryGb };
}

/**
 * Cloud SQL's data disk in GB: at least 10 (SSD), at most 64 TB (65,536 GB) on dedicated-core tiers and 3,062 GB on
 * the shared-core ones (Cloud SQL's "Quotas and limits", storage limits, and its shared-core machine types).
 */
export const CLOUD_SQL_DISK_GB = { min: 10, max: 65536, sharedCoreMax: 3062 } as const;

/** The largest data disk Cloud SQL gives a tier, in GB (`CLOUD_SQL_DISK_GB`). */
export function cloudSqlMaxDiskGb(tier: string): number {
  return SHARED_CORE.has(tier) ? CLOUD_SQL_DISK_GB.sharedCoreMax : CLOUD_SQL_DISK_GB.max;
}

/** Why a data disk of `gb` is not one Cloud SQL gives `tier` (completing "expected ..."), or undefined. */
export function cloudSqlDiskProblem(gb: unknown, tier: string): string | undefined {
  const max = cloudSqlMaxDiskGb(tier);
  if (typeof gb === 'number' && Number.isInteger(gb) && gb >= CLOUD_SQL_DISK_GB.min && gb <= max) return undefined;
  const limit = SHARED_CORE.has(tier) ? `Cloud SQL's limit for the shared-core tier ${tier}; a db-custom- tier takes up to ${CLOUD_SQL_DISK_GB.max}` : "Cloud SQL's limit, 64 TB";
  return `a whole number of GB from ${CLOUD_SQL_DISK_GB.min} to ${max} (${limit})`;
}
