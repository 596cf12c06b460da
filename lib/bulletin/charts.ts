/**
 * Charts as ECharts server-side SVG, embedded by pdfmake as vector graphics. The text uses the
 * pdfmake family name, so pdfmake embeds chart labels with the same (subset) font as the body.
 * Only the pieces used are registered: the full echarts bundle costs ~150 ms more to import.
 */
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent } from "echarts/components";
import { type EChartsCoreOption, init, use } from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import type { Chart } from "./model.ts";

use([BarChart, LineChart, GridComponent, SVGRenderer]);

export const CHART_RED = "#D40000";
const INK = "#333333";
const RULE = "#BBBBBB";

function label(decimals: number) {
  return {
    show: true,
    color: INK,
    fontSize: 11,
    formatter: (p: { value: unknown }) => (typeof p.value === "number" ? p.value.toFixed(decimals) : ""),
  };
}

function optionOf(chart: Chart, fontFamily: string): EChartsCoreOption {
  const series =
    chart.type === "bar"
      ? {
          type: "bar",
          name: chart.series.name,
          data: chart.series.values,
          barMaxWidth: 34,
          itemStyle: { color: CHART_RED },
          label: { ...label(chart.decimals), position: "top" },
        }
      : {
          type: "line",
          name: chart.series.name,
          data: chart.series.values,
          connectNulls: false,
          symbol: "circle",
          symbolSize: 6,
          lineStyle: { color: CHART_RED, width: 2 },
          itemStyle: { color: CHART_RED },
          label: { ...label(chart.decimals), position: "top" },
        };
  return {
    animation: false,
    textStyle: { fontFamily, color: INK },
    // ECharts 6 keeps axis labels inside the chart by itself (grid.outerBoundsMode "auto").
    grid: { left: 8, right: 16, top: 24, bottom: 4 },
    xAxis: {
      type: "category",
      data: chart.categories,
      axisLine: { lineStyle: { color: INK } },
      axisTick: { show: false },
      axisLabel: { fontSize: 11, color: INK, interval: 0 },
    },
    yAxis: {
      type: "value",
      // Plain digits, as in the text: ECharts would write 3,000.
      axisLabel: { fontSize: 10, color: INK, formatter: (v: number) => String(v) },
      splitLine: { lineStyle: { color: RULE, type: "dashed" } },
    },
    series: [series],
  };
}

/** The chart as an SVG string of the given size (pt). */
export function chartSvg(chart: Chart, width: number, height: number, fontFamily: string): string {
  const instance = init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    instance.setOption(optionOf(chart, fontFamily));
    return instance.renderToSVGString();
  } finally {
    // An undisposed SSR chart keeps timers alive and the process from exiting.
    instance.dispose();
  }
}
