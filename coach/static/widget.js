/* blendcoach chat widget: embed it in any page with one tag.
 *
 *   <script src="https://coach.example/widget.js" data-token="JWT" data-course="course-id"
 *           data-lang="fr" defer></script>
 *
 * The script inserts a <blendcoach-chat> element; you may also place the element yourself,
 * <blendcoach-chat token="JWT" api="https://coach.example" course="..." lang="fr">, and load
 * this script without data-token. The API defaults to the origin the script came from.
 * The element itself is made of small ES modules under widget/ (no build step); this classic
 * loader exists because only a classic script can read its own data-* attributes.
 * When the token is refused the element fires `blendcoach:session-expired`; the host page may
 * then set a fresh `token` attribute.
 */
(() => {
  "use strict";

  const script = document.currentScript;
  if (!script) return; // injected in a way that hides the script element: nothing to read

  function mount() {
    const chat = document.createElement("blendcoach-chat");
    for (const name of ["token", "course", "lang", "api"]) {
      if (script.dataset[name]) chat.setAttribute(name, script.dataset[name]);
    }
    document.body.append(chat);
  }

  import(new URL("widget/chat.js", script.src).href).then(
    () => {
      if (script.dataset.token === undefined) return; // the page places the element itself
      if (document.body) mount();
      else document.addEventListener("DOMContentLoaded", mount);
    },
    (err) => console.error("blendcoach: the chat widget could not be loaded", err),
  );
})();
