import { StackModel } from '../model/stack-model';
import { AWS_GLOBAL_TYPES, AWS_PRICERS } from './aws';
import { CostEstimate, CostEstimateOptions, PricingRules, estimateWith } from './engine';
import { freeReason } from './free';
import { GCP_GLOBAL_TYPES, GCP_PRICERS } from './gcp';

const RULES: PricingRules = {
  pricers: { ...GCP_PRICERS, ...AWS_PRICERS },
  free: freeReason,
  globalTypes: new Set([...GCP_GLOBAL_TYPES, ...AWS_GLOBAL_TYPES]),
};

/**
 * The monthly cost of synthesized stacks, offline, from the price table in `prices.ts`: per stack, environment and
 * resource, each resource by its cost components (quantity, unit, unit price, monthly cost), as a range from the
 * least the configuration allows (minimum instances) to the most (maximum instances, all busy). Usage-based items
 * (requests, egress, storage growth, load-balancer capacity) are priced from `options.usage` and otherwise listed
 * with their unit price, outside the totals. Prices that depend on the whole project (the first five forwarding
 * rules, the first 25 DNS zones) and the free tier (`options.freeTier`) are counted once across all `stacks`, so
 * estimate stacks that share a project or billing account together. A resource with no known price is listed in
 * `unknown` and the warnings, never counted as $0.
 *
 * @example
 * const stacks = loadSynthesizedStacks('cdktf.out');
 * const estimate = estimateCosts(stacks, { usage: parseCostUsage(readFileSync('cost-usage.yml', 'utf8')) });
 * console.log(renderCostTable(estimate));
 */
export function estimateCosts(stacks: readonly StackModel[], options: CostEstimateOptions = {}): CostEstimate {
  return estimateWith(RULES, stacks, options);
}

/** Whether the estimate knows how to price a resource type, or knows it is free. */
export function isPricedType(type: string): boolean {
  return RULES.pricers[type] !== undefined || freeReason(type) !== undefined;
}
