// Incident Helper: quick exit, idle lock, keep-alive while typing, passphrase strength.
// Everything works without this file; it only makes those things faster and kinder.
(function () {
  "use strict";
  var body = document.body;
  var exitUrl = body.dataset.exitUrl;
  var idleSeconds = parseInt(body.dataset.idleSeconds || "900", 10);
  var unlocked = body.dataset.unlocked === "yes";

  // --- Quick exit: lock on the server, then replace this page so Back does not return to it.
  // Every other tab of the app leaves too: told at once by a message between tabs (kept in memory,
  // never on disk), or, for a tab that missed it (the exit was made without script, or the tab was
  // asleep), by asking the server whether this browser session is still open when it is seen again.
  var exitForm = document.getElementById("quick-exit-form");
  var tabs = window.BroadcastChannel ? new BroadcastChannel("incident-helper") : null;
  function leave() {
    document.title = "";
    document.body.innerHTML = "";
    window.location.replace(exitUrl);
  }
  function lockOnServer() {
    try {
      fetch(exitForm.action, {
        method: "POST", body: new FormData(exitForm), keepalive: true,
        credentials: "same-origin", headers: { "X-Quick-Exit": "fetch" }
      }).catch(function () {});
    } catch (e) { /* leave anyway */ }
  }
  function quickExit() {
    lockOnServer();
    if (tabs) { try { tabs.postMessage("quick-exit"); } catch (e) { /* leave anyway */ } }
    leave();
  }
  if (exitForm) {
    exitForm.addEventListener("submit", function (event) { event.preventDefault(); quickExit(); });
  }
  if (tabs) {
    tabs.addEventListener("message", function (event) {
      if (event.data === "quick-exit") { leave(); }  // the tab that sent it locked on the server
    });
  }
  var stateUrl = body.dataset.stateUrl;
  if (body.dataset.open === "yes" && stateUrl && window.fetch) {
    var asking = false;
    var stillOpen = function () {
      if (asking) { return; }
      asking = true;
      fetch(stateUrl, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
        asking = false;
        if (response.status === 403) { leave(); }  // closed: a quick exit elsewhere
      }, function () { asking = false; });  // no answer (the app was stopped): stay, it says nothing
    };
    window.addEventListener("focus", stillOpen);
    window.addEventListener("pageshow", function (event) { if (event.persisted) { stillOpen(); } });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") { stillOpen(); }
    });
    // A window left open beside another may never get the focus: it asks now and then while seen.
    setInterval(function () { if (document.visibilityState === "visible") { stillOpen(); } }, 5000);
  }
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEscape < 1000) { quickExit(); }
    lastEscape = now;
  });

  // --- Idle lock and keep-alive: activity keeps the vault open; silence locks it.
  var lastActivity = Date.now();
  // A long upload counts as activity: the upload script calls this as bytes go out.
  window.incidentHelperTouch = function () { lastActivity = Date.now(); };
  if (unlocked) {
    var lastPing = Date.now();
    var csrf = document.querySelector("#lock-form input[name=csrf_token]");
    ["keydown", "pointerdown", "pointermove", "scroll", "input"].forEach(function (name) {
      document.addEventListener(name, function () { lastActivity = Date.now(); }, { passive: true });
    });
    setInterval(function () {
      var now = Date.now();
      if (now - lastActivity >= idleSeconds * 1000) {
        var lockForm = document.getElementById("lock-form");
        lockForm.querySelector("input[name=reason]").value = "idle";
        lockForm.submit();
      } else if (lastActivity > lastPing && now - lastPing > 60000 && csrf) {
        lastPing = now;
        var data = new FormData();
        data.append("csrf_token", csrf.value);
        fetch("/session/alive", { method: "POST", body: data, credentials: "same-origin" }).catch(function () {});
      }
    }, 5000);
  }

  // --- Passphrase strength, as a hint only: the server decides what is accepted.
  var input = document.querySelector("input[data-strength]");
  var out = document.getElementById("strength");
  if (input && out) {
    var words = (out.dataset.words || "").split("|");
    input.addEventListener("input", function () {
      var level = strength(input.value);
      out.hidden = input.value.length === 0;
      out.dataset.level = String(level);
      out.textContent = words[level] || "";
    });
  }
  function strength(p) {
    if (p.length < 10) { return 0; }
    var pool = 0;
    if (/[a-z]/.test(p)) { pool += 26; }
    if (/[A-Z]/.test(p)) { pool += 26; }
    if (/[0-9]/.test(p)) { pool += 10; }
    if (/[^a-zA-Z0-9]/.test(p)) { pool += 33; }
    var distinct = new Set(p.split("")).size;
    var bits = Math.min(p.length, distinct * 2) * Math.log2(pool || 1);
    return bits < 50 ? 1 : bits < 75 ? 2 : 3;
  }
})();

// Uploads with a progress bar: each file goes as the raw body of its own request, so a long
// screen recording shows how far it is. Without script, the form posts all files at once.
(function () {
  "use strict";
  var form = document.querySelector("form.upload[data-raw-url]");
  if (!form || !window.XMLHttpRequest) { return; }
  var input = form.querySelector("input[type=file]");
  var box = form.querySelector(".progress");
  var bar = box.querySelector("progress");
  var status = box.querySelector("#upload-status");
  var token = form.querySelector("input[name=csrf_token]").value;
  var declared = form.querySelector("input[name=no_intimate]");
  var intimate = form.querySelector("input[name=intimate]");
  var maxBytes = Number(form.dataset.maxBytes || 0);

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  // The bar shows the bytes sent of all the files chosen, however many are on their way at once.
  var sent = [];
  var totalBytes = 0;
  function showProgress() {
    var done = sent.reduce(function (sum, n) { return sum + (n || 0); }, 0);
    bar.value = totalBytes ? Math.min(100, Math.round(100 * done / totalBytes)) : 100;
  }

  function send(file, index, total, batch, place) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.dataset.rawUrl);
      xhr.setRequestHeader("X-CSRFToken", token);
      xhr.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
      // Two files travel at once; the server adds them to the case in the order chosen.
      xhr.setRequestHeader("X-Upload-Batch", batch);
      xhr.setRequestHeader("X-Upload-Index", String(place));
      if (file.lastModified) { xhr.setRequestHeader("X-File-Modified", String(file.lastModified)); }
      if (declared && declared.checked) { xhr.setRequestHeader("X-No-Intimate", "yes"); }
      if (intimate && intimate.checked) { xhr.setRequestHeader("X-Intimate", "yes"); }
      xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
      status.textContent = fill(form.dataset.msgProgress, { n: index + 1, total: total, name: file.name });
      xhr.upload.onprogress = function (event) {
        if (window.incidentHelperTouch) { window.incidentHelperTouch(); }
        sent[index] = event.loaded;
        showProgress();
      };
      xhr.onload = function () {
        sent[index] = file.size;
        showProgress();
        var reply = {};
        try { reply = JSON.parse(xhr.responseText); } catch (e) { reply = {}; }
        if (xhr.status === 200 && reply.ok) { resolve(); } else { reject(reply.message || ""); }
      };
      xhr.onerror = function () { reject(""); };
      xhr.send(file);
    });
  }

  // Every file is tried; one refused file does not stop the others. At the end, either all went
  // in (the case page is shown) or the refusals are listed, each with its reason.
  form.addEventListener("submit", function (event) {
    var files = Array.prototype.slice.call(input.files || []);
    if (files.length === 0) { return; }  // the server explains that nothing was chosen
    if (declared && !declared.checked) { return; }  // the server explains why, without keeping anything
    event.preventDefault();
    // "Done with this step" (a button of this form, elsewhere on the page) sends the files chosen
    // first, then goes on with the step; if one is refused, the step stays and says why.
    var onward = event.submitter && event.submitter.hasAttribute("formaction") ? event.submitter : null;
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    if (onward) { onward.disabled = true; }
    box.hidden = false;
    var saved = 0;
    var refused = [];
    sent = files.map(function () { return 0; });
    totalBytes = files.reduce(function (sum, file) { return sum + file.size; }, 0);
    bar.value = 0;
    // Two files on their way at a time: while the computer looks at one picture, the next arrives.
    // A file too large is refused here, before anything is sent; the others keep their order.
    var queue = [];
    files.forEach(function (file, index) {
      if (maxBytes && file.size > maxBytes) {
        refused.push(fill(form.dataset.msgTooLarge, { name: file.name }));
        sent[index] = file.size;
      } else {
        queue.push(index);
      }
    });
    var next = 0;
    var batch = String(Date.now()) + String(Math.floor(Math.random() * 1e9));
    function worker() {
      if (next >= queue.length) { return Promise.resolve(); }
      var place = next;
      var index = queue[place];
      next += 1;
      var file = files[index];
      return send(file, index, files.length, batch, place).then(function () { saved += 1; }, function (message) {
        refused.push(message || fill(form.dataset.msgFailed, { name: file.name }));
      }).then(worker);
    }
    Promise.all([worker(), worker()]).then(function () {
      if (refused.length === 0 && onward) {
        var added = document.createElement("input");
        added.type = "hidden";
        added.name = "added";
        added.value = String(saved);
        form.appendChild(added);
        input.value = "";  // sent already: the step's own request carries none of them again
        onward.disabled = false;
        if (form.requestSubmit) { form.requestSubmit(onward); return; }
        form.action = onward.formAction;  // an older browser: the same request, by hand
        form.submit();
        return;
      }
      if (refused.length === 0) {
        window.location.assign(form.dataset.doneUrl + "?added=" + saved);
        return;
      }
      button.disabled = false;
      if (onward) { onward.disabled = false; }
      bar.value = 100;
      status.textContent = fill(form.dataset.msgSummary, { saved: saved, total: files.length });
      var list = document.createElement("ul");
      list.className = "refusals";
      refused.forEach(function (message) {
        var item = document.createElement("li");
        item.textContent = message;
        list.appendChild(item);
      });
      status.appendChild(list);
      if (saved > 0) {
        var done = document.createElement("a");
        done.href = form.dataset.doneUrl + "?added=" + saved;
        done.textContent = form.dataset.msgContinue;
        status.appendChild(done);
      }
      input.value = "";
    });
  });
})();

// Drafts: a form marked data-autosave is saved a few seconds after the person stops typing,
// so closing the window or a crash loses nothing. The server keeps it encrypted in the vault.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) { return; }
  var status = form.querySelector(".autosave-status");
  var shown = form.querySelector("input[name=shown]");
  var timer = null;
  function say(text) { if (status) { status.textContent = text; } }
  function save() {
    fetch(form.action || window.location.pathname, {
      method: "POST", body: new FormData(form), credentials: "same-origin", headers: { "X-Autosave": "1" }
    }).then(function (response) {
      response.json().then(function (reply) {
        if (response.ok && reply.ok) {
          // What the page shows is now what is saved: the next save compares with it.
          if (shown && reply.shown) { shown.value = reply.shown; }
          say(status ? status.dataset.saved : "");
          return;
        }
        // Not saved (another window saved this story since, a full disk, a locked vault): say so;
        // the text stays where it is, in the page.
        say(reply.message || "");
      }, function () {});
    }).catch(function () {});
  }
  form.addEventListener("input", function () {
    if (status) { status.textContent = ""; }
    clearTimeout(timer);
    timer = setTimeout(save, 3000);
  });
})();

// Copy a letter: the button appears only with this script; without it the text can be selected.
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.dataset.copy);
    var status = button.parentNode.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      function done() { if (status) { status.textContent = button.dataset.copied; } }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(source.value).then(done, function () {
          source.select(); document.execCommand("copy"); done();
        });
      } else {
        source.select(); document.execCommand("copy"); done();
      }
    });
  });
})();

// The hand-over page: ticking a file means only the files ticked, so "every file" is unticked (the
// server settles it the same way without script); ticking "every file" again unticks the files.
(function () {
  "use strict";
  var form = document.querySelector("form.handover");
  if (!form) { return; }
  var every = form.querySelector("input[name=all_items]");
  var intimate = form.querySelector("input[name=intimate]");
  var files = Array.prototype.slice.call(form.querySelectorAll("input[name=items]"));
  var status = document.getElementById("handover-files-status");
  if (!every) { return; }
  function say(text) { if (status) { status.textContent = text; } }
  files.forEach(function (file) {
    file.addEventListener("change", function () {
      if (!file.checked || !every.checked) { return; }
      every.checked = false;
      if (intimate) { intimate.checked = false; }
      say(status ? status.dataset.only : "");
    });
  });
  function everyFile() {
    files.forEach(function (file) { file.checked = false; });
    say("");
  }
  every.addEventListener("change", function () { if (every.checked) { everyFile(); } });
  if (intimate) {
    intimate.addEventListener("change", function () {
      if (intimate.checked && !every.checked) { every.checked = true; everyFile(); }
    });
  }
})();
