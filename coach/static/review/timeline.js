// The path under review as a timeline by week: each step with its modality, dates, hours,
// session, reason and problems, and the reviewer's edits (move, remove, swap, session, add).

import { h } from "../widget/dom.js";
import {
  byWeek, formatDateTime, formatDay, formatHours, formatRange, modalityBadge, modalityLabel,
} from "../widget/path.js";

let formIds = 0;

/**
 * The timeline section.
 * @param {object} detail the API's PathDetail
 * @param {object} ctx { t, lang, edit(op) }: edit sends one edit operation for this path
 */
export function timeline(detail, ctx) {
  const { t, lang } = ctx;
  const steps = detail.path?.steps ?? [];
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

/** Up, down, remove at once; swap and session through a small inline form. */
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
  const swap = inlineForm(t("swapLabel", { title }), [
    { name: "with", label: t("swapWith"), required: true },
    { name: "session_id", label: t("sessionOptional") },
  ], t, (v) => ctx.edit({
    op: "swap", item_id: item, with: v.with, ...(v.session_id ? { session_id: v.session_id } : {}),
  }));
  const session = inlineForm(t("sessionLabel", { title }), [
    { name: "session_id", label: t("sessionId"), required: true, value: step.session_id ?? "" },
  ], t, (v) => ctx.edit({ op: "session", item_id: item, session_id: v.session_id }));
  group.append(swap.toggle(t("swap")), session.toggle(t("changeSession")));
  return h("div", {}, group, swap.form, session.form);
}

/** A hidden form opened by a toggle button (aria-expanded); Escape or Cancel closes it. */
function inlineForm(label, fields, t, onSubmit) {
  const id = `edit-form-${++formIds}`;
  const form = h("form", { class: "inline-edit", id, "aria-label": label });
  form.hidden = true;
  const inputs = fields.map((f) => {
    const input = h("input", { type: "text", name: f.name, id: `${id}-${f.name}`, autocomplete: "off" });
    input.required = Boolean(f.required);
    input.value = f.value ?? "";
    form.append(h("label", { for: input.id }, f.label), input);
    return input;
  });
  const cancel = h("button", { type: "button" }, t("cancel"));
  form.append(h("button", { type: "submit", class: "primary" }, t("save")), cancel);
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
    onSubmit(Object.fromEntries(inputs.map((i) => [i.name, i.value.trim()])));
  });
  return {
    form,
    toggle(text) {
      toggle = h("button", { type: "button", "aria-expanded": "false", "aria-controls": id, "aria-label": label }, text);
      toggle.addEventListener("click", () => {
        form.hidden = !form.hidden;
        toggle.setAttribute("aria-expanded", String(!form.hidden));
        if (!form.hidden) inputs[0].focus();
      });
      return toggle;
    },
  };
}

/** Add an item by id, at a position (1-based for people, 0-based for the API), with a session. */
function addForm(count, ctx) {
  const { t } = ctx;
  const field = (name, label, attrs = {}) => {
    const input = h("input", { name, id: `add-${name}`, autocomplete: "off", ...attrs });
    return [h("label", { for: input.id }, label), input];
  };
  const form = h("form", { class: "add-item", "aria-labelledby": "add-title" },
    h("h4", { id: "add-title" }, t("addTitle")),
    ...field("item_id", t("item"), { type: "text", required: "" }),
    ...field("position", t("position"), { type: "number", min: "1", max: String(count + 1) }),
    ...field("session_id", t("sessionOptional"), { type: "text" }),
    h("button", { type: "submit", class: "primary" }, t("addItem")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const v = Object.fromEntries(new FormData(form));
    const op = { op: "add", item_id: String(v.item_id).trim() };
    if (v.position) op.position = Number(v.position) - 1;
    if (String(v.session_id).trim()) op.session_id = String(v.session_id).trim();
    ctx.edit(op);
  });
  return form;
}
