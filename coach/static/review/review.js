// The L&D review page: sign in with a reviewer's token, filter the paths, open one, decide,
// edit, bulk-approve. Every review request carries the revision the reviewer saw; a stale one
// (409) reloads the path, a refusal (422) lists its blocking problems.

import { h } from "../widget/dom.js";
import { formatDay, formatHours } from "../widget/path.js";
import { Api, ApiError, readToken, saveToken } from "./api.js";
import { NEEDS_COMMENT, detailView, stepNote } from "./detail.js";
import { pickLang, translator } from "./i18n.js";

const LANG_KEY = "blendcoach:review-lang";
const PAGE = 50;
const STATUSES = ["pending", "changes_requested", "draft", "approved", "rejected", "all"];

const $ = (sel) => document.querySelector(sel);
const state = {
  lang: "en", t: translator("en"), api: null, me: null,
  filters: { status: "pending", team: "", role: "", item: "" }, offset: 0,
  list: null, selected: null, detail: null, busy: false,
};

// -- language -------------------------------------------------------------------------------

function storedLang() {
  try {
    return sessionStorage.getItem(LANG_KEY);
  } catch {
    return null;
  }
}

function setLang(lang) {
  state.lang = lang;
  state.t = translator(lang);
  document.documentElement.lang = lang;
  $("#lang").value = lang;
  try {
    sessionStorage.setItem(LANG_KEY, lang);
  } catch {
    /* storage disabled */
  }
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = state.t(el.dataset.t);
  for (const el of document.querySelectorAll("[data-t-label]")) el.setAttribute("aria-label", state.t(el.dataset.tLabel));
  const status = $("#f-status");
  status.replaceChildren(...STATUSES.map((s) => h("option", { value: s }, state.t(`status:${s}`))));
  status.value = state.filters.status;
  drawWho();
  if (state.list) drawList();
  if (state.detail) drawDetail();
}

// -- messages -------------------------------------------------------------------------------

function say(text) {
  $("#status").textContent = text;
}

function alertBox(text, items = []) {
  const box = $("#alert");
  box.replaceChildren(h("p", {}, text));
  if (items.length) box.append(h("ul", {}, ...items.map((i) => h("li", {}, i))));
  box.hidden = false;
}

function clearMessages() {
  $("#alert").hidden = true;
  $("#alert").replaceChildren();
  say("");
}

function problemLine(p) {
  const where = stepNote(p, state.t);
  return `${state.t(p.blocking === false ? "warning" : "blocking")} ${p.message}${where}`;
}

/** An API error as the reviewer should read it; a stale revision reloads the path. */
async function showError(err) {
  const { t } = state;
  if (!(err instanceof ApiError)) throw err;
  if (err.status === 401) return signOut(t("tokenRefused", { detail: err.reason }));
  if (err.status === 0) return alertBox(t("network"));
  if (err.status === 409) {
    await Promise.all([loadList(), state.selected && loadDetail(state.selected)]);
    return alertBox(t("conflict")); // after the reload: the page is ready for the next try
  }
  if (err.status === 404 && state.selected) {
    alertBox(t("notFound"));
    state.selected = state.detail = null;
    drawDetail();
    return loadList();
  }
  if (err.status === 422) return alertBox(t("blockingRefused", { detail: err.reason }), err.problems.map(problemLine));
  alertBox(t("failed", { detail: err.reason }));
}

// -- signing in -----------------------------------------------------------------------------

function drawWho() {
  const me = state.me;
  $("#who").textContent = me
    ? state.t("signedInAs", { name: me.display_name, role: state.t(`role:${me.role}`), org: me.org?.name ?? "" })
    : "";
}

function showSignIn(message = "") {
  $("#app").hidden = true;
  $("#sign-out").hidden = true;
  $("#signin").hidden = false;
  if (message) alertBox(message);
  $("#token").focus();
}

async function signIn(token) {
  state.api = new Api(token);
  try {
    state.me = await state.api.me();
  } catch (err) {
    saveToken(null);
    if (err instanceof ApiError && err.status === 401) return showSignIn(state.t("tokenRefused", { detail: err.reason }));
    return showSignIn(state.t(err.status === 0 ? "network" : "failed", { detail: err.message }));
  }
  if (state.me.role === "learner") {
    saveToken(null);
    state.me = null;
    return showSignIn(state.t("notReviewer"));
  }
  saveToken(token);
  drawWho();
  $("#signin").hidden = true;
  $("#app").hidden = false;
  $("#sign-out").hidden = false;
  await loadList();
}

function signOut(message = "") {
  saveToken(null);
  Object.assign(state, { api: null, me: null, list: null, selected: null, detail: null });
  drawWho();
  $("#paths-table tbody").replaceChildren();
  drawDetail();
  clearMessages();
  showSignIn(message);
}

// -- the list -------------------------------------------------------------------------------

function readFilters() {
  state.filters = {
    status: $("#f-status").value,
    team: $("#f-team").value.trim(),
    role: $("#f-role").value.trim(),
    item: $("#f-item").value.trim(),
  };
}

async function loadList() {
  const { status, ...rest } = state.filters;
  try {
    state.list = await state.api.listPaths({
      ...rest, status: status === "all" ? "" : status, limit: PAGE, offset: state.offset,
    });
  } catch (err) {
    return showError(err);
  }
  drawList();
}

function drawList() {
  const { t, lang } = state;
  const { paths, total } = state.list;
  const rows = paths.map((p) => {
    const open = h("button", { type: "button", class: "link" }, p.learner.name || p.learner.id);
    open.addEventListener("click", () => select(p.id));
    const problems = p.blocking || p.warnings
      ? t("problemsCount", { blocking: p.blocking, warnings: p.warnings }) : t("none");
    const updated = p.updated_at ? t("updated", { date: formatDay(p.updated_at, lang) }) : "";
    const who = [p.learner.team, p.learner.role].filter(Boolean).join(" · ");
    const row = h("tr", { "data-path": p.id },
      h("th", { scope: "row" }, open, h("span", { class: "sub" }, who)),
      h("td", {}, h("span", { class: `badge status-${p.status}` }, t(`status:${p.status}`)),
        h("span", { class: "sub" }, t("versionN", { version: p.version }))),
      h("td", { class: "num" }, String(p.n_steps)),
      h("td", { class: "num" }, formatHours(p.hours ?? 0, lang)),
      h("td", {}, p.start ? `${formatDay(p.start, lang)} – ${formatDay(p.end, lang)}` : "—"),
      h("td", { class: p.blocking ? "has-blocking" : "" }, problems, h("span", { class: "sub" }, updated)));
    if (p.id === state.selected) row.setAttribute("aria-current", "true");
    return row;
  });
  $("#paths-table tbody").replaceChildren(...rows);
  $("#paths-table").hidden = !paths.length;
  $("#total").textContent = paths.length
    ? t("showing", { from: state.offset + 1, to: state.offset + paths.length, total })
    : t("noPaths");
  $("#prev").disabled = state.offset === 0;
  $("#next").disabled = state.offset + paths.length >= total;
  $(".pager").hidden = total <= PAGE;
  const pending = paths.filter((p) => p.status === "pending");
  const bulk = $("#bulk");
  bulk.hidden = !pending.length;
  bulk.textContent = t("bulk", { n: pending.length });
}

// -- one path -------------------------------------------------------------------------------

async function select(id) {
  clearMessages();
  state.selected = id;
  for (const row of document.querySelectorAll("#paths-table tr[data-path]")) {
    if (row.dataset.path === id) row.setAttribute("aria-current", "true");
    else row.removeAttribute("aria-current");
  }
  await loadDetail(id);
  $("#detail-title").focus();
}

async function loadDetail(id, against = null) {
  say(state.t("loading"));
  try {
    state.detail = await state.api.getPath(id, against);
    say("");
  } catch (err) {
    say("");
    return showError(err);
  }
  drawDetail();
}

function drawDetail() {
  const detail = state.detail;
  const title = $("#detail-title");
  if (!detail) {
    title.textContent = state.t("noSelection");
    $("#detail-body").replaceChildren();
    return;
  }
  title.textContent = detail.learner?.name || detail.learner?.id;
  $("#detail-body").replaceChildren(...detailView(detail, {
    t: state.t, lang: state.lang, act, edit, catalog: state.api,
    compare: (version) => loadDetail(detail.id, version),
  }));
}

/** Send one review request for the open path with the revision shown; redraw from the answer. */
async function send(body, done) {
  if (state.busy || !state.detail) return;
  state.busy = true;
  clearMessages();
  document.body.setAttribute("aria-busy", "true");
  try {
    state.detail = await state.api.review(state.detail.id, { revision: state.detail.revision, ...body });
    drawDetail();
    await loadList();
    say(done(state.detail)); // last: once said, the page takes the next action
  } catch (err) {
    await showError(err);
  } finally {
    state.busy = false;
    document.body.removeAttribute("aria-busy");
  }
}

function act(action, comment, textarea) {
  if (NEEDS_COMMENT.has(action) && !comment) {
    clearMessages();
    textarea.setAttribute("aria-invalid", "true");
    alertBox(state.t(`needComment:${action}`));
    textarea.focus();
    return;
  }
  return send({ action, comment }, () => state.t(`did:${action}`));
}

function edit(op) {
  return send({ action: "edit", edits: [op] }, (d) => state.t("did:edit", { version: d.version }));
}

// -- bulk approval --------------------------------------------------------------------------

function openBulk() {
  const pending = state.list.paths.filter((p) => p.status === "pending");
  const dialog = $("#confirm");
  $("#confirm-title").textContent = state.t("bulkTitle", { n: pending.length });
  $("#bulk-comment").value = "";
  dialog.returnValue = "";
  dialog.onclose = async () => {
    if (dialog.returnValue !== "ok") return $("#bulk").focus();
    clearMessages();
    const { team, role, item } = state.filters;
    try {
      const result = await state.api.bulkApprove({
        ids: pending.map((p) => p.id), team: team || null, role: role || null, item: item || null,
        // the revisions shown: a path changed since the list was read is skipped, not approved
        revisions: Object.fromEntries(pending.map((p) => [p.id, p.revision])),
        comment: $("#bulk-comment").value.trim(),
      });
      const names = new Map(pending.map((p) => [p.id, p.learner.name || p.learner.id]));
      say(state.t("bulkDone", { approved: result.approved.length, skipped: result.skipped.length }));
      if (result.skipped.length) {
        alertBox(state.t("bulkDone", { approved: result.approved.length, skipped: result.skipped.length }),
          result.skipped.map((s) => state.t("bulkSkipped", { learner: names.get(s.id) ?? s.id, reason: s.reason })));
      }
      await loadList();
      if (state.selected) await loadDetail(state.selected);
    } catch (err) {
      await showError(err);
    }
    $("#bulk").focus();
  };
  dialog.showModal();
}

// -- start ----------------------------------------------------------------------------------

function start() {
  const query = new URLSearchParams(location.search);
  setLang(pickLang(query.get("lang"), storedLang(), ...(navigator.languages ?? [navigator.language])));
  $("#lang").addEventListener("change", (e) => setLang(e.target.value));
  $("#signin-form").addEventListener("submit", (e) => {
    e.preventDefault();
    clearMessages();
    const token = $("#token").value.trim();
    $("#token").value = "";
    if (token) signIn(token);
  });
  $("#sign-out").addEventListener("click", () => signOut());
  $("#filters").addEventListener("submit", (e) => {
    e.preventDefault();
    readFilters();
    state.offset = 0;
    loadList();
  });
  $("#clear-filters").addEventListener("click", () => {
    for (const id of ["#f-team", "#f-role", "#f-item"]) $(id).value = "";
    $("#f-status").value = "pending";
    readFilters();
    state.offset = 0;
    loadList();
  });
  $("#prev").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - PAGE);
    loadList();
  });
  $("#next").addEventListener("click", () => {
    state.offset += PAGE;
    loadList();
  });
  $("#bulk").addEventListener("click", openBulk);
  const token = readToken();
  if (token) signIn(token);
  else showSignIn();
}

start();
