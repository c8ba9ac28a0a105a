/**
 * Builds ECharts options from plain data (no ECharts import here, so pages can build options
 * without pulling the library into their first-paint bundle). Tooltips show exact values
 * formatted for the locale; benchmarks become markLines, windows markAreas.
 */
import { formatValue, type Lang, type ValueKind } from '../format.ts';

export interface Benchmark {
	value: number;
	label: string;
	/** Dashed and muted for a secondary reference such as the industry average. */
	secondary?: boolean;
}

export interface SeriesSpec {
	name: string;
	type?: 'bar' | 'line' | 'scatter';
	data: (number | null)[];
	kind?: ValueKind;
	/** Put this series on the right-hand axis (e.g. a rate next to counts). */
	rightAxis?: boolean;
	stack?: string;
	/** A reference series (previous period): drawn faded and dashed. */
	faded?: boolean;
	/** Error bars [low, high] per point, drawn as a thin line segment (confidence intervals). */
	interval?: [number | null, number | null][];
}

export interface CartesianSpec {
	categories: string[];
	/** Labels shown on the axis and in tooltips (the categories stay the drill-down keys). */
	categoryLabels?: string[];
	series: SeriesSpec[];
	kind: ValueKind;
	rightKind?: ValueKind;
	benchmarks?: Benchmark[];
	/** Bands over the category axis: [fromCategory, toCategory, label]. */
	areas?: { from: string; to: string; label: string }[];
	horizontal?: boolean;
	lang: Lang;
	colors: ThemeColors;
}

export interface ThemeColors {
	text: string;
	muted: string;
	border: string;
	accent: string;
	good: string;
	bad: string;
	warn: string;
	palette: string[];
}

/** Reads the theme's CSS variables so charts follow light/dark. */
export function themeColors(el: Element | null): ThemeColors {
	const cs = el ? getComputedStyle(el) : null;
	const v = (name: string, fallback: string) => cs?.getPropertyValue(name).trim() || fallback;
	const accent = v('--accent', '#3b5bdb');
	return {
		text: v('--text', '#1b1f24'),
		muted: v('--muted', '#5f6b7a'),
		border: v('--border', '#e2e5ea'),
		accent,
		good: v('--good', '#1f8a4c'),
		bad: v('--bad', '#c8372d'),
		warn: v('--warn', '#b7791f'),
		palette: [accent, '#12b886', '#f59f00', '#e64980', '#7950f2', '#15aabf', '#82c91e', '#fd7e14']
	};
}

const axisFormatter = (kind: ValueKind, lang: Lang) => (v: number) => {
	if (kind === 'money') return '¥' + new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', { notation: 'compact' }).format(v / 100);
	if (kind === 'percent') return formatValue('percent', v, lang).replace(/\.0%$/, '%');
	if (kind === 'hours') return `${v}h`;
	return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', { notation: 'compact' }).format(v);
};

export function cartesianOption(spec: CartesianSpec): Record<string, unknown> {
	const { lang, colors } = spec;
	const labels = spec.categoryLabels ?? spec.categories;
	const kindOf = (s: SeriesSpec) => s.kind ?? (s.rightAxis ? (spec.rightKind ?? spec.kind) : spec.kind);
	const catAxis = {
		type: 'category',
		data: labels,
		axisLine: { lineStyle: { color: colors.border } },
		// Long names (providers, reasons) on a horizontal chart are cut with an ellipsis; the tooltip and the data table give them whole.
		axisLabel: spec.horizontal ? { color: colors.muted, width: 150, overflow: 'truncate' } : { color: colors.muted, hideOverlap: true },
		axisTick: { show: false }
	};
	const valAxis = (kind: ValueKind, right = false) => ({
		type: 'value',
		position: spec.horizontal ? undefined : right ? 'right' : 'left',
		axisLabel: { color: colors.muted, formatter: axisFormatter(kind, lang) },
		splitLine: { show: !right, lineStyle: { color: colors.border, type: 'dashed' } }
	});
	const hasRight = spec.series.some((s) => s.rightAxis);
	const series: Record<string, unknown>[] = spec.series.map((s, i) => ({
		name: s.name,
		type: s.type ?? 'bar',
		data: s.data,
		stack: s.stack,
		yAxisIndex: !spec.horizontal && s.rightAxis ? 1 : 0,
		xAxisIndex: spec.horizontal && s.rightAxis ? 1 : 0,
		barMaxWidth: 36,
		smooth: false,
		symbolSize: 6,
		itemStyle: { borderRadius: s.type === 'bar' || !s.type ? [3, 3, 0, 0] : undefined, ...(s.faded ? { color: colors.muted, opacity: 0.45 } : {}) },
		lineStyle: s.faded ? { type: 'dashed', color: colors.muted } : undefined,
		// Benchmarks and windows hang on the first series of their axis.
		markLine:
			i === 0 && spec.benchmarks?.length
				? {
						silent: true,
						symbol: 'none',
						label: { formatter: '{b}: {c}', color: colors.muted, position: 'insideEndTop' },
						data: spec.benchmarks.map((b) => ({
							name: b.label,
							[spec.horizontal ? 'xAxis' : 'yAxis']: b.value,
							label: { formatter: `${b.label}: ${formatValue(spec.kind, b.value, lang)}` },
							lineStyle: { color: b.secondary ? colors.muted : colors.warn, type: 'dashed', width: 1.5 }
						}))
					}
				: undefined,
		markArea:
			i === 0 && spec.areas?.length
				? {
						silent: true,
						label: { color: colors.muted, position: 'insideTop' },
						data: spec.areas.map((a, j) => [
							{ name: a.label, [spec.horizontal ? 'yAxis' : 'xAxis']: labelAt(spec, a.from), itemStyle: { color: j % 2 ? 'rgba(18,184,134,0.10)' : 'rgba(124,147,255,0.12)' } },
							{ [spec.horizontal ? 'yAxis' : 'xAxis']: labelAt(spec, a.to) }
						])
					}
				: undefined
	}));
	// Confidence intervals: a custom-free rendering as a thin line series of [low, high] pairs per point
	// would need the custom series; a scatter of the bounds plus a tooltip line keeps the bundle small.
	for (const s of spec.series) {
		if (!s.interval) continue;
		series.push({
			name: `${s.name} CI`,
			type: 'scatter',
			symbol: 'rect',
			symbolSize: spec.horizontal ? [2, 12] : [12, 2],
			itemStyle: { color: colors.text, opacity: 0.55 },
			data: s.interval.flatMap(([lo, hi], idx) => [
				spec.horizontal ? [lo, idx] : [idx, lo],
				spec.horizontal ? [hi, idx] : [idx, hi]
			]),
			tooltip: { show: false },
			z: 5
		});
	}
	return {
		animation: !noAnimation(),
		color: colors.palette,
		textStyle: { fontFamily: 'inherit' },
		// Horizontal charts reserve fixed room for their (truncated) category labels, so ECharts' default
		// outer-bounds pass (every axis label built and measured once more to check for overflow) is skipped:
		// it was the largest share of drawing a chart.
		grid: spec.horizontal ? { left: 160, right: 24, top: 36, bottom: 28, outerBoundsMode: 'none' } : { left: 8, right: hasRight ? 8 : 16, top: 36, bottom: 8, containLabel: true },
		legend: spec.series.length > 1 ? { top: 0, textStyle: { color: colors.muted }, icon: 'roundRect' } : undefined,
		tooltip: {
			trigger: 'axis',
			axisPointer: { type: 'shadow' },
			formatter: (params: unknown) => tooltipHtml(params, spec)
		},
		xAxis: spec.horizontal ? (hasRight ? [valAxis(spec.kind), valAxis(spec.rightKind ?? spec.kind, true)] : valAxis(spec.kind)) : catAxis,
		yAxis: spec.horizontal ? { ...catAxis, inverse: true } : hasRight ? [valAxis(spec.kind), valAxis(spec.rightKind ?? spec.kind, true)] : valAxis(spec.kind),
		series,
		aria: { enabled: true }
	};

	function tooltipHtml(params: unknown, s: CartesianSpec): string {
		const list = (Array.isArray(params) ? params : [params]) as { seriesIndex: number; dataIndex: number; marker: string; seriesName: string }[];
		if (!list.length) return '';
		const idx = list[0].dataIndex;
		const lines = [`<strong>${escapeHtml(labels[idx] ?? '')}</strong>`];
		for (const p of list) {
			const ser = s.series[p.seriesIndex];
			if (!ser) continue;
			let line = `${p.marker}${escapeHtml(ser.name)}: <b>${formatValue(kindOf(ser), ser.data[idx], lang)}</b>`;
			const ci = ser.interval?.[idx];
			if (ci) line += ` <span style="opacity:.7">[${formatValue(kindOf(ser), ci[0], lang)}, ${formatValue(kindOf(ser), ci[1], lang)}]</span>`;
			lines.push(line);
		}
		return lines.join('<br>');
	}
}

function labelAt(spec: CartesianSpec, category: string): string {
	const i = spec.categories.indexOf(category);
	return (spec.categoryLabels ?? spec.categories)[i >= 0 ? i : 0];
}

export interface PieSpec {
	items: { key: string; label: string; value: number }[];
	kind: ValueKind;
	lang: Lang;
	colors: ThemeColors;
}

export function pieOption(spec: PieSpec): Record<string, unknown> {
	const total = spec.items.reduce((a, b) => a + b.value, 0);
	return {
		animation: !noAnimation(),
		color: spec.colors.palette,
		tooltip: {
			trigger: 'item',
			formatter: (p: { name: string; value: number; marker: string }) =>
				`${p.marker}${escapeHtml(p.name)}: <b>${formatValue(spec.kind, p.value, spec.lang)}</b> (${formatValue('percent', total ? p.value / total : null, spec.lang)})`
		},
		legend: { type: 'plain', bottom: 0, textStyle: { color: spec.colors.muted } },
		series: [
			{
				type: 'pie',
				radius: ['45%', '70%'],
				center: ['50%', '45%'],
				itemStyle: { borderColor: 'transparent', borderWidth: 2 },
				label: { show: false },
				data: spec.items.map((i) => ({ name: i.label, value: i.value, key: i.key }))
			}
		],
		aria: { enabled: true }
	};
}

/** Tests (navigator.webdriver) and reduced-motion users get charts without animation. */
export function noAnimation(): boolean {
	if (typeof window === 'undefined') return true;
	return Boolean(navigator.webdriver) || window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
}

export function escapeHtml(s: string): string {
	return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
