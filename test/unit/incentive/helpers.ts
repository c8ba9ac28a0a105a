import type { DayCounts } from '../../../src/lib/incentive.ts';

export const day = (impressions: number, clicks: number): DayCounts => ({ impressions, clicks, addToCart: 0 });

/** 7 baseline days × 1,000 impressions, 140 clicks (CTR 2%), residuals 0, ±2, ±1. */
export const noisyBaseline = (): DayCounts[] => [20, 22, 18, 20, 21, 19, 20].map((c) => day(1000, c));

/** 7 baseline days × 1,000 impressions, 20 clicks each: no day-to-day variation. */
export const steadyBaseline = (): DayCounts[] => Array.from({ length: 7 }, () => day(1000, 20));

/** 30 result days × 1,000 impressions alternating hi/lo clicks (15 of each). */
export const alternating = (hi: number, lo: number): DayCounts[] => Array.from({ length: 30 }, (_, i) => day(1000, i % 2 ? lo : hi));
