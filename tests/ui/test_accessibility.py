"""Every view is usable by keyboard, fits 360 px without horizontal scrolling and stays readable
in both colour schemes (WCAG AA contrast for its text)."""

from __future__ import annotations

import pytest

from tests.ui.conftest import Page

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

VIEWS = {
    "catalog": ("#/", "#catalog-list li"),
    "type": ("#/type/orderCreated", "#examples li"),
    "playground": ("#/play?type=orderCreated&example=bad-status", "#violations li"),
    "evolve": ("#/evolve/orderCreated", "#compat-verdict[data-compatible]"),
    "run": ("#/run/a11y", "#run-totals[data-total]"),
}
CONTROLS = "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])"

# The WCAG contrast ratio of each text element's colour with the first opaque background
# behind it; returns the ones below 4.5:1 with their text.
LOW_CONTRAST = """() => {
  const rgb = (c) => c.match(/[0-9.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (node) => {
    for (; node; node = node.parentElement) {
      const c = rgb(getComputedStyle(node).backgroundColor);
      if (c.length < 4 || c[3] > 0.9) return c;
    }
    return rgb(getComputedStyle(document.documentElement).backgroundColor);
  };
  const low = [];
  for (const node of document.querySelectorAll("body *")) {
    const own = [...node.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !node.getClientRects().length || node.closest(".overlay, svg")) continue;
    const [a, b] = [lum(rgb(getComputedStyle(node).color)), lum(background(node))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) low.push([node.tagName, node.className, node.textContent.slice(0, 40), ratio]);
  }
  return low;
}"""


def open_view(ui: Page, name: str) -> object:
    fragment, ready = VIEWS[name]
    page = ui.open(fragment)
    page.wait_for_selector(ready)
    return page


@pytest.mark.parametrize("name", list(VIEWS))
def test_360px_wide_in_light_and_dark_without_horizontal_scroll(ui: Page, name: str) -> None:
    ui.page.set_viewport_size({"width": 360, "height": 740})
    page = open_view(ui, name)
    backgrounds = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        widths = page.evaluate("[document.documentElement.scrollWidth, document.body.scrollWidth]")
        assert max(widths) <= 360, (scheme, widths)
        assert page.evaluate(LOW_CONTRAST) == [], scheme
        backgrounds[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert backgrounds == {"light": "rgb(255, 255, 255)", "dark": "rgb(15, 20, 25)"}


@pytest.mark.parametrize("name", list(VIEWS))
def test_tab_reaches_every_control_with_a_visible_focus(ui: Page, name: str) -> None:
    page = open_view(ui, name)
    count = page.evaluate(
        """(selector) => {
          document.querySelectorAll("details").forEach((d) => { d.open = true; });
          const all = [...document.querySelectorAll(selector)].filter(
            (n) => !n.disabled && n.checkVisibility({ visibilityProperty: true }));
          all.forEach((n, i) => n.setAttribute("data-tab", i));
          return all.length;
        }""",
        CONTROLS,
    )
    assert count > 3
    # every <details> (the token form) is opened first: closed, its controls are not rendered
    reached: set[str] = set()
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(count + 5):
        page.keyboard.press("Tab")
        focus = page.evaluate(
            """() => {
              const n = document.activeElement;
              const s = getComputedStyle(n);
              return [n.getAttribute("data-tab"), n.tagName, n.id, s.outlineStyle,
                      parseFloat(s.outlineWidth)];
            }"""
        )
        tab, tag, _id, style, width = focus
        if tag == "BODY":
            continue
        # the skip link is shown on focus, then every control in document order
        assert style != "none", focus
        assert width >= 2, focus
        if tab is not None:
            reached.add(tab)
    assert reached == {str(i) for i in range(count)}
