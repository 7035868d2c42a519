// versus theme: theme toggle, code-group tabs, copy buttons.
// Plain JavaScript; the pages are complete without it.
(function () {
  "use strict";
  var root = document.documentElement;
  // The theme's words in the site's language, from data-strings
  // attributes the layouts write (i18n/<lang>.yaml); English otherwise.
  var words = function (el, key, fallback, vars) {
    var s = fallback;
    try { var all = JSON.parse(el && el.getAttribute("data-strings") || "{}"); if (all[key]) s = all[key]; } catch (e) { /* keep English */ }
    return s.replace(/\{(\w+)\}/g, function (m, k) { return vars && k in vars ? vars[k] : m; });
  };
  var store = {
    get: function (k) { try { return localStorage.getItem(k); } catch (e) { return null; } },
    set: function (k, v) { try { localStorage.setItem(k, v); } catch (e) { /* private mode */ } },
    remove: function (k) { try { localStorage.removeItem(k); } catch (e) { /* private mode */ } }
  };

  // Theme: follow the system, light or dark; the choice is remembered
  // across pages (the head script applies it before the page paints).
  var toggle = document.querySelector(".theme-toggle");
  if (toggle) {
    var names = { system: words(toggle, "themeSystem", "follow the system"), light: words(toggle, "themeLight", "light"), dark: words(toggle, "themeDark", "dark") };
    var order = ["system", "light", "dark"];
    var show = function (choice) {
      var next = order[(order.indexOf(choice) + 1) % order.length];
      toggle.dataset.choice = choice;
      toggle.setAttribute("aria-label", words(toggle, "themeLabel", "Theme: {choice}", { choice: names[choice] }));
      toggle.title = words(toggle, "themeTitle", "Theme: {choice} (next: {next})", { choice: names[choice], next: names[next] });
    };
    show(root.dataset.theme === "light" || root.dataset.theme === "dark" ? root.dataset.theme : "system");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var next = order[(order.indexOf(toggle.dataset.choice) + 1) % order.length];
      if (next === "system") {
        delete root.dataset.theme;
        store.remove("versus-theme");
      } else {
        root.dataset.theme = next;
        store.set("versus-theme", next);
      }
      show(next);
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
      btn.textContent = words(document.body, "copied", "Copied");
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
    btn.type = "button"; btn.className = "copy"; btn.textContent = words(document.body, "copy", "Copy");
    btn.setAttribute("aria-label", words(document.body, "copyCode", "Copy code"));
    btn.addEventListener("click", function () { copy(btn, codeText(block.querySelector("pre"))); });
    block.appendChild(btn);
  });
  // Blocks that scroll sideways take focus, so the keyboard can scroll
  // them; blocks that fit add no tab stop. Wrap buttons show only where a
  // line is too long for its pane (or wrapping is on).
  var scrollers = document.querySelectorAll("pre, .cmp-table-wrap");
  function scrolls(el) { return el.scrollWidth > el.clientWidth + 1; }
  function refresh() {
    Array.prototype.forEach.call(scrollers, function (el) {
      if (scrolls(el)) { el.setAttribute("tabindex", "0"); el.setAttribute("data-scrolls", ""); }
      else { el.removeAttribute("tabindex"); el.removeAttribute("data-scrolls"); }
    });
    var wrapped = root.classList.contains("cg-wrapped");
    groups.forEach(function (g) {
      var long = wrapped || Array.prototype.some.call(g.querySelectorAll("pre"), function (p) {
        return p.offsetParent !== null && scrolls(p);
      });
      Array.prototype.forEach.call(g.querySelectorAll(".cg-wrap"), function (b) {
        b.hidden = !long;
        b.setAttribute("aria-pressed", wrapped ? "true" : "false");
      });
    });
  }
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest && ev.target.closest(".cg-wrap");
    if (!b) return;
    var on = !root.classList.contains("cg-wrapped");
    root.classList.toggle("cg-wrapped", on);
    if (on) store.set("versus-wrap", "on"); else store.remove("versus-wrap");
    refresh();
  });
  refresh();
  var pending = 0;
  window.addEventListener("resize", function () {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(refresh);
  });
  groups.forEach(function (g) {
    var tablist = g.querySelector('[role="tablist"]');
    if (tablist) tablist.addEventListener("click", function () { requestAnimationFrame(refresh); });
  });

  // The contents mark the section being read: the first heading in the top
  // third of the window, or else the last one scrolled past.
  var tocLinks = Array.prototype.slice.call(document.querySelectorAll('.toc a[href^="#"], .toc-mobile a[href^="#"]'));
  var targets = [];
  tocLinks.forEach(function (a) {
    var id = decodeURIComponent(a.getAttribute("href").slice(1));
    var el = document.getElementById(id);
    if (el && targets.indexOf(el) < 0) targets.push(el);
  });
  if (targets.length && "IntersectionObserver" in window) {
    var current = null;
    var mark = function () {
      var third = window.innerHeight / 3, found = null, passed = targets[0];
      for (var i = 0; i < targets.length; i++) {
        var top = targets[i].getBoundingClientRect().top;
        if (top < -1) { passed = targets[i]; continue; }
        if (top <= third) found = targets[i];
        break;
      }
      found = found || passed;
      if (found === current) return;
      current = found;
      tocLinks.forEach(function (a) {
        if (decodeURIComponent(a.getAttribute("href").slice(1)) === found.id) a.setAttribute("aria-current", "true");
        else a.removeAttribute("aria-current");
      });
    };
    var io = new IntersectionObserver(mark, { rootMargin: "0px 0px -66% 0px" });
    targets.forEach(function (t) { io.observe(t); });
    window.addEventListener("scroll", function () { requestAnimationFrame(mark); }, { passive: true });
    mark();
  }

  // Site menu: the submenus are <details>, usable without this; with it,
  // Escape closes an open one (focus back on its toggle), a click or focus
  // elsewhere closes it, and opening one closes the others.
  var subs = Array.prototype.slice.call(document.querySelectorAll(".site-nav details.menu-sub"));
  if (subs.length) {
    var closeAll = function (except) {
      subs.forEach(function (d) { if (d !== except && !d.contains(except)) d.open = false; });
    };
    subs.forEach(function (d) {
      d.addEventListener("toggle", function () { if (d.open) closeAll(d); });
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") return;
      var open = subs.filter(function (d) { return d.open && d.contains(document.activeElement); }).pop();
      if (open) { open.open = false; open.querySelector("summary").focus(); }
    });
    var outside = function (e) {
      if (!e.target.closest || !e.target.closest(".site-nav details.menu-sub")) closeAll(null);
    };
    document.addEventListener("click", outside);
    document.addEventListener("focusin", outside);
  }
})();
