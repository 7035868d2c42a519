// versus watch: live reload and the build error overlay. Injected by the
// watch server into the HTML it serves; never part of a generated site.
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || window.__versusReload) return;
  window.__versusReload = true;
  var file = me.getAttribute("data-file");
  var gen = me.getAttribute("data-generation");
  var key = "versus-scroll:" + location.pathname;

  // Keep the reader's place across a reload.
  try {
    var saved = sessionStorage.getItem(key);
    if (saved) {
      sessionStorage.removeItem(key);
      var xy = JSON.parse(saved);
      var restore = function () { window.scrollTo(xy[0], xy[1]); };
      restore();
      document.addEventListener("DOMContentLoaded", restore);
      window.addEventListener("load", restore);
    }
  } catch (e) {}

  function reload() {
    try { sessionStorage.setItem(key, JSON.stringify([window.scrollX, window.scrollY])); } catch (e) {}
    location.reload();
  }

  // The overlay lives in a shadow root so the site's CSS cannot touch it.
  var host = null;
  function showErrors(errors) {
    clearErrors();
    host = document.createElement("versus-error-overlay");
    host.id = "versus-error-overlay";
    host.setAttribute("role", "alert");
    var root = host.attachShadow({ mode: "open" });
    var style = document.createElement("style");
    style.textContent =
      ":host{all:initial;position:fixed;z-index:2147483647;inset:0 0 auto 0;max-height:70vh;overflow:auto;" +
      "background:#2b0d0d;color:#ffe9e9;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;" +
      "box-shadow:0 4px 24px rgba(0,0,0,.5);border-bottom:4px solid #ff5c5c}" +
      ".wrap{padding:16px 20px}h2{font:600 16px/1.4 system-ui,sans-serif;margin:0 0 12px;color:#fff}" +
      ".note{font:13px system-ui,sans-serif;color:#ffbdbd;margin:0 0 12px}" +
      ".err{margin:0 0 14px}.pos{color:#ffd479;font-weight:600}.msg{white-space:pre-wrap}" +
      "pre{margin:6px 0 0;padding:8px 10px;background:#1a0707;border-radius:4px;overflow:auto}" +
      ".hit{background:#5c1a1a;display:block}button{position:absolute;top:10px;right:12px;background:none;" +
      "border:1px solid #ffbdbd;color:#ffe9e9;border-radius:4px;cursor:pointer;font:13px system-ui,sans-serif;padding:2px 8px}";
    root.appendChild(style);
    var wrap = document.createElement("div");
    wrap.className = "wrap";
    var h = document.createElement("h2");
    h.textContent = errors.length === 1 ? "Build failed: 1 error" : "Build failed: " + errors.length + " errors";
    wrap.appendChild(h);
    var note = document.createElement("p");
    note.className = "note";
    note.textContent = "This page is the last good build. Fix the source and save: the page updates by itself.";
    wrap.appendChild(note);
    errors.forEach(function (e) {
      var div = document.createElement("div");
      div.className = "err";
      var pos = document.createElement("span");
      pos.className = "pos";
      pos.textContent = e.pos ? e.pos + ": " : "";
      var msg = document.createElement("span");
      msg.className = "msg";
      msg.textContent = e.message;
      div.appendChild(pos);
      div.appendChild(msg);
      if (e.lines && e.lines.length) {
        var pre = document.createElement("pre");
        e.lines.forEach(function (l) {
          var line = document.createElement("span");
          line.textContent = String(l.n).padStart(5, " ") + "  " + l.text + "\n";
          if (l.n === e.line) line.className = "hit";
          pre.appendChild(line);
        });
        div.appendChild(pre);
      }
      wrap.appendChild(div);
    });
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.addEventListener("click", clearErrors);
    root.appendChild(close);
    root.appendChild(wrap);
    document.documentElement.appendChild(host);
  }
  function clearErrors() {
    if (host) host.remove();
    host = null;
  }

  // A CSS-only change: load the page's current stylesheets (their names
  // carry a content hash) and swap them in without a reload.
  function swapCSS() {
    fetch(location.href, { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelectorAll('link[rel~="stylesheet"]');
        var old = document.querySelectorAll('link[rel~="stylesheet"]');
        if (fresh.length !== old.length) return reload();
        old.forEach(function (l, i) {
          var href = fresh[i].getAttribute("href");
          if (href === l.getAttribute("href")) {
            href = href.replace(/[?&]versus=\d+$/, "");
            href += (href.indexOf("?") < 0 ? "?" : "&") + "versus=" + Date.now();
          }
          var n = l.cloneNode();
          n.setAttribute("href", href);
          n.addEventListener("load", function () { l.remove(); });
          n.addEventListener("error", function () { l.remove(); });
          l.after(n);
        });
      })
      .catch(reload);
  }

  var lost = false;
  var url = me.getAttribute("data-events") + "?file=" + encodeURIComponent(file) + "&generation=" + encodeURIComponent(gen);
  var es = new EventSource(url);
  es.addEventListener("build", function (ev) {
    var d = JSON.parse(ev.data);
    if (d.errors && d.errors.length) {
      showErrors(d.errors);
      return;
    }
    clearErrors();
    if (d.css) return swapCSS();
    if (d.all || file === "*" || (d.changed || []).indexOf(file) >= 0) reload();
  });
  es.addEventListener("open", function () {
    // Back after the server went away: the site may have changed meanwhile.
    if (lost) reload();
  });
  es.addEventListener("error", function () { lost = true; });
  window.addEventListener("pagehide", function () { es.close(); });
})();
