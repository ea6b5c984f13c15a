// The path under review as a timeline by week: each step with its modality, dates, hours,
// session, reason and problems, and the reviewer's edits (move, remove, swap, session, add).

import { h } from "../widget/dom.js";
import {
  byWeek, formatDateTime, formatDay, formatHours, formatRange, modalityBadge, modalityLabel,
} from "../widget/path.js";
import { itemPicker, sessionPicker, textField } from "./pickers.js";

let formIds = 0;

/**
 * The timeline section.
 * @param {object} detail the API's PathDetail
 * @param {object} outer { t, lang, edit(op), catalog }: edit sends one edit operation for this
 *   path; catalog searches items and lists an item's sessions for the edit forms
 */
export function timeline(detail, outer) {
  const steps = detail.path?.steps ?? [];
  const ctx = { ...outer, inPath: new Set(steps.map((s) => s.item_id)) };
  const { t, lang } = ctx;
  const problems = new Map();
  for (const p of detail.problems ?? []) {
    if (p.step == null) continue;
    if (!problems.has(p.step)) problems.set(p.step, []);
    problems.get(p.step).push(p);
  }
  const weeks = byWeek(steps).map(({ monday, entries }) => {
    const id = `week-${monday}`;
    const list = h("ol", { class: "steps", start: String(entries[0].index + 1), "aria-labelledby": id });
    for (const { step, index } of entries) {
      list.append(stepItem(step, index, steps.length, detail.sessions ?? {}, problems.get(index) ?? [], ctx));
    }
    return h("section", { class: "week" },
      h("h4", { id }, t("pathWeek", { date: formatDay(monday, lang) })), list);
  });
  return h("section", { class: "timeline", "aria-labelledby": "timeline-title" },
    h("h3", { id: "timeline-title" }, t("timeline")), ...weeks, addForm(steps.length, ctx));
}

function stepItem(step, index, count, sessions, problems, ctx) {
  const { t, lang } = ctx;
  const title = step.title || step.item_id;
  const blocking = problems.some((p) => p.blocking);
  const hours = t("pathHours", { hours: formatHours(step.hours, lang) });
  const li = h("li", { class: `step${blocking ? " has-blocking" : ""}`, "data-item": step.item_id },
    h("div", { class: "step-head" },
      modalityBadge(step.modality, modalityLabel(step.modality, t)),
      h("strong", { class: "step-title" }, title), " ", h("code", {}, step.item_id)),
    h("p", { class: "step-when" }, `${formatRange(step.start, step.end, lang)} · ${hours}`));
  if (step.session_id) li.append(sessionLine(step.session_id, sessions[step.session_id], ctx));
  if (step.deadline) {
    li.append(h("p", { class: "step-deadline" }, t("deadline", { date: formatDay(step.deadline, lang) })));
  }
  if (step.reason) {
    li.append(h("p", { class: "step-reason" }, h("span", { class: "label" }, t("reason")), " ", step.reason));
  }
  if (step.evidence && Object.keys(step.evidence).length) li.append(evidence(step.evidence, t));
  if (problems.length) {
    const line = (p) => h("li", { class: p.blocking ? "blocking" : "warning" },
      h("span", { class: "label" }, t(p.blocking ? "blocking" : "warning")), " ", p.message);
    li.append(h("ul", { class: "step-problems" }, ...problems.map(line)));
  }
  li.append(editControls(step, index, count, title, ctx));
  return li;
}

function sessionLine(id, session, ctx) {
  const { t, lang } = ctx;
  const parts = session
    ? [session.place, formatDateTime(session.start, lang),
      session.trainer && t("trainer", { name: session.trainer }),
      session.free_seats != null && t("freeSeats", { n: session.free_seats })].filter(Boolean)
    : [];
  return h("p", { class: "step-session" }, t("sessionLine", { id, where: parts.join(" · ") || "?" }));
}

function evidence(data, t) {
  const list = h("dl", {});
  for (const [key, value] of Object.entries(data)) {
    const text = typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
    list.append(h("dt", {}, key), h("dd", {}, text));
  }
  return h("details", { class: "evidence" }, h("summary", {}, t("evidence")), list);
}

/** Up, down, remove at once; swap and session through a small inline form with pickers. */
function editControls(step, index, count, title, ctx) {
  const { t } = ctx;
  const button = (text, label, onClick, disabled = false) => {
    const b = h("button", { type: "button", "aria-label": label }, text);
    b.disabled = disabled;
    b.addEventListener("click", onClick);
    return b;
  };
  const item = step.item_id;
  const move = (position) => () => ctx.edit({ op: "move", item_id: item, position });
  const group = h("div", { class: "step-edit", role: "group", "aria-label": t("editStep", { n: index + 1, title }) },
    button(t("moveUp"), t("moveUpLabel", { title }), move(index - 1), index === 0),
    button(t("moveDown"), t("moveDownLabel", { title }), move(index + 1), index === count - 1),
    button(t("remove"), t("removeLabel", { title }), () => ctx.edit({ op: "remove", item_id: item })));
  const swap = inlineForm(t("swapLabel", { title }), t, (form, id) => {
    form.append(...itemWithSession(ctx, `${id}-with`, "with", t("swapWith")));
  }, (v) => ctx.edit({
    op: "swap", item_id: item, with: v.with, ...(v.session_id ? { session_id: v.session_id } : {}),
  }));
  const session = inlineForm(t("sessionLabel", { title }), t, (form, id) => {
    const field = textField(`${id}-session_id`, "session_id", t("sessionId"), { required: "" });
    field.input.value = step.session_id ?? "";
    const picker = sessionPicker(ctx, {
      id: `${id}-sessions`, field: field.input, current: step.session_id, empty: t("chooseSession"),
    });
    form.append(...field.nodes, picker.root);
    return () => picker.load(item); // on opening: the seats free now
  }, (v) => ctx.edit({ op: "session", item_id: item, session_id: v.session_id }));
  group.append(swap.toggle(t("swap")), session.toggle(t("changeSession")));
  return h("div", {}, group, swap.form, session.form);
}

/**
 * An item picker, then an optional session id with the chosen item's sessions when it is held
 * in sessions (in person, virtual class). The item field is named `name`, the session id
 * field `session_id`.
 */
function itemWithSession(ctx, id, name, label) {
  const { t } = ctx;
  const session = textField(`${id}-session_id`, "session_id", t("sessionOptional"));
  const sessions = sessionPicker(ctx, { id: `${id}-sessions`, field: session.input, empty: t("firstOpenSession") });
  const picker = itemPicker(ctx, {
    id, name, label, required: true, inPath: ctx.inPath,
    onItem(item) {
      session.input.value = ""; // another item's session id would be refused
      if (item?.scheduled) sessions.load(item.id);
      else sessions.clear();
    },
  });
  return [picker.root, ...session.nodes, sessions.root];
}

/** A hidden form opened by a toggle button (aria-expanded); Escape or Cancel closes it.
 * `fill(form, id)` adds the fields and may return what to do each time the form opens. */
function inlineForm(label, t, fill, onSubmit) {
  const id = `edit-form-${++formIds}`;
  const form = h("form", { class: "inline-edit", id, "aria-label": label });
  form.hidden = true;
  const onOpen = fill(form, id) ?? (() => {});
  const cancel = h("button", { type: "button" }, t("cancel"));
  form.append(h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, t("save")), cancel));
  let toggle = null;
  const close = () => {
    form.hidden = true;
    toggle?.setAttribute("aria-expanded", "false");
    toggle?.focus();
  };
  cancel.addEventListener("click", close);
  form.addEventListener("keydown", (e) => {
    if (e.key === "Escape") close();
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    onSubmit(formValues(form));
  });
  return {
    form,
    toggle(text) {
      toggle = h("button", { type: "button", "aria-expanded": "false", "aria-controls": id, "aria-label": label }, text);
      toggle.addEventListener("click", () => {
        form.hidden = !form.hidden;
        toggle.setAttribute("aria-expanded", String(!form.hidden));
        if (form.hidden) return;
        form.querySelector("input").focus();
        onOpen();
      });
      return toggle;
    },
  };
}

/** A form's named fields, trimmed. */
function formValues(form) {
  return Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v).trim()]));
}

/** Add an item (searched or typed), at a position (1-based for people, 0-based for the API),
 * with a session. */
function addForm(count, ctx) {
  const { t } = ctx;
  const [item, ...session] = itemWithSession(ctx, "add-item_id", "item_id", t("itemSearch"));
  const position = textField("add-position", "position", t("position"), {
    type: "number", min: "1", max: String(count + 1),
  });
  const form = h("form", { class: "add-item", "aria-labelledby": "add-title" },
    h("h4", { id: "add-title" }, t("addTitle")),
    item, ...position.nodes, ...session,
    h("button", { type: "submit", class: "primary" }, t("addItem")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const v = formValues(form);
    const op = { op: "add", item_id: v.item_id };
    if (v.position) op.position = Number(v.position) - 1;
    if (v.session_id) op.session_id = v.session_id;
    ctx.edit(op);
  });
  return form;
}
