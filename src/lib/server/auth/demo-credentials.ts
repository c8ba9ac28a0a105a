/**
 * The demo accounts `npm start` creates on sample data. Fixed and documented on purpose: they are
 * for a local demo on generated data. Set DEMO_ACCOUNTS=0 to create none (e.g. on real data).
 * No imports here, so browser tests can read the credentials without loading server code.
 */
export const DEMO_ACCOUNTS = [
	{ role: 'ops', email: 'ops@demo.local', password: 'demo-ops-2026' },
	{ role: 'finance', email: 'finance@demo.local', password: 'demo-finance-2026' },
	{ role: 'seller', email: 'seller@demo.local', password: 'demo-seller-2026' }
] as const;
