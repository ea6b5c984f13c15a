// The admins' view of the runtime guard: first-draft verdicts per kind and day, from
// GET /v1/admin/guard. Data is written with textContent only.
import { Api, readToken, saveToken } from "./api.js";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const COLOURS = { answer: "#1f5fa8", quiz: "#b5531b", path: "#2e7d32" };
const percent = (x) => `${(100 * x).toFixed(1)} %`;

function row(cells) {
  const tr = document.createElement("tr");
  for (const text of cells) {
    const td = document.createElement("td");
    td.textContent = String(text);
    tr.append(td);
  }
  return tr;
}

function svg(tag, attrs, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** A line per kind: the block rate of each day with verdicts. */
function chart(data) {
  const figure = $("trend");
  figure.replaceChildren();
  const days = [...new Set(data.days.map((d) => d.day))].sort();
  if (!days.length) {
    figure.textContent = "No verdict in this period.";
    return;
  }
  const [w, h, pad] = [560, 180, 30];
  const x = (i) => pad + (days.length > 1 ? (i * (w - 2 * pad)) / (days.length - 1) : (w - 2 * pad) / 2);
  const y = (rate) => h - pad - rate * (h - 2 * pad);
  const plot = svg("svg", { viewBox: `0 0 ${w} ${h}`, width: w, height: h, role: "img" });
  plot.append(svg("title", {}, "Block rate by day and kind"));
  plot.append(svg("line", { x1: pad, y1: y(0), x2: w - pad, y2: y(0), stroke: "#888" }));
  plot.append(svg("text", { x: 2, y: y(1) + 4, "font-size": 10 }, "100%"));
  plot.append(svg("text", { x: 2, y: y(0) + 4, "font-size": 10 }, "0%"));
  plot.append(svg("text", { x: pad, y: h - 8, "font-size": 10 }, days[0]));
  if (days.length > 1) plot.append(svg("text", { x: w - pad - 60, y: h - 8, "font-size": 10 }, days.at(-1)));
  const kinds = [...new Set(data.days.map((d) => d.kind))].sort();
  kinds.forEach((kind, k) => {
    const points = data.days
      .filter((d) => d.kind === kind)
      .map((d) => `${x(days.indexOf(d.day)).toFixed(1)},${y(d.block_rate).toFixed(1)}`);
    const colour = COLOURS[kind] ?? "#555";
    plot.append(svg("polyline", { points: points.join(" "), fill: "none", stroke: colour, "stroke-width": 2, "data-kind": kind }));
    for (const p of points) {
      const [cx, cy] = p.split(",");
      plot.append(svg("circle", { cx, cy, r: 3, fill: colour }));
    }
    plot.append(svg("text", { x: w - pad - 60, y: 12 + 12 * k, "font-size": 11, fill: colour }, kind));
  });
  figure.append(plot);
}

function render(data) {
  const totals = $("totals").tBodies[0];
  totals.replaceChildren(
    ...Object.entries(data.totals).map(([kind, t]) =>
      row([kind, t.n, t.pass, t.revise, t.block, percent(t.block_rate), percent(t.revise_rate)]),
    ),
  );
  if (!totals.rows.length) totals.append(row(["No verdict in this period.", "", "", "", "", "", ""]));
  chart(data);
  $("checks").replaceChildren(
    ...Object.entries(data.top_checks).map(([check, n]) => {
      const li = document.createElement("li");
      li.textContent = `${check}: ${n}`;
      return li;
    }),
  );
  $("by-day").tBodies[0].replaceChildren(
    ...data.days.map((d) => row([d.day, d.kind, d.n, d.block, percent(d.block_rate)])),
  );
  $("status").textContent = `${data.from} to ${data.to}`;
}

async function load() {
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
    render(await api.request(`/v1/admin/guard?days=${encodeURIComponent($("days").value)}`));
    $("signin").hidden = true;
    $("app").hidden = false;
  } catch (err) {
    $("alert").hidden = false;
    $("alert").textContent =
      err.status === 403 ? "This page needs the admin role." : err.status === 401 ? "Sign in again." : err.reason ?? err.message;
    if (err.status === 401) {
      saveToken(null);
      $("signin").hidden = false;
    }
  }
}

$("signin-form").addEventListener("submit", (event) => {
  event.preventDefault();
  saveToken($("token").value.trim());
  load();
});
$("days").addEventListener("change", load);
load();
