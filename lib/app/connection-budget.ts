// How many database connections each kind of process may open so that all of them together stay within the
// database's limit. Cloud-neutral and free of provider imports: the limits come from `gcp/cloud-sql-limits.ts`
// or `aws/rds-limits.ts`, and the config schema can use the planner without loading a provider.
import { Annotations } from 'cdktf';
import { IConstruct } from 'constructs';
import { ProblemCollector } from '../validation';
import { DatabasePool } from './profile';

/** One kind of process that holds a connection pool to the database (every process opens its own). */
export interface ConnectionConsumer {
  /** For messages and the result: 'servers', 'api service', 'maintenance job'. Unique. */
  readonly name: string;
  /** Most processes of this kind that can hold connections at once, surges and overlapping runs included. */
  readonly processes: number;
  /** Fewest connections one process can work with. */
  readonly minimumPool: number;
  /** What one process gets when there is room (Serverpod's default 10). */
  readonly preferredPool: number;
  /**
   * The pool cannot be configured (Serverpod 2.9 always opens up to 10): it is always preferredPool.
   * @default false
   */
  readonly fixed?: boolean;
}

/** What `planConnections` sizes pools for: the database's limit and every kind of process that connects. */
export interface ConnectionBudgetInput {
  /** The database's max_connections. */
  readonly limit: number;
  /** Where the limit comes from, for messages: 'db-f1-micro allows 25 connections'. */
  readonly limitSource: string;
  /**
   * Connections kept free for superusers and operators.
   * @default 5 (3 Postgres reserves for superusers, 2 for psql or a manual migration)
   */
  readonly reserved?: number;
  /** Every kind of process that opens a pool. */
  readonly consumers: readonly ConnectionConsumer[];
}

/** One consumer as planned, in the order the input gave. */
export interface PlannedConsumer {
  /** The consumer's name, as given. */
  readonly name: string;
  /** Most processes at once, as given. */
  readonly processes: number;
  /** Connections one process may open. */
  readonly pool: number;
  /** The pool it would get with room, as given. */
  readonly preferredPool: number;
  /** Its pool cannot be configured, so `pool` is `preferredPool`. */
  readonly fixed: boolean;
}

/** The pools `planConnections` found, with the numbers behind them and what does not fit. */
export interface ConnectionBudget {
  /** The database's max_connections, as given. */
  readonly limit: number;
  /** The input's `limitSource`, for messages. */
  readonly limitSource: string;
  /** Connections kept free. */
  readonly reserved: number;
  /** `limit - reserved`: what the consumers may hold together. */
  readonly available: number;
  /** Pool size per consumer name. */
  readonly pools: Readonly<Record<string, number>>;
  /** Every consumer with its process count and pool, in input order. */
  readonly consumers: readonly PlannedConsumer[];
  /** Connections open at once in the worst case with these pools. */
  readonly worstCase: number;
  /**
   * Set when even the minimum pools do not fit: one sentence with every number (each consumer's processes ×
   * minimum, the total, the available count) and what would fix it. The pools are then the minimums.
   * @default - none: the minimum pools fit
   */
  readonly problem?: string;
  /**
   * Set when some pools are below their preferred size: which, how big, and why.
   * @default - none: every pool has its preferred size, or there is a `problem`
   */
  readonly warning?: string;
}

/** Connections kept free when the input says nothing: 3 for Postgres' superusers, 2 for psql or a manual migration. */
export const DEFAULT_RESERVED_CONNECTIONS = 5;

function checkInput(input: ConnectionBudgetInput, reserved: number): void {
  const problems = new ProblemCollector();
  problems.wholeNumber('limit', input.limit, 1);
  problems.wholeNumber('reserved', reserved, 0);
  if (Number.isInteger(input.limit) && Number.isInteger(reserved)) {
    problems.check(reserved < input.limit, 'reserved', reserved, `fewer than the limit (${input.limit})`);
  }
  const seen = new Set<string>();
  input.consumers.forEach((c, i) => {
    const at = `consumers[${i}].`;
    problems.check(typeof c.name === 'string' && c.name.trim() !== '', `${at}name`, c.name, 'a non-empty name');
    problems.check(!seen.has(c.name), `${at}name`, c.name, 'a name no other consumer has');
    seen.add(c.name);
    problems.wholeNumber(`${at}processes`, c.processes, 0);
    problems.wholeNumber(`${at}minimumPool`, c.minimumPool, 1);
    problems.wholeNumber(`${at}preferredPool`, c.preferredPool, 1);
    // Compared only when both are valid, so one bad number is reported once.
    if (Number.isInteger(c.minimumPool) && Number.isInteger(c.preferredPool) && c.minimumPool >= 1 && c.preferredPool >= 1) {
      problems.check(c.minimumPool <= c.preferredPool, `${at}minimumPool`, c.minimumPool, `at most preferredPool (${c.preferredPool})`);
    }
  });
  problems.throwIfAny(`Connection budget (${input.limitSource})`);
}

/** `servers 10 × 2 + api service 3 × 2`, over the consumers that can run, with `pool` per process. */
function terms(consumers: readonly ConnectionConsumer[], pool: (c: ConnectionConsumer) => number): string {
  return consumers
    .filter((c) => c.processes > 0)
    .map((c) => `${c.name} ${c.processes} × ${pool(c)}${c.fixed ? ' (fixed)' : ''}`)
    .join(' + ');
}

/**
 * Sizes each consumer's pool so that the worst case (every process of every consumer at once, each with a full
 * pool) stays within the limit less the reserved connections. Fixed consumers take processes × preferredPool
 * first; the others share the rest under one cap: each gets min(cap, its preferredPool), never below its
 * minimumPool, with the cap as large as fits. When even the minimums do not fit, `problem` says so and the
 * pools are the minimums; when some pool is below its preferred size, `warning` says which and why.
 * Throws a ValidationError for malformed input (not whole numbers, minimum above preferred, repeated names).
 */
export function planConnections(input: ConnectionBudgetInput): ConnectionBudget {
  const reserved = input.reserved ?? DEFAULT_RESERVED_CONNECTIONS;
  checkInput(input, reserved);
  const { limit, limitSource, consumers } = input;
  const available = limit - reserved;

  // A cap of 0 puts every configurable pool at its minimum; a larger cap never shrinks a pool.
  const poolAt = (c: ConnectionConsumer, cap: number): number => (c.fixed ? c.preferredPool : Math.max(c.minimumPool, Math.min(cap, c.preferredPool)));
  const totalAt = (cap: number): number => consumers.reduce((sum, c) => sum + c.processes * poolAt(c, cap), 0);

  const minimumTotal = totalAt(0);
  let cap = 0;
  if (minimumTotal <= available) {
    // Bisect for the largest cap that fits: totalAt(low) fits; totalAt(high) does not, unless the top cap already fits.
    let low = 0;
    let high = Math.max(0, ...consumers.filter((c) => !c.fixed).map((c) => c.preferredPool));
    if (totalAt(high) <= available) low = high;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (totalAt(middle) <= available) low = middle;
      else high = middle;
    }
    cap = low;
  }

  const planned: PlannedConsumer[] = consumers.map((c) => ({
    name: c.name,
    processes: c.processes,
    pool: poolAt(c, cap),
    preferredPool: c.preferredPool,
    fixed: c.fixed ?? false,
  }));
  const worstCase = totalAt(cap);
  const budget = {
    limit,
    limitSource,
    reserved,
    available,
    pools: Object.fromEntries(planned.map((p) => [p.name, p.pool])),
    consumers: planned,
    worstCase,
  };
  const leaving = `${limitSource} and ${reserved} are kept free, leaving ${available}`;

  if (minimumTotal > available) {
    const fixes = [`allow at least ${minimumTotal + reserved} connections (a larger database or a higher max_connections)`, 'run fewer processes at once'];
    if (consumers.some((c) => c.fixed && c.processes > 0)) fixes.push('make the fixed pools configurable (Serverpod 3.0 and later)');
    const problem =
      `${leaving}, but even the smallest pools need ${minimumTotal} at once ` +
      `(${terms(consumers, (c) => poolAt(c, 0))}): ${fixes.slice(0, -1).join(', ')} or ${fixes[fixes.length - 1]}.`;
    return { ...budget, problem };
  }

  const below = planned.filter((p) => p.processes > 0 && p.pool < p.preferredPool);
  if (below.length === 0) return budget;
  const preferredTotal = consumers.reduce((sum, c) => sum + c.processes * c.preferredPool, 0);
  const warning =
    `${leaving}, fewer than the ${preferredTotal} the preferred pools need (${terms(consumers, (c) => c.preferredPool)}), ` +
    `so these pools per process are smaller: ${below.map((p) => `${p.name} ${p.pool} instead of ${p.preferredPool}`).join(', ')}; ` +
    `at most ${worstCase} connections at once (${terms(consumers, (c) => poolAt(c, cap))}).`;
  return { ...budget, warning };
}

/** One line for outputs and docs: `db-f1-micro allows 25 connections, 5 reserved: servers 4 × 5 = 20 of 20 available`. */
export function describeBudget(b: ConnectionBudget): string {
  const uses = b.consumers.map((c) => `${c.name} ${c.processes} × ${c.pool}${c.fixed ? ' (fixed)' : ''}`).join(' + ');
  const fit = b.problem ? ' (does not fit)' : '';
  return `${b.limitSource}, ${b.reserved} reserved: ${uses || 'nothing connects'} = ${b.worstCase} of ${b.available} available${fit}`;
}

/** Connections Postgres keeps for superusers (superuser_reserved_connections), out of the app user's reach. */
export const SUPERUSER_RESERVED_CONNECTIONS = 3;

/** A kind of process of one environment that opens the profile's pool. */
export interface EnvironmentConsumer {
  /** For messages and the result: 'servers', 'api service', 'maintenance job'. Unique. */
  readonly name: string;
  /** Most processes of this kind that can hold connections at once, surges and overlapping runs included. */
  readonly processes: number;
  /** A smaller pool than the profile's preferred one suits it (a job that runs one task at a time). @default - the profile's */
  readonly preferredPool?: number;
  /** It works with fewer connections than the profile's minimum (a job that does not migrate). @default - the profile's */
  readonly minimumPool?: number;
}

/**
 * One environment's connection budget for a profile's pool (`AppProfileProps.databasePool`): the pool each kind
 * of process gets, by name. A budget that cannot fit even the smallest pools is a problem recorded under
 * `field`; smaller pools than the profile prefers are a synth warning on `scope`. Nothing is planned (undefined)
 * when the profile's pool or the database's limit is unknown; an unknown limit is a warning.
 */
export function environmentPools(
  scope: IConstruct,
  problems: ProblemCollector,
  input: {
    /**
     * The profile's pool.
     * @default - none: the profile opens no pool, and nothing is planned
     */
    readonly pool?: DatabasePool;
    /**
     * The database's limit and where it comes from ('db-f1-micro allows 25 connections').
     * @default - unknown: nothing is planned, and a synth warning asks for the limit
     */
    readonly limit?: {
      /** The database's max_connections. */
      readonly limit: number;
      /** Where it comes from, for messages. */
      readonly source: string;
    };
    /** What the database is, for the unknown-limit warning ('Cloud SQL tier db-perf-1'). */
    readonly database: string;
    /** Whose database it is, leading every message ('production'). */
    readonly environment: string;
    /** The field a budget that cannot fit is recorded under. */
    readonly field: string;
    /** Every kind of process of the environment that opens the pool. */
    readonly consumers: readonly EnvironmentConsumer[];
  },
): Readonly<Record<string, number>> | undefined {
  const pool = input.pool;
  if (!pool) return undefined;
  if (!input.limit) {
    Annotations.of(scope).addWarning(`${input.environment}: the connection limit of ${input.database} is not known here, so the servers' database pools were not sized to fit it: set the database's max connections explicitly (databaseMaxConnections) to have them checked`);
    return undefined;
  }
  const budget = planConnections({
    limit: input.limit.limit,
    limitSource: input.limit.source,
    // Only Postgres' superuser slots (superuser_reserved_connections, 3), which the app's user cannot take anyway:
    // operators' sessions share the rest, and wait only when every process holds its whole pool at once.
    reserved: SUPERUSER_RESERVED_CONNECTIONS,
    consumers: input.consumers.map((c) => {
      const minimum = Math.min(pool.minimum, c.minimumPool ?? pool.minimum);
      const preferred = Math.max(minimum, Math.min(pool.preferred, c.preferredPool ?? pool.preferred));
      return { name: c.name, processes: c.processes, minimumPool: minimum, preferredPool: pool.configurable ? preferred : pool.preferred, fixed: !pool.configurable };
    }),
  });
  if (budget.problem) {
    problems.add({ field: input.field, value: `${budget.worstCase} connections at once`, expected: `database connections that fit: ${budget.problem}` });
  } else if (budget.warning) {
    // Smaller pools fit and work; pools squeezed to their minimum leave no headroom, which deserves a warning.
    const atMinimum = budget.consumers.some((c) => c.processes > 0 && !c.fixed && c.pool <= pool.minimum && c.preferredPool > pool.minimum);
    if (atMinimum) Annotations.of(scope).addWarning(`${input.environment} database connections: ${budget.warning} Some pools are at their minimum: a larger database or fewer instances gives them room.`);
    else Annotations.of(scope).addInfo(`${input.environment} database connections: ${budget.warning}`);
  }
  return budget.pools;
}
