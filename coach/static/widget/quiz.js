// Quiz cards in the chat log: one item at a time, options as buttons (or a text box), a
// hint on request, then the graded feedback with its source, and a score at the end.

import { h } from "./dom.js";

/** Requests learners type to be tested ("quiz me", "teste-moi", …). */
const QUIZ_REQUEST =
  /^\s*(?:please[, ]+)?(?:(?:quiz|test)\s+me\b|(?:give\s+me|start|take)\s+an?\s+(?:quiz|test)\b|(?:interroge|teste)[- ]moi\b|(?:fais|lance|donne)[- ]moi\s+un\s+(?:quiz|test)\b|un\s+quiz\b)/i;

export function isQuizRequest(text) {
  return QUIZ_REQUEST.test(text);
}

/**
 * Run a quiz in the log.
 * @param {object} quiz the API's quiz (id, items)
 * @param {object} ui { append(el), follow(fn), t(key, vars), request(path, opts), openPassage(c, el), label(c), showError(err), onItem(open) }
 *   onItem receives {quiz_id, item_id} while an item waits for its answer (the chat then
 *   guides instead of answering it), and null once it is answered.
 */
export function runQuiz(quiz, ui) {
  const card = h("div", { class: "msg assistant quiz", role: "group" });
  card.setAttribute("aria-label", ui.t("quizTitle"));
  ui.append(card);
  const state = { index: 0, correct: 0, answered: 0 };
  const pending = quiz.items.filter((item) => !item.answered);
  if (!pending.length) {
    card.append(h("p", { class: "text" }, ui.t("quizEmpty")));
    return card;
  }
  showItem(pending, state, card, quiz, ui);
  return card;
}

function showItem(items, state, card, quiz, ui) {
  const item = items[state.index];
  const started = performance.now();
  ui.onItem?.({ quiz_id: quiz.id, item_id: item.id });
  const progress = h("p", { class: "quiz-progress" },
    ui.t("quizProgress", { n: state.index + 1, total: items.length }));
  const stem = h("p", { class: "text quiz-stem", id: `stem-${item.id}` }, item.stem);
  const box = h("div", { class: "quiz-item", role: "group", "aria-labelledby": stem.id });
  const result = h("div", { class: "quiz-result", role: "status" });
  const hintText = h("p", { class: "note quiz-hint" });
  hintText.hidden = true;
  const hintButton = h("button", { class: "link", type: "button" }, ui.t("quizHint"));
  let busy = false;

  const submit = async (body) => {
    if (busy) return;
    busy = true;
    for (const b of box.querySelectorAll("button, input")) b.disabled = true;
    try {
      const res = await ui.request(`/v1/quizzes/${encodeURIComponent(quiz.id)}/answers`, {
        method: "POST",
        body: { item_id: item.id, time_taken_ms: Math.round(performance.now() - started), ...body },
      });
      const graded = await res.json();
      ui.onItem?.(null);
      state.answered += 1;
      if (graded.correct) state.correct += 1;
      ui.follow(() => showResult(graded, body, item, box, result, ui));
      hintButton.hidden = true;
      const last = state.index + 1 >= items.length;
      const next = h("button", { class: "send quiz-next", type: "button" },
        ui.t(last ? "quizFinish" : "quizNext"));
      next.addEventListener("click", () => {
        next.remove();
        if (last) ui.follow(() => card.append(summary(state, graded, ui)));
        else {
          state.index += 1;
          showItem(items, state, card, quiz, ui);
        }
      });
      ui.follow(() => result.append(next));
      next.focus();
    } catch (err) {
      for (const b of box.querySelectorAll("button, input")) b.disabled = false;
      ui.showError(err);
    } finally {
      busy = false;
    }
  };

  if (item.options.length) {
    item.options.forEach((text, i) => {
      const option = h("button", { class: "quiz-option", type: "button", "data-choice": String(i) }, text);
      option.addEventListener("click", () => submit({ choice: i }));
      box.append(option);
    });
  } else {
    const input = h("input", { type: "text", class: "quiz-input", "aria-labelledby": stem.id,
      autocomplete: "off", maxlength: "2000" });
    const form = h("form", { class: "quiz-form" }, input,
      h("button", { class: "send", type: "submit" }, ui.t("quizAnswer")));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (input.value.trim()) submit({ text: input.value.trim() });
    });
    box.append(form);
  }

  hintButton.addEventListener("click", async () => {
    try {
      const res = await ui.request(`/v1/quizzes/${encodeURIComponent(quiz.id)}/hints`, {
        method: "POST", body: { item_id: item.id },
      });
      const hint = await res.json();
      ui.follow(() => {
        hintText.textContent = hint.hint;
        hintText.hidden = false;
      });
    } catch (err) {
      ui.showError(err);
    }
  });

  ui.follow(() => card.replaceChildren(progress, stem, box, hintButton, hintText, result));
  (box.querySelector("button, input") || stem).focus();
}

function showResult(graded, body, item, box, result, ui) {
  for (const option of box.querySelectorAll(".quiz-option")) {
    if (Number(option.dataset.choice) === body.choice) {
      option.classList.add(graded.correct ? "right" : "wrong");
      option.setAttribute("aria-pressed", "true");
    }
  }
  const verdict = graded.correct ? ui.t("quizRight") : ui.t("quizWrong");
  const source = h("button", { class: "link", type: "button" }, ui.label(graded.citation));
  source.addEventListener("click", () =>
    ui.openPassage({ ...graded.citation, chunk_id: graded.chunk_id }, source));
  result.replaceChildren(
    h("p", { class: `quiz-verdict ${graded.correct ? "right" : "wrong"}` }, verdict),
    h("p", { class: "text" }, graded.feedback),
  );
  if (!graded.correct && graded.correct_answer) {
    result.append(h("p", { class: "quiz-answer" }, ui.t("quizCorrectAnswer", { answer: graded.correct_answer })));
  }
  result.append(h("p", { class: "quiz-source" }, `${ui.t("quizSource")} `, source));
}

function summary(state, graded, ui) {
  const skills = (graded.mastery || [])
    .map((m) => `${m.skill} ${Math.round(m.p_mastery * 100)}%`).join(", ");
  const box = h("div", { class: "note quiz-summary", role: "status" },
    h("p", {}, ui.t("quizScore", { correct: state.correct, total: state.answered })));
  if (skills) box.append(h("p", {}, ui.t("quizMastery", { skills })));
  return box;
}
