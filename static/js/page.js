// Behaviour that used to sit in inline handlers (the production Content-Security-Policy allows scripts
// from our own files only): <form data-confirm="Question?"> asks before submitting, [data-print] prints.
// Also the page shell: the collapsible left navigation (remembered per browser) and the "?" shortcut help.
// Loaded in <head> without defer so the navigation state is applied before the first paint.
(function () {
  "use strict";
  var root = document.documentElement;
  var NARROW = "(max-width: 900px)";
  root.classList.add("js");
  try { if (localStorage.getItem("nav.collapsed") === "1") root.classList.add("nav-collapsed"); } catch (e) { /* private mode */ }

  function narrow() { return window.matchMedia && window.matchMedia(NARROW).matches; }
  function navShown() {
    return narrow() ? root.classList.contains("nav-open") : !root.classList.contains("nav-collapsed");
  }
  function syncToggle() {
    var button = document.getElementById("nav-toggle");
    if (button) button.setAttribute("aria-expanded", navShown() ? "true" : "false");
  }
  function toggleNav() {
    if (narrow()) {
      root.classList.toggle("nav-open");
    } else {
      root.classList.toggle("nav-collapsed");
      try { localStorage.setItem("nav.collapsed", root.classList.contains("nav-collapsed") ? "1" : "0"); } catch (e) { /* ignore */ }
    }
    syncToggle();
  }
  function typing(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  }
  function showShortcuts() {
    var dialog = document.getElementById("shortcuts");
    if (dialog && !dialog.open && dialog.showModal) dialog.showModal();
  }

  document.addEventListener("submit", function (event) {
    var question = event.target.dataset && event.target.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest) return;
    if (event.target.closest("[data-print]")) window.print();
    if (event.target.closest("#nav-toggle")) toggleNav();
    if (event.target.closest("#shortcuts-open")) showShortcuts();
    var more = event.target.closest(".filters-toggle");
    if (more) {
      var form = more.closest("form");
      more.setAttribute("aria-expanded", form.classList.toggle("open") ? "true" : "false");
    }
    if (narrow() && root.classList.contains("nav-open") && !event.target.closest("#sidenav, #nav-toggle")) {
      root.classList.remove("nav-open");
      syncToggle();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "?") { showShortcuts(); event.preventDefault(); }
    else if (event.key === "Escape" && root.classList.contains("nav-open")) { root.classList.remove("nav-open"); syncToggle(); }
  });
  // Toasts (#ws-flash, the workspace's action results): gone after a while or on a click.
  var toastTimer = null;
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var box = event.detail && event.detail.target;
    if (!box || box.id !== "ws-flash" || !box.textContent.trim()) return;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { box.innerHTML = ""; }, 8000);
  });
  document.addEventListener("click", function (event) {
    var toast = event.target.closest && event.target.closest("#ws-flash .flash-msg");
    if (toast) toast.remove();
  });
  document.addEventListener("DOMContentLoaded", syncToggle);
  if (window.matchMedia) window.matchMedia(NARROW).addEventListener("change", syncToggle);
})();
