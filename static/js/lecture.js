/* Chapter links seek their video instead of opening the file (progressive enhancement). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-seek][data-player]");
    if (!link) return;
    var video = document.getElementById(link.getAttribute("data-player"));
    var start = parseFloat(link.getAttribute("data-seek"));
    if (!video || isNaN(start)) return;
    event.preventDefault();
    video.currentTime = start;
    var playing = video.play();
    if (playing && playing.catch) playing.catch(function () { /* autoplay refused: stay paused */ });
    video.focus();
    var list = link.closest("ol");
    if (list) {
      list.querySelectorAll("a[aria-current]").forEach(function (a) { a.removeAttribute("aria-current"); });
    }
    link.setAttribute("aria-current", "true");
  });
})();
