/** The real incentive rule for bills: metrics/incentives.ts incentiveDecisions (no second implementation). */
import { incentiveDecisions } from '../metrics/incentives.ts';
import type { IncentiveSource } from './types.ts';

export const realIncentives: IncentiveSource = (engine, opts) => incentiveDecisions(engine, opts);
