// Pictures whose previews are still being made (helper/evidence/renditions.py): the page asks the
// server now and then how they stand, and puts each preview in its placeholder's place once it
// exists. Without script the placeholders stay, and the previews are there when the page is next
// opened. Asking touches no key: a page left open does not keep the vault from its idle lock.
(function () {
  "use strict";
  if (!window.fetch) { return; }
  var waiting = Array.prototype.slice.call(document.querySelectorAll("[data-rendition-item]"));
  if (waiting.length === 0) { return; }
  var url = waiting[0].dataset.renditionUrl;
  var asked = 0;

  function show(placeholder) {
    var img = document.createElement("img");
    img.className = placeholder.dataset.class || "";
    img.alt = placeholder.dataset.alt || "";
    if (placeholder.dataset.width) { img.width = Number(placeholder.dataset.width); }
    img.src = placeholder.dataset.src;
    placeholder.replaceWith(img);
  }

  function unreadable(placeholder) {
    placeholder.textContent = placeholder.dataset.unreadable;
    placeholder.classList.remove("preparing");
    placeholder.classList.add("unreadable");
    placeholder.removeAttribute("data-rendition-item");
  }

  function later() {
    asked += 1;
    // Every 1.5 seconds for the first minutes, then every 10: a batch of hundreds takes a while.
    window.setTimeout(ask, asked < 120 ? 1500 : 10000);
  }

  function ask() {
    var query = waiting.slice(0, 200).map(function (el) {
      return "item=" + encodeURIComponent(el.dataset.renditionItem);
    }).join("&");
    fetch(url + "?" + query, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (answer) {
      waiting = waiting.filter(function (el) {
        var state = answer.items[el.dataset.renditionItem];
        if (state === "ready") { show(el); return false; }
        if (state === "unreadable") { unreadable(el); return false; }
        return state === "preparing";  // gone from the case: nothing more to wait for
      });
      if (waiting.length) { later(); }
    }).catch(function () {
      if (asked < 20) { later(); }  // locked or closed: the page that opens next asks again
    });
  }

  later();
})();
