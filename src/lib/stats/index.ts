export { lnGamma, regularizedBeta, regularizedGammaQ, erfc } from './special.ts';
export { normalCdf, normalSf, normalPdf, normalQuantile, tCdf, tSf, tPdf, tQuantile } from './distributions.ts';
export { welchDf } from './welch.ts';
export { benjaminiHochberg, benjaminiHochbergAdjusted } from './bh.ts';
export { Rng } from './random.ts';
export { ratioWindow, windowLift, liftFromWindows, type DayCounts, type RateMetric, type RatioWindow, type WindowLift } from './window-lift.ts';
export { clusteredLift, didLift, clusteredLiftFromMoments, didLiftFromMoments, liftMoments, addMoments, emptyMoments, type LiftUnit, type LiftMoments, type ClusteredLift, type DidLift } from './cluster.ts';
