// Evolve: edit the next schema of a type (JSON Schema, or a param list as a JSON array), see the
// compatibility verdict at the type's level live, every finding placed on a side-by-side diff of
// the latest and the new schema, the example replay, then register it (write scope).
// Both sides of the diff are in the form the user edits: the latest version's param list when it
// was registered from one, else its schema; a param list's findings (pointers into the schema it
// compiles to) land on the param they are about (paramlist.js).
import { diffLines, lineOf } from "./diff.js";
import { api, badge, clear, debounce, el, problemText } from "./dom.js";
import { JsonError, parse, pretty } from "./json.js";
import { places } from "./paramlist.js";

const CONTEXT = 3;

function candidate(value) {
  return Array.isArray(value) ? { params: value } : { schema: value };
}

// One side of the diff: its text, the ranges of its pointers and, for a param list, the list.
function side(value) {
  const text = pretty(value);
  return { text, ranges: parse(text).ranges, params: Array.isArray(value) ? value : null };
}

// Where on a side a finding is best shown: the most specific place that side has, with its line.
// In a schema that is the finding's pointer or its nearest parent; in a param list see places().
function placeOn(where, finding) {
  if (!where) return null;
  let options;
  if (where.params) options = places(where.params, finding.path, finding);
  else {
    const raw = finding.path.split("/"); // "" first: the document
    options = raw.map((_, i) => ({ pointer: raw.slice(0, raw.length - i).join("/"), depth: raw.length - 1 - i }));
  }
  const hit = options.find((o) => where.ranges.has(o.pointer));
  if (!hit) return null;
  const range = where.ranges.get(hit.pointer);
  return { ...hit, line: lineOf(where.text, range.keyStart ?? range.start) };
}

export async function evolveView(main, key) {
  const enc = encodeURIComponent(key);
  clear(main, el("h1", {}, `Evolve ${key}`), el("p", { class: "muted" }, "Loading…"));
  let versions;
  try {
    versions = (await api(`/event-types/${enc}/versions`)).versions;
  } catch (error) {
    clear(main, el("h1", {}, `Evolve ${key}`), el("p", { class: "problem", role: "alert" }, problemText(error)));
    return;
  }
  const usable = versions.filter((v) => v.state !== "disabled");
  const latest = usable[usable.length - 1] || null;
  const before = latest ? side(Array.isArray(latest.params) ? latest.params : latest.schema) : null;
  const area = el("textarea", { id: "schema", rows: 18, spellcheck: "false", class: "code" });
  area.value = before ? before.text : pretty({ type: "object", properties: {} });
  const verdict = el("p", { id: "compat-verdict", class: "verdict", role: "status" });
  const findings = el("ul", { id: "findings", class: "violations" });
  const diff = el("div", { id: "diff", class: "diff" });
  const replay = el("div", { id: "replay" });
  const register = el("button", { type: "button", id: "register" }, "Register as a new version");
  const outcome = el("p", { id: "register-outcome", role: "status" });
  clear(
    main,
    el("h1", {}, "Evolve ", el("a", { href: `#/type/${enc}` }, key)),
    el("p", { class: "muted" }, latest ? `Compared with v${latest.version} (the latest usable version${before.params ? ", shown as the param list it was registered from" : ""}) at the type's configured level.` : "No version yet: the first one is always accepted."),
    el("div", { class: "field" }, el("label", { for: "schema" }, "New schema: a JSON Schema object, or a param list (a JSON array)"), area),
    verdict,
    findings,
    el("h2", {}, "Diff"),
    diff,
    el("h2", {}, "Example replay"),
    replay,
    el("p", { class: "actions" }, register),
    outcome,
  );

  let sequence = 0;
  async function check() {
    const mine = ++sequence;
    let value;
    try {
      value = parse(area.value).value;
    } catch (error) {
      if (!(error instanceof JsonError)) throw error;
      verdict.className = "verdict invalid";
      verdict.textContent = `Not JSON: ${error.message}`;
      return;
    }
    let result;
    try {
      result = latest ? await api(`/event-types/${enc}/compatibility`, { method: "POST", body: candidate(value) }) : null;
    } catch (error) {
      if (mine !== sequence) return;
      verdict.className = "verdict invalid";
      verdict.textContent = problemText(error);
      clear(findings);
      return;
    }
    if (mine !== sequence) return;
    showResult(value, result);
  }

  function showResult(value, result) {
    const found = result ? result.findings : [];
    if (result) {
      verdict.className = `verdict ${result.compatible ? "valid" : "invalid"}`;
      verdict.dataset.compatible = String(result.compatible);
      verdict.textContent = `${result.compatible ? "Compatible" : "Incompatible"} under ${result.level} (${result.policy}), checked against v${result.checkedVersions.join(", v")}: ${found.length} finding(s)`;
    }
    clear(
      findings,
      found.map((f) => el("li", { class: "error", "data-pointer": f.path, "data-code": f.code }, badge(f.direction, "direction"), " ", el("code", {}, f.code), " at ", el("code", {}, f.path), el("p", {}, f.message))),
    );
    renderDiff(side(value), found);
    renderReplay(result ? result.examples : []);
  }

  function renderDiff(after, found) {
    const left = before ? before.text.split("\n") : [];
    const right = after.text.split("\n");
    const onLeft = new Map();
    const onRight = new Map();
    for (const f of found) {
      // a finding's path is into the new schema, or into the old one when the thing exists only
      // there: it goes to the side that has the more specific place for it, the new one on a tie
      // (the new side always has one: its first line)
      const onNew = placeOn(after, f);
      const onOld = placeOn(before, f);
      const [where, place] = onOld && onOld.depth > onNew.depth ? [onLeft, onOld] : [onRight, onNew];
      if (!where.has(place.line)) where.set(place.line, []);
      where.get(place.line).push({ ...f, at: place.pointer });
    }
    const cell = (lines, index, placed, kind) => {
      if (index === null) return el("td", { class: "code empty" });
      const here = placed.get(index) || [];
      return el(
        "td",
        { class: `code ${kind}${here.length ? " finding" : ""}`, "data-line": index + 1, ...(here.length ? { "data-finding": here.map((f) => f.path).join(" "), title: here.map((f) => f.message).join("\n") } : {}) },
        el("span", { class: "text" }, lines[index] || " "),
        ...here.map((f) => el("span", { class: "finding-note", "data-pointer": f.path, "data-at": f.at }, `${f.code}: ${f.message}`)),
      );
    };
    const aligned = diffLines(left, right);
    // unchanged lines further than CONTEXT from a change or a finding fold into one row
    const wanted = aligned.map((row) => row.kind !== "same" || onLeft.has(row.left) || onRight.has(row.right));
    const near = (i) => wanted.slice(Math.max(0, i - CONTEXT), i + CONTEXT + 1).some(Boolean);
    const rows = [];
    for (let i = 0; i < aligned.length; ) {
      if (!near(i)) {
        let j = i;
        while (j < aligned.length && !near(j)) j++;
        rows.push(el("tr", { class: "fold" }, el("td", { colspan: 4 }, `⋯ ${j - i} unchanged line${j - i === 1 ? "" : "s"}`)));
        i = j;
        continue;
      }
      const row = aligned[i++];
      rows.push(el("tr", { class: row.kind }, el("td", { class: "ln" }, row.left === null ? "" : row.left + 1), cell(left, row.left, onLeft, row.kind), el("td", { class: "ln" }, row.right === null ? "" : row.right + 1), cell(right, row.right, onRight, row.kind)));
    }
    clear(
      diff,
      el(
        "div",
        { class: "scroll", tabindex: "0", role: "region", "aria-label": "side-by-side diff" },
        el(
          "table",
          { class: "diff-table" },
          el("colgroup", {}, el("col", { class: "ln" }), el("col", {}), el("col", { class: "ln" }), el("col", {})),
          el("thead", {}, el("tr", {}, el("th", { colspan: 2, scope: "colgroup" }, latest ? `v${latest.version}` : "(none)"), el("th", { colspan: 2, scope: "colgroup" }, "new"))),
          el("tbody", {}, rows),
        ),
      ),
    );
  }

  function renderReplay(examples) {
    if (!examples || !examples.length) {
      clear(replay, el("p", { class: "muted" }, "No examples to replay."));
      return;
    }
    const yes = (b) => (b === null || b === undefined ? "–" : b ? "valid" : "invalid");
    clear(
      replay,
      el(
        "div",
        { class: "scroll", tabindex: "0", role: "region", "aria-label": "example replay" },
        el(
          "table",
          { class: "replay" },
          el("thead", {}, el("tr", {}, ["example", "expected", "before", "after", ""].map((h) => el("th", { scope: "col" }, h)))),
          el(
            "tbody",
            {},
            examples.map((x) =>
              el("tr", { "data-example": x.name, class: x.asExpected ? "" : "unexpected" }, el("th", { scope: "row" }, x.name), el("td", {}, yes(x.expectValid)), el("td", {}, yes(x.before)), el("td", {}, yes(x.after)), el("td", {}, x.asExpected ? badge("as expected", "valid") : badge("unexpected", "invalid"))),
            ),
          ),
        ),
      ),
    );
  }

  register.addEventListener("click", async () => {
    let value;
    try {
      value = parse(area.value).value;
    } catch (error) {
      outcome.textContent = `Not JSON: ${error.message}`;
      return;
    }
    try {
      const created = await api(`/event-types/${enc}/versions`, { method: "POST", body: candidate(value) });
      outcome.className = "valid";
      outcome.textContent = `Registered v${created.version}.`;
    } catch (error) {
      outcome.className = "problem";
      outcome.textContent = problemText(error);
    }
  });
  area.addEventListener("input", debounce(check, 400));
  check();
}
