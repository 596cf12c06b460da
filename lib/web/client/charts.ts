/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The 汇总 page's two charts, from the JSON block the server wrote: a 12-month trend line and a
 * bar per child. Apache ECharts through echarts/core with only what is drawn (line, bar, grid,
 * tooltip) and the SVG renderer, so the bundle stays small and text stays crisp.
 */
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, TooltipComponent } from "echarts/components";
import { init, use } from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

use([LineChart, BarChart, GridComponent, TooltipComponent, SVGRenderer]);

interface ChartData {
  readonly indicator: string;
  readonly trendUrl: string;
  readonly children: { labels: string[]; values: number[] };
}

const RED = "#b71c1c";
const FONT = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';

function draw(
  el: HTMLElement,
  kind: "line" | "bar",
  labels: string[],
  values: (number | null)[],
  name: string,
): void {
  el.replaceChildren();
  const chart = init(el, null, { renderer: "svg" });
  const many = labels.length > 6;
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: FONT },
    // richText: the tooltip is drawn inside the SVG, no HTML with inline styles (CSP).
    tooltip: { trigger: "axis", renderMode: "richText" },
    grid: { left: 56, right: 16, top: 24, bottom: many && kind === "bar" ? 96 : 40 },
    xAxis: {
      type: "category",
      // Months as 25-11: twelve full dates do not fit side by side.
      data: kind === "line" ? labels.map((l) => l.slice(2)) : labels,
      axisLabel:
        kind === "line"
          ? { interval: "auto", hideOverlap: true, fontSize: 11 }
          : { interval: 0, rotate: many ? 40 : 0, fontSize: 11 },
    },
    yAxis: { type: "value", axisLabel: { fontSize: 11 } },
    series: [
      kind === "line"
        ? {
            type: "line",
            name,
            data: values,
            itemStyle: { color: RED },
            lineStyle: { color: RED, width: 2 },
            symbolSize: 6,
          }
        : { type: "bar", name, data: values, itemStyle: { color: RED }, barMaxWidth: 36 },
    ],
  });
  addEventListener("resize", () => chart.resize());
  el.dataset.rendered = "true";
}

const block = document.getElementById("chart-data");
if (block?.textContent) {
  const data = JSON.parse(block.textContent) as ChartData;
  const trend = document.querySelector<HTMLElement>('[data-chart="trend"]');
  const children = document.querySelector<HTMLElement>('[data-chart="children"]');
  if (trend) {
    void fetch(data.trendUrl, { headers: { accept: "application/json" }, credentials: "same-origin" })
      .then((r) =>
        r.ok ? (r.json() as Promise<{ labels: string[]; values: (number | null)[] }>) : undefined,
      )
      .then((series) => {
        if (series) draw(trend, "line", series.labels, series.values, data.indicator);
      });
  }
  if (children && data.children.labels.length) {
    draw(children, "bar", data.children.labels, data.children.values, data.indicator);
  }
}
