/* Workspace presence ("who else is here / typing"), the new-message notice, and @mention help in the
   reply box. Enhancements only: the workspace works without them. Loaded by the presence panel. */
(function () {
  "use strict";
  if (window.helpdeskPresenceLoaded) return;
  window.helpdeskPresenceLoaded = true;
  var lastInput = 0;

  function box() { return document.querySelector("#ws-reply textarea[name=body]"); }
  function panel() { return document.getElementById("presence"); }

  window.helpdeskTyping = function () {
    return Date.now() - lastInput < 4000 ? "1" : "0";
  };

  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (e) { return ""; }
  }

  // The poll carries "typing" and the newest message id this page knows (no hx-vals: eval is off).
  document.addEventListener("htmx:configRequest", function (ev) {
    var p = panel();
    if (!p || ev.detail.elt !== p) return;
    ev.detail.parameters["typing"] = window.helpdeskTyping();
    ev.detail.parameters["since"] = p.dataset.since || "";
  });

  document.addEventListener("htmx:afterSwap", function (ev) {
    var p = panel();
    if (!p || ev.detail.target !== p) return;
    var since = document.getElementById("presence-since");
    if (since && !p.dataset.since) p.dataset.since = since.dataset.since;
  });

  window.addEventListener("pagehide", function () {
    var p = panel();
    if (!p || !navigator.sendBeacon) return;
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrf());
    navigator.sendBeacon(p.dataset.leave, data);
  });

  function mentionWord(text, caret) {
    var m = /(^|[\s(])@([\w.\-]*)$/.exec(text.slice(0, caret));
    return m ? m[2] : null;
  }

  var timer = null;
  document.addEventListener("input", function (ev) {
    var el = box();
    if (ev.target !== el) return;
    lastInput = Date.now();
    var p = panel();
    if (!p || !window.htmx) return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      var word = mentionWord(el.value, el.selectionStart || el.value.length);
      if (word === null && el.value.indexOf("@") < 0) {
        document.getElementById("mention-help").innerHTML = "";
        return;
      }
      var url = p.dataset.mentions + "?text=" + encodeURIComponent(el.value.slice(0, 5000));
      if (word !== null) url += "&q=" + encodeURIComponent(word);
      htmx.ajax("GET", url, { target: "#mention-help", swap: "innerHTML" });
    }, 250);
  });

  document.addEventListener("click", function (ev) {
    var pick = ev.target.closest && ev.target.closest(".mention-pick");
    var el = box();
    if (!pick || !el) return;
    var caret = el.selectionStart || el.value.length;
    var before = el.value.slice(0, caret).replace(/@([\w.\-]*)$/, "@" + pick.dataset.name + " ");
    el.value = before + el.value.slice(caret);
    el.focus();
    el.selectionStart = el.selectionEnd = before.length;
    document.getElementById("mention-help").innerHTML = "";
    el.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
