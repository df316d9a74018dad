// Compute Engine machine types and Cloud SQL for PostgreSQL tiers, so a misspelt type is a config error instead of a
// failed apply. Data only, no provider imports (the config schema uses it). Regions and zones are in
// lib/gcp/zones.ts (GCP_ZONES). A type newer than these lists passes with `allowUnlisted: true` (docs/config.md).

/** Where the machine series come from and when the list was last compared with it. */
export const GCE_SOURCE = {
  url: 'https://cloud.google.com/compute/docs/machine-resource',
  alsoUrl: 'https://cloud.google.com/compute/docs/instances/creating-instance-with-custom-machine-type',
  checked: '2026-11-29',
} as const;

/** Machine series with predefined types (`<series>-<kind>-<vCPUs>`). */
export const GCE_SERIES: readonly string[] = [
  // General purpose.
  'c3', 'c3d', 'c4', 'c4a', 'c4d', 'e2', 'n1', 'n2', 'n2d', 'n4', 'n4a', 'n4d', 't2a', 't2d',
  // Compute, memory and storage optimized.
  'c2', 'c2d', 'h3', 'h4d', 'm1', 'm2', 'm3', 'm4', 'x4', 'z3',
  // Accelerator optimized.
  'a2', 'a3', 'a4', 'a4x', 'g2', 'g4',
];

/** What follows a series: the memory-to-vCPU kind (or GPU kind). */
const GCE_KINDS = ['standard', 'highmem', 'highcpu', 'megamem', 'ultramem', 'hypermem', 'highgpu', 'megagpu', 'ultragpu', 'edgegpu'];

/** The shared-core types, which have names instead of vCPU counts. */
const GCE_SHARED_CORE: ReadonlySet<string> = new Set(['e2-micro', 'e2-small', 'e2-medium', 'f1-micro', 'g1-small']);

/** `n2-standard-4`, `a2-highgpu-1g` (GPUs), `c3-standard-4-lssd` (local SSD), `c3-highcpu-192-metal`. */
const GCE_PREDEFINED = new RegExp(`^(${GCE_SERIES.join('|')})-(${GCE_KINDS.join('|')})-[1-9][0-9]*g?(-(lssd|highlssd|standardlssd|metal))?$`);

/**
 * Custom types: `custom-<vCPUs>-<MiB>` (N1), `<series>-custom-<vCPUs>-<MiB>` for the series that have them, E2's
 * shared-core `e2-custom-micro-<MiB>`, and `-ext` for extended memory.
 */
const GCE_CUSTOM = /^((e2|n2|n2d|n4|n4d)-)?custom-([1-9][0-9]*|micro|small|medium)-[1-9][0-9]*(-ext)?$/;

/** Whether a machine type is of a listed series and shape. */
export function isListedMachineType(type: string): boolean {
  return GCE_SHARED_CORE.has(type) || GCE_PREDEFINED.test(type) || GCE_CUSTOM.test(type);
}

/** Where the Cloud SQL tiers come from and when the list was last compared with it. */
export const CLOUD_SQL_SOURCE = {
  url: 'https://cloud.google.com/sql/docs/postgres/instance-settings',
  alsoUrl: 'https://cloud.google.com/sql/docs/postgres/machine-series-overview',
  checked: '2026-11-29',
} as const;

/** The shared-core tiers (Enterprise edition only). */
const CLOUD_SQL_SHARED_CORE: ReadonlySet<string> = new Set(['db-f1-micro', 'db-g1-small']);

const CUSTOM_TIER = /^db-custom-([1-9][0-9]*)-([1-9][0-9]*)$/;
/** Enterprise Plus machine types: N2 (`db-perf-optimized-N-8`), memory-optimized N2 and C4A. */
const ENTERPRISE_PLUS_TIER = /^db-(perf-optimized|memory-optimized)-N-[0-9]+$|^db-c4a-/;
/** The legacy predefined tiers, which Cloud SQL takes for MySQL but refuses for PostgreSQL. */
const N1_TIER = /^db-n1-(standard|highmem)-([1-9][0-9]*)$/;
const N1_MIB_PER_CPU: Readonly<Record<string, number>> = { standard: 3840, highmem: 6656 };

/**
 * Why a custom tier is one Cloud SQL refuses, or undefined: 1 or an even number of vCPUs up to 96; memory a multiple
 * of 256 MiB, at least 3840 MiB, and 0.9 to 6.5 GiB per vCPU (the instance settings page, "Machine type").
 */
export function customTierProblem(tier: string): string | undefined {
  const m = CUSTOM_TIER.exec(tier);
  if (!m) return undefined;
  const cpus = Number(m[1]);
  const mib = Number(m[2]);
  const rules = 'db-custom-<vCPUs>-<memory MiB> with 1 or an even number of vCPUs up to 96, and memory a multiple of 256 MiB, at least 3840, from 0.9 to 6.5 GiB per vCPU (such as db-custom-1-3840 or db-custom-2-7680)';
  const cpusOk = cpus === 1 || (cpus % 2 === 0 && cpus <= 96);
  // 0.9 GiB is 921.6 MiB: compared in tenths to stay in whole numbers.
  const memoryOk = mib % 256 === 0 && mib >= 3840 && mib * 10 >= 9216 * cpus && mib <= 6656 * cpus;
  return cpusOk && memoryOk ? undefined : rules;
}

/**
 * Why a tier is one Cloud SQL refuses for the instances these stacks create (PostgreSQL, Enterprise edition), or
 * undefined. No newer list lifts these: they are rules, not gaps in a list.
 */
export function cloudSqlTierProblem(tier: string): string | undefined {
  if (ENTERPRISE_PLUS_TIER.test(tier)) {
    return 'an Enterprise edition tier such as db-custom-2-7680: the stacks create Cloud SQL Enterprise edition instances, which refuse Enterprise Plus tiers (db-perf-optimized-N-*, db-memory-optimized-N-*, db-c4a-*)';
  }
  return customTierProblem(tier);
}

/** Whether a tier is on the list: shared core, or a custom tier (its numbers are checked by `customTierProblem`). */
export function isListedCloudSqlTier(tier: string): boolean {
  return CLOUD_SQL_SHARED_CORE.has(tier) || CUSTOM_TIER.test(tier);
}

/** The custom tier a legacy `db-n1-*` tier stands for, which PostgreSQL takes instead, or undefined. */
export function customTierFor(tier: string): string | undefined {
  const m = N1_TIER.exec(tier);
  if (!m) return undefined;
  const cpus = Number(m[2]);
  return `db-custom-${cpus}-${N1_MIB_PER_CPU[m[1]] * cpus}`;
}
