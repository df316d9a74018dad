import { existsSync, readFileSync } from 'fs';
import { isAbsolute, join } from 'path';
import { parseArgs } from 'util';
import { diffCosts, estimateCosts, parseCostJson, parseCostUsage, renderCostJson, renderCostMarkdown, renderCostTable, renderDiffMarkdown, renderDiffTable, terminalSafe } from '../lib/cost';
import { loadSynthesizedStacks } from '../lib/model/stack-model';
import { CliIo } from './io';

export const COST_USAGE = `Usage: cdktf-serverpod cost [<stack>...] [options]

Estimates the monthly cost of synthesized stacks, offline: reads cdktf.out/stacks/<stack>/cdk.tf.json (any cdktf
stack; run \`npx cdktf synth\` first) and prices it from the list prices in the package's price table (each with its
public source and date: docs/cost.md). Per stack, environment and resource it prints each cost component with its
quantity, unit price and monthly cost, then totals. Amounts are ranges, from the minimum to the maximum instances of
every autoscaled group or Cloud Run service. Without <stack>, every synthesized stack.

Options:
  -o, --output <dir>    the synth output folder (default: $CDKTF_OUTDIR, else cdktf.out)
  --usage <file>        expected usage, YAML or JSON (requests, egress, storage, capacity units; docs/cost.md);
                        without it those items show their unit price and stay out of the totals
  --free-tier           add the free-tier column: one billing account's allowances, taken once across the stacks
  --all                 list every resource, also those free by nature or counted with another
  --json                JSON with every resource and component (what --diff compares with)
  --markdown            Markdown, for a pull-request comment
  --diff <base.json>    what changed since an earlier --json estimate: per resource and in total
  --fail-on-unknown     exit 1 when a resource has no known price (it is always reported, never counted as $0)
  -h, --help            this text

Exit: 0 estimated (a resource without a known price is a warning), 1 no stacks or an unreadable file (or a
resource without a price with --fail-on-unknown), 2 a usage error.
`;

/** `cdktf-serverpod cost`: returns the exit code (0 estimated, 1 failed, 2 usage). */
export function cost(args: readonly string[], io: CliIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        output: { type: 'string', short: 'o' },
        usage: { type: 'string' },
        'free-tier': { type: 'boolean' },
        all: { type: 'boolean' },
        json: { type: 'boolean' },
        markdown: { type: 'boolean' },
        diff: { type: 'string' },
        'fail-on-unknown': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    io.stderr.write(`cdktf-serverpod cost: ${(err as Error).message}\n\n${COST_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(COST_USAGE);
    return 0;
  }
  if (values.json && values.markdown) {
    io.stderr.write(`cdktf-serverpod cost: --json and --markdown are two outputs; give one\n\n${COST_USAGE}`);
    return 2;
  }
  const at = (path: string) => (isAbsolute(path) ? path : join(io.cwd, path));
  const read = (path: string, what: string) => {
    if (!existsSync(at(path))) throw new Error(`no ${what} ${path}`);
    return readFileSync(at(path), 'utf8');
  };
  try {
    const outdir = at(values.output ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out');
    const usage = values.usage === undefined ? undefined : parseCostUsage(read(values.usage, 'usage file'), values.usage);
    const parsedBase = values.diff === undefined ? undefined : parseCostJson(read(values.diff, 'base estimate'), values.diff);
    // Stacks named on the command line: the base's other stacks are not compared (they would show as removed).
    const base = parsedBase && positionals.length > 0 ? { ...parsedBase, stacks: parsedBase.stacks.filter((s) => positionals.includes(s.stack)) } : parsedBase;
    const stacks = loadSynthesizedStacks(outdir, positionals);
    const estimate = estimateCosts(stacks, { usage, freeTier: values['free-tier'] === true });
    const unknown = estimate.stacks.reduce((n, s) => n + s.unknown.length, 0);
    if (base) {
      const diff = diffCosts(base, estimate);
      io.stdout.write(values.json ? `${JSON.stringify(diff, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v), 2)}\n` : values.markdown ? renderDiffMarkdown(diff) : renderDiffTable(diff));
    } else {
      io.stdout.write(values.json ? renderCostJson(estimate) : values.markdown ? renderCostMarkdown(estimate, { all: values.all }) : renderCostTable(estimate, { all: values.all }));
    }
    // The text outputs carry the warnings; JSON keeps stdout parseable and says them on stderr too.
    if (values.json && estimate.warnings.length > 0) io.stderr.write(terminalSafe(estimate.warnings.map((w) => `cdktf-serverpod cost: WARNING: ${w}\n`).join('')));
    if (values['fail-on-unknown'] && unknown > 0) {
      io.stderr.write(`cdktf-serverpod cost: ${unknown === 1 ? '1 resource has' : `${unknown} resources have`} no known price (--fail-on-unknown)\n`);
      return 1;
    }
    return 0;
  } catch (err) {
    io.stderr.write(terminalSafe(`cdktf-serverpod cost: ${(err as Error).message}\n`));
    return 1;
  }
}
