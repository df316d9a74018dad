// The offline cost estimate of synthesized stacks: the price table, the estimate, and its renderings.
export { estimateCosts, isPricedType } from './estimate';
export type { CostComponent, CostEstimate, CostEnvironment, CostEstimateOptions, CostRange, ResourceCost, CostResourceStatus, StackCost } from './engine';
export { COST_USAGE_KEYS, CostUsageError, parseCostUsage } from './usage';
export type { CostUsage } from './usage';
export { runsPerMonth } from './cron';
export { FREE_RESOURCE_TYPES, LOCAL_PROVIDERS } from './free';
export type { FreeResourceType } from './free';
export { PRICED_REGIONS, FREE_ALLOWANCES, HOURS_PER_MONTH, PRICE_TABLE, PRICE_TABLE_STALE_AFTER_DAYS, findPrice, priceTableDate } from './prices';
export type { FreeAllowance, PriceConfidence, PriceRow } from './prices';
export {
  costByService,
  diffCosts,
  formatUsd,
  mdCell,
  mdCode,
  terminalSafe,
  parseCostJson,
  renderComparisonMarkdown,
  renderCostJson,
  renderCostMarkdown,
  renderCostTable,
  renderDiffMarkdown,
  renderDiffTable,
  renderPriceTableMarkdown,
} from './format';
export type { CostComparisonColumn, CostDiff, CostJson, CostRenderOptions, CostResourceChange, CostService, CostStackChange } from './format';
