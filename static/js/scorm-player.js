/* The player of a package module: scorm-again gives the package its SCORM API
 * (window.API for 1.2, window.API_1484_11 for 2004); this file loads each SCO's saved data
 * into it, starts the SCO in the sandboxed frame and sends the data to the server in
 * batches: when the package commits or finishes, every minute while something changed,
 * and with navigator.sendBeacon when the page is closed. Each batch carries a growing
 * sequence number, so the server ignores a replay or an older batch. */
(function () {
  "use strict";
  var dataElement = document.getElementById("scorm-player-data");
  var frame = document.getElementById("scorm-frame");
  if (!dataElement || !frame || !window.Scorm12API) {
    return;
  }
  var config = JSON.parse(dataElement.textContent);
  var status = document.getElementById("scorm-status");
  var csrfInput = document.querySelector("#scorm-player input[name=csrfmiddlewaretoken]");
  var csrf = csrfInput ? csrfInput.value : "";
  var is12 = config.standard === "1.2";
  var sequence = Number(config.sequence) || 0;
  var api = null;
  var current = null;
  var dirty = false;
  var commitTimer = null;

  function say(key) {
    if (status && status.dataset[key]) {
      status.textContent = status.dataset[key];
    }
  }

  function sco(identifier) {
    for (var i = 0; i < config.scos.length; i += 1) {
      if (config.scos[i].identifier === identifier) {
        return config.scos[i];
      }
    }
    return config.scos[0];
  }

  function body() {
    // Never below the time: a page restored from the browser's cache, or another device,
    // still sends numbers above any it sent before.
    sequence = Math.max(sequence + 1, Date.now());
    var cmi = JSON.parse(JSON.stringify(api.cmi));
    var params = new URLSearchParams();
    params.set("csrfmiddlewaretoken", csrf);
    params.set("token", config.token);
    params.set("sequence", String(sequence));
    params.set("sco", current.identifier);
    if (is12) {
      cmi.core = cmi.core || {};
      cmi.core.total_time = current.cmi.core ? current.cmi.core.total_time || "" : "";
    } else {
      cmi.total_time = current.cmi.total_time || "";
    }
    params.set("cmi", JSON.stringify(cmi));
    return params;
  }

  function send() {
    if (!api || !current) {
      return;
    }
    window.clearTimeout(commitTimer);
    dirty = false;
    var params = body();
    fetch(config.commitUrl, {
      method: "POST",
      body: params,
      credentials: "same-origin",
      // A commit as the page closes (the package finishing) outlives the page; the
      // browser allows that for small bodies only.
      keepalive: params.toString().length < 60000,
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (answer) {
          if (!response.ok) {
            throw new Error(answer.error || String(response.status));
          }
          say(answer.completed ? "doneText" : "savedText");
        });
      })
      .catch(function () {
        dirty = true;
        say("errorText");
      });
  }

  function sendSoon() {
    window.clearTimeout(commitTimer);
    commitTimer = window.setTimeout(send, 500);
  }

  function sendBeacon() {
    if (api && current && dirty && navigator.sendBeacon) {
      dirty = false;
      navigator.sendBeacon(config.commitUrl, body());
    }
  }

  function start(identifier) {
    if (api && current && dirty) {
      send();
    }
    current = sco(identifier);
    var settings = {
      lmsCommitUrl: false,
      autocommit: false,
      logLevel: 5,
      mastery_override: false,
    };
    api = is12 ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
    api.loadFromJSON(current.cmi || {});
    var changed = function () {
      dirty = true;
    };
    if (is12) {
      api.on("LMSSetValue", changed);
      api.on("LMSCommit", sendSoon);
      api.on("LMSFinish", send);
      window.API = api;
    } else {
      api.on("SetValue", changed);
      api.on("Commit", sendSoon);
      api.on("Terminate", send);
      window.API_1484_11 = api;
    }
    var buttons = document.querySelectorAll("[data-scorm-sco]");
    for (var i = 0; i < buttons.length; i += 1) {
      if (buttons[i].dataset.scormSco === current.identifier) {
        buttons[i].setAttribute("aria-current", "step");
      } else {
        buttons[i].removeAttribute("aria-current");
      }
    }
    frame.src = current.url;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-scorm-sco]");
    if (button && !button.disabled) {
      start(button.dataset.scormSco);
    }
  });
  window.addEventListener("pagehide", sendBeacon);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      sendBeacon();
    }
  });
  window.setInterval(function () {
    if (dirty) {
      send();
    }
  }, 60000);
  if (status) {
    status.textContent = "";
  }
  start(config.current);
})();
