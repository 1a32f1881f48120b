// Playground: paste or edit an event, validated as you type; every error and warning is listed
// and highlighted at its JSON Pointer; a did-you-mean is one click. The URL fragment holds the
// payload (never the query: payloads carry emails).
import { createEditor } from "./editor.js";
import { allTypes, api, b64decode, b64encode, badge, clear, debounce, el, problemText, route } from "./dom.js";
import { JsonError, parse, replacementFor, resolve } from "./json.js";

function skeleton(key, schema) {
  const required = (schema && schema.required) || [];
  return { eventTypeKey: key, keyValue: "", params: required.map((name) => ({ name, value: "" })) };
}

export async function playgroundView(main) {
  const { params } = route();
  const typeSelect = el("select", { id: "play-type" });
  const versionSelect = el("select", { id: "play-version" }, el("option", { value: "" }, "latest"));
  const modeSelect = el(
    "select",
    { id: "play-mode" },
    el("option", { value: "" }, "as configured"),
    el("option", { value: "strict" }, "strict"),
    el("option", { value: "lenient" }, "lenient"),
  );
  const coerce = el("input", { type: "checkbox", id: "play-coerce" });
  const exampleSelect = el("select", { id: "play-example" });
  const startButton = el("button", { type: "button", id: "play-start" }, "Start from this");
  const shareButton = el("button", { type: "button", id: "play-share" }, "Copy share link");
  const shareNote = el("span", { class: "muted small", id: "play-share-note", "aria-live": "polite" });
  const editor = createEditor({ id: "payload", label: "Event (JSON)" });
  const verdict = el("p", { id: "verdict", class: "verdict", role: "status" }, "Paste an event.");
  const results = el("ul", { id: "violations", class: "violations" });
  clear(
    main,
    el("h1", {}, "Playground"),
    el(
      "div",
      { class: "toolbar" },
      el("span", { class: "field" }, el("label", { for: "play-type" }, "Event type"), typeSelect),
      el("span", { class: "field" }, el("label", { for: "play-version" }, "Version"), versionSelect),
      el("span", { class: "field" }, el("label", { for: "play-mode" }, "Mode"), modeSelect),
      el("span", { class: "field check" }, coerce, el("label", { for: "play-coerce" }, "coerce strings")),
    ),
    el("div", { class: "toolbar" }, el("span", { class: "field" }, el("label", { for: "play-example" }, "Start from"), exampleSelect), startButton, shareButton, shareNote),
    editor.node,
    verdict,
    results,
  );

  let types = [];
  const versionsOf = new Map();
  let examples = [];
  try {
    types = await allTypes();
  } catch (error) {
    verdict.textContent = problemText(error);
  }
  clear(typeSelect, el("option", { value: "" }, "(from the event)"), types.map((t) => el("option", { value: t.key }, t.key)));

  async function loadType(key) {
    typeSelect.value = key;
    clear(versionSelect, el("option", { value: "" }, "latest"));
    clear(exampleSelect, el("option", { value: "" }, "the schema's required params"));
    examples = [];
    if (!key) return;
    try {
      const [v, x] = await Promise.all([api(`/event-types/${encodeURIComponent(key)}/versions`), api(`/event-types/${encodeURIComponent(key)}/examples`)]);
      versionsOf.set(key, v.versions);
      examples = x.examples;
    } catch {
      return;
    }
    versionSelect.append(...versionsOf.get(key).map((v) => el("option", { value: v.version }, `v${v.version} (${v.state})`)));
    exampleSelect.append(...examples.map((x) => el("option", { value: x.name }, `example: ${x.name}`)));
  }

  function start(name) {
    const key = typeSelect.value;
    const example = examples.find((x) => x.name === name);
    const versions = versionsOf.get(key) || [];
    const latest = versions[versions.length - 1];
    const payload = example ? example.payload : skeleton(key, latest && latest.schema);
    exampleSelect.value = example ? example.name : "";
    editor.area.value = JSON.stringify(payload, null, 2);
    validateNow();
  }

  let sequence = 0;
  function share(text) {
    const query = new URLSearchParams();
    if (typeSelect.value) query.set("type", typeSelect.value);
    if (text) query.set("p", b64encode(text));
    history.replaceState(null, "", `#/play?${query}`);
  }

  async function validateNow() {
    const text = editor.area.value;
    const mine = ++sequence;
    share(text);
    if (!text.trim()) {
      verdict.textContent = "Paste an event.";
      clear(results);
      editor.highlight([]);
      return;
    }
    let parsed;
    try {
      parsed = parse(text);
    } catch (error) {
      if (!(error instanceof JsonError)) throw error;
      verdict.className = "verdict invalid";
      verdict.textContent = `Not JSON: ${error.message}`;
      clear(results);
      const at = Math.min(error.at, Math.max(text.length - 1, 0));
      editor.highlight([{ start: at, end: Math.min(at + 1, text.length), pointer: "syntax", severity: "error" }]);
      return;
    }
    const event = parsed.value;
    if (event && typeof event === "object" && !Array.isArray(event) && typeof event.eventTypeKey === "string" && event.eventTypeKey !== typeSelect.value && types.some((t) => t.key === event.eventTypeKey)) {
      await loadType(event.eventTypeKey);
    }
    let body = text;
    if (versionSelect.value && event && typeof event === "object" && !Array.isArray(event)) body = JSON.stringify({ ...event, version: Number(versionSelect.value) });
    const query = new URLSearchParams();
    if (modeSelect.value) query.set("mode", modeSelect.value);
    if (coerce.checked) query.set("coerce", "true");
    let report;
    try {
      report = await api(`/validate${query.size ? `?${query}` : ""}`, { method: "POST", raw: body });
    } catch (error) {
      if (mine !== sequence) return;
      verdict.className = "verdict invalid";
      verdict.textContent = problemText(error);
      clear(results);
      editor.highlight([]);
      return;
    }
    if (mine !== sequence || editor.area.value !== text) return;
    show(report, text, parsed);
  }

  function show(report, text, parsed) {
    const all = [...report.errors, ...report.warnings];
    verdict.className = `verdict ${report.valid ? "valid" : "invalid"}`;
    verdict.textContent = `${report.valid ? "Valid" : "Invalid"}${report.version ? ` against v${report.version}` : ""}: ${report.errors.length} error(s), ${report.warnings.length} warning(s)`;
    verdict.dataset.valid = String(report.valid);
    const marks = new Map();
    for (const v of all) {
      const r = parsed.ranges.get(v.path);
      if (!r) continue;
      const seen = marks.get(v.path);
      if (!seen) marks.set(v.path, { start: r.start, end: r.end, pointer: v.path, severity: v.severity, title: v.message });
      else if (v.severity === "error") seen.severity = "error";
    }
    editor.highlight([...marks.values()]);
    clear(
      results,
      all.map((v) => {
        const r = parsed.ranges.get(v.path);
        const current = resolve(parsed.value, v.path);
        const fix = v.suggestion !== undefined && r ? replacementFor(current, v.suggestion) : null;
        const details = [];
        if (v.expected !== undefined) details.push(el("span", {}, "expected ", el("code", {}, JSON.stringify(v.expected))));
        if (v.actual !== undefined) details.push(el("span", {}, "actual ", el("code", {}, JSON.stringify(v.actual))));
        return el(
          "li",
          { class: v.severity, "data-pointer": v.path, "data-code": v.code },
          badge(v.severity),
          " ",
          el("code", {}, v.code),
          " at ",
          el("code", { class: "pointer" }, v.path || "(the event)"),
          el("p", {}, v.message),
          details.length ? el("p", { class: "small" }, ...details.flatMap((d, i) => (i ? [" · ", d] : [d]))) : null,
          r ? el("button", { type: "button", class: "show", onclick: () => editor.select(r.start, r.end) }, "Show in editor") : null,
          fix !== null
            ? el(
                "button",
                {
                  type: "button",
                  class: "fix",
                  onclick: () => {
                    editor.area.value = text.slice(0, r.start) + fix + text.slice(r.end);
                    editor.area.focus();
                    editor.area.setSelectionRange(r.start, r.start + fix.length);
                    validateNow();
                  },
                },
                `Apply "${v.suggestion}"`,
              )
            : null,
        );
      }),
    );
  }

  const later = debounce(validateNow, 300);
  editor.area.addEventListener("input", later);
  for (const control of [versionSelect, modeSelect, coerce]) control.addEventListener("change", validateNow);
  typeSelect.addEventListener("change", () => loadType(typeSelect.value));
  startButton.addEventListener("click", () => start(exampleSelect.value));
  shareButton.addEventListener("click", async () => {
    share(editor.area.value);
    try {
      await navigator.clipboard.writeText(location.href);
      shareNote.textContent = "Link copied; the payload is in the fragment (#), never sent to a server.";
    } catch {
      shareNote.textContent = "Copy the address bar: the payload is in its fragment (#).";
    }
  });

  const key = params.get("type") || "";
  if (key) await loadType(key);
  if (params.get("p")) {
    try {
      editor.area.value = b64decode(params.get("p"));
    } catch {
      verdict.textContent = "The link's payload could not be decoded.";
    }
    validateNow();
  } else if (params.get("example")) start(params.get("example"));
  else if (key) start(examples.length ? examples[0].name : "");
}
