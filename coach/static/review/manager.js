// The manager page: the team (per person, or the team's figures only, as the organisation
// decided), one person, and the on-the-job application confirmations to give. Calls
// /v1/manager/*; data is written with textContent only. /manager/reports/ID opens that
// person (the skill.reached.manager nudge links there), /manager#confirm/ID that confirmation.
import { Api, readToken, saveToken } from "./api.js";
import { highlight } from "./highlight.js";
import { translatorOf } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const STRINGS = {
  en: {
    title: "My team", language: "Language", signInTitle: "Sign in", token: "Manager token",
    signIn: "Sign in", team: "Team", colName: "Name", colProgress: "Path progress",
    colNext: "Next deadline", colOverdue: "Overdue mandatory", pending: "Confirmations to give",
    pendingHelp: "Does the learner apply on the job what the step taught?",
    noPending: "Nothing to confirm.", path: "Approved path", overdue: "Overdue mandatory training",
    mastery: "Mastery per skill", goals: "Goals", answered: "Confirmations given",
    rulesIndividual: "Your organisation shows managers each person's detail.",
    rulesAggregates: "Your organisation shows managers team figures only, over at least {n} people.",
    noPath: "No approved path yet.", progress: "{done} of {steps} steps done ({pct} %)",
    nextStep: "Next: {title}, due {due}", late: "late", none: "None.",
    people: "People", withPath: "With an approved path", meanProgress: "Mean progress",
    lateSteps: "People with a late step", overduePeople: "People with overdue mandatory training",
    skillsHidden: "Skills not shown (fewer than {n} people)",
    learned: "{learner} · {skill} · learned through “{item}” on {date}",
    "level:1": "Does not apply it yet", "level:2": "Applies it with help",
    "level:3": "Applies it on their own", "level:4": "Applies it with ease and helps others",
    noOpportunity: "No opportunity yet", comment: "Comment (optional)", send: "Send",
    sent: "Thank you: your answer for {learner} ({skill}) is recorded.",
    chooseOne: "Choose a level or “No opportunity yet”.",
    notManager: "This page is for managers.", signInAgain: "Sign in again.",
    goalBy: "{label} · by {deadline} · {reason}", answer: "{skill}: {answer}",
    personRefused: "This person's detail can't be shown: {reason}.",
  },
  fr: {
    title: "Mon équipe", language: "Langue", signInTitle: "Connexion", token: "Jeton de manager",
    signIn: "Se connecter", team: "Équipe", colName: "Nom", colProgress: "Avancement du parcours",
    colNext: "Prochaine échéance", colOverdue: "Obligatoires en retard",
    pending: "Confirmations à donner",
    pendingHelp: "La personne applique-t-elle au travail ce que l'étape lui a appris ?",
    noPending: "Rien à confirmer.", path: "Parcours validé", overdue: "Formations obligatoires en retard",
    mastery: "Maîtrise par compétence", goals: "Objectifs", answered: "Confirmations données",
    rulesIndividual: "Votre organisation montre aux managers le détail de chaque personne.",
    rulesAggregates: "Votre organisation ne montre aux managers que des chiffres d'équipe, sur au moins {n} personnes.",
    noPath: "Pas encore de parcours validé.", progress: "{done} étapes sur {steps} faites ({pct} %)",
    nextStep: "Prochaine : {title}, pour le {due}", late: "en retard", none: "Aucune.",
    people: "Personnes", withPath: "Avec un parcours validé", meanProgress: "Avancement moyen",
    lateSteps: "Personnes avec une étape en retard",
    overduePeople: "Personnes en retard sur une formation obligatoire",
    skillsHidden: "Compétences non affichées (moins de {n} personnes)",
    learned: "{learner} · {skill} · appris avec « {item} » le {date}",
    "level:1": "Ne l'applique pas encore", "level:2": "L'applique avec de l'aide",
    "level:3": "L'applique en autonomie", "level:4": "L'applique avec aisance et aide les autres",
    noOpportunity: "Pas encore eu l'occasion", comment: "Commentaire (facultatif)", send: "Envoyer",
    sent: "Merci : votre réponse pour {learner} ({skill}) est enregistrée.",
    chooseOne: "Choisissez un niveau ou « Pas encore eu l'occasion ».",
    notManager: "Cette page est réservée aux managers.", signInAgain: "Reconnectez-vous.",
    goalBy: "{label} · pour le {deadline} · {reason}", answer: "{skill} : {answer}",
    personRefused: "Le détail de cette personne ne peut pas être affiché : {reason}.",
  },
};

let lang = "en";
let api = null;
const t = (key, vars = {}) => translatorOf(STRINGS, lang)(key, vars);

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

function translate() {
  document.documentElement.lang = lang;
  document.title = `${t("title")} · blendcoach`;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  $("lang").value = lang;
}

function fail(err) {
  $("alert").hidden = false;
  $("alert").textContent = err.status === 401 ? t("signInAgain") : err.reason ?? err.message;
  if (err.status === 401) {
    saveToken(null);
    $("signin").hidden = false;
    $("app").hidden = true;
  }
}

function progressText(path) {
  if (!path.approved) return t("noPath");
  const pct = Math.round(100 * path.progress);
  return t("progress", { done: path.done, steps: path.steps, pct });
}

function nextText(path) {
  const next = path.approved ? path.next_step : null;
  if (!next) return "–";
  return `${next.due}${next.late ? ` (${t("late")})` : ""}`;
}

function renderTeam(data) {
  const s = data.settings;
  $("rules").textContent =
    s.visibility === "individual" ? t("rulesIndividual") : t("rulesAggregates", { n: s.min_group_size });
  $("team-note").hidden = true;
  const table = $("people");
  const body = table.tBodies[0];
  body.replaceChildren();
  table.hidden = !data.people;
  $("aggregate").hidden = !data.aggregate;
  if (data.people) {
    for (const p of data.people) {
      const tr = el("tr");
      const name = el("td");
      const open = el("button", p.name, { type: "button", class: "link", "data-person": p.id });
      open.addEventListener("click", () => {
        history.replaceState(null, "", `/manager/reports/${encodeURIComponent(p.id)}`);
        showPerson(p.id);
      });
      name.append(open);
      tr.append(name, el("td", progressText(p.path)), el("td", nextText(p.path)),
        el("td", p.overdue_mandatory.length, { class: "num" }));
      body.append(tr);
    }
  }
  if (data.aggregate) {
    const a = data.aggregate;
    const rows = [
      [t("people"), a.people], [t("withPath"), a.with_approved_path],
      [t("meanProgress"), a.mean_progress == null ? "–" : `${Math.round(100 * a.mean_progress)} %`],
      [t("lateSteps"), a.late_steps], [t("overduePeople"), a.overdue_mandatory_people],
      ...a.mastery.map((m) => [`${m.skill} (${m.people})`, `${Math.round(100 * m.mean_p_mastery)} %`]),
      [t("skillsHidden", { n: s.min_group_size }), a.skills_hidden],
    ];
    $("aggregate").replaceChildren(...rows.flatMap(([k, v]) => [el("dt", k), el("dd", v)]));
  }
}

function list(id, items, text) {
  const ul = $(id);
  ul.replaceChildren(...(items.length ? items.map((x) => el("li", text(x))) : [el("li", t("none"))]));
}

async function showPerson(id) {
  try {
    const p = await api.request(`/v1/manager/reports/${encodeURIComponent(id)}`);
    $("person").hidden = false;
    $("person-title").textContent = p.name;
    $("person-meta").textContent = [p.team, p.role].filter(Boolean).join(" · ");
    const next = p.path.approved && p.path.next_step ? ` · ${t("nextStep", p.path.next_step)}` : "";
    $("person-path").textContent = progressText(p.path) + next;
    list("person-overdue", p.overdue_mandatory, (o) => `${o.title} (${o.due})`);
    list("person-mastery", p.mastery, (m) => `${m.skill}: ${Math.round(100 * m.p_mastery)} %`);
    list("person-goals", p.goals, (g) => t("goalBy", g));
    list("person-confirmations", p.confirmations.filter((c) => c.status !== "pending"), (c) =>
      t("answer", { skill: c.skill_label, answer: c.level ? t(`level:${c.level}`) : t("noOpportunity") }),
    );
    highlight($("person"));
  } catch (err) {
    if (err.status !== 403 && err.status !== 404) return fail(err);
    // another team's person, or per-person detail not allowed here: say so, keep the rest
    $("person").hidden = true;
    $("alert").hidden = false;
    $("alert").textContent = t("personRefused", { reason: err.reason });
  }
}

/** The person the address names (/manager/reports/ID), if any. */
function personInPath() {
  const id = /^\/manager\/reports\/([^/]+)\/?$/.exec(location.pathname)?.[1];
  return id ? decodeURIComponent(id) : null;
}

function confirmationForm(c) {
  const li = el("li", null, { id: `confirm-${c.id}`, "data-id": c.id });
  const form = el("form");
  const fieldset = el("fieldset");
  fieldset.append(el("legend", t("learned", {
    learner: c.learner.name, skill: c.skill_label, item: c.item_title, date: c.learned_on,
  })));
  const choices = [1, 2, 3, 4].map((n) => [String(n), t(`level:${n}`)]);
  choices.push(["none", t("noOpportunity")]);
  for (const [value, label] of choices) {
    const id = `c-${c.id}-${value}`;
    const input = el("input", null, { type: "radio", name: "answer", value, id });
    const lab = el("label", label, { for: id });
    fieldset.append(el("div", null, { class: "choice" }));
    fieldset.lastChild.append(input, lab);
  }
  const commentId = `c-${c.id}-comment`;
  fieldset.append(el("label", t("comment"), { for: commentId }),
    el("textarea", null, { id: commentId, name: "comment", rows: 2, maxlength: 2000 }));
  form.append(fieldset, el("button", t("send"), { type: "submit", class: "primary" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const choice = form.querySelector("input[name=answer]:checked");
    if (!choice) {
      $("alert").hidden = false;
      $("alert").textContent = t("chooseOne");
      return;
    }
    const body = { comment: form.elements.comment.value.trim() };
    if (choice.value === "none") body.no_opportunity = true;
    else body.level = Number(choice.value);
    try {
      await api.request(`/v1/manager/confirmations/${encodeURIComponent(c.id)}`, { method: "POST", body });
      $("alert").hidden = true;
      $("status").textContent = t("sent", { learner: c.learner.name, skill: c.skill_label });
      await loadPending();
    } catch (err) {
      fail(err);
    }
  });
  li.append(form);
  return li;
}

async function loadPending() {
  const data = await api.request("/v1/manager/confirmations");
  return showPending(data);
}

function showPending(data) {
  $("pending").replaceChildren(...data.pending.map(confirmationForm));
  $("no-pending").hidden = data.pending.length > 0;
  const wanted = /^#confirm\/(.+)$/.exec(location.hash)?.[1];
  const node = wanted && $(`confirm-${decodeURIComponent(wanted)}`);
  if (node) highlight(node);
}

async function loadTeam() {
  try {
    renderTeam(await api.request("/v1/manager/team"));
  } catch (err) {
    if (err.status !== 403) throw err;
    // aggregates over too small a team: say why, keep the rest of the page
    $("people").hidden = true;
    $("aggregate").hidden = true;
    $("team-note").hidden = false;
    $("team-note").textContent = err.reason;
  }
}

async function load() {
  const token = readToken();
  $("alert").hidden = true;
  if (!token) {
    $("signin").hidden = false;
    $("app").hidden = true;
    return;
  }
  api = new Api(token);
  try {
    const pending = await api.request("/v1/manager/confirmations"); // 403: not a manager
    lang = pending.me.locale in STRINGS ? pending.me.locale : "en";
    translate();
    $("who").textContent = pending.me.name;
    await loadTeam();
    $("signin").hidden = true;
    $("app").hidden = false;
    showPending(pending);
    const person = personInPath();
    if (person) await showPerson(person);
  } catch (err) {
    if (err.status === 403) {
      $("alert").hidden = false;
      $("alert").textContent = t("notManager");
      return;
    }
    fail(err);
  }
}

$("signin-form").addEventListener("submit", (event) => {
  event.preventDefault();
  saveToken($("token").value.trim());
  load();
});
$("lang").addEventListener("change", () => {
  lang = $("lang").value;
  translate();
  if (api && !$("app").hidden) {
    loadTeam().then(loadPending).catch(fail);
  }
});
load();
