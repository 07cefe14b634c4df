/* Video progress beacon for module pages: reports how far the learner has watched.
   Progressive enhancement: without it the video still plays; only progress is not saved. */
(function () {
  "use strict";
  var INTERVAL_MS = 10000; // at least every 15 s of playing

  function setup(video) {
    var url = video.getAttribute("data-progress-url");
    var token = video.getAttribute("data-csrf-token");
    var status = document.getElementById(video.getAttribute("data-status-id"));
    var timer = null;

    function body() {
      var data = new FormData();
      data.append("position", video.currentTime.toFixed(2));
      data.append("duration", video.duration.toFixed(2));
      data.append("csrfmiddlewaretoken", token);
      return data;
    }

    function report(leaving) {
      if (!video.duration || !isFinite(video.duration)) return;
      if (leaving && navigator.sendBeacon) {
        navigator.sendBeacon(url, body());
        return;
      }
      fetch(url, {
        method: "POST",
        body: body(),
        credentials: "same-origin",
        keepalive: true,
        headers: { "X-CSRFToken": token },
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (result) {
          if (result && result.completed && status) {
            status.textContent = status.getAttribute("data-done-text");
          }
        })
        .catch(function () { /* the next report tries again */ });
    }

    // "playing", not "play": it comes once the video's length is known. A report sent on
    // "play" before the metadata had loaded was skipped, and watching was then credited only
    // from the first timed report, 10 s in: too late to reach 90 % of a short video.
    video.addEventListener("playing", function () {
      report(false);
      if (!timer) {
        timer = window.setInterval(function () { if (!video.paused) report(false); }, INTERVAL_MS);
      }
    });
    // At the end the browser fires "pause" and then "ended": report once, from "ended".
    video.addEventListener("pause", function () { if (!video.ended) report(false); });
    video.addEventListener("ended", function () {
      window.clearInterval(timer);
      timer = null;
      report(false);
    });
    window.addEventListener("pagehide", function () { if (!video.paused) report(true); });
  }

  var videos = document.querySelectorAll("video[data-progress-url]");
  for (var i = 0; i < videos.length; i++) setup(videos[i]);
})();
