/* Shows the "Full screen" buttons where the browser can do it (the projector view);
   Escape leaves full screen, as always. */
(function () {
  "use strict";
  if (!document.fullscreenEnabled) {
    return;
  }
  document.querySelectorAll("[data-fullscreen]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      document.documentElement.requestFullscreen().catch(function () {});
    });
  });
})();
