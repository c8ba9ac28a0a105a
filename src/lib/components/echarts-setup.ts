/**
 * The only module that imports ECharts. It is loaded with a dynamic import() from Chart.svelte, so
 * Vite puts it (≈ 180 KB gzip) in its own chunk that a page fetches after its first paint.
 * Only the charts and components the dashboard uses are registered (tree-shaken build).
 */
import * as echarts from 'echarts/core';
import { BarChart, LineChart, ScatterChart, PieChart } from 'echarts/charts';
import {
	GridComponent,
	TooltipComponent,
	LegendComponent,
	MarkLineComponent,
	MarkAreaComponent,
	AriaComponent
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

// SVG renderer: crisp at any zoom, smaller than canvas + its text measuring, fine at dashboard sizes.
echarts.use([
	BarChart,
	LineChart,
	ScatterChart,
	PieChart,
	GridComponent,
	TooltipComponent,
	LegendComponent,
	MarkLineComponent,
	MarkAreaComponent,
	AriaComponent,
	SVGRenderer
]);

export { echarts };
