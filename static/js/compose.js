/* The message composer (workspace reply/note, portal, contact form): files by picker, drag and drop or
   pasting a screenshot into the text box; a small Markdown toolbar with preview; "show more" on long
   messages. No framework: event delegation on the document, so htmx-swapped forms just work. */
(function () {
  "use strict";
  var picked = new WeakMap();  // form -> DataTransfer holding the files chosen so far

  function zoneOf(el) { var f = el && el.closest && el.closest("form"); return f && f.querySelector("[data-upload-zone]"); }
  function filesOf(form) {
    if (!picked.has(form)) picked.set(form, new DataTransfer());
    return picked.get(form);
  }
  function human(n) { return n >= 1048576 ? (n / 1048576).toFixed(1) + " MB" : n >= 1024 ? Math.round(n / 1024) + " KB" : n + " bytes"; }
  function stamp() {
    var d = new Date(), p = function (n) { return String(n).padStart(2, "0"); };
    return d.getFullYear() + p(d.getMonth() + 1) + p(d.getDate()) + "-" + p(d.getHours()) + p(d.getMinutes()) + p(d.getSeconds());
  }

  function render(form) {
    var zone = form.querySelector("[data-upload-zone]"); if (!zone) return;
    var input = zone.querySelector("[data-file-input]"), list = zone.querySelector("[data-file-list]");
    var dt = filesOf(form);
    input.files = dt.files;
    list.textContent = "";
    Array.prototype.forEach.call(dt.files, function (file, i) {
      var li = document.createElement("li"); li.className = "file-chip";
      if (/^image\/(png|jpeg|gif|webp)$/.test(file.type)) {
        var img = document.createElement("img"); img.className = "chip-thumb"; img.alt = "";
        img.src = URL.createObjectURL(file); img.onload = function () { URL.revokeObjectURL(img.src); };
        li.appendChild(img);
      }
      li.appendChild(document.createTextNode(file.name + " (" + human(file.size) + ") "));
      var rm = document.createElement("button"); rm.type = "button"; rm.className = "link chip-remove";
      rm.textContent = "Remove"; rm.setAttribute("aria-label", "Remove " + file.name); rm.dataset.index = i;
      li.appendChild(rm); list.appendChild(li);
    });
  }

  function add(form, files, renameImages) {
    var dt = filesOf(form);
    Array.prototype.forEach.call(files, function (file) {
      if (renameImages && /^image\//.test(file.type)) {
        var ext = (file.type.split("/")[1] || "png").replace("jpeg", "jpg");
        file = new File([file], "screenshot-" + stamp() + (dt.files.length ? "-" + dt.files.length : "") + "." + ext, { type: file.type });
      }
      dt.items.add(file);
    });
    render(form);
  }

  document.addEventListener("change", function (ev) {
    var input = ev.target;
    if (!input.matches || !input.matches("[data-file-input]")) return;
    var form = input.form, chosen = Array.prototype.slice.call(input.files);
    input.files = filesOf(form).files;  // keep the earlier picks, then add these
    add(form, chosen, false);
  });
  document.addEventListener("paste", function (ev) {
    var box = ev.target; if (!box.matches || !box.matches("textarea") || !zoneOf(box)) return;
    var items = (ev.clipboardData && ev.clipboardData.items) || [], files = [];
    for (var i = 0; i < items.length; i++) if (items[i].kind === "file") { var f = items[i].getAsFile(); if (f) files.push(f); }
    if (!files.length) return;
    ev.preventDefault();
    add(box.form, files, true);
  });
  ["dragenter", "dragover"].forEach(function (type) {
    document.addEventListener(type, function (ev) {
      var form = ev.target.closest && ev.target.closest("form"); if (!form || !form.querySelector("[data-upload-zone]")) return;
      if (ev.dataTransfer && Array.prototype.indexOf.call(ev.dataTransfer.types, "Files") >= 0) { ev.preventDefault(); form.classList.add("dragging"); }
    });
  });
  document.addEventListener("dragleave", function (ev) { var f = ev.target.closest && ev.target.closest("form"); if (f) f.classList.remove("dragging"); });
  document.addEventListener("drop", function (ev) {
    var form = ev.target.closest && ev.target.closest("form"); if (!form || !form.querySelector("[data-upload-zone]")) return;
    if (!ev.dataTransfer || !ev.dataTransfer.files.length) return;
    ev.preventDefault(); form.classList.remove("dragging");
    add(form, ev.dataTransfer.files, false);
  });

  // --- Markdown toolbar -----------------------------------------------------------------------------
  function wrap(box, before, after, placeholder) {
    var s = box.selectionStart, e = box.selectionEnd, text = box.value.slice(s, e) || placeholder;
    box.setRangeText(before + text + after, s, e, "end");
    box.setSelectionRange(s + before.length, s + before.length + text.length);
  }
  function prefixLines(box, prefix) {
    var s = box.value.lastIndexOf("\n", box.selectionStart - 1) + 1, e = box.selectionEnd;
    var lines = box.value.slice(s, e).split("\n").map(function (l) { return prefix + l; }).join("\n");
    box.setRangeText(lines, s, e, "end");
  }
  var ACTIONS = {
    bold: function (b) { wrap(b, "**", "**", "bold text"); },
    italic: function (b) { wrap(b, "_", "_", "italic text"); },
    link: function (b) { var t = b.value.slice(b.selectionStart, b.selectionEnd) || "link text"; b.setRangeText("[" + t + "](https://)", b.selectionStart, b.selectionEnd, "end"); b.setSelectionRange(b.selectionEnd - 9, b.selectionEnd - 1); },
    list: function (b) { prefixLines(b, "- "); },
    quote: function (b) { prefixLines(b, "> "); },
    code: function (b) { var t = b.value.slice(b.selectionStart, b.selectionEnd); if (t.indexOf("\n") >= 0) wrap(b, "```\n", "\n```", ""); else wrap(b, "`", "`", "code"); }
  };
  function apply(bar, name) {
    var box = document.getElementById(bar.dataset.target); if (!box || !ACTIONS[name]) return;
    box.focus(); ACTIONS[name](box);
    box.dispatchEvent(new Event("input", { bubbles: true }));  // autosave the draft
  }
  function preview(btn) {
    var bar = btn.closest("[data-md-toolbar]"), box = document.getElementById(bar.dataset.target);
    var pane = document.getElementById(bar.dataset.target + "-preview");
    var open = btn.getAttribute("aria-expanded") === "true";
    if (open) { pane.hidden = true; box.hidden = false; btn.setAttribute("aria-expanded", "false"); btn.textContent = "Preview"; return; }
    var body = new FormData(); body.append("text", box.value);
    var token = (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
    fetch(btn.dataset.mdPreview, { method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": token, "HX-Request": "true" } })
      .then(function (r) { if (!r.ok) throw new Error("preview " + r.status); return r.text(); })
      .then(function (html) {
        pane.innerHTML = html;  // server-rendered with the same sanitiser as the conversation
        pane.hidden = false; box.hidden = true; btn.setAttribute("aria-expanded", "true"); btn.textContent = "Edit";
      }).catch(function () { pane.hidden = false; pane.textContent = "The preview is not available right now."; });
  }
  document.addEventListener("click", function (ev) {
    var t = ev.target.closest && ev.target.closest("button"); if (!t) return;
    if (t.classList.contains("chip-remove")) {
      var form = t.closest("form"), dt = filesOf(form), next = new DataTransfer();
      Array.prototype.forEach.call(dt.files, function (f, i) { if (String(i) !== t.dataset.index) next.items.add(f); });
      picked.set(form, next); render(form); return;
    }
    if (t.dataset.mdPreview) { preview(t); return; }
    if (t.dataset.md) apply(t.closest("[data-md-toolbar]"), t.dataset.md);
    if (t.classList.contains("show-more")) {
      var body = t.previousElementSibling; var collapsed = body.classList.toggle("collapsed");
      t.textContent = collapsed ? "Show more" : "Show less"; t.setAttribute("aria-expanded", String(!collapsed));
    }
  });
  document.addEventListener("keydown", function (ev) {
    if (!(ev.ctrlKey || ev.metaKey) || !ev.target.matches || !ev.target.matches("textarea")) return;
    var bar = document.querySelector('[data-md-toolbar][data-target="' + ev.target.id + '"]'); if (!bar) return;
    var key = ev.key.toLowerCase();
    if (key === "b" || key === "i") { ev.preventDefault(); apply(bar, key === "b" ? "bold" : "italic"); }
  });
  // After a successful send the form is swapped for a fresh one: forget the files of the old one.
  document.addEventListener("htmx:afterRequest", function (ev) {
    var form = ev.detail.elt && ev.detail.elt.closest && ev.detail.elt.closest("form");
    if (form && ev.detail.successful) picked.delete(form);
  });

  // --- long messages: collapsed with "show more" ------------------------------------------------------
  var LIMIT = 420;  // px
  function collapse(root) {
    (root.querySelectorAll ? root : document).querySelectorAll(".message .body:not([data-measured])").forEach(function (body) {
      body.dataset.measured = "1";
      if (body.scrollHeight <= LIMIT * 1.3) return;
      body.classList.add("collapsible", "collapsed");
      var btn = document.createElement("button"); btn.type = "button"; btn.className = "link show-more";
      btn.textContent = "Show more"; btn.setAttribute("aria-expanded", "false");
      body.insertAdjacentElement("afterend", btn);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { collapse(document); });
  document.addEventListener("htmx:load", function (ev) { collapse(ev.detail.elt); });
})();
