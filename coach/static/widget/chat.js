// The <blendcoach-chat> element: launcher, chat panel, streamed answers with citation chips,
// the cited passage, feedback, and errors. Loaded by ../widget.js (see there for embedding).

import { STYLE, TEMPLATE, h, icon, inlineText } from "./dom.js";
import { showHandoff } from "./handoff.js";
import { STRINGS, pickLang } from "./i18n.js";
import { PATH_STYLE, PathView } from "./path.js";
import { isQuizRequest, runQuiz } from "./quiz.js";
import { readEvents } from "./sse.js";

// The API is served by the same app as this file unless the element says otherwise.
const DEFAULT_API = new URL(import.meta.url).origin;

// A constructed sheet, not a <style> element: host pages with a strict CSP need not allow
// inline styles.
const SHEET = new CSSStyleSheet();
SHEET.replaceSync(STYLE);
const PATH_SHEET = new CSSStyleSheet();
PATH_SHEET.replaceSync(PATH_STYLE);

class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

/** The chat widget; attributes: token, api (default: this file's origin), course, lang. */
export class BlendcoachChat extends HTMLElement {
  static observedAttributes = ["token", "lang"];

  #root = null;
  #lang = "en";
  #me = null;
  #ready = null; // the /v1/me request, settled before history is drawn
  #history = null; // drawing the stored conversation, once, when first opened
  #busy = false;
  #controller = null;
  #passageOpener = null;
  #openItem = null; // {quiz_id, item_id} of a quiz item waiting for its answer
  #path = null; // the "My path" view

  connectedCallback() {
    if (this.#root) return;
    this.#root = this.attachShadow({ mode: "open" });
    this.#root.adoptedStyleSheets = [SHEET, PATH_SHEET];
    this.#root.innerHTML = TEMPLATE;
    const $ = (sel) => this.#q(sel);
    $(".quiz-me").after(h("button", {
      class: "my-path", type: "button", "data-t": "myPath", "aria-expanded": "false", "aria-controls": "path-view",
    }));
    this.#path = new PathView($(".panel"), {
      t: (key, vars) => this.#t(key, vars),
      lang: () => this.#lang,
      request: (path) => this.#request(path),
      showError: (err, retry) => this.#showError(err, retry),
      hidden: () => [$(".log"), $("form.ask"), $(".hint")],
    });
    this.#applyLang();
    $(".launcher").addEventListener("click", () => (this.isOpen ? this.close() : this.open()));
    $(".close").addEventListener("click", () => this.close());
    $(".new").addEventListener("click", () => this.#newConversation());
    $(".quiz-me").addEventListener("click", () => this.#startQuiz({}));
    $(".my-path").addEventListener("click", () => this.#path.open($(".my-path")));
    $(".close-passage").addEventListener("click", () => this.#closePassage());
    $("form.ask").addEventListener("submit", (e) => {
      e.preventDefault();
      this.#send($("#input").value);
    });
    $("#input").addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.#send(e.target.value);
      }
    });
    $(".panel").addEventListener("keydown", (e) => {
      if (e.key !== "Escape") return;
      e.preventDefault();
      if (!$(".passage").hidden) this.#closePassage();
      else if (this.#path.isOpen) this.#path.close();
      else this.close();
    });
    this.#ready = this.#loadMe();
  }

  attributeChangedCallback(name) {
    if (!this.#root) return;
    if (name === "lang") this.#applyLang();
    if (name === "token") {
      this.#hideError();
      this.#ready = this.#loadMe();
    }
  }

  #q(selector) {
    return this.#root.querySelector(selector);
  }

  get isOpen() {
    return !this.#q(".panel").hidden;
  }

  /** Show the chat panel and put the cursor in the question box. */
  async open() {
    this.#q(".panel").hidden = false;
    this.#q(".launcher").setAttribute("aria-expanded", "true");
    this.#q("#input").focus();
    this.#history ??= this.#ready.then(() => this.#loadHistory());
    await this.#history;
  }

  /** Open the panel with `text` in the question box, for the learner to send or change. */
  async draft(text) {
    await this.open();
    const input = this.#q("#input");
    input.value = text;
    input.focus();
  }

  /** Open the panel and run a quiz; no scope: adaptive, the learner's due reviews first. */
  async quiz(scope = {}) {
    await this.open();
    await this.#startQuiz(scope);
  }

  /** Hide the panel and give the focus back to the launcher. */
  close() {
    this.#closePassage(false);
    this.#path.close(false);
    this.#q(".panel").hidden = true;
    this.#q(".launcher").setAttribute("aria-expanded", "false");
    this.#q(".launcher").focus();
  }

  // -- settings and strings ---------------------------------------------------------------

  get #api() {
    return (this.getAttribute("api") || DEFAULT_API).replace(/\/+$/, "");
  }

  get #storageKey() {
    return `blendcoach:conversation:${this.#api}:${this.getAttribute("course") || ""}`;
  }

  get #conversationId() {
    try {
      return sessionStorage.getItem(this.#storageKey);
    } catch {
      return null; // storage disabled: the conversation lasts as long as the page
    }
  }

  set #conversationId(id) {
    try {
      if (id) sessionStorage.setItem(this.#storageKey, id);
      else sessionStorage.removeItem(this.#storageKey);
    } catch {
      /* storage disabled */
    }
  }

  #t(key, vars = {}) {
    const text = STRINGS[this.#lang][key] ?? STRINGS.en[key];
    return text.replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? "");
  }

  #applyLang() {
    const nav = navigator.languages?.length ? navigator.languages : [navigator.language];
    this.#lang = pickLang(this.getAttribute("lang"), this.#me?.locale, ...nav);
    this.#q(".panel").setAttribute("lang", this.#lang);
    for (const el of this.#root.querySelectorAll("[data-t]")) el.textContent = this.#t(el.dataset.t);
    for (const el of this.#root.querySelectorAll("[data-t-label]")) {
      el.setAttribute("aria-label", this.#t(el.dataset.tLabel));
    }
    for (const el of this.#root.querySelectorAll("[data-t-placeholder]")) {
      el.setAttribute("placeholder", this.#t(el.dataset.tPlaceholder));
    }
    const name = this.#me?.display_name;
    this.#q(".welcome").textContent = this.#t("welcome", { name: name ? ` ${name}` : "" });
  }

  // -- requests ---------------------------------------------------------------------------

  async #request(path, { method = "GET", body, signal } = {}) {
    const headers = { Authorization: `Bearer ${this.getAttribute("token") || ""}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let res;
    try {
      res = await fetch(this.#api + path, {
        method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      if (err.name === "AbortError") throw err;
      throw new ApiError(0, "network");
    }
    if (!res.ok) {
      let detail = res.statusText || `HTTP ${res.status}`;
      try {
        detail = (await res.json()).detail ?? detail;
      } catch {
        /* not JSON */
      }
      if (res.status === 401) this.#expired();
      throw new ApiError(res.status, typeof detail === "string" ? detail : JSON.stringify(detail));
    }
    return res;
  }

  #expired() {
    const event = new CustomEvent("blendcoach:session-expired", { bubbles: true, composed: true });
    this.dispatchEvent(event);
  }

  async #loadMe() {
    try {
      this.#me = await (await this.#request("/v1/me")).json();
      this.#applyLang();
    } catch (err) {
      if (err.status === 401) this.#showError(err);
    }
  }

  async #loadHistory() {
    const id = this.#conversationId;
    if (!id) return;
    try {
      const res = await this.#request(`/v1/conversations/${encodeURIComponent(id)}`);
      const conversation = await res.json();
      for (const m of conversation.messages) {
        if (m.role === "user") this.#addUserMessage(m.content);
        else if (m.role === "assistant") this.#addAnswer(m);
      }
    } catch (err) {
      if (err.status === 404 || err.status === 403) this.#conversationId = null;
      else this.#showError(err);
    }
  }

  // -- sending a question and streaming the answer ------------------------------------------

  async #send(raw) {
    const text = raw.trim();
    if (!text || this.#busy) return;
    if (isQuizRequest(text)) {
      this.#q("#input").value = "";
      this.#addUserMessage(text);
      await this.#startQuiz({});
      return;
    }
    this.#busy = true;
    await this.#history; // earlier messages first
    this.#hideError();
    const input = this.#q("#input");
    const send = this.#q(".send");
    send.disabled = true;
    input.value = "";
    const question = this.#addUserMessage(text);
    const answer = this.#addAnswer({ content: "" }, true);
    const log = this.#q(".log");
    log.setAttribute("aria-busy", "true"); // screen readers read the answer once, when complete
    this.#controller = new AbortController();
    try {
      const res = await this.#request("/v1/chat/stream", {
        method: "POST",
        signal: this.#controller.signal,
        body: {
          message: text,
          conversation_id: this.#conversationId,
          course_id: this.getAttribute("course") || null,
          ...(this.#openItem || {}),
        },
      });
      let finished = false;
      let asked = null; // the learner's stored message: a hand-off offer hangs from it
      for await (const { event, data } of readEvents(res.body)) {
        if (event === "meta") {
          this.#conversationId = data.conversation_id;
          asked = data.user_message_id;
        } else if (event === "token") answer.append(data.text);
        else if (event === "citations") answer.cite(data.citations);
        else if (event === "done") {
          this.#conversationId = data.conversation_id;
          answer.finish(data);
          finished = true;
        } else if (event === "error") throw new ApiError(500, data.detail);
      }
      if (!finished) throw new ApiError(0, "network");
      if (asked) {
        const ui = {
          append: (el) => this.#append(el),
          request: (path, opts) => this.#request(path, opts),
          lang: () => this.#lang,
        };
        showHandoff(asked, ui).catch(() => {}); // the answer stands without the offer
      }
    } catch (err) {
      question.remove();
      answer.el.remove();
      if (err.name === "AbortError") return;
      if (!input.value.trim()) input.value = raw; // never lose what the learner typed
      this.#showError(err, () => this.#send(input.value));
    } finally {
      log.removeAttribute("aria-busy");
      send.disabled = false;
      this.#busy = false;
      this.#controller = null;
    }
  }

  // -- quizzes ------------------------------------------------------------------------------

  /** Ask for a quiz (on the page's course, or the conversation's topic) and run it. */
  async #startQuiz(scope) {
    if (this.#busy) return;
    this.#busy = true;
    this.#hideError();
    this.#path.close(false); // the quiz is drawn in the conversation
    await this.#history;
    try {
      const body = { n: 3, course_id: this.getAttribute("course") || null, ...scope };
      const res = await this.#request("/v1/quizzes", { method: "POST", body });
      runQuiz(await res.json(), {
        append: (el) => this.#append(el),
        follow: (fn) => this.#follow(fn),
        t: (key, vars) => this.#t(key, vars),
        request: (path, opts) => this.#request(path, opts),
        openPassage: (c, el) => this.#openPassage(c, el),
        label: (c) => this.#label(c),
        showError: (err) => this.#showError(err),
        onItem: (open) => (this.#openItem = open),
      });
    } catch (err) {
      this.#showError(err, () => this.#startQuiz(scope));
    } finally {
      this.#busy = false;
    }
  }

  #newConversation() {
    this.#controller?.abort();
    this.#openItem = null;
    this.#conversationId = null;
    this.#closePassage(false);
    this.#path.close(false);
    this.#hideError();
    for (const m of this.#root.querySelectorAll(".msg")) m.remove();
    this.#q("#input").focus();
  }

  // -- messages -----------------------------------------------------------------------------

  /** Apply a change to the log, keeping it scrolled to the end if it was there. */
  #follow(change) {
    const log = this.#q(".log");
    const atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    change(log);
    if (atEnd) log.scrollTop = log.scrollHeight;
  }

  #append(el) {
    this.#follow((log) => log.append(el));
    return el;
  }

  #addUserMessage(text) {
    const who = h("span", { class: "sr-only" }, this.#t("you"));
    return this.#append(h("div", { class: "msg user" }, who, h("p", { class: "text" }, text)));
  }

  /** An assistant message: streamed text, citation chips, the "not covered" note, feedback. */
  #addAnswer(message, streaming = false) {
    const body = h("p", { class: "text" });
    const who = h("span", { class: "sr-only" }, this.#t("coach"));
    const el = this.#append(h("div", { class: "msg assistant" }, who, body));
    let text = message.content || "";
    let citations = message.citations || [];
    const render = () => {
      body.replaceChildren();
      const byN = new Map(citations.map((c) => [c.n, c]));
      let last = 0;
      for (const m of text.matchAll(/\[(\d+)\]/g)) {
        const c = byN.get(Number(m[1]));
        if (!c) continue;
        body.append(...inlineText(text.slice(last, m.index)), this.#chip(c));
        last = m.index + m[0].length;
      }
      body.append(...inlineText(text.slice(last)));
    };
    const view = {
      el,
      append: (delta) => {
        text += delta;
        body.classList.remove("writing");
        // Plain text while streaming: chips are drawn once the citations arrive.
        this.#follow(() => (body.textContent = text));
      },
      cite: (list) => {
        citations = list || [];
        this.#follow(() => {
          render();
          if (citations.length) el.append(this.#sources(citations));
        });
      },
      finish: (done) => {
        this.#follow(() => {
          if (!done.covered && done.suggestion) el.append(this.#suggestion(done.suggestion));
          if (done.message_id) el.append(this.#feedback(done.message_id, null));
          if (done.covered && done.conversation_id) el.append(this.#check(done.conversation_id));
        });
      },
    };
    if (streaming) {
      body.classList.add("writing");
      body.textContent = this.#t("writing");
    } else {
      view.cite(citations);
      if (message.id) el.append(this.#feedback(message.id, message.feedback));
    }
    return view;
  }

  /** After a covered answer the coach offers a check on what was just discussed. */
  #check(conversationId) {
    const button = h("button", { class: "link check", type: "button" }, this.#t("check"));
    button.addEventListener("click", () => {
      button.remove();
      this.#startQuiz({ conversation_id: conversationId, course_id: null });
    });
    return button;
  }

  #label(c) {
    const parts = [c.course_title, c.module_title, c.section_title];
    return c.breadcrumb || parts.filter(Boolean).join(" › ");
  }

  #chip(c) {
    const label = this.#t("source", { n: c.n, label: this.#label(c) });
    const attrs = { class: "chip", type: "button", "aria-expanded": "false", "aria-label": label };
    const chip = h("button", attrs, String(c.n));
    chip.addEventListener("click", () => this.#openPassage(c, chip));
    return chip;
  }

  #sources(citations) {
    const list = h("ol", { class: "sources", "aria-label": this.#t("sources") });
    for (const c of citations) {
      const link = h("button", { class: "link", type: "button" }, this.#label(c));
      link.addEventListener("click", () => this.#openPassage(c, link));
      list.append(h("li", {}, `[${c.n}]`, link));
    }
    return list;
  }

  /** A "not covered" answer points to the closest module, when there is one. */
  #suggestion(s) {
    const label = [s.course_title, s.module_title].filter(Boolean).join(" › ") || this.#label(s);
    const target = s.chunk_id
      ? h("button", { class: "link suggested", type: "button" }, label)
      : h("strong", { class: "suggested" }, label);
    if (s.chunk_id) target.addEventListener("click", () => this.#openPassage(s, target));
    return h("p", { class: "note" }, `${this.#t("suggestion")} `, target);
  }

  // -- feedback -----------------------------------------------------------------------------

  /** Thumbs up/down and an optional comment; each change is saved (the latest wins). */
  #feedback(messageId, current) {
    const box = h("div", { class: "feedback", role: "group", "aria-label": this.#t("rate") });
    const status = h("span", { class: "saved", role: "status" });
    const comment = h("textarea", { rows: "2" }, current?.comment || "");
    const form = h(
      "form", { class: "comment" },
      h("label", {}, this.#t("comment"), comment),
      h("button", { type: "submit" }, this.#t("sendComment")),
    );
    let rating = current?.rating ?? 0;
    let saves = 0;
    const thumbs = [1, -1].map((value) => {
      const kind = value > 0 ? "up" : "down";
      const attrs = { class: `thumb ${kind}`, type: "button", "aria-label": this.#t(kind) };
      const thumb = h("button", attrs, icon("up"));
      thumb.addEventListener("click", () => save(value));
      return thumb;
    });
    const show = () => {
      thumbs[0].setAttribute("aria-pressed", String(rating === 1));
      thumbs[1].setAttribute("aria-pressed", String(rating === -1));
      form.hidden = rating === 0;
    };
    const save = async (value) => {
      rating = value;
      show();
      status.textContent = "";
      const attempt = ++saves;
      let message;
      try {
        await this.#request(`/v1/messages/${encodeURIComponent(messageId)}/feedback`, {
          method: "POST",
          body: { rating, comment: comment.value.trim() || null },
        });
        message = this.#t("saved");
      } catch (err) {
        message = this.#t(err.status === 401 ? "expired" : "feedbackFailed");
      }
      if (attempt === saves) status.textContent = message; // an older answer says nothing
    };
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      save(rating);
    });
    show();
    box.append(...thumbs, status, form);
    return box;
  }

  // -- the cited passage --------------------------------------------------------------------

  async #openPassage(citation, opener) {
    const panel = this.#q(".passage");
    const [title, text] = [panel.querySelector("h3"), panel.querySelector("p")];
    this.#passageOpener?.setAttribute("aria-expanded", "false");
    this.#passageOpener = opener;
    if (opener.classList.contains("chip")) opener.setAttribute("aria-expanded", "true");
    title.textContent = this.#label(citation);
    text.textContent = this.#t("loading");
    panel.hidden = false;
    title.focus();
    try {
      const res = await this.#request(`/v1/chunks/${encodeURIComponent(citation.chunk_id)}`);
      const chunk = await res.json();
      if (this.#passageOpener !== opener) return; // another passage was opened meanwhile
      title.textContent = this.#label(chunk.citation || citation);
      text.textContent = chunk.text;
    } catch {
      if (this.#passageOpener !== opener) return;
      text.textContent = citation.quote || this.#t("passageFailed");
    }
  }

  #closePassage(refocus = true) {
    this.#q(".passage").hidden = true;
    const opener = this.#passageOpener;
    this.#passageOpener = null;
    if (!opener) return;
    if (opener.classList.contains("chip")) opener.setAttribute("aria-expanded", "false");
    if (refocus) opener.focus();
  }

  // -- errors -------------------------------------------------------------------------------

  #showError(err, retry = null) {
    const box = this.#q(".error");
    let message = this.#t("failed", { detail: err.message });
    if (err.status === 401) message = this.#t("expired");
    else if (err.status === 0) message = this.#t("network");
    box.querySelector("p").textContent = message;
    const button = box.querySelector("button");
    button.hidden = !retry || err.status === 401;
    button.onclick = retry;
    box.hidden = false;
  }

  #hideError() {
    this.#q(".error").hidden = true;
  }
}

if (!customElements.get("blendcoach-chat")) customElements.define("blendcoach-chat", BlendcoachChat);
