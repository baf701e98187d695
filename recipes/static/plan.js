// Drag a planned meal to another day or meal. Each entry's menu has a Move form that does
// the same from the keyboard (and without this script).
(function () {
  "use strict";
  var week = document.querySelector("[data-plan-week]");
  if (!week || !window.fetch) return;
  var api = week.getAttribute("data-api");
  var csrf = week.getAttribute("data-csrf");
  var dragged = null;

  function cellOf(target) {
    return target instanceof Element ? target.closest("[data-drop]") : null;
  }
  function clearTargets() {
    week.querySelectorAll(".drop-target").forEach(function (el) { el.classList.remove("drop-target"); });
  }

  week.addEventListener("dragstart", function (event) {
    var entry = event.target instanceof Element ? event.target.closest("[data-entry]") : null;
    if (!entry) return;
    dragged = entry;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", entry.getAttribute("data-entry"));
    entry.classList.add("dragging");
  });
  week.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    clearTargets();
  });
  week.addEventListener("dragover", function (event) {
    var cell = cellOf(event.target);
    if (!cell || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    clearTargets();
    cell.classList.add("drop-target");
  });
  week.addEventListener("drop", function (event) {
    var cell = cellOf(event.target);
    if (!cell || !dragged) return;
    event.preventDefault();
    var id = dragged.getAttribute("data-entry");
    cell.querySelector(".entries").appendChild(dragged);
    clearTargets();
    fetch(api + "/" + id, {
      method: "PATCH",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ date: cell.getAttribute("data-date"), slot: cell.getAttribute("data-slot") })
    }).then(function () { location.reload(); }, function () { location.reload(); });
  });
})();
