import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/lib/stats/index.ts';

function moments(draw: () => number, n: number) {
	let s = 0;
	let s2 = 0;
	for (let i = 0; i < n; i++) {
		const x = draw();
		s += x;
		s2 += x * x;
	}
	const mean = s / n;
	return { mean, variance: s2 / n - mean * mean };
}

describe('seeded generator', () => {
	it('is reproducible for a seed and differs between seeds', () => {
		const a = new Rng(42);
		const b = new Rng(42);
		const c = new Rng(43);
		const xa = Array.from({ length: 5 }, () => a.next());
		expect(Array.from({ length: 5 }, () => b.next())).toEqual(xa);
		expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xa);
		for (const x of xa) expect(x >= 0 && x < 1).toBe(true);
	});

	// Sample moments within ~5 standard errors of the truth (fixed seeds: deterministic).
	const N = 20000;
	const cases: Array<[string, (r: Rng) => number, number, number]> = [
		['normal(0,1)', (r) => r.normal(), 0, 1],
		['lognormal(−σ²/2, 0.25) has mean 1', (r) => r.lognormal(-0.03125, 0.25), 1, Math.exp(0.0625) - 1],
		['gamma(2.5)', (r) => r.gamma(2.5), 2.5, 2.5],
		['gamma(0.4)', (r) => r.gamma(0.4), 0.4, 0.4],
		['binomial(30, 0.2) (direct)', (r) => r.binomial(30, 0.2), 6, 4.8],
		['binomial(1500, 0.02) (recursion)', (r) => r.binomial(1500, 0.02), 30, 29.4],
		['binomial(3000, 0.6)', (r) => r.binomial(3000, 0.6), 1800, 720],
		['poisson(4)', (r) => r.poisson(4), 4, 4],
		['poisson(1200)', (r) => r.poisson(1200), 1200, 1200]
	];
	for (const [name, draw, mean, variance] of cases) {
		it(`${name}: mean and variance`, () => {
			const r = new Rng(7);
			const m = moments(() => draw(r), N);
			expect(Math.abs(m.mean - mean)).toBeLessThan(5 * Math.sqrt(variance / N));
			expect(m.variance / variance).toBeGreaterThan(0.93);
			expect(m.variance / variance).toBeLessThan(1.07);
		});
	}

	it('binomial is exact at the edges', () => {
		const r = new Rng(1);
		expect(r.binomial(500, 0)).toBe(0);
		expect(r.binomial(500, 1)).toBe(500);
		expect(r.binomial(0, 0.5)).toBe(0);
		for (let i = 0; i < 200; i++) {
			const x = r.binomial(100, 0.97);
			expect(x >= 0 && x <= 100 && Number.isInteger(x)).toBe(true);
		}
	});

	it('binomial(1000, 0.003) has P(0) ≈ 0.997^1000 (shape, not just moments)', () => {
		const r = new Rng(3);
		let zeros = 0;
		for (let i = 0; i < N; i++) if (r.binomial(1000, 0.003) === 0) zeros++;
		const p0 = 0.997 ** 1000;
		expect(Math.abs(zeros / N - p0)).toBeLessThan(5 * Math.sqrt((p0 * (1 - p0)) / N));
	});
});
