/* Agent screens: keyboard navigation in ticket tables (j/k/Enter, / to search), selection kept across
   the 30 s HTMX refresh, picking rows for the bulk bar (click, shift-click, x, select all), and "insert canned response" at the cursor of the reply box.
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

  // Bulk selection (issue #16): a checkbox per row (shift-click selects a range, x toggles the focused
  // row, the head's box selects the page), kept across the 30 s refresh and a bulk action's row swaps.
  var picked = {};  // ticket number -> true
  var lastBox = null;
  function boxes() {
    return Array.prototype.slice.call(document.querySelectorAll('input[name=ticket][form=bulk-form]'));
  }
  function numberOf(box) { var tr = box.closest("tr"); return tr ? tr.dataset.number : null; }
  function refreshBar() {
    var count = 0;
    boxes().forEach(function (b) {
      var on = !!picked[numberOf(b)];
      b.checked = on;
      b.closest("tr").classList.toggle("picked", on);
      if (on) count += 1;
    });
    var label = document.querySelector("[data-bulk-count]");
    if (label) label.textContent = count ? count + " selected" : "No tickets selected";
    var chosen = document.querySelector("[data-bulk-action]");
    document.querySelectorAll("[data-bulk-params]").forEach(function (fs) {
      fs.hidden = !chosen || fs.dataset.bulkParams !== chosen.value;
      fs.disabled = fs.hidden;  // another action's fields are neither checked by the browser nor sent
    });
  }
  function setPicked(box, on) { picked[numberOf(box)] = on; if (!on) delete picked[numberOf(box)]; }
  document.addEventListener("click", function (ev) {
    var box = ev.target;
    if (box.matches && box.matches("input[name=ticket][form=bulk-form]")) {
      var list = boxes();
      if (ev.shiftKey && lastBox && list.indexOf(lastBox) >= 0) {
        var a = list.indexOf(lastBox), b = list.indexOf(box);
        list.slice(Math.min(a, b), Math.max(a, b) + 1).forEach(function (x) { setPicked(x, box.checked); });
      } else {
        setPicked(box, box.checked);
      }
      lastBox = box;
      refreshBar();
    } else if (box.matches && box.matches("[data-pick-all]")) {
      var table = box.closest("table");
      Array.prototype.forEach.call(table.querySelectorAll("input[name=ticket][form=bulk-form]"), function (x) {
        setPicked(x, box.checked);
      });
      refreshBar();
    }
  });
  document.addEventListener("change", function (ev) {
    if (ev.target.matches && ev.target.matches("[data-bulk-action]")) refreshBar();
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "x" || ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target)) return;
    var row = current();
    var box = row && row.querySelector("input[name=ticket][form=bulk-form]");
    if (!box) return;
    setPicked(box, !box.checked);
    lastBox = box;
    refreshBar();
    ev.preventDefault();
  });
  document.addEventListener("htmx:afterSettle", refreshBar);
  document.addEventListener("htmx:oobAfterSwap", refreshBar);
  document.addEventListener("DOMContentLoaded", refreshBar);

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
