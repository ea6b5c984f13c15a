// "My path" in the widget: the learner's approved learning path, week by week. Also the week
// and modality helpers the review page (/review) draws its timeline with, so learners and
// reviewers see a path the same way.

import { h } from "./dom.js";

const SVG = (body) =>
  `<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">${body}</svg>`;

/** One icon per modality (decorative: a text label always goes with it). */
const MODALITY_ICONS = {
  "e-learning": SVG('<rect x="3" y="4" width="18" height="12" rx="1.5"/><path d="M8 20h8M12 16v4"/>'),
  "in-person": SVG('<circle cx="8" cy="8" r="3"/><circle cx="16.5" cy="9" r="2.5"/><path d="M2.5 20c.5-4 2.7-6 5.5-6s5 2 5.5 6M13.5 15c.8-.6 1.8-1 3-1 2.4 0 4 1.8 4.5 5"/>'),
  virtual: SVG('<rect x="2.5" y="6" width="13" height="12" rx="1.5"/><path d="M15.5 10.5 21.5 7v10l-6-3.5"/>'),
  coaching: SVG('<path d="M3 5h11v7H8l-3 3v-3H3z"/><path d="M17 9h4v7h-2v3l-3-3h-5v-2"/>'),
  "on-the-job": SVG('<rect x="3" y="8" width="18" height="11" rx="1.5"/><path d="M9 8V5.5h6V8M3 13h18"/>'),
  other: SVG('<circle cx="12" cy="12" r="8"/>'),
};

export const MODALITIES = Object.keys(MODALITY_ICONS).filter((m) => m !== "other");

/** The modality's icon and its label, e.g. [monitor] "E-learning". */
export function modalityBadge(modality, label) {
  const tpl = document.createElement("template");
  tpl.innerHTML = MODALITY_ICONS[modality] ?? MODALITY_ICONS.other; // constants only
  const known = modality in MODALITY_ICONS ? modality : "other";
  return h("span", { class: `modality modality-${known}` }, tpl.content.firstChild,
    h("span", { class: "modality-label" }, label));
}

/** The modality's name in the page's language (`t` looks up "modality:NAME"). */
export function modalityLabel(modality, t) {
  return MODALITIES.includes(modality) ? t(`modality:${modality}`) : String(modality || "");
}

/** A "YYYY-MM-DD" day as a local date (no time-zone shift). */
export function parseDay(iso) {
  const [y, m, d] = String(iso).slice(0, 10).split("-").map(Number);
  return new Date(y, m - 1, d);
}

function isoDay(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The Monday of the week a day falls in, as "YYYY-MM-DD". */
export function mondayOf(iso) {
  const day = parseDay(iso);
  day.setDate(day.getDate() - ((day.getDay() + 6) % 7));
  return isoDay(day);
}

/** Steps grouped by the Monday of their start, weeks in date order; each step keeps its
 * 0-based place in the path as `index`. */
export function byWeek(steps) {
  const weeks = new Map();
  steps.forEach((step, index) => {
    const monday = mondayOf(step.start);
    if (!weeks.has(monday)) weeks.set(monday, []);
    weeks.get(monday).push({ step, index });
  });
  return [...weeks.entries()].sort(([a], [b]) => a.localeCompare(b))
    .map(([monday, entries]) => ({ monday, entries }));
}

/** The browser's own locale when it speaks `lang` ("en-GB" writes 30 Nov, "en-US" Nov 30),
 * else `lang` itself. */
export function localeFor(lang) {
  const prefs = navigator.languages?.length ? navigator.languages : [navigator.language];
  return prefs.find((l) => l && l.slice(0, 2).toLowerCase() === lang) ?? lang;
}

/** "30 Nov 2026" in the page's language. */
export function formatDay(iso, lang) {
  if (!iso) return "";
  const opts = { day: "numeric", month: "short", year: "numeric" };
  return new Intl.DateTimeFormat(localeFor(lang), opts).format(parseDay(iso));
}

/** "3 Dec 2026, 09:00": a session's start, at the time written in the catalog. */
export function formatDateTime(iso, lang) {
  if (!iso) return "";
  const m = String(iso).match(/^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2}))?/);
  if (!m) return String(iso);
  const day = parseDay(m[1]);
  if (m[2]) day.setHours(Number(m[2]), Number(m[3]));
  const opts = { day: "numeric", month: "short", year: "numeric" };
  if (m[2]) Object.assign(opts, { hour: "2-digit", minute: "2-digit" });
  return new Intl.DateTimeFormat(localeFor(lang), opts).format(day);
}

/** "30 Nov – 2 Dec 2026", or one day when a step starts and ends the same day. */
export function formatRange(start, end, lang) {
  if (!end || end === start) return formatDay(start, lang);
  return new Intl.DateTimeFormat(localeFor(lang), { day: "numeric", month: "short", year: "numeric" })
    .formatRange(parseDay(start), parseDay(end));
}

/** Hours as the language writes them: "1.5" / "1,5". */
export function formatHours(hours, lang) {
  return new Intl.NumberFormat(localeFor(lang), { maximumFractionDigits: 2 }).format(hours);
}

/** Steps, hours and dates of the steps shown (the summary fields beside them may describe
 * another version, e.g. one still under review). */
export function pathFigures(steps) {
  const starts = steps.map((s) => s.start).filter(Boolean).sort();
  const ends = steps.map((s) => s.end || s.start).filter(Boolean).sort();
  return {
    n: steps.length,
    hours: Math.round(steps.reduce((sum, s) => sum + (s.hours || 0), 0) * 100) / 100,
    start: starts[0] ?? null,
    end: ends.at(-1) ?? null,
  };
}

// -- the widget's view ------------------------------------------------------------------------

export const PATH_STYLE = `
  header { flex-wrap: wrap; row-gap: .35rem; }
  header h2 { flex: 1 1 calc(100% - 3rem); }
  header .close { order: 1; }
  header .quiz-me, header .my-path, header .new { order: 2; font-size: .9em; }
  .path-view { flex: 1; overflow-y: auto; padding: .75rem .9rem; display: flex; flex-direction: column;
    gap: .6rem; }
  .path-top { display: flex; align-items: baseline; gap: .5rem; }
  .path-top h3 { flex: 1; margin: 0; font-size: 1rem; }
  .path-meta, .path-status { margin: 0; font-size: .85em; color: #4a5263; }
  .path-status:empty { display: none; }
  .path-week h4 { margin: .4rem 0 .3rem; font-size: .85rem; text-transform: uppercase;
    letter-spacing: .03em; color: #4a5263; }
  .path-steps { margin: 0; padding: 0 0 0 1.4rem; display: flex; flex-direction: column; gap: .5rem; }
  .path-step { padding: .45rem .6rem; border: 1px solid #dde1e8; border-radius: 8px; }
  .path-step p { margin: .15rem 0; font-size: .88em; }
  .path-step .step-title { display: block; font-weight: 600; }
  .step-reason { color: #4a5263; }
  .modality { display: inline-flex; align-items: center; gap: .3rem; font-size: .8em; color: var(--accent); }
  .modality svg { width: 1.1em; height: 1.1em; }`;

/**
 * The "My path" view, drawn in the chat panel in place of the conversation while open.
 * @param {HTMLElement} panel the widget's panel (the view goes after its header)
 * @param {object} ui { t(key, vars), lang(), request(path), showError(err, retry), hidden() }
 *   hidden() lists the panel parts the view stands in for.
 */
export class PathView {
  #ui;
  #el;
  #status;
  #body;
  #opener = null;

  constructor(panel, ui) {
    this.#ui = ui;
    const title = h("h3", { id: "path-title", tabindex: "-1" });
    const back = h("button", { class: "link path-back", type: "button" });
    back.addEventListener("click", () => this.close());
    this.#status = h("p", { class: "path-status", role: "status" });
    this.#body = h("div", { class: "path-body" });
    this.#el = h("section", { class: "path-view", id: "path-view", "aria-labelledby": "path-title" },
      h("div", { class: "path-top" }, title, back), this.#status, this.#body);
    this.#el.hidden = true;
    panel.querySelector("header").after(this.#el);
  }

  get isOpen() {
    return !this.#el.hidden;
  }

  /** Show the view and (re)load the learner's approved path. */
  async open(opener = null) {
    const { t } = this.#ui;
    this.#opener = opener;
    opener?.setAttribute("aria-expanded", "true");
    this.#el.querySelector("h3").textContent = t("pathTitle");
    this.#el.querySelector(".path-back").textContent = t("pathBack");
    for (const el of this.#ui.hidden()) el.hidden = true;
    this.#el.hidden = false;
    this.#el.querySelector("h3").focus();
    this.#body.replaceChildren();
    this.#status.textContent = t("loading");
    try {
      const res = await this.#ui.request("/v1/me/path");
      this.#draw(await res.json());
      this.#status.textContent = "";
    } catch (err) {
      if (err.status === 404) this.#status.textContent = t("pathEmpty");
      else {
        this.#status.textContent = "";
        this.#ui.showError(err, () => this.open(opener));
      }
    }
  }

  /** Back to the conversation; the focus returns to the button that opened the view. */
  close(refocus = true) {
    if (!this.isOpen) return;
    this.#el.hidden = true;
    for (const el of this.#ui.hidden()) el.hidden = false;
    this.#opener?.setAttribute("aria-expanded", "false");
    if (refocus) this.#opener?.focus();
    this.#opener = null;
  }

  #draw(detail) {
    const { t } = this.#ui;
    const lang = this.#ui.lang();
    const steps = detail.path?.steps || [];
    const figures = pathFigures(steps);
    const meta = h("p", { class: "path-meta" }, t("pathMeta", {
      n: figures.n,
      hours: formatHours(figures.hours, lang),
      start: formatDay(figures.start, lang),
      end: formatDay(figures.end, lang),
    }));
    const weeks = byWeek(steps).map(({ monday, entries }) => {
      const heading = h("h4", {}, t("pathWeek", { date: formatDay(monday, lang) }));
      const list = h("ol", { class: "path-steps", start: String(entries[0].index + 1) });
      for (const { step } of entries) list.append(this.#step(step, detail.sessions || {}, lang));
      return h("section", { class: "path-week" }, heading, list);
    });
    this.#body.replaceChildren(meta, ...weeks);
  }

  #step(step, sessions, lang) {
    const { t } = this.#ui;
    const when = `${formatRange(step.start, step.end, lang)} · ${t("pathHours", { hours: formatHours(step.hours, lang) })}`;
    const li = h("li", { class: "path-step" },
      modalityBadge(step.modality, modalityLabel(step.modality, t)),
      h("strong", { class: "step-title" }, step.title || step.item_id),
      h("p", { class: "step-when" }, when));
    const session = step.session_id && sessions[step.session_id];
    if (session) {
      const where = [session.place, formatDateTime(session.start, lang)].filter(Boolean).join(", ");
      li.append(h("p", { class: "step-session" }, t("pathSession", { session: where })));
    }
    if (step.deadline) {
      li.append(h("p", { class: "step-deadline" }, t("pathDeadline", { date: formatDay(step.deadline, lang) })));
    }
    if (step.reason) li.append(h("p", { class: "step-reason" }, step.reason));
    return li;
  }
}
