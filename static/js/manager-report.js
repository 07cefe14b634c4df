// Managers' report: a "select everyone on this page" checkbox. Without JavaScript each
// person is still selected with their own checkbox; this only adds a shortcut.
(function () {
  "use strict";
  var form = document.querySelector("form.report-remind");
  var cell = form && form.querySelector("th[data-select-all]");
  if (!cell) return;
  var boxes = form.querySelectorAll("input[type=checkbox][name=staff]");
  if (!boxes.length) return;
  var all = document.createElement("input");
  all.type = "checkbox";
  all.id = "select-all";
  var label = document.createElement("label");
  label.htmlFor = all.id;
  label.className = "visually-hidden";
  label.textContent = cell.getAttribute("data-select-all");
  cell.appendChild(document.createTextNode(" "));
  cell.appendChild(all);
  cell.appendChild(label);
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
  });
  form.addEventListener("change", function (event) {
    if (event.target.name !== "staff") return;
    var checked = form.querySelectorAll("input[name=staff]:checked").length;
    all.checked = checked === boxes.length;
    all.indeterminate = checked > 0 && checked < boxes.length;
  });
})();
