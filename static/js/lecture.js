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

/* A lecture counts as viewed when its recording starts playing: one POST per page view. */
(function () {
  "use strict";
  document.querySelectorAll("video[data-viewed-url]").forEach(function (video) {
    video.addEventListener("play", function () {
      var data = new FormData();
      data.append("csrfmiddlewaretoken", video.getAttribute("data-csrf-token"));
      fetch(video.getAttribute("data-viewed-url"), {
        method: "POST",
        body: data,
        credentials: "same-origin",
      }).catch(function () { /* a view not counted is no reason to bother the viewer */ });
    }, { once: true });
  });
})();
