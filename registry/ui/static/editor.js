// A textarea over a highlight layer: the layer repeats the text with <mark> elements at the
// character ranges of JSON Pointers, so each report pointer is seen where it is in the editor.
import { clear, el } from "./dom.js";

export function createEditor({ id, label, rows = 16 }) {
  const overlay = el("pre", { class: "overlay", "aria-hidden": "true" });
  const area = el("textarea", { id, rows, spellcheck: "false", autocomplete: "off", autocapitalize: "off", class: "code" });
  const wrap = el("div", { class: "editor" }, overlay, area);
  area.addEventListener("scroll", () => {
    overlay.scrollTop = area.scrollTop;
    overlay.scrollLeft = area.scrollLeft;
  });
  const editor = {
    node: el("div", { class: "field" }, el("label", { for: id }, label), wrap),
    area,
    overlay,
    // marks: [{start, end, pointer, severity}] of nested or disjoint ranges into area.value.
    highlight(marks) {
      const text = area.value;
      const sorted = [...marks].sort((a, b) => a.start - b.start || b.end - a.end);
      clear(overlay);
      const stack = [{ node: overlay, end: text.length }];
      let pos = 0;
      const close = () => {
        const top = stack.pop();
        top.node.append(text.slice(pos, top.end));
        pos = top.end;
      };
      for (const m of sorted) {
        while (stack.length > 1 && stack[stack.length - 1].end <= m.start) close();
        const parent = stack[stack.length - 1].node;
        parent.append(text.slice(pos, m.start));
        pos = m.start;
        const mark = el("mark", { class: m.severity, "data-pointer": m.pointer, title: m.title || m.pointer });
        parent.append(mark);
        stack.push({ node: mark, end: m.end });
      }
      while (stack.length > 1) close();
      overlay.append(text.slice(pos), "\n");
      overlay.scrollTop = area.scrollTop;
    },
    select(start, end) {
      area.focus();
      area.setSelectionRange(start, end);
    },
  };
  area.addEventListener("input", () => editor.highlight([]));
  return editor;
}
