// One path under review: who it is for, its problems, the decision form, the timeline, the
// diff against the approved (or previous) version and the audit trail.

import { h } from "../widget/dom.js";
import { formatDay, formatHours, localeFor, pathFigures } from "../widget/path.js";
import { timeline } from "./timeline.js";

export const NEEDS_COMMENT = new Set(["reject", "request_changes", "comment"]);

/** " (step 3)" after a problem's message, unless the message names its step already. */
export function stepNote(problem, t) {
  if (problem.step == null || /\bstep \d+/i.test(problem.message)) return "";
  return ` (${t("atStep", { n: problem.step + 1 })})`;
}

/**
 * The nodes of the detail view.
 * @param {object} detail the API's PathDetail
 * @param {object} ctx { t, lang, act(action, comment, textarea), edit(op), compare(version) }
 */
export function detailView(detail, ctx) {
  const { t, lang } = ctx;
  const learner = detail.learner ?? {};
  const meta = h("p", { class: "learner-meta" }, t("learnerMeta", {
    team: learner.team || "—", role: learner.role || "—", id: learner.id,
  }));
  const figures = pathFigures(detail.path?.steps ?? []);
  const pathMeta = h("p", { class: "path-meta" },
    h("span", { class: `badge status-${detail.status}` }, t(`status:${detail.status}`)), " ",
    t("pathMeta", {
      version: detail.shown_version ?? detail.version, revision: detail.revision, n: figures.n,
      hours: formatHours(figures.hours, lang), start: formatDay(figures.start, lang),
      end: formatDay(figures.end, lang),
    }), " · ",
    detail.approved_version ? t("approvedVersion", { version: detail.approved_version }) : t("noApproved"));
  return [meta, pathMeta, problemsView(detail, t), decisionView(detail, ctx), timeline(detail, ctx),
    diffView(detail, ctx), historyView(detail, ctx)];
}

function problemsView(detail, t) {
  const problems = [...(detail.problems ?? [])].sort((a, b) => Number(b.blocking) - Number(a.blocking));
  const warnings = detail.path?.warnings ?? [];
  const section = h("section", { class: "problems", "aria-labelledby": "problems-title" },
    h("h3", { id: "problems-title" }, t("problemsTitle")));
  if (!problems.length && !warnings.length) {
    section.append(h("p", { class: "ok" }, t("noProblems")));
    return section;
  }
  const list = h("ul", {});
  for (const p of problems) {
    const where = stepNote(p, t);
    list.append(h("li", { class: p.blocking ? "blocking" : "warning" },
      h("span", { class: "label" }, t(p.blocking ? "blocking" : "warning")), " ", p.message + where));
  }
  for (const w of warnings) {
    list.append(h("li", { class: "warning" }, h("span", { class: "label" }, t("warning")), " ", w.message));
  }
  section.append(list);
  return section;
}

function decisionView(detail, ctx) {
  const { t } = ctx;
  const comment = h("textarea", { id: "comment", rows: "3", maxlength: "4000", "aria-describedby": "comment-help" });
  const button = (action, label, cls = "") => {
    const b = h("button", { type: "button", class: cls, "data-action": action }, t(label));
    b.addEventListener("click", () => ctx.act(action, comment.value.trim(), comment));
    return b;
  };
  const actions = h("div", { class: "actions" },
    button("approve", "approve", "primary"), button("request_changes", "requestChanges"),
    button("reject", "reject", "danger"), button("comment", "addComment"));
  if (detail.status === "draft" || detail.status === "changes_requested") actions.append(button("submit", "submit"));
  comment.addEventListener("input", () => comment.removeAttribute("aria-invalid"));
  return h("section", { class: "decision", "aria-labelledby": "decision-title" },
    h("h3", { id: "decision-title" }, t("decision")),
    h("label", { for: "comment" }, t("comment")), comment,
    h("p", { id: "comment-help", class: "help" }, t("commentHelp")), actions);
}

function diffView(detail, ctx) {
  const { t } = ctx;
  const section = h("section", { class: "diff", "aria-labelledby": "diff-title" },
    h("h3", { id: "diff-title" }, t("diffTitle")));
  const shown = detail.shown_version ?? detail.version;
  if (shown > 1) {
    const select = h("select", { id: "against" });
    for (let v = shown - 1; v >= 1; v -= 1) {
      const option = h("option", { value: String(v) }, String(v));
      if (detail.diff?.against === v) option.selected = true;
      select.append(option);
    }
    select.addEventListener("change", () => ctx.compare(Number(select.value)));
    section.append(h("p", { class: "compare" }, h("label", { for: "against" }, t("diffAgainst")), " ", select));
  }
  const diff = detail.diff;
  if (!diff) {
    section.append(h("p", { class: "help" }, t("noDiff")));
    return section;
  }
  const list = h("ul", { class: "changes" });
  for (const c of diff.changes ?? []) {
    list.append(h("li", { class: `change change-${c.kind}` },
      h("span", { class: "badge" }, t(`change:${c.kind}`)), " ", changeText(c, t, ctx.lang)));
  }
  const note = (kind, text) => h("li", { class: `change change-${kind}` }, text);
  for (const w of diff.warnings_added ?? []) list.append(note("added", t("warningsAdded", { text: w })));
  for (const w of diff.warnings_removed ?? []) list.append(note("removed", t("warningsRemoved", { text: w })));
  section.append(list.children.length ? list : h("p", { class: "help" }, t("noChanges")));
  return section;
}

function historyView(detail, ctx) {
  const { t, lang } = ctx;
  const section = h("section", { class: "history", "aria-labelledby": "history-title" },
    h("h3", { id: "history-title" }, t("history")));
  const entries = detail.history ?? [];
  if (!entries.length) {
    section.append(h("p", { class: "help" }, t("noHistory")));
    return section;
  }
  const when = new Intl.DateTimeFormat(localeFor(lang), { dateStyle: "medium", timeStyle: "short" });
  const list = h("ol", { class: "audit" });
  for (const e of entries) {
    const at = e.at ? when.format(new Date(e.at)) : "";
    const li = h("li", {}, h("p", {}, t("historyLine", {
      version: e.version, revision: e.revision, action: t(`action:${e.action}`), actor: e.actor || "—", at,
    })));
    if (e.from_status !== e.to_status && e.to_status) {
      const from = e.from_status ? t(`status:${e.from_status}`) : "—";
      li.append(h("p", { class: "help" }, t("statusChange", { from, to: t(`status:${e.to_status}`) })));
    }
    if (e.comment) li.append(h("blockquote", {}, e.comment));
    const changes = (e.changes ?? []).map((c) => (typeof c === "string" ? c
      : `${t(`change:${c.kind}`)}: ${changeText(c, t, lang)}`));
    if (changes.length) li.append(h("ul", { class: "audit-changes" }, ...changes.map((c) => h("li", {}, c))));
    list.append(li);
  }
  section.append(list);
  return section;
}

/** A change in the page's language from its before/after (positions count from 1); the
 * server's English text when they are missing. */
function changeText(c, t, lang) {
  const title = c.title || c.item_id;
  const [before, after] = [c.before, c.after];
  const day = (side) => formatDay(side.start, lang);
  let text = null;
  if (c.kind === "added" && after) text = t("chAdded", { title, n: after.position, date: day(after) });
  else if (c.kind === "removed" && before) text = t("chRemoved", { title, n: before.position, date: day(before) });
  else if (c.kind === "moved" && before && after) {
    text = t("chMoved", { title, from: before.position, to: after.position });
  } else if (c.kind === "rescheduled" && before && after) {
    text = t("chRescheduled", { title, from: day(before), to: day(after) });
  }
  if (text && before && after && before.session_id !== after.session_id) {
    text += ` · ${t("chSession", { from: before.session_id || "—", to: after.session_id || "—" })}`;
  }
  return text ?? c.text ?? title;
}
