/* "Insert into reply" from the Suggested docs panel: puts the article's summary and link at the cursor of
   the reply box, where the agent can still edit it. */
(function () {
  if (window.__kbInsert) return;
  window.__kbInsert = true;
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".kb-insert");
    if (!button) return;
    var box = document.getElementById("id_body");
    if (!box) return;
    var text = button.dataset.insert || "";
    var start = box.selectionStart || box.value.length, end = box.selectionEnd || box.value.length;
    var before = box.value.slice(0, start), after = box.value.slice(end);
    var sep = before && !/\n\n$/.test(before) ? "\n\n" : "";
    box.value = before + sep + text + after;
    var caret = (before + sep + text).length;
    box.focus();
    box.setSelectionRange(caret, caret);
    box.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
