// versus theme: theme toggle, code-group tabs, copy buttons.
// Plain JavaScript; the pages are complete without it.
(function () {
  "use strict";
  var root = document.documentElement;
  var store = {
    get: function (k) { try { return localStorage.getItem(k); } catch (e) { return null; } },
    set: function (k, v) { try { localStorage.setItem(k, v); } catch (e) { /* private mode */ } }
  };

  // Light/dark toggle, remembered across pages.
  var toggle = document.querySelector(".theme-toggle");
  if (toggle) {
    toggle.hidden = false;
    var current = function () {
      if (root.dataset.theme) return root.dataset.theme;
      return window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
    };
    var label = function () {
      var next = current() === "dark" ? "light" : "dark";
      toggle.setAttribute("aria-label", "Switch to the " + next + " theme");
      toggle.setAttribute("aria-pressed", current() === "dark" ? "true" : "false");
    };
    label();
    toggle.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      root.dataset.theme = next;
      store.set("versus-theme", next);
      label();
    });
  }

  // Code groups: tabs on narrow screens; the chosen subject applies to every
  // group on the page and is remembered across pages.
  var KEY = "versus-subject";
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-codegroup]"));
  function select(group, subject, focus) {
    var tabs = group.querySelectorAll('[role="tab"]');
    var found = false;
    Array.prototype.forEach.call(tabs, function (t) { if (t.dataset.subject === subject) found = true; });
    if (!found) return false;
    Array.prototype.forEach.call(tabs, function (t) {
      var on = t.dataset.subject === subject;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      if (on && focus) t.focus();
    });
    Array.prototype.forEach.call(group.querySelectorAll(".cg-pane"), function (p) {
      p.classList.toggle("active", p.dataset.subject === subject);
    });
    return true;
  }
  function selectAll(subject, origin) {
    groups.forEach(function (g) { select(g, subject, g === origin); });
    store.set(KEY, subject);
  }
  groups.forEach(function (g) {
    var tablist = g.querySelector('[role="tablist"]');
    if (!tablist) return;
    tablist.hidden = false;
    var first = g.querySelector('[role="tab"]');
    if (!select(g, store.get(KEY), false) && first) select(g, first.dataset.subject, false);
    tablist.addEventListener("click", function (ev) {
      var t = ev.target.closest('[role="tab"]');
      if (t) selectAll(t.dataset.subject, g);
    });
    tablist.addEventListener("keydown", function (ev) {
      var tabs = Array.prototype.slice.call(tablist.querySelectorAll('[role="tab"]'));
      var i = tabs.indexOf(document.activeElement);
      if (i < 0) return;
      var j = null;
      if (ev.key === "ArrowRight") j = (i + 1) % tabs.length;
      else if (ev.key === "ArrowLeft") j = (i - 1 + tabs.length) % tabs.length;
      else if (ev.key === "Home") j = 0;
      else if (ev.key === "End") j = tabs.length - 1;
      if (j === null) return;
      ev.preventDefault();
      selectAll(tabs[j].dataset.subject, g);
    });
  });

  // Copy buttons: the code only, without line numbers or step labels.
  function codeText(el) {
    var lines = el.querySelectorAll(".cl");
    if (!lines.length) return el.textContent;
    return Array.prototype.map.call(lines, function (l) { return l.textContent.replace(/\n$/, ""); }).join("\n") + "\n";
  }
  function copy(btn, text) {
    var done = function () {
      var old = btn.textContent;
      btn.textContent = "Copied";
      setTimeout(function () { btn.textContent = old; }, 1500);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
    } else { fallback(text); done(); }
  }
  function fallback(text) {
    var ta = document.createElement("textarea");
    ta.value = text; ta.setAttribute("readonly", ""); ta.style.position = "absolute"; ta.style.left = "-9999px";
    document.body.appendChild(ta); ta.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    document.body.removeChild(ta);
  }
  Array.prototype.forEach.call(document.querySelectorAll(".cg-pane [data-copy]"), function (btn) {
    btn.hidden = false;
    btn.addEventListener("click", function () {
      var pane = btn.closest(".cg-pane");
      var parts = Array.prototype.map.call(pane.querySelectorAll("pre.chroma"), codeText);
      copy(btn, parts.join(""));
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll(".code-block"), function (block) {
    var btn = document.createElement("button");
    btn.type = "button"; btn.className = "copy"; btn.textContent = "Copy";
    btn.setAttribute("aria-label", "Copy code");
    btn.addEventListener("click", function () { copy(btn, codeText(block.querySelector("pre"))); });
    block.appendChild(btn);
  });
})();
