import Table from 'cli-table3';
import { CostComponent, CostEstimate, CostRange, ResourceCost, StackCost, usdText } from './engine';
import { PRICE_TABLE } from './prices';

// How an estimate is shown: a text table (the command's default), Markdown (a pull-request comment), JSON (for a
// later --diff), and the difference between two estimates.

const ZERO: CostRange = { min: 0, max: 0 };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text safe for a terminal: C0 and C1 control characters (escape sequences, carriage returns, bells) taken out,
 * newlines and tabs kept. Every text output goes through it; JSON escapes them itself.
 */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, '');
}

/** Text for a Markdown table cell or HTML element: `|`, `<`, `>`, `&` escaped, newlines as spaces, no control characters. */
export function mdCell(text: string): string {
  return terminalSafe(text.replace(/\r?\n|\r/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|');
}

/** A code span for a Markdown table cell, fenced with more backticks than any run inside; `|` escaped for the table. */
export function mdCode(text: string): string {
  const clean = terminalSafe(text.replace(/\r?\n|\r/g, ' '));
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') || (clean.startsWith(' ') && clean.endsWith(' ') && clean.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${clean.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/** A Markdown paragraph line (a warning): escaped like a cell, newlines as `<br>`. */
const mdLines = (text: string) => text.split(/\r?\n/).map(mdCell).join('<br>');
const add = (a: CostRange, b: CostRange): CostRange => ({ min: a.min + b.min, max: a.max + b.max });
const sub = (a: CostRange, b: CostRange): CostRange => ({ min: a.min - b.min, max: a.max - b.max });
const same = (a: CostRange, b: CostRange) => Math.abs(a.min - b.min) < 0.005 && Math.abs(a.max - b.max) < 0.005;

/** `$1,234.56`, or a range `$6.11–$24.46`. */
export function formatUsd(range: CostRange, signed = false): string {
  const one = (v: number) => {
    const text = `$${Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    return v < -0.004 ? `−${text}` : signed && v > 0.004 ? `+${text}` : text;
  };
  return Math.abs(range.min - range.max) < 0.005 ? one(range.max) : `${one(range.min)}–${one(range.max)}`;
}

function quantityText(r: CostRange | undefined): string {
  if (!r) return '';
  const one = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return r.min === r.max ? one(r.min) : `${one(r.min)}–${one(r.max)}`;
}

function unitPriceText(r: CostRange | undefined): string {
  if (!r) return '';
  return r.min === r.max ? usdText(r.max) : `${usdText(r.min)}–${usdText(r.max)}`;
}

const CONFIDENCE_MARK = { provider: '', secondary: '', unconfirmed: ' (unconfirmed)' } as const;

function monthlyText(c: CostComponent): string {
  if (c.unknown) return `NO PRICE: ${c.unknown}`;
  if (c.monthly) return `${formatUsd(c.monthly)}${c.usageKey ? ' (usage file)' : ''}`;
  if (c.usageKey) return `depends on usage: ${c.usageKey}`;
  return '';
}

const isListed = (r: ResourceCost) => r.status !== 'free' && r.status !== 'included';

const STATUS_ORDER: readonly string[] = ['unknown', 'priced', 'usage', 'included', 'free'];

/** Resources as the renderings list them: without a known price first, then the most expensive, then by address. */
function ordered(resources: readonly ResourceCost[]): ResourceCost[] {
  return [...resources].sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || b.monthly.max - a.monthly.max || b.monthly.min - a.monthly.min || a.address.localeCompare(b.address));
}

/** The environments of a stack with their resources, shared resources last. */
function byEnvironment(stack: StackCost): { environment: string; monthly: CostRange; resources: ResourceCost[] }[] {
  return stack.environments.map((e) => ({ ...e, resources: ordered(stack.resources.filter((r) => (r.environment ?? '') === e.environment)) }));
}

const envTitle = (environment: string) => environment || 'shared by the environments';

/** One line of what the table leaves out: resources free by nature and resources counted with another. */
function notListed(resources: readonly ResourceCost[]): string {
  const free = resources.filter((r) => r.status === 'free').length;
  const included = resources.filter((r) => r.status === 'included').length;
  const parts = [free > 0 ? `${free} ${free === 1 ? 'resource' : 'resources'} free by nature` : '', included > 0 ? `${included} counted with another resource` : ''].filter(Boolean);
  return parts.length > 0 ? `not listed: ${parts.join(', ')} (--all or --json lists them)` : '';
}

function header(estimate: CostEstimate): string {
  return `Monthly cost estimate, USD at list prices (${estimate.hoursPerMonth} hours a month; price table of ${estimate.priceTable.date}${estimate.priceTable.stale ? ', STALE' : ''}).`;
}

/** The options of the text and Markdown renderings. */
export interface CostRenderOptions {
  /**
   * List every resource, those free by nature and those counted with another too.
   * @default false
   */
  readonly all?: boolean;
}

/** A cli-table3 table without borders or colours: columns two spaces apart. */
function plainTable(head: string[]): Table.Table {
  const none = { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ' };
  return new Table({ head, chars: none, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 } });
}

const trimLines = (text: string) => text.split('\n').map((l) => l.trimEnd()).join('\n');

/** What the free tier takes off: `−$0.10`, or `−($0.00–$4.32)`. */
const freeCell = (r: CostRange | undefined) => (!r ? '' : Math.abs(r.min - r.max) < 0.005 ? formatUsd({ min: -r.min, max: -r.max }) : `−(${formatUsd(r)})`);

/** The estimate as a text table per stack (the command's default output), totals last, warnings after. */
export function renderCostTable(estimate: CostEstimate, options: CostRenderOptions = {}): string {
  const free = estimate.freeTier;
  const out: string[] = [header(estimate), ''];
  for (const stack of estimate.stacks) {
    const table = plainTable(['Resource / component', 'Quantity', 'Unit price', 'Monthly', ...(free ? ['Free tier'] : [])]);
    for (const env of byEnvironment(stack)) {
      table.push([{ colSpan: 3, content: `${envTitle(env.environment)}` }, formatUsd(env.monthly), ...(free ? [''] : [])]);
      for (const r of env.resources) {
        if (!isListed(r) && !options.all) continue;
        const status = r.status === 'unknown' ? 'NO KNOWN PRICE: not in the total' : r.status === 'free' || r.status === 'included' ? r.status : r.status === 'usage' ? 'depends on usage' : formatUsd(r.monthly);
        table.push([{ colSpan: 3, content: `  ${r.address}${r.note ? `\n    ${r.note}` : ''}` }, status, ...(free ? [''] : [])]);
        for (const c of r.components) {
          const quantity = c.quantity ? `${quantityText(c.quantity)} ${c.unit}` : '';
          const price = c.unitPrice ? `${unitPriceText(c.unitPrice)}/${c.unit}${c.confidence ? CONFIDENCE_MARK[c.confidence] : ''}` : '';
          const note = [c.note, c.usageKey && !c.monthly && c.dependsOnUsage?.includes('; ') ? c.dependsOnUsage.slice(c.dependsOnUsage.indexOf('; ') + 2) : undefined].filter(Boolean).join('; ');
          table.push([`    - ${c.name}`, quantity, price, `${monthlyText(c)}${r.status === 'unknown' && c.monthly ? ' (not in the total)' : ''}`, ...(free ? [freeCell(c.freeTier)] : [])]);
          // A note spans the columns, so a long one does not widen the first.
          if (note) table.push([{ colSpan: 3, content: `      ${note}` }, '', ...(free ? [''] : [])]);
        }
      }
    }
    const skipped = notListed(stack.resources);
    if (skipped && !options.all) table.push([{ colSpan: 3, content: skipped }, '', ...(free ? [''] : [])]);
    table.push([{ colSpan: 3, content: `Total ${stack.stack}${stack.usageMonthly.max > 0 ? ' (with the usage file)' : ''}` }, formatUsd(stack.monthly), ...(free ? [freeCell(stack.freeTier)] : [])]);
    out.push(`== ${stack.stack}${stack.regions.length > 0 ? ` (${stack.regions.join(', ')})` : ''}`, trimLines(table.toString()), '');
  }
  out.push(...totalsLines(estimate), '');
  if (estimate.warnings.length > 0) out.push(...estimate.warnings.map((w) => `WARNING: ${w}`), '');
  return terminalSafe(out.join('\n'));
}

function totalsLines(estimate: CostEstimate): string[] {
  const lines = estimate.stacks.map((s) => `  ${s.stack}: ${formatUsd(s.monthly)}${s.unknown.length > 0 ? ` + ${s.unknown.length} without a known price` : ''}`);
  lines.unshift(`Total: ${formatUsd(estimate.monthly)} a month (minimum instances – maximum instances, all busy)`);
  if (estimate.freeTierMonthly) lines.push(`  with the free tier, if this billing account does not use it elsewhere: ${formatUsd(sub(estimate.monthly, estimate.freeTierMonthly))}`);
  lines.push('Usage-based items without usage (requests, egress, storage, capacity units) are listed with their unit price and not in the totals.');
  return lines;
}

const md = mdCell;

/** The estimate as Markdown, for a pull-request comment: totals first, each stack's resources in a collapsed section. */
export function renderCostMarkdown(estimate: CostEstimate, options: CostRenderOptions = {}): string {
  const free = estimate.freeTier;
  const out: string[] = ['### Monthly cost estimate', '', `${header(estimate)} Ranges run from minimum to maximum instances.`, ''];
  out.push(`| Stack | Monthly${free ? ' | With the free tier' : ''} | Without a known price |`, `|---|---:${free ? '|---:' : ''}|---|`);
  for (const s of estimate.stacks) out.push(`| ${md(s.stack)} | ${formatUsd(s.monthly)}${free ? ` | ${formatUsd(sub(s.monthly, s.freeTier ?? ZERO))}` : ''} | ${s.unknown.length === 0 ? '' : `${s.unknown.length} ⚠️`} |`);
  out.push(`| **Total** | **${formatUsd(estimate.monthly)}**${free ? ` | **${formatUsd(sub(estimate.monthly, estimate.freeTierMonthly ?? ZERO))}**` : ''} | |`, '');
  for (const stack of estimate.stacks) {
    out.push(`<details><summary>${md(stack.stack)}: ${formatUsd(stack.monthly)}${stack.unknown.length > 0 ? ` + ${stack.unknown.length} without a known price` : ''}</summary>`, '');
    out.push(`| Resource | Component | Quantity | Unit price | Monthly${free ? ' | Free tier' : ''} |`, `|---|---|---:|---:|---:${free ? '|---:' : ''}|`);
    for (const env of byEnvironment(stack)) {
      out.push(`| **${md(envTitle(env.environment))}** | | | | **${formatUsd(env.monthly)}**${free ? ' |' : ''} |`);
      for (const r of env.resources) {
        if (!isListed(r) && !options.all) continue;
        if (r.components.length === 0) {
          out.push(`| ${mdCode(r.address)} | ${md(r.note ?? '')} | | | ${r.status === 'unknown' ? '⚠️ no known price' : r.status}${free ? ' |' : ''} |`);
          continue;
        }
        if (r.status === 'unknown') out.push(`| ${mdCode(r.address)} | ${md(r.note ?? '')} | | | ⚠️ no known price: not in the total${free ? ' |' : ''} |`);
        r.components.forEach((c, i) => {
          const quantity = c.quantity ? `${quantityText(c.quantity)} ${c.unit}` : '';
          const price = c.unitPrice ? `${unitPriceText(c.unitPrice)}/${c.unit}${c.confidence === 'unconfirmed' ? ' ⚠️' : ''}` : '';
          const monthly = c.unknown ? `⚠️ no price: ${md(c.unknown)}` : c.monthly ? `${formatUsd(c.monthly)}${r.status === 'unknown' ? ' (not in the total)' : ''}` : c.usageKey ? `depends on usage: ${mdCode(c.usageKey)}` : '';
          out.push(`| ${i === 0 && r.status !== 'unknown' ? mdCode(r.address) : ''} | ${md(c.name)} | ${md(quantity)} | ${md(price)} | ${monthly}${free ? ` | ${freeCell(c.freeTier)}` : ''} |`);
        });
      }
    }
    const skipped = notListed(stack.resources);
    out.push('', ...(skipped && !options.all ? [`${skipped[0].toUpperCase()}${skipped.slice(1)}.`, ''] : []), '</details>', '');
  }
  out.push('⚠️ marks a price the table holds as unconfirmed. Usage-based items without usage are not in the totals.', '');
  if (estimate.warnings.length > 0) out.push(...estimate.warnings.map((w) => `> **Warning:** ${mdLines(w)}`), '');
  return out.join('\n');
}

/** Numbers rounded for JSON: 12 significant digits, no float noise (2.3000000000000003 → 2.3). */
function rounded(_key: string, value: unknown): unknown {
  return typeof value === 'number' ? Number(value.toPrecision(12)) : value;
}

/** The estimate as JSON (every resource, every component); what `--diff` compares a later estimate with. */
export function renderCostJson(estimate: CostEstimate): string {
  return `${JSON.stringify(estimate, rounded, 2)}\n`;
}

// --- Diff ---------------------------------------------------------------------------------------------------------

/** What the diff reads of an earlier estimate's JSON (`--json`). */
export interface CostJson {
  /** The stacks. */
  readonly stacks: readonly {
    /** The stack's name. */
    readonly stack: string;
    /** USD a month. */
    readonly monthly: CostRange;
    /** Its resources. */
    readonly resources: readonly {
      /** Terraform address. */
      readonly address: string;
      /** Terraform type. */
      readonly type: string;
      /**
       * How it is priced (`unknown`: no known price, in no total).
       * @default - absent in the JSON of older versions
       */
      readonly status?: string;
      /** USD a month. */
      readonly monthly: CostRange;
    }[];
  }[];
}

/** Reads an estimate's JSON (`--json` output), checking the fields the diff needs. `source` names it in errors. */
export function parseCostJson(text: string, source = 'base estimate'): CostJson {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: not JSON: ${(err as Error).message}`);
  }
  const isRange = (v: unknown): v is CostRange => v !== null && typeof v === 'object' && typeof (v as CostRange).min === 'number' && typeof (v as CostRange).max === 'number';
  const stacks = (raw as { stacks?: unknown })?.stacks;
  if (!Array.isArray(stacks)) throw new Error(`${source}: expected the JSON of \`cdktf-serverpod cost --json\` (no stacks list)`);
  for (const [i, s] of stacks.entries()) {
    if (typeof s?.stack !== 'string' || !isRange(s.monthly) || !Array.isArray(s.resources)) throw new Error(`${source}: stacks[${i}] is not a stack estimate (stack, monthly, resources)`);
    for (const [j, r] of s.resources.entries()) {
      if (typeof r?.address !== 'string' || typeof r.type !== 'string' || !isRange(r.monthly)) throw new Error(`${source}: stacks[${i}].resources[${j}] is not a resource estimate (address, type, monthly)`);
      if (r.status !== undefined && !['priced', 'usage', 'free', 'included', 'unknown'].includes(r.status)) throw new Error(`${source}: stacks[${i}].resources[${j}] has an unknown status ${JSON.stringify(r.status)}`);
    }
  }
  return raw as CostJson;
}

/** What changed for one resource. */
export interface CostResourceChange {
  /** Terraform address. */
  readonly address: string;
  /** Terraform type. */
  readonly type: string;
  /** `added`, `removed` or `changed` (monthly cost). */
  readonly change: 'added' | 'removed' | 'changed';
  /** USD a month before (0 when added). */
  readonly before: CostRange;
  /** USD a month after (0 when removed). */
  readonly after: CostRange;
  /** `after − before` (0 when either side has no known price). */
  readonly delta: CostRange;
  /**
   * Which side has no known price (`before`, `after` or `both`): then the change is no dollar amount.
   * @default - absent when both sides are priced
   */
  readonly unknown?: 'before' | 'after' | 'both';
}

/** What changed for one stack. */
export interface CostStackChange {
  /** The stack's name. */
  readonly stack: string;
  /** USD a month before (0 for a new stack). */
  readonly before: CostRange;
  /** USD a month after (0 for a removed stack). */
  readonly after: CostRange;
  /** `after − before`. */
  readonly delta: CostRange;
  /** The resources whose cost changed, were added or removed (free ones that were added or removed too). */
  readonly resources: readonly CostResourceChange[];
}

/** What a change costs: per stack, per resource and in total. */
export interface CostDiff {
  /** The stacks with a change. */
  readonly stacks: readonly CostStackChange[];
  /** USD a month before. */
  readonly before: CostRange;
  /** USD a month after. */
  readonly after: CostRange;
  /** `after − before`. */
  readonly delta: CostRange;
  /** The warnings of the current estimate. */
  readonly warnings: readonly string[];
}

/** The difference between an earlier estimate (`--json` output) and the current one. */
export function diffCosts(base: CostJson, current: CostEstimate): CostDiff {
  const names = [...new Set([...base.stacks.map((s) => s.stack), ...current.stacks.map((s) => s.stack)])];
  const stacks: CostStackChange[] = [];
  for (const name of names) {
    const before = base.stacks.find((s) => s.stack === name);
    const after = current.stacks.find((s) => s.stack === name);
    const old = new Map((before?.resources ?? []).map((r) => [r.address, r]));
    const now = new Map((after?.resources ?? []).map((r) => [r.address, r]));
    const resources: CostResourceChange[] = [];
    for (const address of new Set([...old.keys(), ...now.keys()])) {
      const o = old.get(address);
      const n = now.get(address);
      const b = o?.monthly ?? ZERO;
      const a = n?.monthly ?? ZERO;
      const change = !o ? 'added' : !n ? 'removed' : 'changed';
      const oldUnknown = o?.status === 'unknown';
      const newUnknown = n?.status === 'unknown';
      const unknown = oldUnknown && newUnknown ? 'both' : oldUnknown ? 'before' : newUnknown ? 'after' : undefined;
      if (change === 'changed' && (unknown === 'both' || (!unknown && same(a, b)))) continue;
      resources.push({ address, type: (n ?? o)!.type, change, before: oldUnknown ? ZERO : b, after: newUnknown ? ZERO : a, delta: unknown ? ZERO : sub(a, b), ...(unknown ? { unknown } : {}) });
    }
    const b = before?.monthly ?? ZERO;
    const a = after?.monthly ?? ZERO;
    if (resources.length > 0 || !same(a, b)) stacks.push({ stack: name, before: b, after: a, delta: sub(a, b), resources });
  }
  const before = base.stacks.reduce((s, x) => add(s, x.monthly), ZERO);
  return { stacks, before, after: current.monthly, delta: sub(current.monthly, before), warnings: current.warnings };
}

const SIGN = { added: '+', removed: '-', changed: '~' } as const;
const NO_PRICE = 'no known price';
const beforeText = (r: CostResourceChange) => (r.unknown === 'before' || r.unknown === 'both' ? NO_PRICE : formatUsd(r.before));
const afterText = (r: CostResourceChange) => (r.unknown === 'after' || r.unknown === 'both' ? NO_PRICE : formatUsd(r.after));
const deltaText = (r: CostResourceChange) => (r.unknown ? NO_PRICE : formatUsd(r.delta, true));

/** The diff as a text table. */
export function renderDiffTable(diff: CostDiff): string {
  const out: string[] = [];
  if (diff.stacks.length === 0) out.push('No change in the estimated monthly cost.', '');
  for (const stack of diff.stacks) {
    const table = plainTable(['', 'Resource', 'Before', 'After', 'Change']);
    for (const r of stack.resources) table.push([SIGN[r.change], r.address, beforeText(r), afterText(r), deltaText(r)]);
    table.push(['', `Total ${stack.stack}`, formatUsd(stack.before), formatUsd(stack.after), formatUsd(stack.delta, true)]);
    out.push(stack.stack, trimLines(table.toString()), '');
  }
  out.push(`Monthly cost: ${formatUsd(diff.before)} → ${formatUsd(diff.after)} (${formatUsd(diff.delta, true)})`, '');
  if (diff.warnings.length > 0) out.push(...diff.warnings.map((w) => `WARNING: ${w}`), '');
  return terminalSafe(out.join('\n'));
}

/** The diff as Markdown, for a pull-request comment. */
export function renderDiffMarkdown(diff: CostDiff): string {
  const out = ['### Monthly cost change', '', `**${formatUsd(diff.before)} → ${formatUsd(diff.after)} (${formatUsd(diff.delta, true)})**, USD at list prices, minimum to maximum instances.`, ''];
  if (diff.stacks.length === 0) out.push('No change in the estimated monthly cost.', '');
  else {
    out.push('| | Stack | Resource | Before | After | Change |', '|---|---|---|---:|---:|---:|');
    for (const stack of diff.stacks) {
      for (const r of stack.resources) out.push(`| ${SIGN[r.change]} | ${md(stack.stack)} | ${mdCode(r.address)} | ${beforeText(r)} | ${afterText(r)} | ${deltaText(r)} |`);
      out.push(`| | **${md(stack.stack)}** | **total** | ${formatUsd(stack.before)} | ${formatUsd(stack.after)} | **${formatUsd(stack.delta, true)}** |`);
    }
    out.push('');
  }
  if (diff.warnings.length > 0) out.push(...diff.warnings.map((w) => `> **Warning:** ${mdLines(w)}`), '');
  return out.join('\n');
}

// --- Side by side -----------------------------------------------------------------------------------------------------

/** The service a component is charged under (`Compute Engine`, `Cloud SQL`), from its price-table rows. */
export function serviceOf(component: CostComponent): string {
  const sku = component.skus[0];
  return PRICE_TABLE.find((row) => row.sku === sku)?.service ?? 'without a known price';
}

/** What one service costs a month in a stack. */
export interface CostService {
  /** The service, as the price table names it: `Compute Engine`, `Amazon RDS for PostgreSQL`. */
  readonly service: string;
  /** USD a month. */
  readonly monthly: CostRange;
}

/** A stack's monthly cost per service, largest first. Components without a quantity (usage-based) are left out. */
export function costByService(stack: StackCost): CostService[] {
  const sums = new Map<string, CostRange>();
  for (const r of stack.resources) for (const c of r.components) if (c.monthly) sums.set(serviceOf(c), add(sums.get(serviceOf(c)) ?? ZERO, c.monthly));
  return [...sums.entries()].map(([service, monthly]) => ({ service, monthly })).sort((a, b) => b.monthly.max - a.monthly.max || a.service.localeCompare(b.service));
}

/** One column of a side-by-side comparison: a title and the estimate of the stacks in that configuration. */
export interface CostComparisonColumn {
  /** The column's heading: `defaults, production only`. */
  readonly title: string;
  /** The estimate of that configuration. */
  readonly estimate: CostEstimate;
}

/**
 * Markdown tables comparing configurations side by side: one of every stack's total, then one per stack by service.
 * Amounts are monthly ranges in USD (minimum to maximum instances); `—` where a configuration has no such stack.
 */
export function renderComparisonMarkdown(columns: readonly CostComparisonColumn[]): string {
  const stacks = [...new Set(columns.flatMap((c) => c.estimate.stacks.map((s) => s.stack)))];
  const head = `| | ${columns.map((c) => md(c.title)).join(' | ')} |`;
  const rule = `|---|${columns.map(() => '---:').join('|')}|`;
  const cell = (s: StackCost | undefined, pick: (s: StackCost) => CostRange | undefined) => {
    const r = s ? pick(s) : undefined;
    return r ? formatUsd(r) : '—';
  };
  const out = [head, rule];
  for (const name of stacks) out.push(`| **${md(name)}** | ${columns.map((c) => cell(c.estimate.stacks.find((s) => s.stack === name), (s) => s.monthly)).join(' | ')} |`);
  out.push('');
  for (const name of stacks) {
    const perColumn = columns.map((c) => c.estimate.stacks.find((s) => s.stack === name));
    const services = [...new Set(perColumn.flatMap((s) => (s ? costByService(s).map((x) => x.service) : [])))];
    out.push(`#### ${md(name)}`, '', head, rule);
    for (const service of services) {
      if (perColumn.every((s) => !s || (costByService(s).find((y) => y.service === service)?.monthly.max ?? 0) < 0.005)) continue;
      out.push(`| ${md(service)} | ${perColumn.map((s) => cell(s, (x) => costByService(x).find((y) => y.service === service)?.monthly ?? ZERO)).join(' | ')} |`);
    }
    out.push(`| **total** | ${perColumn.map((s) => (s ? `**${formatUsd(s.monthly)}**` : '—')).join(' | ')} |`, '');
    const unknown = [...new Set(perColumn.flatMap((s) => s?.unknown ?? []))];
    if (unknown.length > 0) out.push(`Without a known price (not in the totals): ${md(unknown.join('; '))}.`, '');
  }
  return out.join('\n');
}

/** The price table as Markdown: every row with its price, regions, confidence, source and date. */
export function renderPriceTableMarkdown(): string {
  const mark = { provider: '✅', secondary: '◐', unconfirmed: '⚠️' } as const;
  const out = ['| Service | Item | Regions | Price | Sure | Source (date) |', '|---|---|---|---:|:-:|---|'];
  for (const row of PRICE_TABLE) {
    out.push(`| ${row.service} | ${md(row.description)}${row.note ? ` <br><sub>${md(row.note)}</sub>` : ''} | ${row.regions.join(', ')} | ${usdText(row.usd)} per ${row.unit} | ${mark[row.confidence]} | [${new URL(row.source).hostname}${new URL(row.source).pathname}](${row.source}) (${row.taken}) |`);
  }
  return out.join('\n');
}
