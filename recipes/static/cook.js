// Cook mode: one step at a time, ticked ingredients, timers, and the screen kept on.
// Without this script the page lists every step, which still works.
(function () {
  "use strict";
  var root = document.querySelector("[data-cook]");
  if (!root) return;
  var key = "cook:" + root.getAttribute("data-cook") + ":";
  var steps = Array.prototype.slice.call(root.querySelectorAll("[data-step]"));
  var nav = root.querySelector("[data-cook-nav]");
  var label = root.querySelector("[data-step-label]");
  var prev = root.querySelector("[data-prev]");
  var next = root.querySelector("[data-next]");
  var current = 0;

  function store(name, value) {
    try { sessionStorage.setItem(key + name, JSON.stringify(value)); } catch (e) { /* private mode */ }
  }
  function load(name, fallback) {
    try { var v = sessionStorage.getItem(key + name); return v === null ? fallback : JSON.parse(v); }
    catch (e) { return fallback; }
  }

  // --- steps -------------------------------------------------------------------------
  function show(index) {
    if (!steps.length) return;
    current = Math.max(0, Math.min(steps.length - 1, index));
    steps.forEach(function (step, i) { step.hidden = i !== current; });
    label.textContent = "Step " + (current + 1) + " of " + steps.length;
    prev.disabled = current === 0;
    next.disabled = current === steps.length - 1;
    store("step", current);
  }
  if (steps.length) {
    root.classList.add("one-step");
    nav.hidden = false;
    show(load("step", 0));
    prev.addEventListener("click", function () { show(current - 1); });
    next.addEventListener("click", function () { show(current + 1); });
    document.addEventListener("keydown", function (event) {
      var t = event.target;
      if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement) return;
      if (event.key === "ArrowRight" || event.key === "PageDown") { show(current + 1); event.preventDefault(); }
      if (event.key === "ArrowLeft" || event.key === "PageUp") { show(current - 1); event.preventDefault(); }
    });
    var startX = null, startY = null;
    root.addEventListener("touchstart", function (event) {
      startX = event.changedTouches[0].clientX; startY = event.changedTouches[0].clientY;
    }, { passive: true });
    root.addEventListener("touchend", function (event) {
      if (startX === null) return;
      var dx = event.changedTouches[0].clientX - startX, dy = event.changedTouches[0].clientY - startY;
      startX = null;
      if (Math.abs(dx) > 50 && Math.abs(dx) > 1.5 * Math.abs(dy)) show(current + (dx < 0 ? 1 : -1));
    }, { passive: true });
  }

  // --- ingredients ticked off (kept while the tab is open) --------------------------------
  var ticked = load("ticked", {});
  root.querySelectorAll("[data-tick]").forEach(function (box) {
    var id = box.getAttribute("data-tick");
    box.checked = !!ticked[id];
    box.closest("li").classList.toggle("done", box.checked);
    box.addEventListener("change", function () {
      ticked[id] = box.checked;
      box.closest("li").classList.toggle("done", box.checked);
      store("ticked", ticked);
    });
  });

  // --- timers ------------------------------------------------------------------------
  var panel = root.querySelector("[data-timers]");
  var list = root.querySelector("[data-timer-list]");
  var timers = load("timers", []);
  var audio = null;

  function beep() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    audio = audio || new Ctx();
    [0, 0.4, 0.8].forEach(function (offset) {
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.3, audio.currentTime + offset);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + offset + 0.3);
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(audio.currentTime + offset); osc.stop(audio.currentTime + offset + 0.3);
    });
  }
  function ring(timer) {
    beep();
    if (window.Notification && Notification.permission === "granted") {
      try { new Notification("Timer done", { body: timer.label }); } catch (e) { /* mobile needs a worker */ }
    }
  }
  function clock(seconds) {
    seconds = Math.max(0, Math.round(seconds));
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds % 3600 / 60), s = seconds % 60;
    return (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(s).padStart(2, "0");
  }
  function render() {
    panel.hidden = timers.length === 0;
    list.textContent = "";
    timers.forEach(function (timer, i) {
      var li = document.createElement("li");
      var left = (timer.end - Date.now()) / 1000;
      li.className = left <= 0 ? "timer rung" : "timer";
      var text = document.createElement("span");
      text.textContent = timer.label + " · ";
      var time = document.createElement("strong");
      time.setAttribute("data-timer-left", "");
      time.textContent = left <= 0 ? "Done!" : clock(left);
      var stop = document.createElement("button");
      stop.type = "button"; stop.className = "button small";
      stop.textContent = left <= 0 ? "Dismiss" : "Cancel";
      stop.addEventListener("click", function () { timers.splice(i, 1); store("timers", timers); render(); });
      li.appendChild(text); li.appendChild(time); li.appendChild(stop);
      list.appendChild(li);
    });
  }
  function tick() {
    var changed = false;
    timers.forEach(function (timer) {
      if (!timer.rung && timer.end <= Date.now()) { timer.rung = true; changed = true; ring(timer); }
    });
    if (changed) store("timers", timers);
    if (timers.length) render();
  }
  root.addEventListener("click", function (event) {
    var button = event.target instanceof Element && event.target.closest("[data-timer]");
    if (!button) return;
    var seconds = parseInt(button.getAttribute("data-timer"), 10);
    timers.push({ label: button.getAttribute("data-label"), end: Date.now() + seconds * 1000, rung: false });
    store("timers", timers);
    if (window.Notification && Notification.permission === "default") {
      try { Notification.requestPermission(); } catch (e) { /* old Safari: callback form */ }
    }
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (Ctx && !audio) audio = new Ctx(); // created on a click, so it may play later
    render();
  });
  render();
  setInterval(tick, 1000);

  // --- keep the screen on --------------------------------------------------------------
  var status = root.querySelector("[data-wakelock-status]");
  var lock = null;
  function keepAwake() {
    if (!("wakeLock" in navigator)) {
      status.textContent = "This browser cannot keep the screen on: set your screen timeout longer while you cook.";
      return;
    }
    navigator.wakeLock.request("screen").then(function (sentinel) {
      lock = sentinel;
      status.textContent = "The screen stays on while cook mode is open.";
      lock.addEventListener("release", function () { lock = null; });
    }, function () {
      status.textContent = "The screen could not be kept on (low battery or not allowed).";
    });
  }
  keepAwake();
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && !lock) keepAwake();
  });
})();
