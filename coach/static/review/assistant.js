// The admin assistant page: ask in a chat (streamed, with the JSON route as a fallback), see
// each answer by its kind (figures with their filters, table and chart; cited how-tos;
// actions to confirm or decline; questions back; refusals), and the audit of actions.
// Text from the server is set with textContent only; a chart is shown as an <img> of its SVG,
// which cannot run scripts or load anything.

import { h, inlineText } from "../widget/dom.js";
import { readEvents } from "../widget/sse.js";
import { Api, ApiError, readToken, saveToken } from "./api.js";
import { pickLang } from "./i18n.js";

const STRINGS = {
  en: {
    pageTitle: "Admin assistant · blendcoach", title: "Admin assistant", skip: "Skip to the question box",
    adminPages: "Admin pages", guardPage: "Runtime guard", signOut: "Sign out", signInTitle: "Sign in",
    token: "Admin token", tokenHelp: "An admin's bearer token. It is kept in this browser tab only.",
    signIn: "Sign in", kpiTitle: "Key figures", chatTitle: "Ask the assistant",
    welcome: "Ask how to do something in the LMS, what the training data says, or to enrol, remind or mark attendance: nothing changes until you confirm.",
    question: "Your question", send: "Send", actionsTitle: "Actions",
    actionsHelp: "What the assistant proposed and what was done, newest first.", refresh: "Refresh",
    "kpi:engagement": "Engagement by team this month", "kpi:overdue": "Overdue mandatory training",
    "kpi:backlog": "Paths awaiting review",
    you: "You:", assistant: "Assistant:", writing: "Writing…", filters: "Filters:", noFilters: "none",
    "filter:team": "team", "filter:manager": "manager's team", "filter:role": "role",
    "filter:learners": "learners", "filter:item_id": "course", "filter:session_id": "session",
    "filter:skill": "skill", "filter:period": "period", "filter:today": "as of",
    "filter:group_by": "by", "filter:status": "status", noRows: "No row to show.", sources: "Sources",
    confirm: "Confirm", decline: "Decline", expires: "Nothing changes until you confirm; the proposal expires {at}.",
    "status:proposed": "proposed", "status:executed": "executed", "status:declined": "declined",
    "status:expired": "expired", "did:executed": "Done.", "did:declined": "Nothing was changed.",
    notDone: "Not done: {detail}", noAction: "This action no longer exists.", options: "Choose one",
    noActions: "No action yet.", "kind:enrol": "enrolment", "kind:remind": "reminder",
    "kind:mark_attendance": "attendance", "kind:cancel_session": "session cancelled",
    notAdmin: "This page needs the admin role.", signInAgain: "This token was refused. Sign in again.",
    network: "Cannot reach the server. Check your connection, then retry.",
    failed: "Something went wrong: {detail}", cutOff: "The answer was cut off. Ask again.",
    dashTitle: "Dashboard", dashGroup: "Indicators per", dashShow: "Show", "group:team": "team",
    "group:role": "role", "group:course": "course", dashPeriod: "From {start} to {end}.",
    definitions: "What each column counts",
  },
  fr: {
    pageTitle: "Assistant d'administration · blendcoach", title: "Assistant d'administration",
    skip: "Aller à la zone de question", adminPages: "Pages d'administration", guardPage: "Garde-fou",
    signOut: "Se déconnecter", signInTitle: "Connexion", token: "Jeton administrateur",
    tokenHelp: "Le jeton d'un administrateur. Il n'est gardé que dans cet onglet.", signIn: "Se connecter",
    kpiTitle: "Indicateurs clés", chatTitle: "Poser une question",
    welcome: "Demandez comment faire dans le LMS, ce que disent les données de formation, ou d'inscrire, relancer, émarger : rien ne change tant que vous n'avez pas confirmé.",
    question: "Votre question", send: "Envoyer", actionsTitle: "Actions",
    actionsHelp: "Ce que l'assistant a proposé et ce qui a été fait, du plus récent au plus ancien.",
    refresh: "Actualiser", "kpi:engagement": "Engagement par équipe ce mois-ci",
    "kpi:overdue": "Formations obligatoires en retard", "kpi:backlog": "Parcours en attente de validation",
    you: "Vous :", assistant: "Assistant :", writing: "Rédaction…", filters: "Filtres :", noFilters: "aucun",
    "filter:team": "équipe", "filter:manager": "équipe de", "filter:role": "poste",
    "filter:learners": "apprenants", "filter:item_id": "formation", "filter:session_id": "session",
    "filter:skill": "compétence", "filter:period": "période", "filter:today": "au",
    "filter:group_by": "par", "filter:status": "statut", noRows: "Aucune ligne.", sources: "Sources",
    confirm: "Confirmer", decline: "Refuser",
    expires: "Rien ne change tant que vous n'avez pas confirmé ; la proposition expire le {at}.",
    "status:proposed": "proposée", "status:executed": "exécutée", "status:declined": "refusée",
    "status:expired": "expirée", "did:executed": "C'est fait.", "did:declined": "Rien n'a changé.",
    notDone: "Non exécutée : {detail}", noAction: "Cette action n'existe plus.", options: "Choisissez",
    noActions: "Aucune action pour l'instant.", "kind:enrol": "inscription", "kind:remind": "relance",
    "kind:mark_attendance": "émargement", "kind:cancel_session": "session annulée",
    notAdmin: "Cette page est réservée aux administrateurs.",
    signInAgain: "Ce jeton a été refusé. Reconnectez-vous.",
    network: "Impossible de joindre le serveur. Vérifiez votre connexion, puis réessayez.",
    failed: "Une erreur est survenue : {detail}", cutOff: "La réponse a été interrompue. Reposez la question.",
    dashTitle: "Tableau de bord", dashGroup: "Indicateurs par", dashShow: "Afficher", "group:team": "équipe",
    "group:role": "poste", "group:course": "formation", dashPeriod: "Du {start} au {end}.",
    definitions: "Ce que compte chaque colonne",
  },
};
const KPIS = ["engagement", "overdue", "backlog"];

const $ = (id) => document.getElementById(id);
const state = { lang: "en", api: null, busy: false, n: 0 };

function t(key, vars = {}) {
  const text = STRINGS[state.lang]?.[key] ?? STRINGS.en[key] ?? key.slice(key.indexOf(":") + 1);
  return text.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ""));
}

function when(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString(state.lang, { dateStyle: "medium", timeStyle: "short" });
}

function setLang(lang) {
  state.lang = lang;
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  for (const el of document.querySelectorAll("[data-t-label]")) el.setAttribute("aria-label", t(el.dataset.tLabel));
  $("kpis").replaceChildren(
    ...KPIS.map((k) => {
      const button = h("button", { type: "button", "data-kpi": k }, t(`kpi:${k}`));
      button.addEventListener("click", () => ask(t(`kpi:${k}`)));
      return button;
    }),
  );
}

// -- asking ---------------------------------------------------------------------------------

async function errorOf(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    /* no JSON body */
  }
  return new ApiError(res.status, body?.detail ?? (res.statusText || `HTTP ${res.status}`), body);
}

/** The answer through the SSE route, `onDelta` called with the text as it comes; null when
 * the stream cannot be used (then the JSON route answers). A stream that broke after the
 * server answered is not re-asked: the question may have proposed an action already. */
async function askStreaming(question, onDelta) {
  let res;
  try {
    res = await fetch("/v1/admin/ask/stream", {
      method: "POST",
      headers: { Authorization: `Bearer ${state.api.token}`, "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify({ question }),
    });
  } catch {
    return null;
  }
  if (res.status === 404 || res.status === 405 || res.status >= 500) return null;
  if (!res.ok) throw await errorOf(res);
  if (!res.body || !(res.headers.get("content-type") ?? "").startsWith("text/event-stream")) return null;
  try {
    for await (const { event, data } of readEvents(res.body)) {
      if (event === "delta") onDelta(String(data));
      else if (event === "answer") return data;
    }
  } catch {
    /* cut off below */
  }
  throw new ApiError(0, t("cutOff"));
}

async function ask(question) {
  question = question.trim();
  if (!question || state.busy) return;
  setBusy(true);
  const log = $("log");
  const exchange = h("div", { class: "exchange" },
    h("p", { class: "msg-user" }, h("span", { class: "sr-only" }, t("you")), " ", question));
  const writing = h("p", { class: "writing" }, t("writing"));
  exchange.append(writing);
  log.append(exchange);
  log.setAttribute("aria-busy", "true");
  let streamed = "";
  try {
    const answer =
      (await askStreaming(question, (text) => {
        streamed += text;
        writing.textContent = streamed;
      })) ?? (await state.api.request("/v1/admin/ask", { method: "POST", body: { question } }));
    writing.replaceWith(answerView(answer));
    if (answer.kind === "action") refreshAudit();
  } catch (err) {
    writing.replaceWith(h("p", { class: "notice error" }, messageOf(err)));
    if (err instanceof ApiError && err.status === 401) signOut(t("signInAgain"));
  } finally {
    log.removeAttribute("aria-busy");
    setBusy(false);
    exchange.scrollIntoView({ block: "nearest" });
  }
}

function setBusy(busy) {
  state.busy = busy;
  $("send").disabled = busy;
  for (const b of $("kpis").querySelectorAll("button")) b.disabled = busy;
}

function messageOf(err) {
  if (!(err instanceof ApiError)) return t("failed", { detail: String(err?.message ?? err) });
  if (err.status === 0) return err.message === "network" ? t("network") : err.message;
  if (err.status === 403) return t("notAdmin");
  if (err.status === 401) return t("signInAgain");
  return t("failed", { detail: err.reason });
}

// -- answers by kind ------------------------------------------------------------------------

function answerView(a) {
  const box = h("div", { class: `msg-bot answer-${a.kind}`, lang: a.language || state.lang },
    h("span", { class: "sr-only" }, t("assistant")));
  if (a.kind === "data" && a.data) box.append(...dataView(a.data));
  else if (a.kind === "howto") box.append(...howtoView(a));
  else if (a.kind === "action" && a.action) box.append(...actionView(a));
  else if (a.kind === "clarify") box.append(...clarifyView(a));
  else if (a.kind === "refuse") box.append(h("p", { class: "notice" }, a.text));
  else box.append(h("p", {}, a.text));
  return box;
}

function filterValue(value) {
  if (Array.isArray(value)) return value.map(String).join(" – ");
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function dataView(d) {
  const filters = Object.entries(d.filters ?? {})
    .map(([k, v]) => `${t(`filter:${k}`)}: ${filterValue(v)}`)
    .join(" · ");
  const nodes = [
    h("h3", {}, d.title),
    h("p", { class: "summary" }, d.summary),
    h("p", { class: "data-filters" }, h("span", { class: "label" }, t("filters")), " ", filters || t("noFilters")),
  ];
  if (d.chart?.svg) nodes.push(chartView(d.chart));
  nodes.push(tableView(d.table, d.title));
  return nodes;
}

/** The server's SVG as an image: an <img> runs no script and fetches nothing. */
function chartView(chart) {
  const bytes = new TextEncoder().encode(chart.svg);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const img = h("img", { src: `data:image/svg+xml;base64,${btoa(binary)}`, alt: chart.alt || "" });
  return h("figure", { class: "chart" }, img);
}

function tableView(table, caption) {
  const columns = table?.columns ?? [];
  const rows = table?.rows ?? [];
  if (!rows.length) return h("p", { class: "help" }, t("noRows"));
  const head = h("tr", {}, ...columns.map((c) => h("th", { scope: "col" }, String(c))));
  const body = rows.map((r) =>
    h("tr", {}, ...r.map((cell) => h("td", typeof cell === "number" ? { class: "num" } : {}, cell == null ? "" : String(cell)))),
  );
  return h("div", { class: "table-wrap" },
    h("table", {}, h("caption", { class: "sr-only" }, caption), h("thead", {}, head), h("tbody", {}, ...body)));
}

function howtoView(a) {
  const prefix = `cite-${++state.n}`;
  const text = h("p", {});
  let last = 0;
  for (const m of a.text.matchAll(/\[(\d+)\]/g)) {
    text.append(...inlineText(a.text.slice(last, m.index)));
    text.append(h("a", { class: "cite", href: `#${prefix}-${m[1]}` }, m[0]));
    last = m.index + m[0].length;
  }
  text.append(...inlineText(a.text.slice(last)));
  const list = h("ol", { class: "citations" },
    ...(a.citations ?? []).map((c) =>
      h("li", { id: `${prefix}-${c.n}`, value: String(c.n) },
        h("span", { class: "label" }, `${c.title} › ${c.section}`), " ", h("code", {}, c.source),
        ...(c.snippet ? [h("span", { class: "sub" }, ...inlineText(c.snippet))] : [])),
    ));
  return a.citations?.length ? [text, h("h4", {}, t("sources")), list] : [text];
}

function actionView(a) {
  const action = a.action;
  const result = h("p", { class: "action-result" });
  const confirm = h("button", { type: "button", class: "primary" }, t("confirm"));
  const decline = h("button", { type: "button" }, t("decline"));
  const decide = async (verb) => {
    confirm.disabled = decline.disabled = true;
    try {
      const done = await state.api.request(`/v1/admin/actions/${encodeURIComponent(action.id)}/${verb}`, { method: "POST" });
      result.replaceChildren(badge(done.status), " ", t(`did:${done.status}`), ...resultDetail(done.result));
      $("status").textContent = `${t(`status:${done.status}`)}: ${action.summary}`;
    } catch (err) {
      if (!(err instanceof ApiError) || err.status === 0) confirm.disabled = decline.disabled = false; // may retry
      const text = err.status === 409 ? t("notDone", { detail: err.reason }) : err.status === 404 ? t("noAction") : messageOf(err);
      result.replaceChildren(h("span", { class: "notice" }, text));
      $("status").textContent = text;
      if (err.status === 401) signOut(t("signInAgain"));
    }
    refreshAudit();
  };
  confirm.addEventListener("click", () => decide("confirm"));
  decline.addEventListener("click", () => decide("decline"));
  return [
    h("p", {}, a.text),
    h("p", { class: "help" }, t("expires", { at: when(action.expires_at) })),
    h("div", { class: "buttons" }, confirm, decline),
    result,
  ];
}

function resultDetail(result) {
  if (!result || typeof result !== "object") return [];
  const parts = Object.entries(result).map(([k, v]) => `${k}: ${filterValue(v)}`);
  return parts.length ? [h("span", { class: "sub" }, parts.join(" · "))] : [];
}

function clarifyView(a) {
  const buttons = (a.options ?? []).map((o) => {
    const b = h("button", { type: "button" }, o.label);
    b.addEventListener("click", () => ask(o.question));
    return b;
  });
  const nodes = [h("p", {}, a.text)];
  if (buttons.length) nodes.push(h("div", { class: "buttons", role: "group", "aria-label": t("options") }, ...buttons));
  return nodes;
}

// -- the audit ------------------------------------------------------------------------------

function badge(status) {
  return h("span", { class: `badge status-${status}` }, t(`status:${status}`));
}

function drawAudit(rows) {
  const list = $("audit");
  if (!rows.length) return list.replaceChildren(h("li", { class: "help" }, t("noActions")));
  list.replaceChildren(
    ...rows.map((r) =>
      h("li", { "data-action": r.id, "data-status": r.status },
        badge(r.status), " ", r.summary,
        h("span", { class: "sub" }, `${t(`kind:${r.kind}`)} · ${when(r.decided_at ?? r.created_at)}`))),
  );
}

async function refreshAudit() {
  if (!state.api) return;
  try {
    drawAudit(await state.api.request("/v1/admin/actions?limit=50"));
  } catch (err) {
    $("status").textContent = messageOf(err);
  }
}

// -- signing in -----------------------------------------------------------------------------

function signOut(message = "") {
  saveToken(null);
  state.api = null;
  $("app").hidden = true;
  $("sign-out").hidden = true;
  $("signin").hidden = false;
  $("who").textContent = "";
  if (message) showAlert(message);
}

function showAlert(text) {
  $("alert").textContent = text;
  $("alert").hidden = false;
}

/** The KPI dashboard: indicators per team, role or course, their charts and definitions. */
async function drawDashboard() {
  const box = $("dashboard");
  try {
    const group = encodeURIComponent($("dash-group").value);
    const d = await state.api.request(`/v1/admin/kpis?group_by=${group}`);
    const defs = Object.entries(d.definitions ?? {}).map(([k, v]) => h("li", {}, h("b", {}, k), `: ${v}`));
    box.replaceChildren(
      h("p", { class: "help" }, t("dashPeriod", { start: d.period[0], end: d.period[1] })),
      h("div", { class: "charts" }, ...(d.charts ?? []).map(chartView)),
      tableView(d.table, t("dashTitle")),
      h("details", {}, h("summary", {}, t("definitions")), h("ul", {}, ...defs)),
    );
  } catch (err) {
    box.replaceChildren(h("p", { class: "notice" }, messageOf(err)));
  }
}

async function load() {
  $("alert").hidden = true;
  const token = readToken();
  if (!token) return signOut();
  state.api = new Api(token);
  try {
    const me = await state.api.me();
    setLang(pickLang(me.locale, navigator.language));
    $("who").textContent = me.display_name || me.external_id || "";
    drawAudit(await state.api.request("/v1/admin/actions?limit=50"));
    $("signin").hidden = true;
    $("sign-out").hidden = false;
    $("app").hidden = false;
    drawDashboard();
  } catch (err) {
    showAlert(messageOf(err));
    if (err instanceof ApiError && err.status === 401) signOut(t("signInAgain"));
  }
}

setLang(pickLang(navigator.language));
$("signin-form").addEventListener("submit", (event) => {
  event.preventDefault();
  saveToken($("token").value.trim());
  $("token").value = "";
  load();
});
$("ask-form").addEventListener("submit", (event) => {
  event.preventDefault();
  if (state.busy) return;
  const question = $("question").value;
  $("question").value = "";
  ask(question);
});
$("refresh-actions").addEventListener("click", refreshAudit);
$("dash-form").addEventListener("submit", (event) => {
  event.preventDefault();
  drawDashboard();
});
$("sign-out").addEventListener("click", () => signOut());
load();
