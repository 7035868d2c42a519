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
  // It must fit any screen from 320 px: nothing in it is wider than the
  // screen (long messages wrap anywhere, long source lines scroll inside
  // their own box), and the Hide button stays in a bar that sticks to the
  // top while the errors scroll.
  var css =
    ":host{all:initial;display:block;position:fixed;z-index:2147483647;top:0;left:0;right:0;" +
    "max-height:70vh;overflow-x:hidden;overflow-y:auto;overscroll-behavior:contain;box-sizing:border-box;" +
    "background:#2b0d0d;color:#ffe9e9;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;" +
    "box-shadow:0 4px 24px rgba(0,0,0,.5);border-bottom:4px solid #ff5c5c}" +
    "*,*::before,*::after{box-sizing:border-box}" +
    ".bar{position:sticky;top:0;z-index:1;display:flex;align-items:center;gap:12px;padding:10px 16px 8px;background:#2b0d0d}" +
    "h2{flex:1 1 auto;min-width:0;margin:0;font:600 16px/1.4 system-ui,sans-serif;color:#fff;overflow-wrap:anywhere}" +
    "button{flex:none;min-height:32px;min-width:48px;margin:0;padding:4px 12px;background:#2b0d0d;" +
    "border:1px solid #ffbdbd;color:#ffe9e9;border-radius:4px;cursor:pointer;font:13px/1.2 system-ui,sans-serif}" +
    "button:hover{background:#4a1616}button:focus-visible{outline:2px solid #ffd479;outline-offset:2px}" +
    ".body{padding:0 16px 16px}" +
    ".note{font:13px/1.4 system-ui,sans-serif;color:#ffbdbd;margin:0 0 12px}" +
    ".err{margin:0 0 14px}.err p{margin:0;overflow-wrap:anywhere}" +
    ".pos{color:#ffd479;font-weight:600}.msg{white-space:pre-wrap}" +
    "pre{margin:6px 0 0;padding:8px 0;background:#1a0707;border-radius:4px;max-width:100%;" +
    "overflow-x:auto;overflow-y:hidden;white-space:pre;font:inherit;tab-size:4}" +
    "pre:focus-visible{outline:2px solid #ffd479;outline-offset:2px}" +
    "code{display:inline-block;min-width:100%;font:inherit}" +
    ".line{display:block;padding:0 10px}.hit{background:#5c1a1a}";

  var host = null;
  var vv = window.visualViewport;
  // On a phone the page may be wider than the screen (and pinch zoom moves
  // the screen over it); fixed boxes follow the page's layout viewport, so
  // place the overlay on the visual one, which is what is on the screen.
  function place() {
    if (!host || !vv) return;
    var s = host.style;
    s.left = vv.offsetLeft + "px";
    s.top = vv.offsetTop + "px";
    s.right = "auto";
    s.width = vv.width + "px";
    s.maxHeight = Math.floor(vv.height * 0.7) + "px";
  }
  if (vv) {
    vv.addEventListener("resize", place);
    vv.addEventListener("scroll", place);
  }

  function showErrors(errors) {
    clearErrors();
    host = document.createElement("versus-error-overlay");
    host.id = "versus-error-overlay";
    host.setAttribute("role", "alert");
    var root = host.attachShadow({ mode: "open" });
    var style = document.createElement("style");
    style.textContent = css;
    root.appendChild(style);

    var bar = document.createElement("div");
    bar.className = "bar";
    var h = document.createElement("h2");
    h.textContent = errors.length === 1 ? "Build failed: 1 error" : "Build failed: " + errors.length + " errors";
    bar.appendChild(h);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.addEventListener("click", clearErrors);
    bar.appendChild(close);
    root.appendChild(bar);

    var body = document.createElement("div");
    body.className = "body";
    var note = document.createElement("p");
    note.className = "note";
    note.textContent = "This page is the last good build. Fix the source and save: the page updates by itself.";
    body.appendChild(note);
    var pres = [];
    errors.forEach(function (e) {
      var div = document.createElement("div");
      div.className = "err";
      var head = document.createElement("p");
      var pos = document.createElement("span");
      pos.className = "pos";
      pos.textContent = e.pos ? e.pos + ": " : "";
      var msg = document.createElement("span");
      msg.className = "msg";
      msg.textContent = e.message;
      head.appendChild(pos);
      head.appendChild(msg);
      div.appendChild(head);
      if (e.lines && e.lines.length) {
        var pre = document.createElement("pre");
        var code = document.createElement("code");
        e.lines.forEach(function (l) {
          var line = document.createElement("span");
          line.className = l.n === e.line ? "line hit" : "line";
          line.textContent = String(l.n).padStart(5, " ") + "  " + l.text + "\n";
          code.appendChild(line);
        });
        pre.appendChild(code);
        div.appendChild(pre);
        pres.push(pre);
      }
      body.appendChild(div);
    });
    root.appendChild(body);
    document.documentElement.appendChild(host);
    place();
    // A source box that scrolls sideways can be scrolled with the keyboard;
    // one that does not is no tab stop.
    pres.forEach(function (pre) {
      if (pre.scrollWidth > pre.clientWidth) {
        pre.tabIndex = 0;
        pre.setAttribute("aria-label", "source lines (scrolls sideways)");
      }
    });
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
