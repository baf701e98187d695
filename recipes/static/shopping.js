// A shopping list that stays live: check-offs and new items apply at once, wait in a queue
// (kept in localStorage) while the phone is offline, and are sent again on reconnect. A
// check-off is sent as "checked: true/false", never "toggle", so a change replayed later
// merges with what others did meanwhile. Other devices' changes arrive by polling the list
// every second with its ETag (a cheap 304 while nothing changed).
(function () {
  "use strict";
  var root = document.querySelector("[data-shopping-list]");
  if (!root || !window.fetch) return;
  var api = root.getAttribute("data-api");
  var csrf = root.getAttribute("data-csrf");
  var items = root.querySelector("[data-items]");
  var status = root.querySelector("[data-sync-status]");
  var key = "recipes.shopping.queue." + root.getAttribute("data-shopping-list");
  var POLL_MS = 1000;
  var etag = null;
  var sending = false;
  var polling = false;
  var sent = 0; // changes the server has taken: a poll started before one is stale

  function queue() {
    try { return JSON.parse(localStorage.getItem(key)) || []; } catch (e) { return []; }
  }
  function store(ops) {
    try { localStorage.setItem(key, JSON.stringify(ops)); } catch (e) { /* private mode */ }
  }
  function say() {
    var n = queue().length;
    status.textContent = n ? n + (n === 1 ? " change" : " changes") + " waiting to be sent" : "";
  }

  function enqueue(op) {
    var ops = queue();
    ops.push(op);
    store(ops);
    say();
    send();
  }

  function send() {
    var ops = queue();
    if (sending || !ops.length) return;
    sending = true;
    var op = ops[0];
    fetch(op.url, {
      method: op.method,
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(op.body)
    }).then(function (response) {
      sending = false;
      if (response.status >= 500) throw new Error("server");
      // Sent (or refused for good, e.g. the item was deleted meanwhile): drop it.
      var rest = queue().filter(function (o) { return o.id !== op.id; });
      store(rest);
      sent += 1;
      say();
      if (rest.length) send(); else poll();
    }).catch(function () {
      sending = false;
      say();
    });
  }

  function itemOf(id) {
    return items.querySelector('[data-item="' + id + '"]');
  }

  function showChecked(li, checked) {
    if (!li) return;
    li.classList.toggle("checked", checked);
    var button = li.querySelector("button.tick");
    if (button) button.setAttribute("aria-pressed", checked ? "true" : "false");
    var box = li.querySelector(".box");
    if (box) box.textContent = checked ? "✓" : "";
    var next = li.querySelector("form[data-check] input[name=checked]");
    if (next) next.value = checked ? "0" : "1";
  }

  // What is still waiting shows on top of the server's copy.
  function applyPending() {
    var waiting = items.querySelector("[data-pending]");
    if (waiting) waiting.remove();
    var added = [];
    queue().forEach(function (op) {
      if (op.kind === "check") showChecked(itemOf(op.item), op.body.checked);
      if (op.kind === "add") added.push(op.body.text);
    });
    if (!added.length) return;
    var list = document.createElement("ul");
    list.className = "items pending";
    list.setAttribute("data-pending", "");
    added.forEach(function (text) {
      var li = document.createElement("li");
      li.className = "item";
      li.textContent = text + " (not sent yet)";
      list.appendChild(li);
    });
    items.prepend(list);
  }

  function swap(html) {
    var open = [];
    items.querySelectorAll("details[open]").forEach(function (d) {
      var li = d.closest("[data-item]");
      if (li) open.push(li.getAttribute("data-item"));
    });
    var focused = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest("[data-item]") : null;
    var focusId = focused && items.contains(focused) ? focused.getAttribute("data-item") : null;
    items.innerHTML = html;
    open.forEach(function (id) {
      var d = itemOf(id) && itemOf(id).querySelector("details");
      if (d) d.open = true;
    });
    if (focusId && itemOf(focusId)) {
      var button = itemOf(focusId).querySelector("button");
      if (button) button.focus();
    }
    applyPending();
  }

  function poll() {
    if (polling) return;
    polling = true;
    var started = sent;
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(location.pathname + "?partial=1", { credentials: "same-origin", cache: "no-store", headers: headers })
      .then(function (response) {
        polling = false;
        if (response.status !== 200 || started !== sent) return null;
        etag = response.headers.get("ETag");
        return response.text();
      })
      .then(function (html) { if (html !== null && html !== undefined) swap(html); })
      .catch(function () { polling = false; });
  }

  items.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-check]")) return;
    event.preventDefault();
    var li = form.closest("[data-item]");
    var id = li.getAttribute("data-item");
    var checked = form.querySelector("input[name=checked]").value === "1";
    showChecked(li, checked);
    enqueue({
      id: String(Date.now()) + Math.random(), kind: "check", item: id,
      url: api + "/items/" + id, method: "PATCH", body: { checked: checked }
    });
  });

  var add = root.querySelector("form[data-add-item]");
  add.addEventListener("submit", function (event) {
    event.preventDefault();
    var input = add.querySelector("input[name=text]");
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    var clientId = "c" + Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
    enqueue({
      id: clientId, kind: "add", url: api + "/items", method: "POST",
      body: { text: text, client_id: clientId }
    });
    applyPending();
    input.focus();
  });

  var copy = root.querySelector("[data-copy-text]");
  if (copy) {
    copy.addEventListener("click", function (event) {
      if (!navigator.clipboard) return; // the link opens the plain text instead
      event.preventDefault();
      fetch(copy.href, { credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (text) { return navigator.clipboard.writeText(text); })
        .then(function () {
          var label = copy.textContent;
          copy.textContent = "Copied";
          setTimeout(function () { copy.textContent = label; }, 2000);
        })
        .catch(function () { location.href = copy.href; });
    });
  }

  var version = items.querySelector("[data-version]");
  if (version) etag = '"' + root.getAttribute("data-shopping-list") + "-" + version.getAttribute("data-version") + '"';
  window.addEventListener("online", send);
  applyPending();
  say();
  send();
  setInterval(function () { send(); poll(); }, POLL_MS);
})();
