// The Kirkpatrick dashboard for admins: GET /v1/admin/kirkpatrick drawn as two tables, the
// charts (SVG as images: nothing from the response runs) and the definitions, with the time
// its figures were computed (a rollup rebuilt daily; "Refresh figures" rebuilds it now
// through POST /v1/admin/kirkpatrick/refresh). Data is written with textContent only.
import { Api, ApiError, readToken, saveToken } from "./api.js";

const $ = (id) => document.getElementById(id);
let api = null;

// Column headers as people read them; the definition of each is its tooltip (and listed
// under the tables). Learning is pre/post tests and mastery gains: mastery at the start of
// the first step of the period and at its end, not the current mastery.
const LABELS = {
  group: "Group",
  reaction_n: "Hot answers",
  satisfaction: "Satisfaction",
  usefulness: "Usefulness",
  confidence: "Confidence",
  learning_n: "Pre/post pairs",
  pre: "Pre-test",
  post: "Post-test",
  gain: "Test gain (pts)",
  mastery_n: "Skills measured",
  mastery_before: "Mastery before",
  mastery_after: "Mastery after",
  mastery_gain: "Mastery gain (pts)",
  behaviour_n: "Cold answers",
  applied_rate: "Applying it",
  change: "Change",
  manager_n: "Manager answers",
  manager_applied_rate: "Managers: applying it",
  confirmations_n: "Confirmations",
  confirmed_rate: "Confirmed (3-4)",
};

function table(id, data, definitions = {}) {
  const head = document.createElement("tr");
  for (const c of data.columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = LABELS[c] || c;
    if (definitions[c]) th.title = definitions[c];
    head.append(th);
  }
  $(id).tHead.replaceChildren(head);
  $(id).tBodies[0].replaceChildren(
    ...data.rows.map((row) => {
      const tr = document.createElement("tr");
      for (const cell of row) {
        const td = document.createElement("td");
        td.textContent = cell === null ? "—" : String(cell);
        tr.append(td);
      }
      return tr;
    }),
  );
}

function chart(c) {
  const img = document.createElement("img");
  img.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(c.svg)))}`;
  img.alt = c.alt;
  return img;
}

async function load() {
  const query = new URLSearchParams({ group_by: $("group-by").value });
  if ($("since").value) query.set("since", $("since").value);
  if ($("until").value) query.set("until", $("until").value);
  $("status").textContent = "Loading…";
  $("alert").hidden = true;
  try {
    const data = await api.request(`/v1/admin/kirkpatrick?${query}`);
    $("period").textContent = `Steps taken from ${data.period[0]} to ${data.period[1]}.`;
    $("as-of").textContent =
      `Figures as of ${new Date(data.as_of).toLocaleString()} ` +
      "(rebuilt daily; Refresh figures to count what happened since). " +
      "Manager confirmations and KPIs are read live.";
    table("levels", data.levels, data.definitions);
    table("results", data.results);
    $("charts").replaceChildren(...data.charts.map(chart));
    $("definitions").replaceChildren(
      ...Object.entries(data.definitions).flatMap(([k, v]) => {
        const dt = document.createElement("dt");
        dt.textContent = LABELS[k] ? `${LABELS[k]} (${k})` : k;
        const dd = document.createElement("dd");
        dd.textContent = v;
        return [dt, dd];
      }),
    );
    $("signin").hidden = true;
    $("app").hidden = false;
    $("status").textContent = `${data.levels.rows.length} group(s).`;
  } catch (err) {
    $("status").textContent = "";
    if (err instanceof ApiError && err.status === 401) {
      saveToken(null);
      $("signin").hidden = false;
      return;
    }
    $("alert").textContent = err instanceof ApiError ? err.reason : String(err);
    $("alert").hidden = false;
  }
}

$("signin-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const token = $("token").value.trim();
  saveToken(token);
  api = new Api(token);
  load();
});
for (const id of ["group-by", "since", "until"]) $(id).addEventListener("change", () => api && load());

$("refresh").addEventListener("click", async () => {
  if (!api) return;
  $("refresh").disabled = true;
  $("status").textContent = "Recomputing the figures…";
  try {
    await api.request("/v1/admin/kirkpatrick/refresh", { method: "POST" });
    await load();
  } catch (err) {
    $("status").textContent = "";
    $("alert").textContent = err instanceof ApiError ? err.reason : String(err);
    $("alert").hidden = false;
  } finally {
    $("refresh").disabled = false;
  }
});

const token = readToken();
if (token) {
  api = new Api(token);
  load();
} else {
  $("signin").hidden = false;
}
