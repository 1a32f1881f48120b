// The page's entry point: routes on the URL fragment, keeps the API token in sessionStorage.
import { catalogView, typeView } from "./catalog.js";
import { TOKEN_KEY, clear, el, route } from "./dom.js";
import { evolveView } from "./evolve.js";
import { playgroundView } from "./playground.js";
import { runView } from "./run.js";

const main = document.getElementById("main");
let cleanup = null;

const VIEWS = {
  catalog: () => catalogView(main),
  type: ([key]) => typeView(main, key),
  play: () => playgroundView(main),
  evolve: ([key]) => (key ? evolveView(main, key) : pickType(main)),
  run: ([id]) => runView(main, id || ""),
};

function pickType(node) {
  clear(node, el("h1", {}, "Evolve"), el("p", {}, "Open a type in the ", el("a", { href: "#/" }, "catalog"), " and choose “Evolve the schema”."));
}

async function show() {
  if (cleanup) cleanup();
  cleanup = null;
  const { view, rest } = route();
  for (const link of document.querySelectorAll("nav a")) {
    if (link.dataset.view === view || (view === "type" && link.dataset.view === "catalog")) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const render = VIEWS[view] || VIEWS.catalog;
  const result = await render(rest);
  if (typeof result === "function") cleanup = result;
  document.body.dataset.view = view;
  document.body.dataset.ready = "true";
}

function tokenPanel() {
  const input = document.getElementById("token");
  const state = document.getElementById("token-state");
  const refresh = () => {
    state.textContent = sessionStorage.getItem(TOKEN_KEY) ? "a token is set for this tab" : "no token (read-only servers need none)";
  };
  document.getElementById("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    if (input.value.trim()) sessionStorage.setItem(TOKEN_KEY, input.value.trim());
    input.value = "";
    refresh();
    show();
  });
  document.getElementById("token-forget").addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN_KEY);
    refresh();
    show();
  });
  refresh();
}

window.addEventListener("hashchange", () => {
  // the playground rewrites its own fragment as you type (replaceState): no hashchange there
  document.body.dataset.ready = "false";
  show();
});
tokenPanel();
show();
