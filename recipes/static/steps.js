// The recipe form's steps as a numbered list: each step in its own box, with buttons to move
// it up or down and to remove it. The original one-step-per-line text area stays in the form
// (hidden) and is rewritten on every change, so the server sees exactly what it always did.
(function () {
  "use strict";
  var source = document.querySelector(".steps-field textarea");
  if (!source) return;
  var field = source.closest(".steps-field");
  var label = field.querySelector("label");
  var list = document.createElement("ol");
  list.className = "step-editor";
  if (label) {
    label.id = label.id || "steps-label";
    list.setAttribute("aria-labelledby", label.id);
  }
  var add = button("Add a step", "button add-step");
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");

  function button(text, className, labelText) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = text;
    if (labelText) b.setAttribute("aria-label", labelText);
    return b;
  }

  function boxes() { return Array.prototype.slice.call(list.querySelectorAll("textarea")); }

  function sync() {
    source.value = boxes().map(function (t) { return t.value.replace(/\s*\n\s*/g, " ").trim(); })
      .filter(Boolean).join("\n");
    boxes().forEach(function (box, i) {
      var n = i + 1;
      box.setAttribute("aria-label", "Step " + n);
      var item = box.closest("li");
      item.querySelector(".step-up").setAttribute("aria-label", "Move step " + n + " up");
      item.querySelector(".step-down").setAttribute("aria-label", "Move step " + n + " down");
      item.querySelector(".step-remove").setAttribute("aria-label", "Remove step " + n);
      item.querySelector(".step-up").disabled = n === 1;
      item.querySelector(".step-down").disabled = !item.nextElementSibling;
    });
  }

  function grow(box) {
    box.style.height = "auto";
    box.style.height = box.scrollHeight + 2 + "px";
  }

  function addStep(text, after) {
    var item = document.createElement("li");
    var box = document.createElement("textarea");
    box.rows = 2;
    box.value = text;
    var tools = document.createElement("div");
    tools.className = "step-tools";
    tools.appendChild(button("↑", "button step-up"));
    tools.appendChild(button("↓", "button step-down"));
    tools.appendChild(button("Remove", "button step-remove"));
    item.appendChild(box);
    item.appendChild(tools);
    list.insertBefore(item, after ? after.nextSibling : null);
    return box;
  }

  function move(item, direction) {
    var other = direction < 0 ? item.previousElementSibling : item.nextElementSibling;
    if (!other) return;
    if (direction < 0) list.insertBefore(item, other);
    else list.insertBefore(other, item);
    sync();
    var n = boxes().indexOf(item.querySelector("textarea")) + 1;
    status.textContent = "Moved to step " + n + ".";
    var same = item.querySelector(direction < 0 ? ".step-up" : ".step-down");
    (same.disabled ? item.querySelector("textarea") : same).focus();
  }

  list.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var item = target.closest("li");
    if (!item) return;
    if (target.closest(".step-up")) move(item, -1);
    else if (target.closest(".step-down")) move(item, 1);
    else if (target.closest(".step-remove")) {
      var next = item.nextElementSibling || item.previousElementSibling;
      item.remove();
      sync();
      status.textContent = "Step removed.";
      if (next) next.querySelector("textarea").focus();
      else add.focus();
    }
  });

  list.addEventListener("input", function (event) {
    if (event.target instanceof HTMLTextAreaElement) { grow(event.target); sync(); }
  });

  // Enter starts the next step, as a new line did in the plain text area.
  list.addEventListener("keydown", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLTextAreaElement) || event.key !== "Enter" || event.shiftKey) return;
    event.preventDefault();
    var rest = box.value.slice(box.selectionEnd);
    box.value = box.value.slice(0, box.selectionStart);
    var created = addStep(rest.trim(), box.closest("li"));
    sync();
    created.focus();
    created.setSelectionRange(0, 0);
  });

  add.addEventListener("click", function () {
    var box = addStep("", null);
    sync();
    box.focus();
  });

  var lines = source.value.split("\n").filter(function (line) { return line.trim(); });
  (lines.length ? lines : [""]).forEach(function (line) { addStep(line, null); });
  source.hidden = true;
  source.insertAdjacentElement("afterend", list);
  list.insertAdjacentElement("afterend", add);
  add.insertAdjacentElement("afterend", status);
  var help = field.querySelector(".help");
  if (help) help.textContent = "Each step in its own box. Enter starts the next one; the arrows reorder them.";
  if (label) label.removeAttribute("for");
  sync();
  boxes().forEach(grow);
})();
