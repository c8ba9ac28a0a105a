/**
 * The real incentive rule for bills: metrics/incentives.ts (no second implementation), its
 * decisions handed over in chunks so a month's are never all in memory. `engine` is the billing
 * transaction's Db (one connection), which keeps the chunks' temp table between calls.
 */
import { incentiveDecisionChunks } from '../metrics/incentives.ts';
import type { IncentiveSource } from './types.ts';

export const realIncentives: IncentiveSource = (engine, opts) => incentiveDecisionChunks(engine, opts);
