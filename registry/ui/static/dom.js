// DOM helpers and the one HTTP client of the page: JSON in and out, the token as Bearer.

export const TOKEN_KEY = "event-registry-token";

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

export function badge(text, kind = text) {
  return el("span", { class: `badge badge-${kind}` }, text);
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

// fetch against our own origin only; cookies are never sent (credentials: "omit"), the token
// from sessionStorage goes in Authorization.
export async function api(path, { method = "GET", body, raw } = {}) {
  const headers = { Accept: "application/json" };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload;
  if (raw !== undefined) payload = raw;
  else if (body !== undefined) payload = JSON.stringify(body);
  if (payload !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: payload, credentials: "omit", cache: "no-cache" });
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { detail: text };
  }
  if (!response.ok) throw new ApiError(response.status, data || {});
  return data;
}

export function problemText(error) {
  if (!(error instanceof ApiError)) return String(error.message || error);
  const p = error.problem;
  const hint = error.status === 401 || error.status === 403 ? " (set a token with the needed scope under Token)" : "";
  return `${error.status} ${p.code || ""}: ${p.detail || p.title || ""}${hint}`;
}

// Every event type, following nextCursor.
export async function allTypes() {
  const items = [];
  let cursor = null;
  do {
    const page = await api(`/event-types?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

export const date = (iso) => (iso ? iso.slice(0, 10) : "");

export function b64encode(text) {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function b64decode(text) {
  const bin = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

// The route in the fragment: "#/play?type=x&p=..." -> {view: "play", rest: [], params}.
export function route() {
  const hash = location.hash.replace(/^#\/?/, "");
  const [path, query = ""] = hash.split("?", 2);
  const [view = "", ...rest] = path.split("/").map(decodeURIComponent);
  return { view: view || "catalog", rest, params: new URLSearchParams(query) };
}
