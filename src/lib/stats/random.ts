/**
 * A seeded pseudo-random generator for simulations and test data (mulberry32: 32-bit state,
 * fast, reproducible across platforms). Not for anything secret.
 *
 * Samplers are exact (no normal approximations): gamma by Marsaglia–Tsang, binomial and Poisson
 * by Knuth's order-statistic recursions (TAOCP vol. 2, 3.4.1) down to small cases handled directly.
 */
export class Rng {
	private state: number;
	private spareNormal: number | null = null;

	constructor(seed: number) {
		this.state = seed >>> 0;
	}

	/** Uniform on [0, 1). */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) | 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** Uniform on (0, 1]: safe under a logarithm. */
	private positive(): number {
		return 1 - this.next();
	}

	/** Integer uniform in [min, max]. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	uniform(min: number, max: number): number {
		return min + (max - min) * this.next();
	}

	/** Standard normal (Marsaglia polar method). */
	normal(mean = 0, sd = 1): number {
		if (this.spareNormal !== null) {
			const z = this.spareNormal;
			this.spareNormal = null;
			return mean + sd * z;
		}
		let u: number, v: number, s: number;
		do {
			u = 2 * this.next() - 1;
			v = 2 * this.next() - 1;
			s = u * u + v * v;
		} while (s >= 1 || s === 0);
		const f = Math.sqrt((-2 * Math.log(s)) / s);
		this.spareNormal = v * f;
		return mean + sd * u * f;
	}

	/** exp(N(mu, sigma²)). */
	lognormal(mu: number, sigma: number): number {
		return Math.exp(this.normal(mu, sigma));
	}

	/** Gamma(shape, 1). */
	gamma(shape: number): number {
		if (!(shape > 0)) throw new RangeError(`gamma shape must be > 0, got ${shape}`);
		if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.positive(), 1 / shape);
		const d = shape - 1 / 3;
		const c = 1 / Math.sqrt(9 * d);
		for (;;) {
			const x = this.normal();
			let v = 1 + c * x;
			if (v <= 0) continue;
			v = v * v * v;
			const u = this.positive();
			if (u < 1 - 0.0331 * x * x * x * x) return d * v;
			if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
		}
	}

	beta(a: number, b: number): number {
		const x = this.gamma(a);
		return x / (x + this.gamma(b));
	}

	/** Binomial(n, p): successes among n Bernoulli(p) trials. */
	binomial(n: number, p: number): number {
		if (!Number.isInteger(n) || n < 0) throw new RangeError(`binomial n must be an integer ≥ 0, got ${n}`);
		if (!(p >= 0 && p <= 1)) throw new RangeError(`binomial p must be in [0, 1], got ${p}`);
		let acc = 0;
		// X = the a-th smallest of n uniforms ~ Beta(a, n+1−a); recurse into the side p falls on.
		while (n > 40 && p > 0 && p < 1) {
			const a = 1 + Math.floor(n / 2);
			const b = n + 1 - a;
			const x = this.beta(a, b);
			if (x >= p) {
				n = a - 1;
				p = p / x;
			} else {
				acc += a;
				n = b - 1;
				p = (p - x) / (1 - x);
			}
		}
		if (p <= 0) return acc;
		if (p >= 1) return acc + n;
		for (let i = 0; i < n; i++) if (this.next() < p) acc++;
		return acc;
	}

	/** Poisson(lambda). */
	poisson(lambda: number): number {
		if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`poisson mean must be ≥ 0, got ${lambda}`);
		let acc = 0;
		// The m-th arrival of a unit-rate process is Gamma(m): either all m fall before lambda, or
		// the count below lambda among the first m−1 is binomial.
		while (lambda > 30) {
			const m = Math.floor((7 * lambda) / 8);
			const x = this.gamma(m);
			if (x < lambda) {
				acc += m;
				lambda -= x;
			} else return acc + this.binomial(m - 1, lambda / x);
		}
		const limit = Math.exp(-lambda);
		let k = 0;
		let prod = this.positive();
		while (prod > limit) {
			k++;
			prod *= this.positive();
		}
		return acc + k;
	}
}
