// The learner's own page, /me/SECTION: their path, reviews, coach, skills, goals and
// notifications. The nudges' deep links land here (/me/path?step=ID, /me/coach?quiz=ID...):
// the page reads the address only once the learner is signed in, so a link opened before
// signing in still leads to its item. Data is written as text nodes only.
import { Api, readToken, saveToken } from "./api.js";
import { showGoals } from "./me.goals.js";
import { showCoach, showReviews, showSkills } from "./me.learning.js";
import { showNotifications } from "./me.notifications.js";
import { showPath } from "./me.path.js";
import { pickLang, translator } from "./me.strings.js";

const $ = (id) => document.getElementById(id);
const SECTIONS = {
  path: showPath, reviews: showReviews, coach: showCoach, skills: showSkills, goals: showGoals,
  notifications: showNotifications,
};
const LANG_KEY = "blendcoach:me-lang";

let api = null;
let me = null;
let lang = pickLang(...(navigator.languages ?? [navigator.language]));

/** The section the address names (/me alone: the path). */
function section() {
  const name = /^\/me(?:\/([^/]+))?\/?$/.exec(location.pathname)?.[1] ?? "path";
  return Object.hasOwn(SECTIONS, name) ? name : "path";
}

function say(text) {
  $("status").textContent = text;
}

function warn(text) {
  $("alert").hidden = !text;
  $("alert").textContent = text || "";
}

function translate() {
  const t = translator(lang);
  const name = section();
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  $("lang").value = lang;
  $("section-title").textContent = t(`section:${name}`);
  document.title = `${t(`section:${name}`)} · ${t("title")} · blendcoach`;
  for (const link of document.querySelectorAll("[data-section]")) {
    if (link.dataset.section === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  return t;
}

function signedOut(message = "") {
  saveToken(null);
  api = null;
  me = null;
  document.querySelector("blendcoach-chat")?.remove();
  for (const id of ["main", "sections", "signout"]) $(id).hidden = true;
  $("signin").hidden = false;
  $("who").textContent = "";
  translate();
  warn(message);
}

/** An API error as the learner reads it; a refused token asks them to sign in again. */
function fail(err) {
  const t = translator(lang);
  if (err.status === 401) signedOut(t("signInAgain"));
  else warn(err.status === 0 ? t("network") : (err.reason ?? err.message));
}

async function render() {
  const t = translate();
  const body = $("section-body");
  body.replaceChildren();
  body.setAttribute("aria-busy", "true");
  say(t("loading"));
  const ctx = {
    api, me, t, lang, body, say, warn, fail, params: new URLSearchParams(location.search),
  };
  try {
    await SECTIONS[section()](ctx);
    if ($("status").textContent === t("loading")) say("");
  } catch (err) {
    say("");
    fail(err);
  } finally {
    body.removeAttribute("aria-busy");
  }
}

async function load() {
  warn("");
  const token = readToken();
  if (!token) {
    signedOut();
    return;
  }
  api = new Api(token);
  try {
    me = await api.me();
  } catch (err) {
    fail(err);
    return;
  }
  let chosen = null;
  try {
    chosen = sessionStorage.getItem(LANG_KEY);
  } catch {
    /* storage disabled */
  }
  lang = pickLang(chosen, me.locale);
  $("who").textContent = me.display_name;
  $("signin").hidden = true;
  for (const id of ["main", "sections", "signout"]) $(id).hidden = false;
  await render();
}

$("signin-form").addEventListener("submit", (event) => {
  event.preventDefault();
  saveToken($("token").value.trim());
  $("token").value = "";
  load().then(() => {
    // the linked item has the focus already; else the section, for keyboard users
    if (!$("main").hidden && !document.querySelector(".highlight")) $("main").focus();
  });
});
$("signout").addEventListener("click", () => signedOut());
$("lang").addEventListener("change", () => {
  lang = $("lang").value;
  try {
    sessionStorage.setItem(LANG_KEY, lang);
  } catch {
    /* storage disabled */
  }
  if (api) render();
  else translate();
});
load();
