// The Insights page for L&D: uncovered topics, weak content and quiz items, from
// GET /v1/admin/insights/*; CSV exports fetched with the token. Text is set with
// textContent only; the chart is the server's SVG shown as an image.
import { Api, readToken, saveToken } from "./api.js";

const $ = (id) => document.getElementById(id);
const API = "/v1/admin/insights";

const STRINGS = {
  en: {
    title: "Insights", language: "Language", signIn: "Sign in", token: "Admin or reviewer token",
    topicsTitle: "What learners ask that the courses don't cover", refresh: "Refresh topics",
    csv: "Export CSV", colTopic: "Topic", colLearners: "Learners", colQuestions: "Questions",
    colLast: "Last asked", colExamples: "Example questions", colNearest: "Nearest module",
    topicsNote: "Topics asked by at least {n} different learners ({hidden} smaller ones hidden). Refreshed: {when}.",
    never: "never", noTopics: "No topic has enough learners yet.",
    contentTitle: "Under-used and disliked content", unusedModules: "Modules no answer used",
    colSection: "Section", colRetrieved: "Retrieved", colCited: "Cited", colDown: "Thumbs-down",
    colFlags: "Flags", contentNote: "Since {since}: {n} of {total} sections flagged.",
    noModules: "None.", itemsTitle: "Quiz items to review", colItem: "Item", colAttempts: "Attempts",
    colDifficulty: "Difficulty", colDiscrimination: "Discrimination",
    itemsNote: "Since {since}: {n} of {total} active items flagged.",
    refreshed: "{topics} topics found, {shown} shown.", notAllowed: "This page needs the admin or reviewer role.",
    signInAgain: "Sign in again.",
    "flag:unused": "unused", "flag:never_cited": "never cited", "flag:disliked": "disliked",
    "flag:too_easy": "too easy", "flag:too_hard": "too hard", "flag:low_discrimination": "low discrimination",
    "flag:negative_discrimination": "negative discrimination", "flag:unused_distractor": "unused distractor",
    "flag:key_beaten": "key beaten by a distractor",
  },
  fr: {
    title: "Analyses", language: "Langue", signIn: "Se connecter", token: "Jeton administrateur ou relecteur",
    topicsTitle: "Ce que les apprenants demandent et que les cours ne traitent pas",
    refresh: "Recalculer les sujets", csv: "Exporter en CSV", colTopic: "Sujet", colLearners: "Apprenants",
    colQuestions: "Questions", colLast: "Dernière question", colExamples: "Exemples de questions",
    colNearest: "Module le plus proche",
    topicsNote: "Sujets demandés par au moins {n} apprenants différents ({hidden} plus petits masqués). Mis à jour : {when}.",
    never: "jamais", noTopics: "Aucun sujet n'a encore assez d'apprenants.",
    contentTitle: "Contenus peu utilisés ou mal notés", unusedModules: "Modules qu'aucune réponse n'a utilisés",
    colSection: "Section", colRetrieved: "Retrouvée", colCited: "Citée", colDown: "Pouces baissés",
    colFlags: "Signalements", contentNote: "Depuis le {since} : {n} sections signalées sur {total}.",
    noModules: "Aucun.", itemsTitle: "Questions de quiz à revoir", colItem: "Question", colAttempts: "Réponses",
    colDifficulty: "Difficulté", colDiscrimination: "Discrimination",
    itemsNote: "Depuis le {since} : {n} questions actives signalées sur {total}.",
    refreshed: "{topics} sujets trouvés, {shown} affichés.", notAllowed: "Cette page est réservée aux administrateurs et relecteurs.",
    signInAgain: "Reconnectez-vous.",
    "flag:unused": "inutilisée", "flag:never_cited": "jamais citée", "flag:disliked": "mal notée",
    "flag:too_easy": "trop facile", "flag:too_hard": "trop difficile", "flag:low_discrimination": "discrimination faible",
    "flag:negative_discrimination": "discrimination négative", "flag:unused_distractor": "distracteur jamais choisi",
    "flag:key_beaten": "bonne réponse battue par un distracteur",
  },
};

let lang = (navigator.language || "en").startsWith("fr") ? "fr" : "en";
const t = (key, vars = {}) =>
  (STRINGS[lang][key] ?? STRINGS.en[key] ?? key).replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ""));
const day = (iso) => (iso ? new Date(iso).toLocaleDateString(lang) : t("never"));
const num = (x, digits = 2) => (x === null || x === undefined ? "—" : Number(x).toFixed(digits));

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function row(cells) {
  const tr = document.createElement("tr");
  for (const cell of cells) {
    const td = document.createElement("td");
    if (cell instanceof Node) td.append(cell);
    else td.textContent = String(cell);
    tr.append(td);
  }
  return tr;
}

function list(lines) {
  const ul = el("ul");
  for (const line of lines) ul.append(el("li", line));
  return ul;
}

const flags = (names, evidence = []) => list(names.map((f) => t(`flag:${f}`)).concat(evidence));

function translate() {
  document.documentElement.lang = lang;
  $("lang").value = lang;
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
}

function renderTopics(data) {
  $("topics-note").textContent = t("topicsNote", { n: data.min_learners, hidden: data.hidden, when: day(data.refreshed_at) });
  const figure = $("topics-chart");
  figure.replaceChildren();
  if (data.chart?.svg) {
    const bytes = new TextEncoder().encode(data.chart.svg);
    let binary = "";
    for (const b of bytes) binary += String.fromCharCode(b);
    figure.append(el("img", undefined, { src: `data:image/svg+xml;base64,${btoa(binary)}`, alt: data.chart.alt || "" }));
  }
  const body = $("topics").tBodies[0];
  body.replaceChildren(
    ...data.topics.map((topic) => {
      const name = el("span", topic.label);
      const phrases = el("span", topic.key_phrases.join(" · "), { class: "sub" });
      const cell = el("div");
      cell.append(name, phrases);
      return row([topic.rank, cell, topic.learners, topic.questions, day(topic.last_asked), list(topic.examples), topic.nearest?.title ?? "—"]);
    }),
  );
  if (!data.topics.length) body.append(row([t("noTopics"), "", "", "", "", "", ""]));
}

function renderContent(data) {
  $("content-note").textContent = t("contentNote", { since: day(data.period_start), n: data.sections.length, total: data.sections_total });
  $("modules").replaceChildren(...(data.unused_modules.length ? data.unused_modules.map((m) => el("li", `${m.course_id} › ${m.module_title}`)) : [el("li", t("noModules"))]));
  $("sections").tBodies[0].replaceChildren(
    ...data.sections.map((s) => row([`${s.course_id} › ${s.module_title} › ${s.section_title}`, s.retrieved, s.cited, `${s.down}/${s.rated}`, flags(s.flags, s.evidence)])),
  );
}

function renderItems(data) {
  $("items-note").textContent = t("itemsNote", { since: day(data.period_start), n: data.items.length, total: data.items_total });
  $("items").tBodies[0].replaceChildren(
    ...data.items.map((i) => row([i.stem, i.attempts, num(i.difficulty), num(i.discrimination), flags(i.flags, i.evidence)])),
  );
}

async function load() {
  translate();
  const token = readToken();
  $("alert").hidden = true;
  if (!token) {
    $("signin").hidden = false;
    $("app").hidden = true;
    return;
  }
  const api = new Api(token);
  try {
    const me = await api.me();
    $("who").textContent = me.display_name || me.external_id || "";
    $("refresh").hidden = me.role !== "admin";
    const [topics, content, items] = await Promise.all([
      api.request(`${API}/topics`),
      api.request(`${API}/weak-content`),
      api.request(`${API}/items`),
    ]);
    renderTopics(topics);
    renderContent(content);
    renderItems(items);
    $("signin").hidden = true;
    $("app").hidden = false;
  } catch (err) {
    $("alert").hidden = false;
    $("alert").textContent = err.status === 403 ? t("notAllowed") : err.status === 401 ? t("signInAgain") : err.reason ?? err.message;
    $("app").hidden = true;
    if (err.status === 401) {
      saveToken(null);
      $("signin").hidden = false;
    }
  }
}

async function download(kind) {
  const res = await fetch(`${API}/${kind}.csv`, { headers: { Authorization: `Bearer ${readToken()}` } });
  if (!res.ok) return;
  const link = el("a", undefined, { href: URL.createObjectURL(await res.blob()), download: `${kind}.csv` });
  document.body.append(link);
  link.click();
  link.remove();
}

$("signin-form").addEventListener("submit", (event) => {
  event.preventDefault();
  saveToken($("token").value.trim());
  load();
});
$("lang").addEventListener("change", () => {
  lang = $("lang").value;
  load();
});
$("refresh").addEventListener("click", async () => {
  const done = await new Api(readToken()).request(`${API}/refresh`, { method: "POST" });
  $("status").textContent = t("refreshed", done);
  load();
});
for (const button of document.querySelectorAll("[data-csv]")) {
  button.addEventListener("click", () => download(button.dataset.csv));
}
load();
