// RDS for PostgreSQL's connection limits, shared by the constructs and the config schema (no provider imports
// here, so the config can use them without loading the AWS provider).

/**
 * Memory of the instance classes this module knows, in GiB, by family: the sizes each family names, and for
 * `<N>xlarge` the memory of one `xlarge` times N (undefined where the family has no such sizes).
 */
const CLASS_FAMILIES: readonly {
  readonly families: readonly string[];
  readonly sizes: Readonly<Record<string, number>>;
  readonly perXlarge?: number;
}[] = [
  // Burstable.
  { families: ['t3', 't4g'], sizes: { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, '2xlarge': 32 } },
  // General purpose.
  { families: ['m5', 'm5d', 'm6g', 'm6gd', 'm6i', 'm6id', 'm7g', 'm7i'], sizes: { large: 8, xlarge: 16 }, perXlarge: 16 },
  // Memory optimised.
  { families: ['r5', 'r5d', 'r6g', 'r6gd', 'r6i', 'r6id', 'r7g', 'r7i'], sizes: { large: 16, xlarge: 32 }, perXlarge: 32 },
];

/** Bytes per connection in RDS for PostgreSQL's default: `LEAST({DBInstanceClassMemory/9531392}, 5000)`. */
const BYTES_PER_CONNECTION = 9531392;
/** The default's ceiling. */
const MAX_DEFAULT_CONNECTIONS = 5000;
/**
 * DBInstanceClassMemory is the class's memory less what the operating system and RDS keep, which AWS does not
 * publish; it is estimated as 70% of the nominal memory, in tenths so the arithmetic stays in whole numbers.
 * A db.t4g.micro (1 GiB nominal) reports about 80 connections, not the 112 the nominal memory would give.
 */
const USABLE_TENTHS = 7;

function classMemoryGiB(instanceClass: string): number | undefined {
  const match = /^db\.([a-z0-9]+)\.([a-z0-9]+)$/.exec(instanceClass);
  if (!match) return undefined;
  const [, family, size] = match;
  const entry = CLASS_FAMILIES.find((f) => f.families.includes(family));
  if (!entry) return undefined;
  if (Object.prototype.hasOwnProperty.call(entry.sizes, size)) return entry.sizes[size];
  const multiple = /^([1-9][0-9]*)xlarge$/.exec(size);
  return multiple && entry.perXlarge !== undefined && Number(multiple[1]) >= 2 ? entry.perXlarge * Number(multiple[1]) : undefined;
}

/**
 * RDS for PostgreSQL's default `max_connections` for an instance class, with the class's nominal memory:
 * `LEAST({DBInstanceClassMemory/9531392}, 5000)` (RDS user guide, "Maximum number of database connections"),
 * with DBInstanceClassMemory estimated as 70% of the nominal memory. Knows `db.t3`/`db.t4g` (micro to
 * 2xlarge), the general-purpose `db.m5`…`db.m7i` and the memory-optimised `db.r5`…`db.r7i` classes; undefined
 * for any other class. A parameter group's `max_connections` overrides the default.
 */
export function rdsMaxConnections(instanceClass: string):
  | {
      /** The estimated default `max_connections`. */
      limit: number;
      /** The class's nominal memory in GiB, which decides it. */
      memoryGiB: number;
    }
  | undefined {
  const memoryGiB = classMemoryGiB(instanceClass);
  if (memoryGiB === undefined) return undefined;
  // Whole numbers well below 2^53 on both sides of the one division, so the floor is exact.
  const usableBytes = Math.floor((memoryGiB * 2 ** 30 * USABLE_TENTHS) / 10);
  return { limit: Math.min(Math.floor(usableBytes / BYTES_PER_CONNECTION), MAX_DEFAULT_CONNECTIONS), memoryGiB };
}
