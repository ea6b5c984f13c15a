// The survey form: GET /v1/surveys/{id} draws the questions in the chosen language; the
// answer is sent with POST (first time) or PUT (an edit) until the survey closes. Data is
// written with textContent only. The token comes like the review page's (#token= or tab).
import { Api, ApiError, readToken, saveToken } from "./api.js";

const $ = (id) => document.getElementById(id);
const WORDS = {
  en: {
    send: "Send", update: "Save my changes", saved: "Thank you: your answer is saved.",
    updated: "Your changes are saved.", closes: (d) => `You can change your answer until ${d}.`,
    closed: (d) => `This survey closed on ${d}; your answer can no longer change.`,
    about: (t, who) => (who ? `About ${who}'s training: ${t}` : `About: ${t}`),
    required: "Please answer this question.", signin: "Sign in", token: "Your token",
    missing: "This survey does not exist or is not yours.", optional: "(optional)",
  },
  fr: {
    send: "Envoyer", update: "Enregistrer mes modifications",
    saved: "Merci : votre réponse est enregistrée.", updated: "Vos modifications sont enregistrées.",
    closes: (d) => `Vous pouvez modifier votre réponse jusqu'au ${d}.`,
    closed: (d) => `Ce questionnaire est clos depuis le ${d} ; votre réponse ne peut plus changer.`,
    about: (t, who) => (who ? `Formation de ${who} : ${t}` : `Formation : ${t}`),
    required: "Merci de répondre à cette question.", signin: "Se connecter", token: "Votre jeton",
    missing: "Ce questionnaire n'existe pas ou ne vous est pas destiné.", optional: "(facultatif)",
  },
};
const surveyId = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop());
let api = null;
let survey = null;
let lang = new URLSearchParams(location.search).get("lang");

const say = (key, ...args) => {
  const w = WORDS[lang] ?? WORDS.en;
  return typeof w[key] === "function" ? w[key](...args) : w[key];
};

function alertBox(text) {
  $("alert").textContent = text;
  $("alert").hidden = !text;
}

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function choice(type, name, value, label, checked, disabled) {
  const input = el("input", { type, name, value });
  input.checked = checked;
  input.disabled = disabled;
  const wrap = el("label");
  wrap.append(input, document.createTextNode(label));
  return wrap;
}

function question(q, given, locked) {
  const set = el("fieldset", { id: `q-${q.id}`, "data-question": q.id });
  const legend = el("legend", {}, q.text);
  if (!q.required) legend.append(document.createTextNode(` ${say("optional")}`));
  set.append(legend);
  if (q.type === "scale") {
    const row = el("div", { class: "scale" });
    for (let v = q.min; v <= q.max; v += 1) {
      row.append(choice("radio", q.id, v, `${v} · ${q.anchors[v]}`, given === v, locked));
    }
    set.append(row);
  } else if (q.type === "choice") {
    const box = el("div", { class: "options" });
    const picked = Array.isArray(given) ? given : [given];
    for (const o of q.options) {
      box.append(choice(q.multiple ? "checkbox" : "radio", q.id, o.id, o.text, picked.includes(o.id), locked));
    }
    set.append(box);
  } else {
    const area = el("textarea", { name: q.id, rows: 4, maxlength: q.max_chars, "aria-label": q.text });
    area.value = given ?? "";
    area.disabled = locked;
    set.append(area);
  }
  set.append(el("p", { class: "error", id: `err-${q.id}`, hidden: "" }));
  return set;
}

function values() {
  const out = {};
  for (const q of survey.form.questions) {
    const form = $("survey-form");
    if (q.type === "scale") {
      const on = form.querySelector(`input[name="${q.id}"]:checked`);
      if (on) out[q.id] = Number(on.value);
    } else if (q.type === "choice") {
      const on = [...form.querySelectorAll(`input[name="${q.id}"]:checked`)].map((i) => i.value);
      if (on.length) out[q.id] = q.multiple ? on : on[0];
    } else {
      const text = form.querySelector(`textarea[name="${q.id}"]`).value.trim();
      if (text) out[q.id] = text;
    }
  }
  return out;
}

function mark(qid, message) {
  const box = $(`err-${qid}`);
  if (!box) return;
  box.textContent = message;
  box.hidden = !message;
  $(`q-${qid}`).setAttribute("aria-invalid", message ? "true" : "false");
}

function draw() {
  document.documentElement.lang = lang;
  for (const b of document.querySelectorAll("[data-lang]")) b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
  $("heading").textContent = survey.form.title;
  document.title = `${survey.form.title} · blendcoach`;
  $("about").textContent = say("about", survey.item_title, survey.audience === "manager" ? survey.about : "");
  $("intro").textContent = survey.form.intro;
  const locked = !survey.open;
  $("questions").replaceChildren(...survey.form.questions.map((q) => question(q, survey.answer?.[q.id], locked)));
  $("closes").textContent = locked ? say("closed", survey.closes_on) : say("closes", survey.closes_on);
  $("submit").hidden = locked;
  $("submit").textContent = survey.answered ? say("update") : say("send");
  $("signin").hidden = true;
  $("app").hidden = false;
}

async function load() {
  const query = lang ? `?lang=${encodeURIComponent(lang)}` : "";
  survey = await api.request(`/v1/surveys/${encodeURIComponent(surveyId)}${query}`);
  lang = survey.language;
  draw();
}

async function submit(event) {
  event.preventDefault();
  alertBox("");
  $("status").textContent = "";
  const answers = values();
  let missing = false;
  for (const q of survey.form.questions) {
    const gap = q.required && answers[q.id] === undefined;
    mark(q.id, gap ? say("required") : "");
    missing ||= gap;
  }
  if (missing) return;
  const first = !survey.answered;
  try {
    survey = await api.request(`/v1/surveys/${encodeURIComponent(surveyId)}/answer`, {
      method: first ? "POST" : "PUT",
      body: { answers, language: lang },
    });
    draw();
    $("status").textContent = first ? say("saved") : say("updated");
  } catch (err) {
    if (err instanceof ApiError && err.status === 422 && typeof err.body?.detail === "string") {
      mark(err.body.detail.split(":")[0], err.body.detail);
    }
    alertBox(err instanceof ApiError ? err.reason : String(err));
  }
}

async function start(token) {
  api = new Api(token);
  try {
    await load();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      saveToken(null);
      showSignin();
    } else if (err instanceof ApiError && err.status === 404) {
      alertBox(say("missing"));
    } else {
      alertBox(err instanceof ApiError ? err.reason : String(err));
    }
  }
}

function showSignin() {
  $("signin-title").textContent = say("signin");
  $("signin-button").textContent = say("signin");
  $("token-label").textContent = say("token");
  $("signin").hidden = false;
  $("app").hidden = true;
}

$("signin-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const token = $("token").value.trim();
  saveToken(token);
  start(token);
});
$("survey-form").addEventListener("submit", submit);
for (const b of document.querySelectorAll("[data-lang]")) {
  b.addEventListener("click", () => {
    lang = b.dataset.lang;
    if (survey) load().catch((err) => alertBox(String(err)));
  });
}

const token = readToken();
if (token) start(token);
else showSignin();
