// Catalog: every event type with search by key, tag or owner; one type's versions, params and examples.
import { allTypes, api, badge, clear, date, el, problemText } from "./dom.js";

export async function catalogView(main) {
  const search = el("input", { type: "search", id: "catalog-search", placeholder: "key, tag or owner", "aria-controls": "catalog-list" });
  const list = el("ul", { id: "catalog-list", class: "cards", "aria-live": "polite" });
  const count = el("p", { class: "muted", id: "catalog-count" });
  clear(main, el("h1", {}, "Event types"), el("label", { for: "catalog-search" }, "Search"), search, count, list);
  let types = [];
  try {
    types = await allTypes();
  } catch (error) {
    clear(list, el("li", { class: "problem" }, problemText(error)));
    return;
  }
  const render = () => {
    const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const shown = types.filter((t) => {
      const hay = [t.key, t.owner || "", ...(t.tags || [])].join(" ").toLowerCase();
      return words.every((w) => hay.includes(w));
    });
    count.textContent = `${shown.length} of ${types.length} event types`;
    clear(
      list,
      shown.map((t) =>
        el(
          "li",
          { class: "card", "data-key": t.key },
          el("a", { href: `#/type/${encodeURIComponent(t.key)}`, class: "card-title" }, t.key),
          t.deleted ? badge("deleted") : null,
          ...(t.tags || []).map((tag) => badge(tag, "tag")),
          el("p", { class: "muted small" }, t.owner ? `owner: ${t.owner}` : "no owner"),
          el("p", { class: "clip" }, t.description || ""),
        ),
      ),
    );
  };
  search.addEventListener("input", render);
  render();
}

function typeText(s) {
  if (!s || typeof s !== "object") return "any";
  if (s.enum) return "enum";
  if (s.const !== undefined) return "const";
  if (s.$ref) return s.$ref.split("/").pop();
  const t = Array.isArray(s.type) ? s.type.join(" | ") : s.type;
  if (t === "array" && s.items && typeof s.items === "object") return `array of ${typeText(s.items)}`;
  if (t) return t;
  if (s.anyOf || s.oneOf) return (s.anyOf || s.oneOf).map(typeText).join(" | ");
  return "any";
}

const CONSTRAINTS = ["format", "pattern", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems"];

function constraintText(s) {
  if (!s || typeof s !== "object") return "";
  const parts = [];
  if (s.enum) parts.push(`one of ${s.enum.map((v) => JSON.stringify(v)).join(", ")}`);
  if (s.const !== undefined) parts.push(`= ${JSON.stringify(s.const)}`);
  for (const name of CONSTRAINTS) if (s[name] !== undefined) parts.push(`${name} ${s[name]}`);
  return parts.join("; ");
}

export function paramTable(schema) {
  const props = (schema && schema.properties) || {};
  const required = new Set((schema && schema.required) || []);
  const rows = Object.entries(props).map(([name, s]) =>
    el(
      "tr",
      { "data-param": name },
      el("th", { scope: "row" }, el("code", {}, name)),
      el("td", {}, typeText(s)),
      el("td", {}, required.has(name) ? "yes" : "no"),
      el("td", { class: "small" }, constraintText(s)),
      el("td", { class: "small" }, (s && s.description) || ""),
    ),
  );
  if (!rows.length) return el("p", { class: "muted" }, "This schema declares no params.");
  return el(
    "div",
    { class: "scroll", tabindex: "0", role: "region", "aria-label": "params" },
    el(
      "table",
      { class: "params" },
      el("thead", {}, el("tr", {}, ["name", "type", "required", "constraints", "description"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows),
    ),
  );
}

export async function typeView(main, key) {
  clear(main, el("h1", {}, key), el("p", { class: "muted" }, "Loading…"));
  let type, versions, examples;
  try {
    [type, versions, examples] = await Promise.all([
      api(`/event-types/${encodeURIComponent(key)}`),
      api(`/event-types/${encodeURIComponent(key)}/versions`),
      api(`/event-types/${encodeURIComponent(key)}/examples`),
    ]);
  } catch (error) {
    clear(main, el("h1", {}, key), el("p", { class: "problem", role: "alert" }, problemText(error)));
    return;
  }
  const list = versions.versions;
  const latest = [...list].reverse().find((v) => v.state !== "disabled") || list[list.length - 1];
  const enc = encodeURIComponent(key);
  clear(
    main,
    el("h1", {}, key, " ", type.deleted ? badge("deleted") : null),
    el("p", {}, type.description || ""),
    el("p", { class: "muted small" }, `owner: ${type.owner || "none"} · created ${date(type.createdAt)}`, " ", ...(type.tags || []).map((t) => badge(t, "tag"))),
    el("p", { class: "actions" }, el("a", { class: "button", href: `#/play?type=${enc}` }, "Validate an event"), " ", el("a", { class: "button", href: `#/evolve/${enc}` }, "Evolve the schema")),
    el("h2", {}, "Versions"),
    list.length
      ? el(
          "ol",
          { class: "versions", id: "versions" },
          list.map((v) =>
            el("li", { "data-version": v.version }, `v${v.version} `, badge(v.state), ` registered ${date(v.createdAt)}`, v.sunset ? ` · sunset ${v.sunset}` : "", v.note ? ` · ${v.note}` : ""),
          ),
        )
      : el("p", { class: "muted" }, "No version yet."),
    el("h2", {}, latest ? `Params (v${latest.version})` : "Params"),
    latest ? paramTable(latest.schema) : el("p", { class: "muted" }, "No schema yet."),
    el("h2", {}, "Examples"),
    examples.examples.length
      ? el(
          "ul",
          { class: "examples", id: "examples" },
          examples.examples.map((x) =>
            el(
              "li",
              {},
              el("strong", {}, x.name),
              " ",
              badge(x.expectValid ? "expect valid" : "expect invalid", x.expectValid ? "valid" : "invalid"),
              " ",
              el("a", { href: `#/play?type=${enc}&example=${encodeURIComponent(x.name)}` }, "open in playground"),
              el("p", { class: "small" }, x.description || ""),
            ),
          ),
        )
      : el("p", { class: "muted" }, "No examples."),
  );
}
