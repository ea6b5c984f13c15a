// Goals: the goals the learner's manager proposed, each with its comments and a form to
// comment (POST /v1/goals/ID/comments; a refusal is shown with its reason), then exactly what
// the manager can see of the learner (GET /v1/me/manager-view).
import { h } from "../widget/dom.js";
import { formatDay } from "../widget/path.js";

const pct = (p) => Math.round(100 * p);

export async function showGoals(ctx) {
  const { api, t, body } = ctx;
  const [{ goals }, view] = await Promise.all([
    api.request("/v1/me/goals"), api.request("/v1/me/manager-view"),
  ]);
  const list = h("ul", { class: "me-list goals" });
  const replace = (goal) => {
    const old = [...list.children].find((li) => li.dataset.goal === goal.id);
    const fresh = goalItem(goal, ctx, replace);
    if (old) old.replaceWith(fresh);
    return fresh;
  };
  list.append(...goals.map((g) => goalItem(g, ctx, replace)));
  body.append(h("h3", { id: "goals-title" }, t("goalsTitle")),
    goals.length ? list : h("p", {}, t("goalsNone")),
    managerView(view, ctx));
}

function goalItem(goal, ctx, replace) {
  const { api, t, lang } = ctx;
  const title = goal.label || goal.target_role || goal.id;
  const li = h("li", { "data-goal": goal.id, class: "goal" },
    h("h4", { class: "goal-title" }, title),
    h("p", { class: "help" }, t("goalMeta", {
      deadline: formatDay(goal.deadline, lang), who: goal.proposed_by ?? "–", status: t(`goalStatus:${goal.status}`),
    })),
    h("p", {}, h("span", { class: "label" }, t("goalReason")), " ", goal.reason));
  if (goal.skills?.length) {
    const skills = goal.skills.map((s) => t("goalLevel", { skill: s.skill, level: s.level })).join(", ");
    li.append(h("p", {}, t("goalSkills", { skills })));
  }
  if (goal.target_role) li.append(h("p", {}, t("goalRole", { role: goal.target_role })));
  const comments = goal.comments.length
    ? h("ul", { class: "comments" }, ...goal.comments.map((c) => h("li", {},
      h("span", { class: "help" }, t("commentBy", { author: c.author, date: formatDay(c.at, lang) })), " ", c.text)))
    : h("p", { class: "help" }, t("noComments"));
  const id = `comment-${goal.id}`;
  const text = h("textarea", { id, name: "text", rows: "2", maxlength: "2000" });
  const form = h("form", { class: "comment-form" },
    h("label", { for: id }, t("commentLabel", { goal: title })), text,
    h("button", { type: "submit", class: "primary" }, t("commentSend")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = text.value.trim();
    if (!value) {
      text.setAttribute("aria-invalid", "true");
      ctx.warn(t("commentEmpty"));
      text.focus();
      return;
    }
    try {
      const res = await api.request(`/v1/goals/${encodeURIComponent(goal.id)}/comments`, {
        method: "POST", body: { text: value },
      });
      ctx.warn("");
      ctx.say(t("commentSent"));
      replace(res.goal).querySelector("textarea").focus();
    } catch (err) {
      if (err.status === 401 || err.status === 0) ctx.fail(err);
      else ctx.warn(t("commentFailed", { reason: err.reason }));
      text.focus(); // what was typed stays
    }
  });
  li.append(h("h5", { class: "sr-only" }, t("comments")), comments, form);
  return li;
}

/** What the learner's manager(s) can see of them, under which rules. */
function managerView(view, ctx) {
  const { t } = ctx;
  const box = h("section", { class: "manager-view", "aria-labelledby": "manager-view-title" },
    h("h3", { id: "manager-view-title" }, t("managerViewTitle")),
    h("p", { class: "sees", "data-sees": view.sees }, t(`sees:${view.sees}`, { n: view.settings.min_group_size })));
  if (view.managers.length) {
    box.append(h("p", {}, t("managers", { names: view.managers.map((m) => m.name).join(", ") })));
  }
  const d = view.detail;
  if (d) {
    const path = d.path.approved
      ? t("mvProgress", { done: d.path.done, steps: d.path.steps, pct: pct(d.path.progress) })
      : t("mvNoPath");
    const overdue = d.overdue_mandatory.map((o) => `${o.title} (${o.due})`).join(", ") || t("none");
    const mastery = d.mastery.map((m) => `${m.skill} ${pct(m.p_mastery)} %`).join(", ") || t("none");
    box.append(h("ul", { class: "me-list seen" },
      h("li", {}, path), h("li", {}, t("mvOverdue", { list: overdue })),
      h("li", {}, t("mvMastery", { list: mastery })), h("li", {}, t("mvGoals", { n: view.goals.length }))));
  }
  if (view.confirmations.length) {
    box.append(h("h4", {}, t("mvConfirmations")), h("ul", { class: "me-list confirmations" },
      ...view.confirmations.map((c) => h("li", {}, t("mvConfirmation", {
        skill: c.skill_label, item: c.item_title, status: t(`request:${c.status}`),
      })))));
  }
  return box;
}
