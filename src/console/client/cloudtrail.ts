/**
 * CloudTrail pages in the browser: Event history's live rows (server-sent events, added at the top of the
 * table without a reload; cells set as text, never markup) and the Insights page's rate chart (uPlot).
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "highlight.js/styles/github.css";
import "./cloudtrail.css";

interface LiveRow {
  eventId: string;
  cells: [string, string][];
}

export function eventHistoryLive(): void {
  const table = document.getElementById("ct-events") as HTMLTableElement | null;
  const url = table?.dataset.liveUrl;
  if (!table || !url) return;
  const body = table.tBodies[0]!;
  const indicator = document.getElementById("ct-live");
  const detailBase = table.dataset.detailBase ?? "";
  const source = new EventSource(url);
  const state = (value: string) => indicator?.setAttribute("data-state", value);
  source.addEventListener("ready", () => state("live"));
  source.addEventListener("error", () => state("reconnecting"));
  source.addEventListener("row", (message) => {
    const row = JSON.parse((message as MessageEvent<string>).data) as LiveRow;
    body.querySelector("tr.empty")?.remove();
    const tr = document.createElement("tr");
    tr.className = "ct-new";
    tr.dataset.eventId = row.eventId;
    for (const [column, text] of row.cells) {
      const td = document.createElement("td");
      if (column === "eventName") {
        const a = document.createElement("a");
        a.href = detailBase + encodeURIComponent(row.eventId);
        a.textContent = text;
        td.append(a);
      } else {
        td.textContent = text;
      }
      tr.append(td);
    }
    body.prepend(tr);
  });
}

interface ChartData {
  times: number[];
  counts: number[];
  baseline: number;
  bucketMinutes: number;
  marks: { time: number; state: string; shared?: string; name: string; type: string }[];
}

/** Start..End spans of Insights events (a Start without its End runs to the chart's end). */
function spans(data: ChartData): [number, number][] {
  const starts = new Map<string, number>();
  const out: [number, number][] = [];
  const last = data.times[data.times.length - 1] ?? 0;
  for (const m of [...data.marks].sort((a, b) => a.time - b.time)) {
    if (m.state === "Start") starts.set(m.shared ?? `${m.time}`, m.time);
    else if (m.state === "End") {
      const from = starts.get(m.shared ?? "");
      out.push([from ?? m.time, m.time]);
      starts.delete(m.shared ?? "");
    }
  }
  for (const from of starts.values()) out.push([from, last]);
  return out;
}

export function insightsChart(): void {
  const el = document.getElementById("ct-rate-chart");
  const raw = el?.dataset.series;
  if (!el || !raw) return;
  const data = JSON.parse(raw) as ChartData;
  const bands = spans(data);
  const width = () => Math.max(320, el.clientWidth);
  const chart = new uPlot(
    {
      width: width(),
      height: 340,
      // The page labels its times UTC, whatever the browser's zone.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
      series: [
        {},
        { label: data.bucketMinutes === 1 ? "Calls per minute" : "Calls per hour", stroke: "#006ce0", fill: "rgba(0,108,224,0.12)", width: 2, paths: uPlot.paths.stepped?.({ align: 1 }) },
        { label: "Baseline", stroke: "#ff9900", width: 2, dash: [6, 4], points: { show: false } },
      ],
      axes: [{ stroke: "#5f6b7a", grid: { stroke: "#e9ebed" } }, { stroke: "#5f6b7a", grid: { stroke: "#e9ebed" } }],
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.15)] } },
      hooks: {
        drawClear: [
          (u) => {
            const ctx = u.ctx;
            ctx.save();
            ctx.fillStyle = "rgba(219,0,0,0.12)";
            for (const [from, to] of bands) {
              const x0 = u.valToPos(from, "x", true);
              const x1 = Math.max(u.valToPos(to, "x", true), x0 + 3);
              ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
            }
            ctx.restore();
          },
        ],
      },
    },
    [data.times, data.counts, data.times.map(() => data.baseline)],
    el,
  );
  window.addEventListener("resize", () => chart.setSize({ width: width(), height: 340 }));
}
