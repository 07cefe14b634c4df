/* The wait between knowledge-test attempts, counted down live. The page says in words how
   many seconds were left when it was made (that works without JavaScript, with its "Check
   again" link); this shows a minutes:seconds timer counting from the server's number, so a
   wrong clock on the computer does not matter. At zero it says so; the link shows the button. */
(function () {
  "use strict";

  function clock(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  document.querySelectorAll("[data-countdown]:not([data-countdown-started])").forEach(function (box) {
    var seconds = parseInt(box.getAttribute("data-countdown"), 10);
    var display = box.querySelector("[data-countdown-clock]");
    var text = box.querySelector("[data-countdown-text]");
    if (!display || isNaN(seconds) || seconds <= 0) {
      return;
    }
    box.setAttribute("data-countdown-started", "");
    var end = Date.now() + seconds * 1000;
    var timer = display.parentNode;

    function tick() {
      var left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      display.textContent = clock(left);
      if (left === 0) {
        window.clearInterval(interval);
        timer.hidden = true;
        text.textContent = box.getAttribute("data-countdown-done");
        text.setAttribute("role", "status");
      }
    }

    timer.hidden = false;
    var interval = window.setInterval(tick, 1000);
    tick();
  });
})();
