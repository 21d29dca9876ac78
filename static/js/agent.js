/* Agent screens: keyboard navigation in ticket tables (j/k/Enter, / to search), selection kept across
   the 30 s HTMX refresh, and "insert canned response" at the cursor of the reply box.
   Everything here is an enhancement: the pages work without it. */
(function () {
  "use strict";
  var KEY = "agent.selected:" + location.pathname;

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("table[data-keynav] tbody tr[data-href]"));
  }
  function current() { return document.querySelector("table[data-keynav] tr.selected"); }
  function select(row, scroll) {
    rows().forEach(function (r) { r.classList.remove("selected"); r.removeAttribute("aria-selected"); });
    if (!row) return;
    row.classList.add("selected");
    row.setAttribute("aria-selected", "true");
    sessionStorage.setItem(KEY, row.dataset.number);
    if (scroll) row.scrollIntoView({ block: "nearest" });
  }
  function restore() {
    var n = sessionStorage.getItem(KEY);
    if (n) select(document.querySelector('table[data-keynav] tr[data-number="' + n + '"]'), false);
  }
  function typing(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target)) return;
    var list = rows();
    if (!list.length && ev.key !== "/") return;
    var idx = list.indexOf(current());
    if (ev.key === "j") { select(list[Math.min(idx + 1, list.length - 1)], true); ev.preventDefault(); }
    else if (ev.key === "k") { select(list[Math.max(idx - 1, 0)], true); ev.preventDefault(); }
    else if (ev.key === "Enter" && idx >= 0) { location.href = list[idx].dataset.href; ev.preventDefault(); }
    else if (ev.key === "/") {
      var search = document.querySelector("#filters input[name=q]");
      if (search) { search.focus(); ev.preventDefault(); }
    }
  });
  document.addEventListener("click", function (ev) {
    var row = ev.target.closest && ev.target.closest("table[data-keynav] tr[data-href]");
    if (row) select(row, false);
  });
  // The 30 s refresh replaces the rows: put the selection back; the scroll position is untouched. Again
  // after the settle step, which resets each swapped row's class attribute to the server's.
  document.addEventListener("htmx:afterSwap", restore);
  document.addEventListener("htmx:afterSettle", restore);
  document.addEventListener("htmx:oobAfterSwap", function () { restore(); });
  document.addEventListener("DOMContentLoaded", restore);

  // Workspace sections (<details data-section>): a section the agent closed stays closed, also after the
  // sidebar is redrawn by an action; one that needs attention (errors, an on-call page) always opens.
  var CLOSED = "ws.closed-sections";
  function closedSections() {
    try { return JSON.parse(localStorage.getItem(CLOSED) || "[]"); } catch (e) { return []; }
  }
  function applySections() {
    var closed = closedSections();
    document.querySelectorAll("details[data-section]").forEach(function (d) {
      if (d.hasAttribute("data-attention")) d.open = true;
      else if (closed.indexOf(d.dataset.section) >= 0) d.open = false;
    });
  }
  document.addEventListener("toggle", function (ev) {
    var d = ev.target;
    if (!d.dataset || !d.dataset.section) return;
    var closed = closedSections().filter(function (k) { return k !== d.dataset.section; });
    if (!d.open) closed.push(d.dataset.section);
    try { localStorage.setItem(CLOSED, JSON.stringify(closed)); } catch (e) { /* private mode */ }
  }, true);
  document.addEventListener("DOMContentLoaded", applySections);
  document.addEventListener("htmx:oobAfterSwap", applySections);

  // Canned responses: fetch the filled-in text and insert it where the cursor is.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (form.id !== "canned-picker") return;
    ev.preventDefault();
    var id = form.elements.namedItem("canned").value;  // the select sits next to the text box (form="…")
    var url = form.dataset.cannedUrl.replace(/\/0\/$/, "/" + id + "/");
    fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("canned " + r.status);
      return r.text();
    }).then(function (text) {
      var box = document.getElementById("id_body");
      var start = box.selectionStart || 0, end = box.selectionEnd || 0;
      box.value = box.value.slice(0, start) + text + box.value.slice(end);
      box.focus();
      box.setSelectionRange(start + text.length, start + text.length);
      box.dispatchEvent(new Event("input", { bubbles: true }));  // autosave the draft
    }).catch(function () { form.submit(); });
  });
})();
