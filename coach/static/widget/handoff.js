// The hand-off offer in the chat log: the people who can help (trainers, coaching with
// free slots, the HR / listening contact), and the learner's explicit consent before a
// summary of their learning goes to a trainer. Nothing is sent until they press "Send".

import { h } from "./dom.js";

const STRINGS = {
  en: {
    title: "Talk to a person",
    intro: "These people can help you:",
    failure: "This skill is taking a while. A person can help you past it:",
    teaches: "{name} (teaches this)",
    coaching: "Coaching: {title} ({free} free slots this month)",
    coachingOpen: "Coaching: {title}",
    contactNobody: "Your HR department or your organisation's listening service",
    note: "What you struggle with, in your words (sent with the summary)",
    share: "Also share this conversation",
    consent: "Send my summary to the selected trainer",
    decline: "No thanks",
    what: "The summary holds the skills you work on, your mastery, your recent quiz results and what you write above; not this conversation unless you tick the box.",
    sent: "Sent to {name}. You can withdraw your consent at any time.",
    withdraw: "Withdraw my consent",
    withdrawn: "Consent withdrawn: the summary was deleted and {name} was told.",
    declined: "Fine, nobody was contacted.",
    failed: "That did not work: {detail}",
  },
  fr: {
    title: "Parler à une personne",
    intro: "Ces personnes peuvent vous aider :",
    failure: "Cette compétence résiste. Une personne peut vous aider à passer le cap :",
    teaches: "{name} (forme sur ce sujet)",
    coaching: "Coaching : {title} ({free} créneaux libres ce mois-ci)",
    coachingOpen: "Coaching : {title}",
    contactNobody: "Votre service RH ou la cellule d'écoute de votre organisation",
    note: "Ce qui vous pose difficulté, avec vos mots (envoyé avec le résumé)",
    share: "Partager aussi cette conversation",
    consent: "Envoyer mon résumé au formateur choisi",
    decline: "Non merci",
    what: "Le résumé contient les compétences travaillées, votre maîtrise, vos derniers résultats aux quiz et ce que vous écrivez ci-dessus ; pas cette conversation, sauf si vous cochez la case.",
    sent: "Envoyé à {name}. Vous pouvez retirer votre consentement à tout moment.",
    withdraw: "Retirer mon consentement",
    withdrawn: "Consentement retiré : le résumé a été supprimé et {name} a été prévenu(e).",
    declined: "Entendu, personne n'a été contacté.",
    failed: "Cela n'a pas fonctionné : {detail}",
  },
};

/**
 * Show the offers made on a learner's message, if any.
 * @param {string} messageId the learner's message (the stream's ``meta`` event)
 * @param {object} ui { append(el), request(path, opts), lang() }
 */
export async function showHandoff(messageId, ui) {
  const res = await ui.request(`/v1/handoffs?message_id=${encodeURIComponent(messageId)}`);
  for (const offer of (await res.json()).handoffs) {
    if (offer.status === "offered") ui.append(card(offer, ui));
  }
}

function card(offer, ui) {
  const words = STRINGS[ui.lang()] || STRINGS.en;
  const t = (key, vars = {}) => words[key].replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? "");
  const el = h("div", { class: "msg assistant handoff", role: "group", "aria-label": t("title") });
  const intro = offer.signal === "repeated_failure" ? t("failure") : t("intro");
  const list = h("ul", { class: "handoff-options" });
  const trainers = offer.options.filter((o) => o.kind === "trainer");
  for (const o of offer.options) {
    if (o.kind === "trainer") {
      const radio = h("input", { type: "radio", name: `handoff-${offer.id}`, value: o.user_id });
      radio.checked = o === trainers[0];
      const name = o.teaches_this ? t("teaches", { name: o.name }) : o.name;
      list.append(h("li", {}, h("label", {}, radio, " ", name)));
    } else if (o.kind === "coaching") {
      const key = o.free_slots == null ? "coachingOpen" : "coaching";
      list.append(h("li", {}, t(key, { title: o.title, free: o.free_slots })));
    } else if (o.kind === "contact") {
      list.append(h("li", { class: "contact" }, ...contact(o, t)));
    }
  }
  el.append(h("p", { class: "text" }, intro), list);
  if (!trainers.length) return el; // a contact to reach directly: nothing is sent for them
  const status = h("p", { class: "note", role: "status" });
  status.hidden = true;
  const note = h("textarea", { rows: "2" });
  const share = h("input", { type: "checkbox" });
  const send = h("button", { type: "submit" }, t("consent"));
  const decline = h("button", { class: "link", type: "button" }, t("decline"));
  const form = h(
    "form", { class: "comment handoff-consent" },
    h("label", {}, t("note"), note),
    h("label", {}, share, " ", t("share")),
    h("p", { class: "handoff-what" }, t("what")),
    send, decline,
  );
  el.append(form, status);
  const say = (text) => {
    status.textContent = text;
    status.hidden = false;
  };
  const post = async (action, body) => {
    const path = `/v1/handoffs/${encodeURIComponent(offer.id)}/${action}`;
    return (await ui.request(path, { method: "POST", body })).json();
  };
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const chosen = el.querySelector("input[type=radio]:checked");
    if (!chosen) return;
    const name = trainers.find((o) => o.user_id === chosen.value)?.name || "";
    try {
      await post("consent", {
        recipient_id: chosen.value, note: note.value.trim(), share_conversation: share.checked,
      });
      form.remove();
      for (const r of el.querySelectorAll("input[type=radio]")) r.disabled = true;
      say(t("sent", { name }));
      const undo = h("button", { class: "link", type: "button" }, t("withdraw"));
      undo.addEventListener("click", async () => {
        try {
          await post("withdraw");
          undo.remove();
          say(t("withdrawn", { name }));
        } catch (err) {
          say(t("failed", { detail: err.message }));
        }
      });
      el.append(undo);
    } catch (err) {
      say(t("failed", { detail: err.message }));
    }
  });
  decline.addEventListener("click", async () => {
    try {
      await post("decline");
      form.remove();
      say(t("declined"));
    } catch (err) {
      say(t("failed", { detail: err.message }));
    }
  });
  return el;
}

function contact(o, t) {
  if (!o.name) return [t("contactNobody")];
  const parts = [o.name];
  if (o.email) parts.push(" · ", h("a", { href: `mailto:${o.email}` }, o.email));
  if (o.phone) parts.push(" · ", h("a", { href: `tel:${o.phone.replace(/\s+/g, "")}` }, o.phone));
  if (o.hours) parts.push(` · ${o.hours}`);
  return parts;
}
