/* The demo package's own script: finds the LMS's SCORM API (1.2 or 2004), goes back to the
 * page the learner left, and reports the answer, the score and the status. */
(function () {
  "use strict";

  function findApi(name) {
    var win = window;
    for (var hops = 0; win && hops < 10; hops += 1) {
      if (win[name]) {
        return win[name];
      }
      if (win === win.parent) {
        break;
      }
      win = win.parent;
    }
    return null;
  }

  var api2004 = findApi("API_1484_11");
  var api12 = api2004 ? null : findApi("API");
  var lms = {
    start: function () {
      if (api2004) {
        api2004.Initialize("");
      } else if (api12) {
        api12.LMSInitialize("");
      }
    },
    get: function (key12, key2004) {
      if (api2004) {
        return api2004.GetValue(key2004);
      }
      return api12 ? api12.LMSGetValue(key12) : "";
    },
    // A key of null: the element does not exist in that version of SCORM.
    set: function (key12, key2004, value) {
      if (api2004 && key2004) {
        api2004.SetValue(key2004, value);
      } else if (api12 && key12) {
        api12.LMSSetValue(key12, value);
      }
    },
    commit: function () {
      if (api2004) {
        api2004.Commit("");
      } else if (api12) {
        api12.LMSCommit("");
      }
    },
    finish: function () {
      if (api2004) {
        api2004.Terminate("");
      } else if (api12) {
        api12.LMSFinish("");
      }
    },
  };

  var finished = false;

  function show(page) {
    document.getElementById("sida-1").hidden = page !== 1;
    document.getElementById("sida-2").hidden = page !== 2;
    document.getElementById("rubrik-" + page).focus();
    lms.set("cmi.core.lesson_location", "cmi.location", String(page));
    lms.set("cmi.suspend_data", "cmi.suspend_data", "sida=" + page);
    lms.commit();
  }

  function leave() {
    if (finished) {
      return;
    }
    finished = true;
    lms.set("cmi.core.exit", "cmi.exit", "suspend");
    lms.finish();
  }

  lms.start();
  var status = lms.get("cmi.core.lesson_status", "cmi.completion_status");
  if (status === "not attempted" || status === "unknown" || status === "") {
    lms.set("cmi.core.lesson_status", "cmi.completion_status", "incomplete");
  }
  var saved = lms.get("cmi.suspend_data", "cmi.suspend_data") || "";
  var page = saved === "sida=2" ? 2 : 1;
  document.getElementById("sida-1").hidden = page !== 1;
  document.getElementById("sida-2").hidden = page !== 2;

  document.getElementById("till-sida-2").addEventListener("click", function () {
    show(2);
  });
  document.getElementById("till-sida-1").addEventListener("click", function () {
    show(1);
  });
  document.getElementById("fraga").addEventListener("submit", function (event) {
    event.preventDefault();
    var choice = document.querySelector("input[name=svar]:checked");
    var message = document.getElementById("besked");
    if (!choice) {
      message.textContent = "Välj ett svar först.";
      return;
    }
    var right = choice.value === "b";
    lms.set("cmi.interactions.0.id", "cmi.interactions.0.id", "rapportera-nar");
    lms.set("cmi.interactions.0.type", "cmi.interactions.0.type", "choice");
    lms.set(
      "cmi.interactions.0.student_response",
      "cmi.interactions.0.learner_response",
      choice.value
    );
    lms.set("cmi.interactions.0.result", "cmi.interactions.0.result", right ? "correct" : api2004 ? "incorrect" : "wrong");
    if (!right) {
      message.textContent = "Inte riktigt. Läs sida 1 igen och försök en gång till.";
      lms.commit();
      return;
    }
    lms.set("cmi.core.score.raw", "cmi.score.raw", "100");
    lms.set("cmi.core.score.min", "cmi.score.min", "0");
    lms.set("cmi.core.score.max", "cmi.score.max", "100");
    lms.set(null, "cmi.score.scaled", "1");
    lms.set("cmi.core.lesson_status", "cmi.completion_status", "completed");
    lms.set("cmi.core.lesson_status", "cmi.success_status", "passed");
    lms.set("cmi.core.exit", "cmi.exit", api2004 ? "normal" : "");
    lms.commit();
    finished = true;
    lms.finish();
    message.textContent = "Rätt! Du är klar med rapporteringsrutinen.";
  });
  window.addEventListener("pagehide", leave);
})();
