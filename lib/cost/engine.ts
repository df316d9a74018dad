import { ModelResource, StackModel } from '../model/stack-model';
import { FREE_ALLOWANCES, HOURS_PER_MONTH, PriceConfidence, PriceRow, PRICE_TABLE_STALE_AFTER_DAYS, findAllowance, findPrice, priceTableDate, regionsOf } from './prices';
import { CostUsage, COST_USAGE_KEYS, matchesResource, usageOf } from './usage';

/** A monthly amount from its least to its most: instances from the minimum to the maximum of a group. */
export interface CostRange {
  /** The least (minimum instances, the cheapest case the configuration allows). */
  readonly min: number;
  /** The most (maximum instances, every instance busy all month). */
  readonly max: number;
}

/** One charged item of a resource: instance hours, disk, requests. */
export interface CostComponent {
  /** What is charged: `instance hours (e2-small: 0.5 vCPU, 2 GB)`. */
  readonly name: string;
  /** The unit of `quantity` and `unitPrice`: `hour`, `GB-month`. */
  readonly unit: string;
  /**
   * Units a month.
   * @default - absent for a usage-based item without usage, or one whose quantity is not known at synth
   */
  readonly quantity?: CostRange;
  /**
   * USD per unit (a range where the price itself depends on the case: idle or busy).
   * @default - absent when no price is known
   */
  readonly unitPrice?: CostRange;
  /**
   * USD a month.
   * @default - absent when the quantity or the price is not known: then it is in no total
   */
  readonly monthly?: CostRange;
  /**
   * The usage-file key of a usage-based item, priced only from the usage file.
   * @default - absent for an item priced from the stack alone
   */
  readonly usageKey?: string;
  /**
   * How a usage-based item's price reads without usage: `$0.02 per GB-month`, with a hint where there is one.
   * @default - absent for an item priced from the stack alone
   */
  readonly dependsOnUsage?: string;
  /** The price-table rows the unit price comes from. */
  readonly skus: readonly string[];
  /**
   * The weakest confidence of those rows.
   * @default - absent when no price is known
   */
  readonly confidence?: PriceConfidence;
  /**
   * Why there is no price (a region or type the table does not have): the item is flagged and left out of totals.
   * @default - absent when the item is priced
   */
  readonly unknown?: string;
  /**
   * USD the free tier would take off.
   * @default - absent unless the estimate applies the free tier (`freeTier`) and the item draws on an allowance
   */
  readonly freeTier?: CostRange;
  /**
   * The id of the free-tier allowance this item draws on (`FREE_ALLOWANCES`).
   * @default - absent when no allowance covers it
   */
  readonly allowance?: string;
  /**
   * What to know: an assumption, a default the stack leaves to the provider.
   * @default - none
   */
  readonly note?: string;
}

/**
 * How a resource is priced:
 * - `priced`: by its components (some may be usage-based);
 * - `usage`: only usage-based components, none given;
 * - `free`: free by nature (IAM, DNS records, networks), $0 on purpose;
 * - `included`: counted with another resource (an instance template with its group);
 * - `unknown`: no price: the type is not in the table, or some component has no price. Flagged, never $0.
 */
export type CostResourceStatus = 'priced' | 'usage' | 'free' | 'included' | 'unknown';

/** The cost of one resource. */
export interface ResourceCost {
  /** Terraform address. */
  readonly address: string;
  /** Terraform type. */
  readonly type: string;
  /** The construct path cdktf recorded; '' if none. */
  readonly path: string;
  /**
   * The environment it belongs to.
   * @default - absent for a resource the environments share
   */
  readonly environment?: string;
  /**
   * The region it is priced in (`global` for a global resource).
   * @default - absent when neither the resource nor its provider names one
   */
  readonly region?: string;
  /** How it is priced. */
  readonly status: CostResourceStatus;
  /** Its charged items. */
  readonly components: readonly CostComponent[];
  /** USD a month of the components with a price and a quantity; 0 for a resource with status `unknown` (in no total). */
  readonly monthly: CostRange;
  /**
   * Why it is free, what it is counted with, why it has no price, or how many instances it runs.
   * @default - none
   */
  readonly note?: string;
}

/** The cost of one environment of a stack (`''` for what the environments share: load balancer, network, registry). */
export interface CostEnvironment {
  /** `production`, `staging`, or `''` for shared resources. */
  readonly environment: string;
  /** USD a month. */
  readonly monthly: CostRange;
}

/** The cost of one stack. */
export interface StackCost {
  /** The stack's name. */
  readonly stack: string;
  /** The regions its resources are priced in. */
  readonly regions: readonly string[];
  /** USD a month: priced components only (usage-based ones only when the usage file gives them). */
  readonly monthly: CostRange;
  /** USD a month of usage-based components the usage file priced (part of `monthly`). */
  readonly usageMonthly: CostRange;
  /**
   * USD a month the free tier would take off.
   * @default - absent unless the estimate applies the free tier
   */
  readonly freeTier?: CostRange;
  /** Per environment, shared resources last. */
  readonly environments: readonly CostEnvironment[];
  /** Every resource, in the stack's order. */
  readonly resources: readonly ResourceCost[];
  /** The resources (and components) without a price, flagged: `address: reason`. */
  readonly unknown: readonly string[];
}

/** What the estimate is of: every stack, the totals and what to know about the prices. */
export interface CostEstimate {
  /** Currency of every amount: USD. */
  readonly currency: 'USD';
  /** Hours in the month the estimate uses (730). */
  readonly hoursPerMonth: number;
  /** The price table the estimate used. */
  readonly priceTable: {
    /** The day its oldest row was taken (YYYY-MM-DD). */
    readonly date: string;
    /** Whether that is more than six months before the estimate. */
    readonly stale: boolean;
  };
  /** Whether the free-tier column is applied. */
  readonly freeTier: boolean;
  /** The stacks. */
  readonly stacks: readonly StackCost[];
  /** USD a month of every stack. */
  readonly monthly: CostRange;
  /**
   * USD a month the free tier would take off.
   * @default - absent unless the estimate applies the free tier
   */
  readonly freeTierMonthly?: CostRange;
  /** What to know before trusting the figures: a stale table, unknown prices, usage entries that match nothing. */
  readonly warnings: readonly string[];
}

/** Options of an estimate. */
export interface CostEstimateOptions {
  /**
   * Expected usage for the usage-based items.
   * @default - none: usage-based items are listed with their unit price and left out of the totals
   */
  readonly usage?: CostUsage;
  /**
   * Apply the free-tier allowances, once for all the stacks estimated together (they are per billing account and
   * may be used elsewhere).
   * @default false
   */
  readonly freeTier?: boolean;
  /**
   * The day the estimate is made, for the price table's age.
   * @default - today
   */
  readonly today?: Date;
}

// ---------------------------------------------------------------------------------------------------------------------
// What the pricing code of each resource type returns.

/** One item a pricer charges, before the price table is read. @internal */
export interface ComponentSpec {
  readonly name: string;
  readonly unit: string;
  /** Rows whose weighted sum is the unit price (the maximum case's, where `minSkus` gives the minimum case's). */
  readonly skus: readonly string[];
  /** Weights of `skus` (default 1 each): 0.5 vCPU × the vCPU price + 2 GB × the memory price. */
  readonly weights?: readonly number[];
  /** Rows of the unit price in the minimum case, when it differs (an idle minimum instance). */
  readonly minSkus?: readonly string[];
  /** A fixed monthly quantity. */
  readonly quantity?: CostRange;
  /** A usage-based quantity: the keys it reads and how they make the quantity (undefined: not given). */
  readonly usage?: { readonly keys: readonly string[]; readonly quantity: (get: (key: string) => number | undefined) => number | undefined; readonly hint?: string };
  /** The price table's region to look the rows up in (default: the resource's). */
  readonly region?: string;
  /** Free-tier allowance the item draws on. */
  readonly allowance?: string;
  /** A monthly cap in USD (Cloud NAT above 32 VMs). */
  readonly capUsd?: number;
  /** Set when the quantity cannot be known at synth (why). */
  readonly unknownQuantity?: string;
  /** Set when there is no price for the item (why): a machine type or tier the table does not have. */
  readonly unknownPrice?: string;
  readonly note?: string;
}

/** What a pricer says of a resource. @internal */
export type Pricing =
  | { readonly kind: 'components'; readonly components: readonly ComponentSpec[]; readonly note?: string; /** The pricer counted `count`/`for_each` itself: no multiplier. */ readonly counted?: boolean }
  | { readonly kind: 'free'; readonly note: string }
  | { readonly kind: 'included'; readonly note: string }
  | { readonly kind: 'unknown'; readonly note: string };

/** What a pricer gets. @internal */
export interface PricingContext {
  readonly stack: StackModel;
  readonly resource: ModelResource;
  /** The resource's region, lowercased, if known (`global` for global resource types). */
  readonly region: string | undefined;
  /** The GCP project (or `aws` account) that project-wide prices are counted per. */
  readonly project: string;
  /** This resource's position (1-based) among the resources counted in `pool` so far, across all stacks estimated. */
  count(pool: string, by?: number): number;
  /** `stack: address` of the first resource counted in `pool`. */
  first(pool: string): string | undefined;
}

/** Prices one resource type. @internal */
export type Pricer = (ctx: PricingContext) => Pricing;

// ---------------------------------------------------------------------------------------------------------------------

const ZERO: CostRange = { min: 0, max: 0 };
const add = (a: CostRange, b: CostRange): CostRange => ({ min: a.min + b.min, max: a.max + b.max });
const CONFIDENCE_ORDER: readonly PriceConfidence[] = ['unconfirmed', 'secondary', 'provider'];

/** A range of one value. */
export const fixed = (value: number): CostRange => ({ min: value, max: value });

/** Whether `value` is a number or a numeric string (cdktf writes some numbers as strings). @internal */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

/** Thrown by `countOf` / `flagOf` when a value is present but not a literal the estimate can use. @internal */
export class UnknownValue extends Error {}

/**
 * A count or size a pricer reads: `fallback` when the argument is absent (the documented default), the number when
 * it is a literal non-negative number (an integer unless `fraction`), and otherwise (a Terraform expression such as
 * `${var.x}`, a negative or non-integer count, any other value) it throws `UnknownValue`: the resource becomes
 * `unknown`, never priced with 0 or a default. @internal
 */
export function countOf<T extends number | undefined>(value: unknown, what: string, fallback: T, options: { fraction?: boolean } = {}): number | T {
  if (value === undefined || value === null) return fallback;
  const n = num(value);
  if (n === undefined) throw new UnknownValue(`${what} is ${typeof value === 'string' && value.includes('${') ? 'only known at apply' : `not a number (${JSON.stringify(value)})`}`);
  if (n < 0 || (!options.fraction && !Number.isInteger(n))) throw new UnknownValue(`${what} is ${n}, not a ${options.fraction ? 'non-negative number' : 'whole number of 0 or more'}`);
  return n;
}

/** A boolean argument: `fallback` when absent, else a literal true/false, else `UnknownValue` (as `countOf`). @internal */
export function flagOf(value: unknown, what: string, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new UnknownValue(`${what} is ${typeof value === 'string' && value.includes('${') ? 'only known at apply' : `not true or false (${JSON.stringify(value)})`}`);
}

function lookup(skus: readonly string[], weights: readonly number[] | undefined, region: string | undefined): { usd: number; rows: PriceRow[] } | { missing: string } {
  const rows: PriceRow[] = [];
  let usd = 0;
  for (const [i, sku] of skus.entries()) {
    const row = findPrice(sku, region);
    if (!row) {
      const covered = regionsOf(sku);
      return { missing: covered.length === 0 ? `no price for ${sku} in the price table` : `no price for ${sku} in ${region ?? 'an unknown region'} (the table has ${covered.join(', ')})` };
    }
    rows.push(row);
    usd += row.usd * (weights?.[i] ?? 1);
  }
  return { usd, rows };
}

function weakest(rows: readonly PriceRow[]): PriceConfidence | undefined {
  return rows.reduce<PriceConfidence | undefined>((w, r) => (w === undefined || CONFIDENCE_ORDER.indexOf(r.confidence) < CONFIDENCE_ORDER.indexOf(w) ? r.confidence : w), undefined);
}

/** `$0.020 per GB-month`, the way a unit price reads on its own. @internal */
export function perUnit(usd: number, unit: string): string {
  return `${usdText(usd)} per ${unit}`;
}

/** A unit price as text: as many decimals as it has, at least two. @internal */
export function usdText(usd: number): string {
  if (usd === 0) return '$0';
  const digits = Math.max(2, Math.min(9, Math.ceil(-Math.log10(Math.abs(usd))) + 4));
  const text = usd.toFixed(digits).replace(/(\.\d\d\d*?)0+$/, '$1');
  return `$${text}`;
}

function resolve(spec: ComponentSpec, ctx: PricingContext, usage: Readonly<Record<string, number>>, multiplier: number | undefined): CostComponent {
  const region = spec.region ?? ctx.region;
  const max = lookup(spec.skus, spec.weights, region);
  const min = spec.minSkus ? lookup(spec.minSkus, spec.weights, region) : max;
  const base = { name: spec.name, unit: spec.unit, skus: [...new Set([...(spec.minSkus ?? []), ...spec.skus])], ...(spec.note ? { note: spec.note } : {}) };
  const usageKey = spec.usage?.keys.join(' × ');
  if (spec.unknownPrice) return { ...base, ...(usageKey ? { usageKey } : {}), unknown: spec.unknownPrice };
  if ('missing' in max || 'missing' in min) {
    return { ...base, ...(usageKey ? { usageKey } : {}), unknown: 'missing' in max ? max.missing : (min as { missing: string }).missing };
  }
  const unitPrice: CostRange = { min: min.usd, max: max.usd };
  const confidence = weakest([...max.rows, ...min.rows]);
  const allowance = spec.allowance ? { allowance: spec.allowance } : {};
  if (spec.usage) {
    const quantity = spec.usage.quantity((key) => usage[key]);
    const dependsOnUsage = `${perUnit(unitPrice.max, spec.unit)}${spec.usage.hint ? `; ${spec.usage.hint}` : ''}`;
    if (quantity === undefined) return { ...base, unitPrice, confidence, usageKey: usageKey!, dependsOnUsage, ...allowance };
    const q = fixed(quantity);
    return { ...base, quantity: q, unitPrice, monthly: { min: q.min * unitPrice.min, max: q.max * unitPrice.max }, confidence, usageKey: usageKey!, dependsOnUsage, ...allowance };
  }
  if (spec.unknownQuantity || spec.quantity === undefined || multiplier === undefined) {
    return { ...base, unitPrice, confidence, unknown: spec.unknownQuantity ?? `the resource's count is only known at apply`, ...allowance };
  }
  const quantity: CostRange = { min: spec.quantity.min * multiplier, max: spec.quantity.max * multiplier };
  let monthly: CostRange = { min: quantity.min * unitPrice.min, max: quantity.max * unitPrice.max };
  if (spec.capUsd !== undefined) monthly = { min: Math.min(monthly.min, spec.capUsd), max: Math.min(monthly.max, spec.capUsd) };
  return { ...base, quantity, unitPrice, monthly, confidence, ...allowance };
}

/** How many of the resource `count` or `for_each` makes; undefined when that is only known at apply. @internal */
export function multiplierOf(resource: ModelResource): number | undefined {
  const { count, for_each: forEach } = resource.config as { count?: unknown; for_each?: unknown };
  if (count !== undefined) {
    const n = num(count);
    if (n !== undefined && (n < 0 || !Number.isInteger(n))) throw new UnknownValue(`count is ${n}, not a whole number of 0 or more`);
    return n;
  }
  if (forEach !== undefined) {
    if (Array.isArray(forEach)) return forEach.length;
    if (forEach !== null && typeof forEach === 'object') return Object.keys(forEach).length;
    return undefined;
  }
  return 1;
}

/** The project (GCP) or account (AWS) project-wide prices are counted per. */
function projectOf(stack: StackModel, resource: ModelResource): string {
  if (resource.cloud === 'google') {
    const own = resource.config.project;
    const project = typeof own === 'string' && !own.includes('${') ? own : stack.providerOf(resource)?.project;
    return `gcp:${typeof project === 'string' ? project : stack.name}`;
  }
  if (resource.cloud === 'aws') {
    const ids = stack.providerOf(resource)?.allowed_account_ids;
    return `aws:${Array.isArray(ids) && typeof ids[0] === 'string' ? ids[0] : 'account'}`;
  }
  return `${resource.cloud}:${stack.name}`;
}

/** A resource's region, lowercased: its own region or location, else its zone's region, else its provider's. @internal */
export function resourceRegion(stack: StackModel, resource: ModelResource): string | undefined {
  for (const key of ['region', 'location']) {
    const own = resource.config[key];
    if (typeof own === 'string' && own !== '' && !own.includes('${')) return own.toLowerCase();
  }
  const zone = resource.config.zone;
  if (typeof zone === 'string' && /^[a-z]+-[a-z]+\d+-[a-z]$/.test(zone)) return zone.slice(0, zone.lastIndexOf('-'));
  return stack.regionOf(resource)?.toLowerCase();
}

function regionOf(stack: StackModel, resource: ModelResource, globalTypes: ReadonlySet<string>): string | undefined {
  return globalTypes.has(resource.type) ? 'global' : resourceRegion(stack, resource);
}

/** The pricing code of every resource type it knows, and the types that are free by nature. @internal */
export interface PricingRules {
  readonly pricers: Readonly<Record<string, Pricer>>;
  readonly free: (type: string) => string | undefined;
  readonly globalTypes: ReadonlySet<string>;
}

/** Prices stacks with the given rules. @internal */
export function estimateWith(rules: PricingRules, stacks: readonly StackModel[], options: CostEstimateOptions = {}): CostEstimate {
  const pools = new Map<string, number>();
  const firsts = new Map<string, string>();
  const warnings: string[] = [];
  const date = priceTableDate();
  const today = options.today ?? new Date();
  const ageDays = Math.floor((today.getTime() - Date.parse(`${date}T00:00:00Z`)) / 86400000);
  const stale = ageDays > PRICE_TABLE_STALE_AFTER_DAYS;
  if (stale) warnings.push(`The price table is from ${date}, ${Math.floor(ageDays / 30.4)} months ago: list prices may have changed since. Check the sources in docs/cost.md and update lib/cost/prices.ts.`);

  const matched = new Set<string>();
  const priced: { stack: StackModel; resources: { resource: ModelResource; cost: Omit<ResourceCost, 'monthly'> & { components: CostComponent[] } }[] }[] = [];
  for (const stack of stacks) {
    const resources: (typeof priced)[number]['resources'] = [];
    for (const resource of stack.resources) {
      for (const key of Object.keys(options.usage?.resources ?? {})) if (matchesResource(key, resource, stack.name)) matched.add(key);
      const region = regionOf(stack, resource, rules.globalTypes);
      const usage = usageOf(options.usage, resource, stack.name);
      const ctx: PricingContext = {
        stack,
        resource,
        region,
        project: projectOf(stack, resource),
        count: (pool, by = 1) => {
          const next = (pools.get(pool) ?? 0) + by;
          pools.set(pool, next);
          if (!firsts.has(pool)) firsts.set(pool, `${stack.name}: ${resource.address}`);
          return next;
        },
        first: (pool) => firsts.get(pool),
      };
      const base = { address: resource.address, type: resource.type, path: resource.path, ...(resource.environment ? { environment: resource.environment } : {}), ...(region ? { region } : {}) };
      const freeNote = rules.free(resource.type);
      const pricer = rules.pricers[resource.type];
      const usageKeys = COST_USAGE_KEYS[resource.type] ?? {};
      const wrongKeys = Object.keys(usage).filter((k) => !(k in usageKeys));
      if (wrongKeys.length > 0) warnings.push(`${stack.name}: the usage file gives ${wrongKeys.join(', ')} for ${resource.address}, which takes ${Object.keys(usageKeys).join(', ') || 'no usage keys'}: ignored.`);
      let cost: (typeof resources)[number]['cost'];
      if (pricer) {
        let pricing: Pricing;
        let multiplier: number | undefined;
        try {
          pricing = pricer(ctx);
          multiplier = pricing.kind === 'components' ? (pricing.counted ? 1 : multiplierOf(resource)) : undefined;
        } catch (err) {
          if (!(err instanceof UnknownValue)) throw err;
          pricing = { kind: 'unknown', note: err.message };
        }
        if (pricing.kind === 'components') {
          const components = pricing.components.map((spec) => resolve(spec, ctx, usage, multiplier));
          const hasUnknown = components.some((c) => c.unknown !== undefined);
          const hasFixed = components.some((c) => c.usageKey === undefined || c.quantity !== undefined);
          cost = { ...base, status: hasUnknown ? 'unknown' : hasFixed ? 'priced' : 'usage', components, ...(pricing.note ? { note: pricing.note } : {}) };
        } else {
          cost = { ...base, status: pricing.kind, components: [], note: pricing.note };
        }
      } else if (freeNote !== undefined) {
        cost = { ...base, status: 'free', components: [], note: freeNote };
      } else {
        cost = { ...base, status: 'unknown', components: [], note: `no pricing for resource type ${resource.type}` };
      }
      resources.push({ resource, cost });
    }
    priced.push({ stack, resources });
  }
  for (const key of Object.keys(options.usage?.resources ?? {})) if (!matched.has(key)) warnings.push(`The usage file's entry ${JSON.stringify(key)} matches no resource of the stacks estimated.`);

  // The free tier, once for all stacks: each allowance taken by the items that draw on it, in order.
  if (options.freeTier) {
    const left = new Map<string, { min: number; max: number }>(FREE_ALLOWANCES.map((a) => [a.id, { min: a.amount, max: a.amount }]));
    for (const { resources } of priced) {
      for (const { cost } of resources) {
        if (cost.status === 'unknown') continue;
        cost.components.forEach((c, i) => {
          if (!c.allowance || !c.quantity || !c.unitPrice) return;
          const pool = left.get(c.allowance);
          if (!pool || !findAllowance(c.allowance)) return;
          const takeMin = Math.min(pool.min, c.quantity.min);
          const takeMax = Math.min(pool.max, c.quantity.max);
          pool.min -= takeMin;
          pool.max -= takeMax;
          cost.components[i] = { ...c, freeTier: { min: takeMin * c.unitPrice.min, max: takeMax * c.unitPrice.max } };
        });
      }
    }
  }

  const stackCosts: StackCost[] = priced.map(({ stack, resources }) => {
    // A resource without a known price is in no total: its priced components are listed for information only.
    const list: ResourceCost[] = resources.map(({ cost }) => ({ ...cost, monthly: cost.status === 'unknown' ? ZERO : cost.components.reduce((sum, c) => (c.monthly ? add(sum, c.monthly) : sum), ZERO) }));
    const monthly = list.reduce((sum, r) => add(sum, r.monthly), ZERO);
    const usageMonthly = list.reduce((sum, r) => (r.status === 'unknown' ? sum : r.components.reduce((s, c) => (c.usageKey && c.monthly ? add(s, c.monthly) : s), sum)), ZERO);
    const freeTier = options.freeTier ? list.reduce((sum, r) => r.components.reduce((s, c) => (c.freeTier ? add(s, c.freeTier) : s), sum), ZERO) : undefined;
    const envNames = [...stack.environments, ...(list.some((r) => !r.environment) ? [''] : [])];
    const environments = envNames.map((environment) => ({ environment, monthly: list.filter((r) => (r.environment ?? '') === environment).reduce((sum, r) => add(sum, r.monthly), ZERO) }));
    const unknown = list.flatMap((r) => {
      if (r.status !== 'unknown') return [];
      const parts = r.components.filter((c) => c.unknown).map((c) => `${c.name}: ${c.unknown}`);
      return [`${r.address}: ${parts.length > 0 ? parts.join('; ') : r.note}`];
    });
    const regions = [...new Set(list.filter((r) => r.status !== 'free' && r.region && r.region !== 'global').map((r) => r.region!))];
    return { stack: stack.name, regions, monthly, usageMonthly, ...(freeTier ? { freeTier } : {}), environments, resources: list, unknown };
  });
  for (const s of stackCosts) {
    if (s.unknown.length > 0) warnings.push(`${s.stack}: ${s.unknown.length === 1 ? '1 resource has' : `${s.unknown.length} resources have`} no known price and ${s.unknown.length === 1 ? 'is' : 'are'} left out of the total:\n${s.unknown.map((u) => `  - ${u}`).join('\n')}`);
  }
  const monthly = stackCosts.reduce((sum, s) => add(sum, s.monthly), ZERO);
  const freeTierMonthly = options.freeTier ? stackCosts.reduce((sum, s) => add(sum, s.freeTier ?? ZERO), ZERO) : undefined;
  return { currency: 'USD', hoursPerMonth: HOURS_PER_MONTH, priceTable: { date, stale }, freeTier: options.freeTier === true, stacks: stackCosts, monthly, ...(freeTierMonthly ? { freeTierMonthly } : {}), warnings };
}
