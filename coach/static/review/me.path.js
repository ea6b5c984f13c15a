// "My path": the learner's approved path week by week, each step with its modality, dates,
// where it stands (done, by the learner's completions and attendance; else by its dates),
// its session's logistics and why it is there. ?step=ITEM and
// ?session=SESSION (the nudges' links) highlight that step.
import { h } from "../widget/dom.js";
import {
  byWeek, formatDateTime, formatDay, formatHours, formatRange, modalityBadge, modalityLabel,
  parseDay, pathFigures,
} from "../widget/path.js";
import { highlight } from "./highlight.js";

/** Draw the path in `ctx.body` and highlight the linked step or session. */
export async function showPath(ctx) {
  const { api, t, lang, body, params } = ctx;
  let detail;
  try {
    detail = await api.request("/v1/me/path");
  } catch (err) {
    if (err.status !== 404) throw err;
    body.append(h("p", { class: "help" }, t("noPath")));
    return;
  }
  const steps = detail.path?.steps ?? [];
  const figures = pathFigures(steps);
  body.append(h("p", { class: "path-meta" }, t("pathVersion", { version: detail.version }), " · ",
    t("pathMeta", {
      n: figures.n, hours: formatHours(figures.hours, lang),
      start: formatDay(figures.start, lang), end: formatDay(figures.end, lang),
    })));
  const done = new Set(detail.done_items ?? []);
  for (const { monday, entries } of byWeek(steps)) {
    const id = `week-${monday}`;
    const list = h("ol", { class: "steps", start: String(entries[0].index + 1), "aria-labelledby": id });
    for (const { step } of entries) list.append(stepItem(step, detail.sessions ?? {}, done, ctx));
    body.append(h("section", { class: "week" }, h("h3", { id }, t("pathWeek", { date: formatDay(monday, lang) })), list));
  }
  const find = (key, value) => [...body.querySelectorAll(`[data-${key}]`)].find((n) => n.dataset[key] === value);
  const session = params.get("session");
  const item = params.get("step");
  if (session) {
    const node = find("session", session);
    if (node) highlight(node);
    else ctx.warn(t("sessionNotInPath", { id: session }));
  } else if (item) {
    const node = find("item", item);
    if (node) highlight(node);
    else ctx.warn(t("stepMissing", { id: item }));
  }
}

/** Done (completed or attended), else upcoming, in progress or past by the step's planned
 * dates (today, the learner's day). */
function when(step, done) {
  if (done.has(step.item_id)) return "done";
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  if (parseDay(step.start) > today) return "upcoming";
  return parseDay(step.end || step.start) < today ? "past" : "current";
}

function stepItem(step, sessions, done, ctx) {
  const { t, lang } = ctx;
  const state = when(step, done);
  const hours = t("pathHours", { hours: formatHours(step.hours, lang) });
  const li = h("li", { class: "step", "data-item": step.item_id },
    h("div", { class: "step-head" },
      modalityBadge(step.modality, modalityLabel(step.modality, t)),
      h("strong", { class: "step-title" }, step.title || step.item_id),
      h("span", { class: `badge when-${state}` }, t(`when:${state}`))),
    h("p", { class: "step-when" }, `${formatRange(step.start, step.end, lang)} · ${hours}`));
  if (step.session_id) {
    li.dataset.session = step.session_id;
    li.append(sessionBlock(step.session_id, sessions[step.session_id], ctx));
  }
  if (step.deadline) {
    li.append(h("p", { class: "step-deadline" }, t("pathDeadline", { date: formatDay(step.deadline, lang) })));
  }
  if (step.reason) {
    li.append(h("p", { class: "step-reason" }, h("span", { class: "label" }, t("reason")), " ", step.reason));
  }
  return li;
}

/** A session's logistics: when, where (a link for an online room), trainer, enrolment. */
function sessionBlock(id, session, ctx) {
  const { t, lang } = ctx;
  const box = h("div", { class: "step-session" }, h("p", { class: "label" }, t("sessionTitle", { id })));
  if (!session) {
    box.append(h("p", {}, t("sessionMissing")));
    return box;
  }
  box.append(h("p", {}, t("sessionWhen", { date: formatDateTime(session.start, lang) })));
  if (session.place) {
    const online = /^https:\/\//i.test(session.place);
    const place = online ? h("a", { href: session.place, rel: "noopener" }, session.place) : session.place;
    box.append(h("p", {}, t("sessionWhere", { place: "" }), place));
  }
  if (session.trainer) box.append(h("p", {}, t("sessionTrainer", { name: session.trainer })));
  if (session.enrol_by) box.append(h("p", {}, t("enrolBy", { date: formatDay(session.enrol_by, lang) })));
  box.append(h("p", {}, h("a", { class: "prepare", href: `/me/coach?prepare=${encodeURIComponent(id)}` }, t("prepareLink"))));
  return box;
}
