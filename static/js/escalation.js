// Escalation panels: the gentle time-box timer and "add a question" for the escalate-up form.
// Progressive enhancement only: without JS every field is visible and nothing is timed.
(function () {
  "use strict";

  function fmt(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function startTimer(el) {
    if (el.dataset.timerReady) return;
    el.dataset.timerReady = "1";
    // The server knows since when the owner has had the ticket in this tier; otherwise time this visit.
    var key = "esc-timebox-" + el.dataset.key;
    var started = parseInt(el.dataset.startedAt || sessionStorage.getItem(key) || "0", 10);
    if (!started) { started = Date.now(); sessionStorage.setItem(key, String(started)); }
    var determine = parseInt(el.dataset.determine, 10) * 60;
    var craft = parseInt(el.dataset.craft, 10) * 60;
    var out = el.querySelector(".esc-elapsed");
    var panel = el.closest(".esc-timebox");
    var advice = panel && panel.querySelector(".esc-advice");
    function tick() {
      var elapsed = Math.floor((Date.now() - started) / 1000);
      var phase = elapsed < determine ? "finding the solution" : (elapsed < determine + craft ? "writing the answer" : "over the time box");
      out.textContent = fmt(elapsed) + " on this ticket — " + phase;
      var over = elapsed >= determine + craft;
      if (panel) panel.classList.toggle("esc-over", over);
      if (advice) advice.hidden = !over;
    }
    tick();
    setInterval(tick, 1000);
  }

  function setupQuestions(form) {
    if (form.dataset.ready) return;
    form.dataset.ready = "1";
    var rows = Array.prototype.slice.call(form.querySelectorAll(".esc-question-row"));
    var button = form.querySelector("[data-add-question]");
    if (!button || rows.length < 2) return;
    rows.forEach(function (row, i) {
      var box = row.querySelector("textarea");
      if (i >= 2 && box && !box.value.trim()) row.hidden = true;
    });
    button.hidden = false;
    button.addEventListener("click", function () {
      var next = rows.filter(function (r) { return r.hidden; })[0];
      if (next) { next.hidden = false; next.querySelector("textarea").focus(); }
      if (!rows.some(function (r) { return r.hidden; })) button.hidden = true;
    });
  }

  function init(root) {
    (root || document).querySelectorAll("[data-timebox]").forEach(startTimer);
    (root || document).querySelectorAll(".esc-up-form").forEach(setupQuestions);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { init(); });
  else init();
  document.addEventListener("htmx:afterSettle", function (e) { init(e.target); });
})();
