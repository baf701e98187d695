// The recipe form's photos: drop or paste images, or pick them, and upload each without
// a page load. Without this script the same form uploads with a normal submit.
(function () {
  "use strict";
  var form = document.querySelector("form[data-photo-upload]");
  if (!form || !window.fetch || !window.FormData) return;
  var input = form.querySelector("input[type=file]");
  var status = form.querySelector(".upload-status");
  var token = form.querySelector("input[name=csrf_token]").value;

  function say(text) { status.textContent = text; }

  function uploadOne(file) {
    var body = new FormData();
    body.append("file", file, file.name || "pasted.png");
    return fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token }
    }).then(function (response) {
      if (response.status === 413) throw new Error((file.name || "The photo") + ": larger than 20 MB.");
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error || "The upload failed.");
        return data;
      });
    });
  }

  function send(files) {
    var list = Array.prototype.slice.call(files);
    if (!list.length) return;
    var done = 0;
    say("Uploading " + list.length + (list.length === 1 ? " photo…" : " photos…"));
    list.reduce(function (chain, file) {
      return chain.then(function () {
        return uploadOne(file).then(function () { done += 1; say("Uploaded " + done + " of " + list.length + "."); });
      });
    }, Promise.resolve()).then(function () {
      window.location.hash = "photos";
      window.location.reload();
    }, function (error) {
      say(error.message + (done ? " The others before it were saved." : ""));
      if (done) setTimeout(function () { window.location.reload(); }, 2500);
    });
  }

  form.addEventListener("submit", function (event) {
    if (!input.files.length) return;
    event.preventDefault();
    send(input.files);
  });
  form.addEventListener("dragover", function (event) {
    event.preventDefault();
    form.classList.add("dragging");
  });
  form.addEventListener("dragleave", function () { form.classList.remove("dragging"); });
  form.addEventListener("drop", function (event) {
    event.preventDefault();
    form.classList.remove("dragging");
    if (event.dataTransfer) send(event.dataTransfer.files);
  });
  document.addEventListener("paste", function (event) {
    var files = event.clipboardData && event.clipboardData.files;
    if (files && files.length) {
      event.preventDefault();
      send(files);
    }
  });
})();
