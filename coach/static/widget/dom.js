// The widget's static markup and styles, and small DOM helpers. Only constants from this file
// go through innerHTML; text from the server or the learner is always set as text.

export const ICONS = {
  chat: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16v11H8l-4 4z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/></svg>',
  close: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>',
  up: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M7 11v9H4v-9zm0 0l4-7c1.5 0 2.5 1 2 3l-1 3h6c1 0 2 1 1.7 2.2l-1.6 6A2 2 0 0 1 16 20H7" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"/></svg>',
};

export const STYLE = `
  :host { all: initial; position: fixed; right: 1.25rem; bottom: 1.25rem; z-index: 2147483000;
    font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330;
    --accent: var(--blendcoach-accent, #2456d6); --focus: var(--blendcoach-focus, #f5a623); }
  * { box-sizing: border-box; }
  [hidden] { display: none !important; }
  button { font: inherit; cursor: pointer; }
  :focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
  svg { width: 1.25em; height: 1.25em; display: block; }
  .launcher { width: 3.5rem; height: 3.5rem; border: 0; border-radius: 50%; background: var(--accent);
    color: #fff; display: grid; place-items: center; box-shadow: 0 4px 14px #0004; }
  .launcher svg { width: 1.6rem; height: 1.6rem; }
  .panel { position: absolute; right: 0; bottom: 4.5rem; width: min(25rem, calc(100vw - 2.5rem));
    height: min(38rem, calc(100vh - 7rem)); display: flex; flex-direction: column; overflow: hidden;
    background: #fff; border-radius: 12px; box-shadow: 0 10px 40px #0005; }
  header { display: flex; align-items: center; gap: .5rem; padding: .5rem .5rem .5rem .9rem;
    background: var(--accent); color: #fff; }
  h2 { flex: 1; margin: 0; font-size: 1rem; }
  header button { background: transparent; color: #fff; border: 1px solid #fff8; border-radius: 6px;
    padding: .2rem .5rem; }
  header .icon { border: 0; padding: .3rem; }
  .log { flex: 1; overflow-y: auto; padding: .9rem; display: flex; flex-direction: column; gap: .8rem; }
  .welcome { margin: auto 0 0; color: #4a5263; }
  .msg { max-width: 92%; display: flex; flex-direction: column; gap: .4rem; }
  .msg.user { align-self: flex-end; }
  .text { margin: 0; padding: .5rem .75rem; border-radius: 10px; white-space: pre-wrap;
    overflow-wrap: anywhere; background: #eef1f6; }
  .user .text { background: var(--accent); color: #fff; }
  .writing { color: #4a5263; font-style: italic; }
  .chip { min-width: 1.6rem; margin: 0 .1rem; padding: 0 .35rem; border: 1px solid var(--accent);
    border-radius: 999px; background: #fff; color: var(--accent); font-size: .8em; line-height: 1.5; }
  .chip[aria-expanded="true"] { background: var(--accent); color: #fff; }
  .sources { margin: 0; padding: 0; list-style: none; font-size: .85em; color: #4a5263; }
  .sources li { display: flex; gap: .35rem; align-items: baseline; }
  .note { margin: 0; padding: .5rem .75rem; border-left: 3px solid var(--focus); background: #fff8ea;
    font-size: .9em; }
  .link { padding: 0; border: 0; background: none; color: var(--accent); text-decoration: underline;
    text-align: start; }
  .feedback { display: flex; flex-wrap: wrap; align-items: center; gap: .35rem; font-size: .85em; }
  .thumb { padding: .2rem .35rem; border: 1px solid #b8bfcc; border-radius: 6px; background: #fff;
    color: #4a5263; }
  .thumb.down svg { transform: scaleY(-1); }
  .thumb[aria-pressed="true"] { background: var(--accent); border-color: var(--accent); color: #fff; }
  .comment { flex-basis: 100%; display: flex; flex-direction: column; gap: .3rem; }
  .comment label { display: flex; flex-direction: column; gap: .2rem; }
  .comment textarea { min-height: 3rem; }
  .comment button { align-self: flex-start; }
  .saved { color: #1d6b35; }
  .error { margin: 0 .9rem .5rem; padding: .5rem .75rem; display: flex; gap: .5rem; align-items: center;
    border-radius: 8px; background: #fdecec; color: #8a1c1c; }
  .error p { flex: 1; margin: 0; }
  form.ask { display: flex; gap: .5rem; padding: .6rem .9rem .3rem; border-top: 1px solid #dde1e8; }
  textarea { flex: 1; resize: none; font: inherit; padding: .45rem .6rem; border: 1px solid #8a93a5;
    border-radius: 8px; min-height: 2.6rem; max-height: 8rem; }
  .send, .error button, .comment button { border: 0; border-radius: 8px; padding: .4rem .9rem;
    background: var(--accent); color: #fff; }
  .send:disabled { opacity: .6; cursor: progress; }
  .hint { margin: 0 .9rem .5rem; font-size: .75em; color: #4a5263; }
  .passage { position: absolute; left: 0; right: 0; bottom: 0; max-height: 75%; overflow-y: auto;
    padding: .75rem .9rem; background: #fff; border-top: 3px solid var(--accent);
    box-shadow: 0 -6px 20px #0003; }
  .passage h3 { margin: 0 2rem .5rem 0; font-size: .9rem; color: #4a5263; }
  .passage .close-passage { position: absolute; top: .5rem; right: .5rem; padding: .25rem; border: 0;
    background: none; }
  .passage p { margin: 0; white-space: pre-wrap; }
  .quiz { max-width: 100%; padding: .6rem .75rem; border: 1px solid #dde1e8; border-radius: 10px; }
  .quiz-progress { margin: 0; font-size: .8em; color: #4a5263; }
  .quiz-stem { background: none; padding: 0; font-weight: 600; }
  .quiz-item { display: flex; flex-direction: column; gap: .35rem; }
  .quiz-option { text-align: start; padding: .45rem .7rem; border: 1px solid #8a93a5; border-radius: 8px;
    background: #fff; color: inherit; }
  .quiz-option:hover:not(:disabled) { border-color: var(--accent); }
  .quiz-option.right { border-color: #1d6b35; background: #e8f5ec; }
  .quiz-option.wrong { border-color: #8a1c1c; background: #fdecec; }
  .quiz-form { display: flex; gap: .5rem; }
  .quiz-input { flex: 1; font: inherit; padding: .4rem .6rem; border: 1px solid #8a93a5; border-radius: 8px; }
  .quiz-verdict { margin: .3rem 0 0; font-weight: 600; }
  .quiz-verdict.right { color: #1d6b35; } .quiz-verdict.wrong { color: #8a1c1c; }
  .quiz-answer, .quiz-source, .quiz-summary p { margin: .2rem 0; font-size: .9em; }
  .quiz-next { margin-top: .4rem; align-self: flex-start; }
  .quiz-result { display: flex; flex-direction: column; }
  .check { align-self: flex-start; font-size: .85em; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
    white-space: nowrap; }
  @media (max-width: 480px) {
    .panel { position: fixed; inset: 0; width: 100%; height: 100%; height: 100dvh; border-radius: 0; }
  }
  @media (prefers-reduced-motion: no-preference) {
    .panel { animation: rise .15s ease-out; }
    @keyframes rise { from { opacity: 0; transform: translateY(8px); } }
  }`;

export const TEMPLATE = `
  <button class="launcher" type="button" aria-haspopup="dialog" aria-expanded="false"
    aria-controls="panel" data-t-label="open">${ICONS.chat}</button>
  <section class="panel" id="panel" role="dialog" aria-labelledby="title" hidden>
    <header>
      <h2 id="title" data-t="title"></h2>
      <button class="quiz-me" type="button" data-t="quizMe"></button>
      <button class="new" type="button" data-t="newChat"></button>
      <button class="close icon" type="button" data-t-label="close">${ICONS.close}</button>
    </header>
    <div class="log" role="log" aria-live="polite" aria-labelledby="title">
      <p class="welcome"></p>
    </div>
    <div class="error" role="alert" hidden><p></p><button type="button" data-t="retry"></button></div>
    <form class="ask">
      <label class="sr-only" for="input" data-t="input"></label>
      <textarea id="input" rows="2" data-t-placeholder="placeholder" aria-describedby="hint"></textarea>
      <button class="send" type="submit" data-t="send"></button>
    </form>
    <p class="hint" id="hint" data-t="hint"></p>
    <section class="passage" data-t-label="passage" hidden>
      <h3 tabindex="-1"></h3>
      <p></p>
      <button class="close-passage" type="button" data-t-label="closePassage">${ICONS.close}</button>
    </section>
  </section>`;

/** Create an element with attributes and children (strings become text nodes). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

/** Text with its **bold** spans as <strong> elements (nodes only: no markup is parsed). */
export function inlineText(text) {
  const nodes = [];
  let last = 0;
  for (const m of text.matchAll(/\*\*(\S(?:[^*]*\S)?)\*\*/g)) {
    nodes.push(text.slice(last, m.index), h("strong", {}, m[1]));
    last = m.index + m[0].length;
  }
  nodes.push(text.slice(last));
  return nodes;
}

export function icon(name) {
  const tpl = document.createElement("template");
  tpl.innerHTML = ICONS[name]; // static markup from this file
  return tpl.content.firstChild;
}

