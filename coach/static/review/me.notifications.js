// Notifications: the in-widget feed, newest first, each with its link and "mark as read";
// then the channels the coach may remind the learner through (an opt-out holds at once,
// for reminders already planned too: PATCH /v1/me/nudge-preferences).
import { h } from "../widget/dom.js";
import { formatDateTime } from "../widget/path.js";

const CHANNELS = ["feed", "email", "webhook"];

export async function showNotifications(ctx) {
  const { api, body } = ctx;
  const [feed, prefs] = await Promise.all([
    api.request("/v1/me/notifications?limit=50"), api.request("/v1/me/nudge-preferences"),
  ]);
  body.append(feedList(feed, ctx), preferences(prefs, ctx));
}

function feedList(feed, ctx) {
  const { api, t, lang } = ctx;
  const count = h("p", { class: "unread" }, t("unread", { n: feed.unread }));
  const box = h("section", { class: "feed", "aria-labelledby": "section-title" });
  if (!feed.items.length) {
    box.append(h("p", {}, t("notificationsNone")));
    return box;
  }
  let unread = feed.unread;
  const item = (n) => {
    const li = h("li", { class: `notification${n.read_at ? "" : " unread-item"}`, "data-id": n.id },
      h("h4", {}, n.subject),
      h("p", { class: "help" }, formatDateTime(n.sent_at, lang)),
      h("p", {}, n.body));
    const actions = h("p", { class: "buttons" });
    // only the service's own pages: a link is a path on this origin, never a scheme
    if (/^\/(?!\/)/.test(n.link)) actions.append(h("a", { href: n.link }, t("openLink")));
    if (n.read_at) actions.append(h("span", { class: "badge" }, t("read")));
    else {
      const mark = h("button", { type: "button" }, t("markRead"));
      mark.addEventListener("click", async () => {
        try {
          const done = await api.request(`/v1/me/notifications/${encodeURIComponent(n.id)}/read`, { method: "POST" });
          unread = Math.max(0, unread - 1);
          count.textContent = t("unread", { n: unread });
          const fresh = item(done);
          li.replaceWith(fresh);
          fresh.setAttribute("tabindex", "-1");
          fresh.focus();
          ctx.say(t("markedRead"));
        } catch (err) {
          ctx.fail(err);
        }
      });
      actions.append(mark);
    }
    li.append(actions);
    return li;
  };
  box.append(count, h("ul", { class: "me-list notifications" }, ...feed.items.map(item)));
  return box;
}

function preferences(prefs, ctx) {
  const { api, t } = ctx;
  const fieldset = h("fieldset", {}, h("legend", { class: "sr-only" }, t("prefsTitle")),
    h("p", { class: "help", id: "prefs-help" }, t("prefsHelp")));
  fieldset.setAttribute("aria-describedby", "prefs-help");
  for (const channel of CHANNELS) {
    const id = `channel-${channel}`;
    const box = h("input", { type: "checkbox", id, name: "channel", value: channel });
    box.checked = !prefs.opted_out.includes(channel);
    fieldset.append(h("div", { class: "choice" }, box, h("label", { for: id }, t(`channel:${channel}`))));
  }
  const form = h("form", { class: "prefs" }, fieldset,
    h("button", { type: "submit", class: "primary" }, t("prefsSave")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const boxes = [...form.querySelectorAll("input[name=channel]")];
    const opted_out = boxes.filter((b) => !b.checked).map((b) => b.value);
    try {
      const saved = await api.request("/v1/me/nudge-preferences", { method: "PATCH", body: { opted_out } });
      const open = CHANNELS.filter((c) => !saved.opted_out.includes(c)).map((c) => t(`channel:${c}`).toLowerCase());
      ctx.warn("");
      ctx.say(t("prefsSaved", { channels: open.join(", ") || t("prefsNone") }));
    } catch (err) {
      ctx.fail(err);
    }
  });
  return h("section", { class: "preferences", "aria-labelledby": "prefs-title" },
    h("h3", { id: "prefs-title" }, t("prefsTitle")), form);
}
