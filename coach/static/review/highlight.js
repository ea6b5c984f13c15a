// The item a deep link points at (a step, a skill, a confirmation to give): marked, scrolled
// into view and focused, so keyboard and screen-reader users land on it too.

/** Mark `node` as the linked item (aria-current and an outline), scroll to it, focus it. */
export function highlight(node) {
  for (const old of document.querySelectorAll(".highlight")) {
    old.classList.remove("highlight");
    old.removeAttribute("aria-current");
  }
  node.classList.add("highlight");
  node.setAttribute("aria-current", "true");
  if (!node.hasAttribute("tabindex")) node.setAttribute("tabindex", "-1");
  node.scrollIntoView({ block: "center" });
  node.focus({ preventScroll: true });
}
