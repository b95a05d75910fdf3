// The dossier's progress bar: the form is posted as it always is (the PDF comes back as a download,
// and the page stays); meanwhile this asks the server how far the dossier has come, by the token the
// page carries. Without script, the download comes all the same, without a bar.
(function () {
  "use strict";
  var form = document.querySelector("form.dossier");
  var box = document.querySelector(".dossier-progress");
  if (!form || !box || !window.fetch) { return; }
  var bar = box.querySelector("progress");
  var percent = box.querySelector("#dossier-progress-percent");
  var status = box.querySelector("#dossier-progress-status");
  var timer = null;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  function show(done, total) {
    var value = total > 0 ? Math.floor(100 * done / total) : 0;
    bar.value = value;
    percent.textContent = fill(box.dataset.percent, { percent: value });
  }

  function stop(message) {
    window.clearTimeout(timer);
    timer = null;
    status.textContent = message;
  }

  function ask() {
    fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (response.status === 404) { return null; }  // not started yet: the request is on its way
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (stage) {
      if (stage && stage.failed) { stop(box.dataset.failed); return; }
      if (stage) { show(stage.done, stage.total); }
      if (stage && stage.finished) { show(1, 1); stop(box.dataset.made); return; }
      timer = window.setTimeout(ask, 400);
    }).catch(function () { stop(""); });
  }

  // Each dossier asked for is followed under a token of its own, so a second one never reads the
  // first one's end.
  var field = form.querySelector("input[name=progress]");
  var url = box.dataset.progressUrl;
  var served = field.value;  // the token in the address the page was given
  function freshToken() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.value !== "pdf") { return; }  // the originals' ZIP streams as it goes
    window.clearTimeout(timer);
    var token = freshToken();
    url = box.dataset.progressUrl.replace(served, token);
    field.value = token;
    box.hidden = false;
    show(0, 1);
    status.textContent = box.dataset.making;
    timer = window.setTimeout(ask, 200);
  });
})();
