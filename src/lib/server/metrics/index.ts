// The metrics layer's public surface (see README.md).
export { createResultCache, type QueryEngine, type CachedEngine, type ResultCacheOptions } from './engine.ts';
export { parseRequest, parseRequestFromUrl, requestToUrl, metricRequestSchema, type MetricRequest, type Scope, type Dimension, type MetricSetName, type SlaName } from './request.ts';
export { runMetric, type RunOptions } from './run.ts';
export type { MetricResult, ResultColumn, ResultRow, Delta } from './result.ts';
export { MetricRequestError, BENCHMARKS } from './defs.ts';
export { incentiveDecisions, type OrderIncentive, type IncentiveOptions } from './incentives.ts';
export { orderStory, type OrderStory } from './order-story.ts';
export { runFindings, type Findings } from './findings.ts';
