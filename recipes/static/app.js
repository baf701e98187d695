// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  document.documentElement.classList.add("has-js");

  // Phone header: the links fold into one Menu button (CSS shows it on narrow screens only).
  var toggle = document.querySelector(".nav-toggle");
  var links = document.getElementById("nav-links");
  if (toggle && links) {
    toggle.hidden = false;
    var setOpen = function (open) {
      links.classList.toggle("open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    };
    toggle.addEventListener("click", function () { setOpen(!links.classList.contains("open")); });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && links.classList.contains("open")) { setOpen(false); toggle.focus(); }
    });
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    if (target.closest("[data-print]")) {
      window.print();
      return;
    }
    var copy = target.closest("[data-copy]");
    if (copy) {
      var input = document.querySelector(copy.getAttribute("data-copy"));
      if (!input) return;
      input.select();
      var label = copy.getAttribute("data-label") || copy.textContent;
      copy.setAttribute("data-label", label);
      var done = function () {
        copy.textContent = "Copied";
        setTimeout(function () { copy.textContent = label; }, 2000);
      };
      if (navigator.clipboard) navigator.clipboard.writeText(input.value).then(done, function () {});
      else if (document.execCommand("copy")) done();
    }
  });

  // A sort choice or a rating applies as soon as it is picked (the form's button is hidden).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof Element && el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
  });

  document.addEventListener("focusin", function (event) {
    var el = event.target;
    if (el instanceof HTMLInputElement && el.hasAttribute("data-select-on-focus")) el.select();
  });

  // A recipe photo whose address no longer works is hidden, not shown as a broken icon.
  document.addEventListener("error", function (event) {
    var img = event.target;
    if (img instanceof HTMLImageElement && img.classList.contains("hero")) img.hidden = true;
  }, true);

  // Times come from the server in UTC: show them in the reader's own zone and words.
  var relative = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(undefined, { numeric: "auto" }) : null;
  var steps = [[86400, "day"], [3600, "hour"], [60, "minute"]];
  document.querySelectorAll("time[data-local]").forEach(function (el) {
    var when = new Date(el.getAttribute("datetime"));
    if (isNaN(when)) return;
    el.title = when.toLocaleString(undefined, { dateStyle: "long", timeStyle: "short" });
    var seconds = (Date.now() - when) / 1000;
    if (relative && seconds >= 0 && seconds < 7 * 86400) {
      var step = steps.find(function (s) { return seconds >= s[0]; });
      el.textContent = step ? relative.format(-Math.floor(seconds / step[0]), step[1]) : relative.format(0, "minute");
    } else {
      el.textContent = when.toLocaleDateString(undefined, { dateStyle: "medium" });
    }
  });

  // A form that came back with errors: start at the first field to fix, not at the top.
  var invalid = document.querySelector("[aria-invalid=true]");
  if (invalid) invalid.focus();

  // Search as you type: fetch the results fragment and swap it in.
  var form = document.querySelector("form[data-live-search]");
  var results = document.getElementById("results");
  var status = document.getElementById("search-status");
  if (form && results && window.fetch) {
    var input = form.querySelector("input[name=q]");
    var timer = null;
    var latest = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var params = new URLSearchParams(new FormData(form));
        var ticket = ++latest;
        history.replaceState(null, "", "?" + params.toString());
        params.set("partial", "1");
        fetch(form.action + "?" + params.toString(), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.text() : null; })
          .then(function (html) {
            if (html === null || ticket !== latest) return;
            results.innerHTML = html;
            var count = results.querySelector(".count");
            if (status) status.textContent = count ? count.textContent : "";
          })
          .catch(function () {});
      }, 150);
    });
  }

  // Servings and units: fetch the recipe body at the new scale and swap it in.
  var scaled = document.getElementById("scaled-recipe");
  if (scaled && window.fetch && window.URLSearchParams) {
    scaled.addEventListener("submit", function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-scale-form")) return;
      event.preventDefault();
      var params = new URLSearchParams(new FormData(form));
      var submitter = event.submitter;
      if (submitter && submitter.name) params.set(submitter.name, submitter.value);
      if (params.has("set")) { params.set("servings", params.get("set")); params.delete("set"); }
      var query = "?" + params.toString();
      history.replaceState(null, "", query);
      var cook = document.querySelector("[data-keep-scale]");
      if (cook) cook.setAttribute("href", cook.getAttribute("href").split("?")[0] + query);
      // Planning or shopping from the page takes the servings it now shows.
      Array.prototype.forEach.call(document.querySelectorAll("[data-keep-servings]"), function (input) {
        input.value = params.get("servings") || "";
      });
      params.set("partial", "1");
      fetch(form.action + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null) return;
          scaled.innerHTML = html;
          // Keep the keyboard where it was: on the same button, or in the number field.
          var label = submitter && submitter.name && submitter.textContent;
          var again = Array.prototype.filter.call(scaled.querySelectorAll("button"), function (b) {
            return label && b.name === submitter.name && b.textContent === label;
          })[0];
          (again || scaled.querySelector("#servings-input") || scaled).focus();
        })
        .catch(function () { window.location.search = query; });
    });
  }
})();
