import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { COST_USAGE, cost } from '../cli/cost';
import { FixtureResources, GCP_PROVIDER, fixtureJson, serverpodModuleDefaults } from './helpers/cost-fixtures';

// `cdktf-serverpod cost` on synthesized stacks in a folder: the table, --json, --markdown, --usage, --free-tier,
// --diff, and its errors.

function run(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = cost(args, { cwd, stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

function project(stacks: Record<string, FixtureResources>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cost-cli-'));
  for (const [name, resources] of Object.entries(stacks)) {
    mkdirSync(join(dir, 'cdktf.out', 'stacks', name), { recursive: true });
    writeFileSync(join(dir, 'cdktf.out', 'stacks', name, 'cdk.tf.json'), JSON.stringify(fixtureJson(name, resources, { provider: GCP_PROVIDER })));
  }
  return dir;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const fresh = (stacks: Record<string, FixtureResources>) => {
  const dir = project(stacks);
  dirs.push(dir);
  return dir;
};

const UNKNOWN: FixtureResources = { google_container_cluster: { gke: { location: 'us-central1' } } };

describe('cdktf-serverpod cost', () => {
  const dir = fresh({ module: serverpodModuleDefaults(), other: { ...UNKNOWN, google_dns_managed_zone: { z: { dns_name: 'example.com.' } } } });

  it('prints a table per stack with components, ranges and totals; a resource without a price flagged, not $0', () => {
    const { code, stdout, stderr } = run([], dir);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Monthly cost estimate, USD at list prices \(730 hours a month; price table of 2026-11-29\)\./);
    // The public bucket is in the US multi-region.
    expect(stdout).toMatch(/== module \(us-central1, us\)/);
    // 1–2 × ($6.1148 e2-micro + $0.40 disk + $3.65 external IPv4).
    expect(stdout).toMatch(/google_compute_instance_group_manager\.serverpod +\$10\.16–\$20\.33/);
    expect(stdout).toMatch(/- instance hours \(e2-micro: 0\.25 vCPU, 1 GB\) +730–1,460 hour +\$0\.0083764\/hour +\$6\.11–\$12\.23/);
    expect(stdout).toMatch(/- forwarding rules 1–5 of project demo-project \(one flat charge\) +730 hour +\$0\.025\/hour +\$18\.25/);
    expect(stdout).toMatch(/- backups \(7 kept\) +\$0\.08\/GB-month +depends on usage: backup_storage_gb/);
    expect(stdout).toMatch(/google_container_cluster\.gke +NO KNOWN PRICE: not in the total/);
    expect(stdout).toMatch(/Total other +\$0\.20\n/);
    expect(stdout).toMatch(/WARNING: other: 1 resource has no known price and is left out of the total:\n {2}- google_container_cluster\.gke: no pricing for resource type google_container_cluster/);
    expect(stdout).toMatch(/not listed: \d+ resources free by nature, 2 counted with another resource \(--all or --json lists them\)/);
  });

  it('estimates only the stacks named', () => {
    const { code, stdout } = run(['other'], dir);
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/== module/);
    expect(stdout).toMatch(/== other/);
  });

  it('--json: every stack and resource with its monthly range, components and the warnings (also on stderr)', () => {
    const { code, stdout, stderr } = run(['--json'], dir);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({ currency: 'USD', hoursPerMonth: 730, priceTable: { date: '2026-11-29' }, freeTier: false });
    expect(json.stacks.map((s: { stack: string }) => s.stack)).toEqual(['module', 'other']);
    const group = json.stacks[0].resources.find((r: { address: string }) => r.address === 'google_compute_instance_group_manager.serverpod');
    expect(group).toMatchObject({ type: 'google_compute_instance_group_manager', status: 'priced', monthly: { min: 10.164792075, max: 20.32958415 } });
    expect(group).not.toHaveProperty('environment');
    expect(json.stacks[1]).toMatchObject({ monthly: { min: 0.2, max: 0.2 }, unknown: ['google_container_cluster.gke: no pricing for resource type google_container_cluster'] });
    expect(stderr).toMatch(/^cdktf-serverpod cost: WARNING: other: 1 resource has no known price/);
  });

  it('--markdown: totals, each stack in a collapsed section, usage items and unknown prices marked', () => {
    const { code, stdout } = run(['--markdown'], dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^### Monthly cost estimate\n/);
    // $10.16–$20.33 servers + $18.25 forwarding rules + $9.37 Cloud SQL + $0–$7.30 its public IPv4.
    expect(stdout).toMatch(/\| module \| \$37\.78–\$55\.24 \| {2}\|/);
    expect(stdout).toMatch(/\| other \| \$0\.20 \| 1 ⚠️ \|/);
    expect(stdout).toMatch(/<details><summary>module: \$37\.78–\$55\.24<\/summary>/);
    expect(stdout).toMatch(/\| `google_container_cluster\.gke` \| no pricing for resource type google_container_cluster \| \| \| ⚠️ no known price \|/);
    expect(stdout).toMatch(/\| +\| backups \(7 kept\) \| +\| \$0\.08\/GB-month \| depends on usage: `backup_storage_gb` \|/);
  });

  it('--usage prices the usage-based items from the file, in the totals', () => {
    writeFileSync(join(dir, 'usage.yml'), 'resources:\n  google_sql_database_instance.serverpod: { backup_storage_gb: 20 }\n');
    const json = JSON.parse(run(['--json', '--usage', 'usage.yml', 'module'], dir).stdout);
    const db = json.stacks[0].resources.find((r: { address: string }) => r.address === 'google_sql_database_instance.serverpod');
    expect(db.components.find((c: { name: string }) => /^backups/.test(c.name)).monthly).toEqual({ min: 1.6, max: 1.6 });
    expect(json.stacks[0].usageMonthly).toEqual({ min: 1.6, max: 1.6 });
  });

  it('--free-tier adds the free-tier column and the total with it', () => {
    const { stdout } = run(['--free-tier', 'module'], dir);
    expect(stdout).toMatch(/Resource \/ component +Quantity +Unit price +Monthly +Free tier/);
    expect(stdout).toMatch(/- instance hours \(e2-micro: 0\.25 vCPU, 1 GB\) .* \$6\.11–\$12\.23 +−\$6\.11/);
    expect(stdout).toMatch(/with the free tier, if this billing account does not use it elsewhere: /);
  });

  it('--diff: what a change costs per resource and in total, as a table, Markdown or JSON', () => {
    const base = join(dir, 'base.json');
    writeFileSync(base, run(['--json'], dir).stdout);
    const changed = serverpodModuleDefaults();
    (changed.google_compute_instance_template.serverpod as { machine_type: string }).machine_type = 'e2-small';
    delete changed.google_compute_global_forwarding_rule.storage;
    changed.google_redis_instance = { cache: { region: 'us-central1', tier: 'BASIC', memory_size_gb: 1 } };
    const next = fresh({ module: changed, other: { ...UNKNOWN, google_dns_managed_zone: { z: { dns_name: 'example.com.' } } } });
    const micro = 0.0083764275 * 730;
    const small = 0.016752855 * 730;
    const table = run(['--diff', base], next);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/~ +google_compute_instance_group_manager\.serverpod +\$10\.16–\$20\.33 +\$16\.28–\$32\.56 +\+\$6\.11–\+\$12\.23/);
    expect(table.stdout).toMatch(/\+ +google_redis_instance\.cache +\$0\.00 +\$35\.77 +\+\$35\.77/);
    expect(table.stdout).toMatch(/- +google_compute_global_forwarding_rule\.storage +\$0\.00 +\$0\.00 +\$0\.00/);
    expect(table.stdout).not.toMatch(/^other$/m);
    const json = JSON.parse(run(['--diff', base, '--json'], next).stdout);
    expect(json.delta.min).toBeCloseTo(small - micro + 0.049 * 730, 5);
    expect(json.stacks).toHaveLength(1);
    expect(json.stacks[0].resources.map((r: { change: string; address: string }) => `${r.change} ${r.address}`).sort()).toEqual([
      'added google_redis_instance.cache',
      'changed google_compute_instance_group_manager.serverpod',
      'removed google_compute_global_forwarding_rule.storage',
    ]);
    const md = run(['--diff', base, '--markdown'], next).stdout;
    // (e2-small − e2-micro) × 1–2 instances + $35.77 for the 1 GB Basic Redis.
    expect(md).toMatch(/^### Monthly cost change\n\n\*\*\$37\.98–\$55\.44 → \$79\.86–\$103\.44 \(\+\$41\.88–\+\$48\.00\)\*\*/);
    expect(md).toMatch(/\| \+ \| module \| `google_redis_instance\.cache` \| \$0\.00 \| \$35\.77 \| \+\$35\.77 \|/);
    expect(run(['--diff', base], dir).stdout).toMatch(/^No change in the estimated monthly cost\./);
  });

  it('--fail-on-unknown exits 1 when a resource has no known price', () => {
    const { code, stderr } = run(['--fail-on-unknown'], dir);
    expect(code).toBe(1);
    expect(stderr).toBe('cdktf-serverpod cost: 1 resource has no known price (--fail-on-unknown)\n');
    expect(run(['--fail-on-unknown', 'module'], dir).code).toBe(0);
  });

  it('reads the synth output from --output or CDKTF_OUTDIR', () => {
    const other = fresh({});
    expect(run(['--output', join(dir, 'cdktf.out'), 'other'], other).code).toBe(0);
    const before = process.env.CDKTF_OUTDIR;
    process.env.CDKTF_OUTDIR = join(dir, 'cdktf.out');
    try {
      expect(run(['other'], other).code).toBe(0);
    } finally {
      if (before === undefined) delete process.env.CDKTF_OUTDIR;
      else process.env.CDKTF_OUTDIR = before;
    }
  });

  it('says what is wrong: no synth output, an unknown stack, a missing or bad file, a wrong option', () => {
    const empty = fresh({});
    expect(run([], empty)).toMatchObject({ code: 1, stderr: expect.stringMatching(/^cdktf-serverpod cost: No synthesized stacks in .*: run `cdktf synth` first\.\n$/) });
    expect(run(['nope'], dir)).toMatchObject({ code: 1, stderr: 'cdktf-serverpod cost: No synthesized stack "nope" in ' + join(dir, 'cdktf.out', 'stacks') + '; there are module, other.\n' });
    expect(run(['--usage', 'missing.yml'], dir)).toMatchObject({ code: 1, stderr: 'cdktf-serverpod cost: no usage file missing.yml\n' });
    writeFileSync(join(dir, 'bad.yml'), 'defaults:\n  google_storage_bucket: { storage_tb: 1 }\n');
    expect(run(['--usage', 'bad.yml'], dir)).toMatchObject({ code: 1, stderr: 'cdktf-serverpod cost: bad.yml: defaults.google_storage_bucket.storage_tb: not a usage key of google_storage_bucket (storage_gb)\n' });
    writeFileSync(join(dir, 'bad.json'), '{"stacks": [{"stack": "x"}]}');
    expect(run(['--diff', 'bad.json'], dir)).toMatchObject({ code: 1, stderr: 'cdktf-serverpod cost: bad.json: stacks[0] is not a stack estimate (stack, monthly, resources)\n' });
    expect(run(['--nope'], dir)).toMatchObject({ code: 2, stderr: expect.stringMatching(/^cdktf-serverpod cost: Unknown option '--nope'/) });
    expect(run(['--json', '--markdown'], dir).code).toBe(2);
  });

  it('--help prints the usage', () => {
    expect(run(['--help'], dir)).toEqual({ code: 0, stdout: COST_USAGE, stderr: '' });
  });
});

describe('review fixes: unknown counts, diff, safe output', () => {
  const tpl = { machine_type: 'e2-micro', disk: [{ disk_size_gb: 10 }], network_interface: [{ network: 'n' }] };
  const group = (size: unknown): FixtureResources => ({
    google_compute_instance_template: { t: tpl },
    google_compute_region_instance_group_manager: { g: { region: 'us-central1', target_size: size, version: [{ instance_template: '${google_compute_instance_template.t.id}' }] } },
  });

  it('an expression as a count: NO KNOWN PRICE, out of the totals, --fail-on-unknown exits 1', () => {
    const dir = fresh({ s: group('${var.size}') });
    const { code, stdout } = run([], dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/google_compute_region_instance_group_manager\.g +NO KNOWN PRICE: not in the total/);
    expect(stdout).toMatch(/target_size is only known at apply/);
    expect(stdout).toMatch(/Total s +\$0\.00\n/);
    expect(run(['--fail-on-unknown'], dir).code).toBe(1);
  });

  it('--diff: no known price on a side is "no known price", never a $ change; status in the JSON; older JSON parses', () => {
    const before = fresh({ s: group(2) });
    const base = join(before, 'base.json');
    writeFileSync(base, run(['--json'], before).stdout);
    expect(JSON.parse(run(['--json'], before).stdout).stacks[0].resources.map((r: { status: string }) => r.status)).toContain('priced');
    const after = fresh({ s: group('${var.size}') });
    const { code, stdout } = run(['--diff', base], after);
    expect(code).toBe(0);
    expect(stdout).toMatch(/~ +google_compute_region_instance_group_manager\.g +\$\d+\.\d\d +no known price +no known price/);
    const md = run(['--diff', base, '--markdown'], after).stdout;
    expect(md).toMatch(/\| ~ \| s \| `google_compute_region_instance_group_manager\.g` \| \$\d+\.\d\d \| no known price \| no known price \|/);
    // Both sides unknown: no $ change listed for it.
    const unknownBase = join(after, 'base.json');
    writeFileSync(unknownBase, run(['--json'], after).stdout);
    expect(run(['--diff', unknownBase], after).stdout).toMatch(/No change in the estimated monthly cost/);
    // JSON of an older version, without status, still reads.
    const old = JSON.parse(run(['--json'], before).stdout);
    for (const s of old.stacks) for (const r of s.resources) delete r.status;
    writeFileSync(base, JSON.stringify(old));
    expect(run(['--diff', base], before).code).toBe(0);
  });

  it('--diff with stacks named: the base is cut to those stacks', () => {
    const dir = fresh({ a: { google_dns_managed_zone: { z: { dns_name: 'a.' } } }, b: { google_dns_managed_zone: { z: { dns_name: 'b.' } } } });
    const base = join(dir, 'base.json');
    writeFileSync(base, run(['--json'], dir).stdout);
    const { stdout } = run(['a', '--diff', base], dir);
    expect(stdout).toMatch(/No change in the estimated monthly cost/);
    expect(stdout).not.toMatch(/\bb\b.*removed|^b$/m);
  });

  it('strips control characters from text output and escapes every Markdown cell', () => {
    const dir = fresh({ s: { google_sql_database_instance: { 'db|x': { region: 'us-central1', database_version: 'POSTGRES_15', settings: { tier: 'db-n1\u001b[31m<b>' } } } } });
    const text = run([], dir).stdout;
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    const md = run(['--markdown'], dir).stdout;
    expect(md).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(md).toContain('db-custom-&lt;vCPUs&gt;-&lt;MiB&gt;');
    expect(md).not.toContain('<b>');
    expect(md).toContain('`google_sql_database_instance.db\\|x`');
  });
});
