// Triage queue keyboard and small helpers. Every control also works without this file.
// Keys on the focused row: j/k move, a approve, p project, r reroute, c chargeable, n answer now, x select.
(function () {
  "use strict";
  var PANELS = { p: "project", r: "reroute", c: "chargeable", n: "answer" };

  function rows() { return Array.prototype.slice.call(document.querySelectorAll("tr.triage-row")); }
  function currentRow() {
    var el = document.activeElement;
    return el && el.closest ? el.closest("tr.triage-row") : null;
  }
  function focusRow(row) { if (row) { row.focus(); row.scrollIntoView({ block: "nearest" }); } }
  function move(step) {
    var all = rows(), row = currentRow(), i = all.indexOf(row);
    focusRow(all[i < 0 ? 0 : Math.min(all.length - 1, Math.max(0, i + step))]);
  }
  function typing(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  }

  // A compact row (issue #16) fetches its decision forms when it is opened: focused (click, j/k) or
  // "Decide…". A key pressed before they arrive is replayed on the full row.
  var pendingKey = null;
  var tickBoxes = {};  // row number -> the compact row's checkbox, until the full row is in
  document.addEventListener("htmx:afterSettle", function () {
    Object.keys(tickBoxes).forEach(function (number) {
      var row = document.getElementById("triage-row-" + number);
      if (!row || row.dataset.rowUrl) return;
      var fresh = row.querySelector("input[type=checkbox]");
      if (fresh && tickBoxes[number].checked) fresh.checked = true;
      delete tickBoxes[number];
    });
  });
  // Compact means "has data-row-url": htmx briefly keeps the old row's class on the swapped-in one.
  function openRow(row, key) {
    if (!row || !row.dataset.rowUrl) return false;
    if (key) pendingKey = { number: row.dataset.number, key: key };
    if (row.dataset.loading) return true;
    row.dataset.loading = "1";
    // The click that focused the row may tick its checkbox: the tick is carried over to the full row.
    var box = row.querySelector("input[type=checkbox]");
    if (box) tickBoxes[row.dataset.number] = box;
    htmx.ajax("GET", row.dataset.rowUrl, { target: row, swap: "outerHTML" });
    return true;
  }
  document.addEventListener("focusin", function (event) {
    var row = event.target.closest && event.target.closest("tr.triage-row[data-row-url]");
    if (row) openRow(row);
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-open-row]");
    if (link) { event.preventDefault(); openRow(link.closest("tr")); }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!pendingKey) return;
    var row = document.getElementById("triage-row-" + pendingKey.number);
    if (!row || row.dataset.rowUrl) return;
    var key = pendingKey.key;
    pendingKey = null;
    row.focus();
    row.dispatchEvent(new KeyboardEvent("keydown", { key: key, bubbles: true }));
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") {
      var open = currentRow();
      if (open) { open.querySelectorAll("details[open]").forEach(function (d) { d.open = false; }); open.focus(); }
      return;
    }
    if (typing(event.target)) return;
    var key = event.key.toLowerCase();
    if (key === "j") { event.preventDefault(); move(1); return; }
    if (key === "k") { event.preventDefault(); move(-1); return; }
    var row = currentRow();
    if (!row) return;
    if (key !== "x" && (key === "a" || PANELS[key]) && openRow(row, key)) { event.preventDefault(); return; }
    if (key === "a") {
      var button = row.querySelector("form.approve button[type=submit]");
      if (button && !button.disabled) { event.preventDefault(); button.closest("form").requestSubmit(button); }
    } else if (key === "x") {
      var box = row.querySelector("input[type=checkbox]");
      if (box) { event.preventDefault(); box.checked = !box.checked; }
    } else if (PANELS[key]) {
      var panel = row.querySelector('details[data-action="' + PANELS[key] + '"]');
      if (panel) {
        event.preventDefault();
        panel.open = true;
        var field = panel.querySelector("textarea, select, input:not([type=hidden])");
        if (field) field.focus();
      }
    }
  });

  // A canned answer fills the answer box (it stays editable).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.classList || !select.classList.contains("canned") || !select.value) return;
    var body = select.closest("form").querySelector("textarea[name=body]");
    if (!body) return;
    // The text is filled in for this ticket by the server (placeholders: requester, ticket, agent).
    var url = select.dataset.cannedUrl.replace(/\/0\/$/, "/" + select.value + "/");
    fetch(url, {credentials: "same-origin"})
      .then(function (r) { if (!r.ok) throw new Error("canned " + r.status); return r.text(); })
      .then(function (text) { body.value = text; body.focus(); })
      .catch(function () { select.value = ""; });
  });

  // After a row is swapped, keep the keyboard flow: focus the next row still waiting.
  document.addEventListener("htmx:afterSwap", function (event) {
    var swapped = document.getElementById(event.detail.target && event.detail.target.id) || event.detail.elt;
    var row = swapped && swapped.closest ? swapped.closest("tr") : null;
    if (!row) return;
    if (row.classList.contains("triage-row")) { focusRow(row); return; }
    var next = row.nextElementSibling;
    while (next && !next.classList.contains("triage-row")) next = next.nextElementSibling;
    focusRow(next);
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (!currentRow()) { var first = rows()[0]; if (first) first.focus({ preventScroll: true }); }
  });
})();
