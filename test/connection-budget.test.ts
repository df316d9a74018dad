import { ConnectionBudgetInput, ConnectionConsumer, describeBudget, planConnections } from '../lib/app/connection-budget';
import { rdsMaxConnections } from '../lib/aws/rds-limits';
import { cloudSqlMaxConnections } from '../lib/gcp/cloud-sql-limits';
import { ValidationError } from '../lib/validation';

const F1_MICRO = 'db-f1-micro allows 25 connections';

/** A configurable consumer with Serverpod's default pool of 10. */
function consumer(name: string, processes: number, minimumPool = 2, preferredPool = 10): ConnectionConsumer {
  return { name, processes, minimumPool, preferredPool };
}

/** A Serverpod 2.9 consumer: every process opens up to 10 connections, whatever is configured. */
function fixedConsumer(name: string, processes: number): ConnectionConsumer {
  return { name, processes, minimumPool: 1, preferredPool: 10, fixed: true };
}

/** The plan for `consumers` on a db-f1-micro with the default 5 reserved: 20 available. */
function onF1Micro(...consumers: ConnectionConsumer[]) {
  return planConnections({ limit: 25, limitSource: F1_MICRO, consumers });
}

describe('cloudSqlMaxConnections', () => {
  it.each([
    // The shared-core tiers have their own rows.
    ['db-f1-micro', 25, 0.6],
    ['db-g1-small', 50, 1.7],
    // Custom tiers: memory is the MiB in the name / 1024; each row holds from its lower bound.
    ['db-custom-1-3072', 25, 3], // below 3.75 GB, not shared-core: the conservative 25
    ['db-custom-1-3840', 100, 3.75],
    ['db-custom-2-6143', 100, 6143 / 1024], // just under 6 GB
    ['db-custom-2-6144', 200, 6],
    ['db-custom-2-7680', 400, 7.5],
    ['db-custom-4-15360', 500, 15],
    ['db-custom-8-30720', 600, 30],
    ['db-custom-16-61440', 800, 60],
    ['db-custom-32-122880', 1000, 120],
    ['db-custom-96-638976', 1000, 624],
    // n1-standard: 3.75 GB a vCPU.
    ['db-n1-standard-1', 100, 3.75],
    ['db-n1-standard-2', 400, 7.5],
    ['db-n1-standard-4', 500, 15],
    ['db-n1-standard-8', 600, 30],
    ['db-n1-standard-16', 800, 60],
    ['db-n1-standard-32', 1000, 120],
    // n1-highmem: 6.5 GB a vCPU.
    ['db-n1-highmem-2', 400, 13],
    ['db-n1-highmem-4', 500, 26],
    ['db-n1-highmem-8', 600, 52],
    ['db-n1-highmem-16', 800, 104],
    ['db-n1-highmem-32', 1000, 208],
  ])('%s allows %d connections (%d GB)', (tier, limit, memoryGb) => {
    expect(cloudSqlMaxConnections(tier)).toEqual({ limit, memoryGb });
  });

  it.each([
    'db-perf-optimized-N-2', // Enterprise Plus: not in the table
    'db-n1-megamem-4',
    'db-custom-1',
    'db-custom-0-3840',
    'db-custom-1-03840',
    'db-n1-standard-0',
    'db-n1-standard-',
    'DB-F1-MICRO',
    'db-f1-micro ',
    'constructor',
    '',
  ])('%j is unknown', (tier) => {
    expect(cloudSqlMaxConnections(tier)).toBeUndefined();
  });
});

describe('rdsMaxConnections', () => {
  // limit = min(floor(floor(GiB × 2^30 × 0.7) / 9531392), 5000):
  //   1 GiB: 751,619,276 / 9,531,392 = 78.9 → 78     2 GiB: 1,503,238,553 / 9,531,392 = 157.7 → 157
  //   4 GiB: 315.4 → 315    8 GiB: 630.9 → 630    16 GiB: 1261.7 → 1261    32 GiB: 2523.4 → 2523
  //   48 GiB: 36,077,725,286 / 9,531,392 = 3785.1 → 3785    64 GiB: 5046.9 → capped at 5000
  it.each([
    ['db.t4g.micro', 78, 1],
    ['db.t3.micro', 78, 1],
    ['db.t3.small', 157, 2],
    ['db.t4g.medium', 315, 4],
    ['db.t4g.large', 630, 8],
    ['db.t3.xlarge', 1261, 16],
    ['db.t4g.2xlarge', 2523, 32],
    ['db.m5.large', 630, 8],
    ['db.m6g.xlarge', 1261, 16],
    ['db.m7i.2xlarge', 2523, 32],
    ['db.m5d.3xlarge', 3785, 48],
    ['db.m6i.4xlarge', 5000, 64],
    ['db.m6gd.16xlarge', 5000, 256],
    ['db.r6g.large', 1261, 16],
    ['db.r5.xlarge', 2523, 32],
    ['db.r7g.2xlarge', 5000, 64],
    ['db.r6id.24xlarge', 5000, 768],
  ])('%s allows %d connections (%d GiB)', (instanceClass, limit, memoryGiB) => {
    expect(rdsMaxConnections(instanceClass)).toEqual({ limit, memoryGiB });
  });

  it.each([
    'db.t3.nano',
    'db.t4g.4xlarge', // burstable classes have no <N>xlarge beyond 2xlarge
    'db.m5.small',
    'db.m5.1xlarge',
    'db.m5.02xlarge',
    'db.m5.metal',
    'db.x2g.large',
    'db.serverless',
    'db.t4g.constructor',
    'db.t4g.micro.extra',
    'DB.T4G.MICRO',
    '',
  ])('%j is unknown', (instanceClass) => {
    expect(rdsMaxConnections(instanceClass)).toBeUndefined();
  });
});

describe('planConnections', () => {
  it('refuses three Cloud Run services of 10 instances on a db-f1-micro', () => {
    // 25 - 5 reserved = 20 available; the minimums alone need 3 × (10 × 2) = 60; a limit of 60 + 5 = 65 would do.
    const budget = onF1Micro(consumer('api service', 10), consumer('insights service', 10), consumer('web service', 10));
    expect(budget).toMatchObject({ limit: 25, reserved: 5, available: 20, worstCase: 60 });
    expect(budget.pools).toEqual({ 'api service': 2, 'insights service': 2, 'web service': 2 });
    expect(budget.warning).toBeUndefined();
    expect(budget.problem).toBe(
      'db-f1-micro allows 25 connections and 5 are kept free, leaving 20, but even the smallest pools need 60 at once ' +
        '(api service 10 × 2 + insights service 10 × 2 + web service 10 × 2): allow at least 65 connections ' +
        '(a larger database or a higher max_connections) or run fewer processes at once.',
    );
  });

  it('gives every process its preferred pool when they fit', () => {
    // db-custom-1-3840: 100 - 5 = 95 available; 4 × 10 + 1 × 10 = 50 fits.
    const budget = planConnections({
      limit: 100,
      limitSource: 'db-custom-1-3840 allows 100 connections',
      consumers: [consumer('servers', 4), consumer('maintenance job', 1)],
    });
    expect(budget).toMatchObject({ available: 95, worstCase: 50, pools: { servers: 10, 'maintenance job': 10 } });
    expect(budget.problem).toBeUndefined();
    expect(budget.warning).toBeUndefined();
  });

  it('caps every pool at the same size when only smaller pools fit', () => {
    // 20 available for 3 + 2 = 5 processes: the cap is floor(20 / 5) = 4, so 5 × 4 = 20 (5 × 5 = 25 would not fit).
    const budget = onF1Micro(consumer('servers', 3), consumer('api service', 2));
    expect(budget.pools).toEqual({ servers: 4, 'api service': 4 });
    expect(budget.worstCase).toBe(20);
    expect(budget.problem).toBeUndefined();
    expect(budget.warning).toBe(
      'db-f1-micro allows 25 connections and 5 are kept free, leaving 20, fewer than the 50 the preferred pools need ' +
        '(servers 3 × 10 + api service 2 × 10), so these pools per process are smaller: servers 4 instead of 10, ' +
        'api service 4 instead of 10; at most 20 connections at once (servers 3 × 4 + api service 2 × 4).',
    );
  });

  it('rounds the cap down when the processes do not divide what is available', () => {
    // 20 available for 6 processes: 6 × 3 = 18 fits, 6 × 4 = 24 does not.
    const budget = onF1Micro(consumer('servers', 3), consumer('api service', 3));
    expect(budget.pools).toEqual({ servers: 3, 'api service': 3 });
    expect(budget.worstCase).toBe(18);
  });

  it('never puts a pool below its minimum, and gives the others what is left', () => {
    // reports: 2 processes, minimum 6; servers: 4 processes, minimum 1. 20 available.
    // cap 2: 2 × max(6, 2) + 4 × 2 = 12 + 8 = 20 fits; cap 3: 12 + 12 = 24 does not.
    const budget = onF1Micro(consumer('reports', 2, 6), consumer('servers', 4, 1));
    expect(budget.pools).toEqual({ reports: 6, servers: 2 });
    expect(budget.worstCase).toBe(20);
    expect(budget.warning).toContain('reports 6 instead of 10, servers 2 instead of 10');
  });

  it('honours each consumer’s own preferred size under the shared cap', () => {
    // 95 available. api 10 processes (preferred 10), job 5 (preferred 3), worker 2 (minimum 5, preferred 20).
    // Preferred total 100 + 15 + 40 = 155. cap 6: 10 × 6 + 5 × 3 + 2 × 6 = 87 fits; cap 7: 70 + 15 + 14 = 99 does not.
    const budget = planConnections({
      limit: 100,
      limitSource: 'db-custom-1-3840 allows 100 connections',
      consumers: [consumer('api', 10, 2, 10), consumer('job', 5, 1, 3), consumer('worker', 2, 5, 20)],
    });
    expect(budget.pools).toEqual({ api: 6, job: 3, worker: 6 });
    expect(budget.worstCase).toBe(87);
    expect(budget.warning).toContain('fewer than the 155 the preferred pools need');
    expect(budget.warning).toContain('smaller: api 6 instead of 10, worker 6 instead of 20;');
    expect(budget.warning).not.toContain('job 3 instead');
  });

  it('lets a consumer with a large preferred pool take what the smaller ones leave', () => {
    // 45 available (limit 50). servers 2 × 10 = 20 at preferred; the cap for migrator (1 process, preferred 40)
    // is 45 - 20 = 25: 20 + 25 = 45 fits, 20 + 26 = 46 does not.
    const budget = planConnections({
      limit: 50,
      limitSource: '50 connections',
      consumers: [consumer('servers', 2), consumer('migrator', 1, 1, 40)],
    });
    expect(budget.pools).toEqual({ servers: 10, migrator: 25 });
    expect(budget.worstCase).toBe(45);
    expect(budget.warning).toContain('smaller: migrator 25 instead of 40;');
  });

  it('refuses Serverpod 2.9 servers whose fixed pools overflow the database', () => {
    // 3 servers × 10 (fixed) = 30 > 20 available; the limit would have to be 30 + 5 = 35.
    const budget = onF1Micro(fixedConsumer('servers', 3));
    expect(budget.pools).toEqual({ servers: 10 });
    expect(budget.worstCase).toBe(30);
    expect(budget.problem).toBe(
      'db-f1-micro allows 25 connections and 5 are kept free, leaving 20, but even the smallest pools need 30 at once ' +
        '(servers 3 × 10 (fixed)): allow at least 35 connections (a larger database or a higher max_connections), ' +
        'run fewer processes at once or make the fixed pools configurable (Serverpod 3.0 and later).',
    );
  });

  it('gives fixed pools their size first and shares the rest', () => {
    // 45 available; fixed servers take 2 × 10 = 20; the job's 5 processes share 25: cap 5 (5 × 5 = 25).
    const budget = planConnections({
      limit: 50,
      limitSource: '50 connections',
      consumers: [fixedConsumer('servers', 2), consumer('job', 5, 1)],
    });
    expect(budget.pools).toEqual({ servers: 10, job: 5 });
    expect(budget.worstCase).toBe(45);
    expect(budget.problem).toBeUndefined();
    expect(budget.warning).toContain('smaller: job 5 instead of 10;');
    expect(budget.warning).not.toContain('servers 10 instead');
    expect(budget.consumers.map((c) => c.fixed)).toEqual([true, false]);
  });

  it('leaves consumers that cannot run out of the sums and messages', () => {
    // servers 2 × 10 = 20 fits exactly in 20; the job (0 processes) adds nothing and gets the same pool.
    const fits = onF1Micro(consumer('servers', 2), consumer('maintenance job', 0));
    expect(fits).toMatchObject({ worstCase: 20, pools: { servers: 10, 'maintenance job': 10 } });
    expect(fits.warning).toBeUndefined();

    // servers 4 processes in 20: cap 5; the job's pool follows the cap but it is not named in the warning.
    const capped = onF1Micro(consumer('servers', 4), consumer('maintenance job', 0));
    expect(capped).toMatchObject({ worstCase: 20, pools: { servers: 5, 'maintenance job': 5 } });
    expect(capped.warning).toContain('smaller: servers 5 instead of 10;');
    expect(capped.warning).not.toContain('maintenance job');

    // limit 10, 5 reserved: servers 3 × 2 = 6 > 5.
    const refused = planConnections({ limit: 10, limitSource: '10 connections', consumers: [consumer('servers', 3), consumer('maintenance job', 0)] });
    expect(refused.worstCase).toBe(6);
    expect(refused.problem).toContain('leaving 5, but even the smallest pools need 6 at once (servers 3 × 2):');
    expect(refused.problem).not.toContain('maintenance job');
  });

  it('uses the reserved count it is given', () => {
    // Nothing reserved: all 25 available; 5 processes × 5 = 25.
    const budget = planConnections({ limit: 25, limitSource: F1_MICRO, reserved: 0, consumers: [consumer('servers', 5)] });
    expect(budget).toMatchObject({ reserved: 0, available: 25, worstCase: 25, pools: { servers: 5 } });
  });

  it('accepts no consumers', () => {
    const budget = onF1Micro();
    expect(budget).toMatchObject({ available: 20, worstCase: 0, pools: {} });
    expect(budget.problem).toBeUndefined();
    expect(budget.warning).toBeUndefined();
  });

  it('picks the largest cap that fits, checked against a brute-force search', () => {
    // For every small combination: the pools stay within [minimum, preferred], the worst case fits, and no
    // larger uniform cap would fit. The search below counts down from the top instead of bisecting.
    for (const available of [3, 7, 20, 40]) {
      for (const [p1, p2] of [[0, 1], [1, 1], [2, 3], [4, 1], [3, 5]]) {
        for (const [min2, pref2] of [[1, 3], [2, 10], [4, 6]]) {
          const consumers = [consumer('a', p1, 1, 10), consumer('b', p2, min2, pref2)];
          const budget = planConnections({ limit: available + 5, limitSource: 'test', consumers });
          const poolAt = (c: ConnectionConsumer, cap: number) => Math.max(c.minimumPool, Math.min(cap, c.preferredPool));
          const total = (cap: number) => consumers.reduce((s, c) => s + c.processes * poolAt(c, cap), 0);
          let cap = 10;
          while (cap > 0 && total(cap) > available) cap--;
          if (total(0) > available) {
            expect(budget.problem).toBeDefined();
          } else {
            expect(budget.problem).toBeUndefined();
            expect(budget.pools).toEqual({ a: poolAt(consumers[0], cap), b: poolAt(consumers[1], cap) });
            expect(budget.worstCase).toBe(total(cap));
            expect(budget.worstCase).toBeLessThanOrEqual(available);
          }
        }
      }
    }
  });

  it('throws one ValidationError naming every bad field', () => {
    const input: ConnectionBudgetInput = {
      limit: 25,
      limitSource: F1_MICRO,
      reserved: 25,
      consumers: [
        { name: 'servers', processes: -1, minimumPool: 0, preferredPool: 10 },
        { name: 'servers', processes: 1.5, minimumPool: 12, preferredPool: 10 },
        { name: '', processes: 1, minimumPool: 1, preferredPool: 0 },
      ],
    };
    expect(() => planConnections(input)).toThrow(ValidationError);
    let message = '';
    try {
      planConnections(input);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      [
        'Connection budget (db-f1-micro allows 25 connections) has 8 problems; nothing was synthesized:',
        '  - reserved: got 25; expected fewer than the limit (25)',
        '  - consumers[0].processes: got -1; expected a whole number of at least 0',
        '  - consumers[0].minimumPool: got 0; expected a whole number of at least 1',
        '  - consumers[1].name: got "servers"; expected a name no other consumer has',
        '  - consumers[1].processes: got 1.5; expected a whole number of at least 0',
        '  - consumers[1].minimumPool: got 12; expected at most preferredPool (10)',
        '  - consumers[2].name: got ""; expected a non-empty name',
        '  - consumers[2].preferredPool: got 0; expected a whole number of at least 1',
      ].join('\n'),
    );
  });

  it('refuses a limit that is not a whole number', () => {
    expect(() => planConnections({ limit: 0, limitSource: 'none', consumers: [] })).toThrow('limit: got 0; expected a whole number of at least 1');
    expect(() => planConnections({ limit: 25.5, limitSource: 'odd', consumers: [] })).toThrow('limit: got 25.5');
  });
});

describe('describeBudget', () => {
  it('sums up a budget on one line', () => {
    // 3 + 2 processes capped at 4: 20 of 20.
    const capped = onF1Micro(consumer('servers', 3), consumer('api service', 2));
    expect(describeBudget(capped)).toBe('db-f1-micro allows 25 connections, 5 reserved: servers 3 × 4 + api service 2 × 4 = 20 of 20 available');
  });

  it('marks fixed pools and budgets that do not fit', () => {
    const budget = onF1Micro(fixedConsumer('servers', 3));
    expect(describeBudget(budget)).toBe('db-f1-micro allows 25 connections, 5 reserved: servers 3 × 10 (fixed) = 30 of 20 available (does not fit)');
  });

  it('says when nothing connects', () => {
    expect(describeBudget(onF1Micro())).toBe(
      'db-f1-micro allows 25 connections, 5 reserved: nothing connects = 0 of 20 available',
    );
  });
});
