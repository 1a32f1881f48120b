// Watch a run: the inspection log of one run id, polled while the view is open, with counts by
// code and by param drawn as SVG bars, the latest failing events expandable, and a reset.
import { barChart } from "./charts.js";
import { api, badge, clear, el, problemText } from "./dom.js";
import { pretty } from "./json.js";

export const POLL_MS = 1000;

export function runView(main, runId) {
  const input = el("input", { id: "run-id", type: "text", value: runId || "", placeholder: "run id (empty: every event)" });
  const watch = el("button", { type: "submit", id: "run-watch" }, "Watch");
  const form = el("form", { class: "toolbar", role: "search" }, el("span", { class: "field" }, el("label", { for: "run-id" }, "Run id"), input), watch);
  const totals = el("p", { id: "run-totals", class: "verdict", role: "status", "aria-live": "polite" }, "Waiting for events…");
  const charts = el("div", { class: "charts", id: "run-charts" });
  const failing = el("div", { id: "run-failing" });
  const reset = el("button", { type: "button", id: "run-reset", class: "danger" }, "Reset this run");
  const note = el("p", { id: "run-note", class: "muted small", role: "status" });
  clear(
    main,
    el("h1", {}, "Watch a run"),
    el("p", { class: "muted" }, "Tag events with X-Run-Id, ?runId=, a run-<id>. key prefix or a /run/<id>/ path prefix; this page refreshes every second."),
    form,
    totals,
    charts,
    el("h2", {}, "Latest failing events"),
    failing,
    el("p", { class: "actions" }, reset),
    note,
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    location.hash = `#/run/${encodeURIComponent(input.value.trim())}`;
  });

  const query = runId ? `runId=${encodeURIComponent(runId)}` : "";
  let lastSeen = null;
  let busy = false;
  const details = new Map();

  async function refresh() {
    if (busy) return;
    busy = true;
    try {
      const [summary, page] = await Promise.all([api(`/inspect/summary?${query}`), api(`/inspect/events?${query}&valid=false&limit=10`)]);
      const stamp = JSON.stringify([summary.total, summary.lastSeen, page.items.map((i) => i.id)]);
      if (stamp !== lastSeen) {
        lastSeen = stamp;
        render(summary, page.items);
      }
    } catch (error) {
      note.textContent = problemText(error);
    } finally {
      busy = false;
    }
  }

  function render(summary, items) {
    totals.dataset.total = summary.total;
    totals.className = `verdict ${summary.invalid ? "invalid" : "valid"}`;
    totals.textContent = `${summary.total} event(s): ${summary.valid} valid, ${summary.invalid} invalid${summary.lastSeen ? `; last at ${summary.lastSeen}` : ""}`;
    const byCode = Object.entries(summary.byCode).map(([code, c]) => [code, c.events]);
    clear(
      charts,
      el("figure", { id: "chart-codes" }, el("figcaption", {}, "Events by violation code"), barChart("events by violation code", byCode)),
      el("figure", { id: "chart-params" }, el("figcaption", {}, "Violations by param"), barChart("violations by param", Object.entries(summary.byParam))),
    );
    const nodes = items.map((item) => {
      let node = details.get(item.id);
      if (!node) {
        const errors = (item.report.errors || []).map((v) => el("li", {}, el("code", {}, v.code), " at ", el("code", {}, v.path || "(the event)"), `: ${v.message}`));
        node = el(
          "details",
          { "data-event-id": item.id },
          el("summary", {}, `#${item.id} ${item.eventTypeKey || "(no key)"} `, badge(item.format, "tag"), ` ${item.receivedAt}`),
          el("ul", { class: "small" }, errors),
          el("pre", { class: "code small" }, pretty(item.payload)),
        );
        details.set(item.id, node);
      }
      return node;
    });
    clear(failing, nodes.length ? nodes : el("p", { class: "muted" }, "No failing event."));
  }

  let armed = false;
  reset.addEventListener("click", async () => {
    if (!armed) {
      armed = true;
      reset.textContent = runId ? `Delete every event of run ${runId}? Click again` : "Delete EVERY recorded event? Click again";
      return;
    }
    armed = false;
    reset.textContent = "Reset this run";
    try {
      const done = await api(`/inspect/events?${runId ? query : "all=true"}`, { method: "DELETE" });
      note.textContent = `Deleted ${done.deleted} event(s).`;
      details.clear();
      lastSeen = null;
      refresh();
    } catch (error) {
      note.textContent = problemText(error);
    }
  });

  refresh();
  const timer = setInterval(refresh, POLL_MS);
  return () => clearInterval(timer);
}
