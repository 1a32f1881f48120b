// Horizontal bar charts as SVG elements (no chart library, no external service).
const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

// entries: [[label, count], ...]; the chart scales to its container's width (viewBox).
export function barChart(title, entries, { max = 12 } = {}) {
  const shown = [...entries].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0]))).slice(0, max);
  const rowHeight = 22;
  const width = 320;
  const labelWidth = 150;
  const top = Math.max(1, ...shown.map((e) => e[1]));
  const chart = svg("svg", { viewBox: `0 0 ${width} ${Math.max(1, shown.length) * rowHeight + 4}`, role: "img", "aria-label": title, class: "chart" });
  chart.append(svg("title", {}, title));
  shown.forEach(([label, count], i) => {
    const y = i * rowHeight + 2;
    const barWidth = Math.max(2, ((width - labelWidth - 40) * count) / top);
    const row = svg("g", { "data-label": label, "data-count": count });
    row.append(
      svg("text", { x: labelWidth - 6, y: y + 15, "text-anchor": "end", class: "chart-label" }, label.length > 22 ? `${label.slice(0, 21)}…` : label),
      svg("rect", { x: labelWidth, y: y + 3, width: barWidth, height: rowHeight - 8, rx: 2, class: "chart-bar" }),
      svg("text", { x: labelWidth + barWidth + 4, y: y + 15, class: "chart-value" }, count),
    );
    chart.append(row);
  });
  if (!shown.length) chart.append(svg("text", { x: 4, y: 16, class: "chart-label" }, "nothing yet"));
  return chart;
}
