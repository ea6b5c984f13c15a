// Reviews due, mastery per skill, and the coach (the chat widget, in this page). ?skill=S
// highlights a skill; ?quiz=ID shows the questions of that quiz the learner missed and opens
// the coach with a message asking to go over them (what the quiz.help nudge promises);
// ?reviews=start opens the coach on a quiz that takes the due reviews first.
import { h } from "../widget/dom.js";
import { formatDay } from "../widget/path.js";
import { highlight } from "./highlight.js";

const pct = (p) => Math.round(100 * p);

/** The spaced reviews due now, and a way to start them with the coach. */
export async function showReviews(ctx) {
  const { api, t, lang, body } = ctx;
  const { items } = await api.request("/v1/me/reviews/due?limit=50");
  body.append(h("p", { class: "help" }, t("reviewsHelp")));
  if (!items.length) {
    body.append(h("p", {}, t("reviewsNone")));
    return;
  }
  body.append(
    h("p", {}, t("reviewsCount", { n: items.length })),
    h("ul", { class: "me-list reviews" }, ...items.map((r) => h("li", { "data-item": r.item.id },
      h("p", { class: "review-stem" }, r.item.stem),
      h("p", { class: "help" }, [r.item.citation?.module_title, t("reviewDue", { date: formatDay(r.due, lang) }),
        t("reviewTimes", { n: r.reviews })].filter(Boolean).join(" · "))))),
    h("p", {}, h("a", { class: "button primary", href: "/me/coach?reviews=start" }, t("startReviews"))),
  );
}

/** Mastery per skill, weakest first (as the API sorts it), with its likely range. */
export async function showSkills(ctx) {
  const { api, t, body, params } = ctx;
  const { skills } = await api.request("/v1/me/mastery");
  if (!skills.length) body.append(h("p", {}, t("skillsNone")));
  else {
    body.append(h("ul", { class: "me-list skills" }, ...skills.map((s) => {
      const meter = h("meter", { min: "0", max: "1", value: String(s.p_mastery), "aria-hidden": "true" });
      return h("li", { "data-skill": s.skill },
        h("strong", { class: "skill-name" }, s.skill), " ", meter,
        h("p", { class: "help" }, t("skillLine", {
          pct: pct(s.p_mastery), low: pct(s.low), high: pct(s.high), n: s.n_attempts,
        })));
    })));
  }
  const wanted = params.get("skill");
  if (!wanted) return;
  const node = [...body.querySelectorAll("[data-skill]")].find((n) => n.dataset.skill === wanted);
  if (node) highlight(node);
  else ctx.warn(t("skillMissing", { skill: wanted }));
}

/** The chat widget with the learner's token; opened on what the address asks for. */
export async function showCoach(ctx) {
  const { api, t, lang, body, params } = ctx;
  await import("../widget/chat.js"); // defines <blendcoach-chat>
  let chat = document.querySelector("blendcoach-chat");
  if (!chat) {
    chat = h("blendcoach-chat", { token: api.token });
    chat.addEventListener("blendcoach:session-expired", () => ctx.fail({ status: 401 }));
    document.body.append(chat);
  }
  chat.setAttribute("lang", lang);
  const open = h("button", { type: "button", class: "primary" }, t("openCoach"));
  open.addEventListener("click", () => chat.open());
  body.append(h("p", {}, t("coachHelp")), h("p", {}, open));
  const quiz = params.get("quiz");
  const prepare = params.get("prepare");
  if (quiz) await quizOffer(quiz, chat, ctx);
  else if (prepare) await prepareOffer(prepare, chat, ctx);
  else if (params.get("reviews") === "start") await chat.quiz({});
  else await chat.open();
}

/** ?prepare=SESSION: the coach opens with a request to prepare for that session of the
 * learner's approved path (what the session.d7 nudge points to); the title comes from the
 * path, never from the address. */
async function prepareOffer(sessionId, chat, ctx) {
  const { api, t } = ctx;
  let detail;
  try {
    detail = await api.request("/v1/me/path");
  } catch (err) {
    if (err.status !== 404) throw err;
    detail = null;
  }
  const step = (detail?.path?.steps ?? []).find((s) => s.session_id === sessionId);
  if (!step) {
    ctx.warn(t("sessionNotInPath", { id: sessionId }));
    await chat.open();
    return;
  }
  await chat.draft(t("prepareDraft", { title: step.title || step.item_id }));
}

/** What the quiz was on: its scope's skill, else the module most of its items cite. */
function quizTopic(quiz) {
  if (quiz.scope?.skill) return quiz.scope.skill;
  const counts = new Map();
  for (const item of quiz.items) {
    const name = item.citation?.module_title || item.citation?.course_title;
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "quiz";
}

async function quizOffer(id, chat, ctx) {
  const { api, t, body } = ctx;
  let quiz;
  try {
    quiz = await api.request(`/v1/quizzes/${encodeURIComponent(id)}`);
  } catch (err) {
    if (err.status !== 404 && err.status !== 403) throw err;
    ctx.warn(t("quizGone", { detail: err.reason }));
    await chat.open();
    return;
  }
  const topic = quizTopic(quiz);
  const answered = quiz.items.filter((i) => i.answered);
  const missed = answered.filter((i) => i.correct === false);
  const card = h("section", { class: "quiz-offer", "aria-labelledby": "quiz-offer-title", "data-quiz": quiz.id },
    h("h3", { id: "quiz-offer-title" }, t("quizTitle", { topic })),
    h("p", {}, t("quizScore", { right: answered.length - missed.length, total: answered.length })));
  body.prepend(card);
  if (!missed.length) {
    card.append(h("p", {}, t("quizAllRight")));
    highlight(card);
    await chat.open();
    return;
  }
  const message = [t("quizDraft", { topic }), ...missed.map((item, n) => `${n + 1}. ${item.stem}`)].join("\n");
  const again = h("button", { type: "button", class: "primary" }, t("quizGoOver"));
  again.addEventListener("click", () => chat.draft(message));
  card.append(h("p", {}, t("quizMissed")),
    h("ol", { class: "missed" }, ...missed.map((item) => h("li", { "data-item": item.id }, item.stem))),
    h("p", {}, again));
  highlight(card);
  await chat.draft(message); // the coach opens with the request written, for the learner to send
}
