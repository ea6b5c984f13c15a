// The edit forms' pickers: a catalog search (an ARIA 1.2 combobox with a listbox popup) that
// fills an item id field, and an item's sessions as a <select> that fills a session id field.
// The fields stay plain text: a reviewer who knows an id can still type it.

import { h } from "../widget/dom.js";
import { formatDateTime, formatHours, modalityBadge, modalityLabel } from "../widget/path.js";

const DEBOUNCE_MS = 250;
const LIMIT = 50;

/** A labelled text field, kept together on one line: { nodes: [span], input }. */
export function textField(id, name, label, attrs = {}) {
  const input = h("input", { type: "text", id, name, autocomplete: "off", spellcheck: "false", ...attrs });
  return { nodes: [h("span", { class: "pair" }, h("label", { for: id }, label), input)], input };
}

const reasonOf = (err) => err?.reason ?? err?.message ?? String(err);

/**
 * A search field over the catalog. Words list the matching items (title, modality, hours,
 * id); ↓/↑ move through them, Enter or a click chooses one, which puts its id in the field.
 * @param {object} ctx { t, lang, catalog: { searchItems(q, limit) } }
 * @param {object} opts { id, name, label, required, inPath: Set of item ids already in the
 *   path, onItem(item | null): the item the field now names (chosen, or its exact id typed) }
 */
export function itemPicker(ctx, { id, name, label, required = false, inPath = new Set(), onItem = () => {} }) {
  const { t, lang } = ctx;
  const listId = `${id}-list`;
  const input = h("input", {
    type: "text", id, name, autocomplete: "off", spellcheck: "false", role: "combobox",
    "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": listId, "aria-describedby": `${id}-help`,
  });
  input.required = required;
  const list = h("ul", { id: listId, role: "listbox", class: "picker-list", "aria-label": label });
  list.hidden = true;
  const chosen = h("p", { class: "picker-chosen" });
  const live = h("p", { class: "help picker-live", "aria-live": "polite" });
  let items = [];
  let active = -1;
  let current = null; // the item the field names
  let timer = 0;
  let asked = 0; // answers to older searches are dropped

  const optionId = (n) => `${id}-opt-${n}`;
  const describe = (item) => [item.title, modalityLabel(item.modality, t),
    t("pathHours", { hours: formatHours(item.hours, lang) }), item.id,
    inPath.has(item.id) && t("inPath")].filter(Boolean).join(" · ");

  function setActive(n) {
    active = n;
    for (const [k, el] of [...list.children].entries()) el.setAttribute("aria-selected", String(k === n));
    if (n < 0) return input.removeAttribute("aria-activedescendant");
    input.setAttribute("aria-activedescendant", optionId(n));
    list.children[n].scrollIntoView({ block: "nearest" });
  }

  function show(open) {
    list.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    if (!open) setActive(-1);
  }

  function setCurrent(item) {
    if ((item?.id ?? null) === (current?.id ?? null)) return;
    current = item;
    chosen.replaceChildren(...(item ? [t("chosenItem", { item: describe(item) })] : []));
    onItem(item);
  }

  function choose(item) {
    clearTimeout(timer); // a search still to come or under way would reopen the list
    asked += 1;
    input.value = item.id;
    show(false);
    live.textContent = "";
    setCurrent(item);
  }

  function draw() {
    list.replaceChildren(...items.map((item, n) => {
      const option = h("li", { role: "option", id: optionId(n), "aria-selected": "false", "aria-label": describe(item) },
        modalityBadge(item.modality, modalityLabel(item.modality, t)),
        h("strong", { class: "picker-title" }, item.title),
        h("span", { class: "picker-hours" }, t("pathHours", { hours: formatHours(item.hours, lang) })),
        h("code", {}, item.id));
      if (inPath.has(item.id)) option.append(h("span", { class: "badge" }, t("inPath")));
      option.addEventListener("click", () => choose(item));
      return option;
    }));
  }

  async function search() {
    const q = input.value.trim();
    const mine = ++asked;
    if (!q) {
      items = [];
      show(false);
      live.textContent = "";
      return;
    }
    live.textContent = t("searching");
    let found;
    try {
      found = await ctx.catalog.searchItems(q, LIMIT);
    } catch (err) {
      if (mine === asked) live.textContent = t("searchFailed", { detail: reasonOf(err) });
      return;
    }
    if (mine !== asked) return;
    items = found.items;
    draw();
    live.textContent = !items.length ? t("noItems")
      : items.length < found.total ? t("itemsSome", { n: items.length, total: found.total })
        : t("itemsFound", { n: items.length });
    show(items.length > 0 && document.activeElement === input);
    const exact = items.find((item) => item.id === q);
    if (exact) setCurrent(exact);
  }

  input.addEventListener("input", () => {
    if (current && input.value.trim() !== current.id) setCurrent(null);
    clearTimeout(timer);
    timer = setTimeout(search, DEBOUNCE_MS);
  });
  input.addEventListener("keydown", (e) => {
    const open = !list.hidden;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!items.length) return;
      e.preventDefault();
      if (!open) show(true);
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive(Math.min(items.length - 1, Math.max(0, active + step)));
    } else if (e.key === "Enter" && open && active >= 0) {
      e.preventDefault(); // choose, don't submit
      choose(items[active]);
    } else if (e.key === "Escape" && open) {
      e.stopPropagation(); // close the list, not the form around it
      show(false);
    }
  });
  input.addEventListener("blur", () => show(false));
  list.addEventListener("mousedown", (e) => e.preventDefault()); // keep the focus in the field

  const root = h("div", { class: "picker" },
    h("label", { for: id }, label),
    h("div", { class: "picker-box" }, input, list),
    h("p", { id: `${id}-help`, class: "help" }, t("itemSearchHelp")), chosen, live);
  return { root, input };
}

/** Today as "YYYY-MM-DD" in the browser's time zone. */
function today() {
  const d = new Date();
  return [d.getFullYear(), d.getMonth() + 1, d.getDate()].map((n) => String(n).padStart(2, "0")).join("-");
}

/** A session as an option's text: when, where, who, the seats free and what stands in the way. */
export function sessionText(s, { t, lang }, current = null) {
  const day = today();
  const notes = [];
  if (s.id === current) notes.push(t("currentSession"));
  // The seat this path holds is counted in free_seats: its own session is not full for it.
  else if (s.free_seats <= 0) notes.push(t("sessionFull"));
  if (String(s.start).slice(0, 10) <= day) notes.push(t("sessionHeld"));
  else if (s.enrol_by && s.enrol_by < day) notes.push(t("enrolmentClosed"));
  return [formatDateTime(s.start, lang), s.place, s.trainer && t("trainer", { name: s.trainer }),
    t("seatsFree", { free: s.free_seats, seats: s.seats }), ...notes]
    .filter(Boolean).join(" · ");
}

/**
 * An item's sessions as a <select> that fills `field` (a session id text field); typing an
 * id in the field selects its session. Full and closed sessions stay selectable, marked.
 * @param {object} ctx { t, lang, catalog: { itemSessions(id) } }
 * @param {object} opts { id, field, current: the step's session id, empty: the text of the
 *   "" option (no session chosen) }
 * @returns {{ root, load(itemId), clear() }}
 */
export function sessionPicker(ctx, { id, field, current = null, empty }) {
  const { t } = ctx;
  const select = h("select", { id, "aria-describedby": `${id}-help` });
  const live = h("p", { class: "help picker-live", "aria-live": "polite" });
  const box = h("div", { class: "picker-select" },
    h("label", { for: id }, t("sessionsOf")), select,
    h("p", { id: `${id}-help`, class: "help" }, t("sessionPickHelp")));
  box.hidden = true;
  const root = h("div", { class: "picker-sessions" }, box, live);
  let asked = 0;

  const sync = () => {
    const typed = field.value.trim();
    select.value = [...select.options].some((o) => o.value === typed) ? typed : "";
  };
  select.addEventListener("change", () => {
    field.value = select.value;
    field.removeAttribute("aria-invalid");
  });
  field.addEventListener("input", sync);

  return {
    root,
    async load(itemId) {
      const mine = ++asked;
      box.hidden = true;
      live.textContent = t("loadingSessions");
      let sessions;
      try {
        ({ sessions } = await ctx.catalog.itemSessions(itemId));
      } catch (err) {
        if (mine === asked) live.textContent = t("sessionsFailed", { detail: reasonOf(err) });
        return;
      }
      if (mine !== asked) return;
      live.textContent = sessions.length ? t("sessionsFound", { n: sessions.length }) : t("noSessions");
      select.replaceChildren(h("option", { value: "" }, empty),
        ...sessions.map((s) => h("option", { value: s.id }, sessionText(s, ctx, current))));
      sync();
      box.hidden = !sessions.length;
    },
    clear() {
      ++asked;
      box.hidden = true;
      live.textContent = "";
      select.replaceChildren();
    },
  };
}
