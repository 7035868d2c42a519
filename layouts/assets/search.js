// versus search: queries the static index under search/ (written at build
// time) in the browser. No server, no requests beyond this site's files.
// "/" focuses the box; arrows choose a result; Enter opens it.
(function () {
  "use strict";
  var box = document.querySelector("[data-search]");
  if (!box || !window.fetch || !window.Promise) return;
  var input = box.querySelector(".search-input");
  var list = box.querySelector(".search-results");
  var status = box.querySelector("#search-status");
  var indexURL = box.getAttribute("data-search");
  var base = indexURL.replace(/[^/]*$/, "");
  var MAX = 8;
  // The words shown, in the site's language (data-strings, from
  // i18n/<lang>.yaml); plural forms are chosen by the page's language.
  var strings = {};
  try { strings = JSON.parse(box.getAttribute("data-strings") || "{}"); } catch (e) { /* English */ }
  var rules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang || "en") : null;
  function say(key, fallback, vars, count) {
    var s = strings[key];
    if (count !== undefined) s = strings[key + "." + (rules ? rules.select(count) : (count === 1 ? "one" : "other"))] || strings[key + ".other"];
    s = s || fallback;
    return s.replace(/\{(\w+)\}/g, function (m, k) { return vars && k in vars ? vars[k] : m; });
  }
  var PREFIX_BUDGET = 400000; // raw bytes of shards a prefix query may load
  var WORD = /[\p{L}\p{N}\p{M}]+/gu;
  box.hidden = false;

  var manifest = null;
  var cache = {};
  var active = -1;
  var results = [];
  var seq = 0;

  function inflate(buf) {
    var b = new Uint8Array(buf);
    if (b.length > 2 && b[0] === 0x1f && b[1] === 0x8b && window.DecompressionStream) {
      var s = new Blob([b]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Response(s).text();
    }
    return Promise.resolve(new TextDecoder().decode(b));
  }
  // doc fetches document id from its bundle: "VSB1", a count n, n+1
  // offsets (little-endian uint32), then each document's gzip stream.
  var bundles = {};
  function doc(id) {
    var per = (manifest && manifest.b) || 1;
    var path = "f/" + Math.floor(id / per) + ".bin";
    if (!bundles[path]) {
      var url = base + path + (manifest ? "?v=" + manifest.v : "");
      bundles[path] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.arrayBuffer();
      });
      bundles[path].catch(function () { delete bundles[path]; });
    }
    return bundles[path].then(function (buf) {
      var v = new DataView(buf), i = id % per, n = v.getUint32(4, true), head = 8 + 4 * (n + 1);
      var lo = v.getUint32(8 + 4 * i, true), hi = v.getUint32(12 + 4 * i, true);
      return inflate(buf.slice(head + lo, head + hi)).then(JSON.parse);
    });
  }
  function get(path) {
    if (!cache[path]) {
      var url = base + path + (manifest ? "?v=" + manifest.v : "");
      cache[path] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.arrayBuffer();
      }).then(inflate).then(JSON.parse);
      cache[path].catch(function () { delete cache[path]; });
    }
    return cache[path];
  }
  var ready = null;
  function load() {
    if (!ready) {
      ready = fetch(indexURL).then(function (r) {
        if (!r.ok) throw new Error(indexURL + ": " + r.status);
        return r.json();
      }).then(function (m) {
        manifest = m;
        m.list = m.shards.map(function (s) { return { key: s[0], file: s[1], size: s[2], leaf: s[3] === 1 }; });
        return m;
      });
      ready.catch(function () { ready = null; });
    }
    return ready;
  }

  function tokens(q) { return (q.toLowerCase().match(WORD) || []); }

  // The shards that may hold term, and whether prefix matches are affordable.
  function shardsFor(term, prefix) {
    var out = [], sub = [], size = 0;
    manifest.list.forEach(function (s) {
      if (s.leaf && term.indexOf(s.key) === 0) out.push(s);
      else if (!s.leaf && s.key === term) out.push(s);
      else if (prefix && s.key.length > term.length && s.key.indexOf(term) === 0) { sub.push(s); size += s.size; }
    });
    if (prefix && size <= PREFIX_BUDGET) out = out.concat(sub);
    return out;
  }

  // lookup returns, per document, the best [score, section] for term.
  function lookup(term, prefix) {
    var shards = shardsFor(term, prefix);
    return Promise.all(shards.map(function (s) { return get("t/" + s.file + ".bin"); })).then(function (parts) {
      var hits = {};
      parts.forEach(function (terms) {
        Object.keys(terms).forEach(function (t) {
          var exact = t === term;
          if (!exact && !(prefix && t.indexOf(term) === 0)) return;
          // A completion counts less the more letters it adds.
          var f = exact ? 1 : 0.5 + 0.4 * term.length / t.length;
          var p = terms[t], doc = 0;
          for (var i = 0; i < p.length; i += 3) {
            doc += p[i];
            var sc = p[i + 1] * f;
            var h = hits[doc];
            if (!h || sc > h[0]) hits[doc] = [sc, p[i + 2], t];
          }
        });
      });
      return hits;
    });
  }

  function search(q) {
    var terms = tokens(q).filter(function (t, i, a) { return a.indexOf(t) === i; });
    if (!terms.length) return Promise.resolve({ terms: [], docs: [] });
    return load().then(function () {
      return Promise.all(terms.map(function (t) { return lookup(t, t.length > 1 || terms.length === 1); }));
    }).then(function (per) {
      var docs = {};
      per.forEach(function (hits, ti) {
        Object.keys(hits).forEach(function (d) {
          var e = docs[d] || (docs[d] = { id: +d, n: 0, score: 0, sec: 0, best: -1, words: [] });
          var h = hits[d];
          e.n++;
          e.score += h[0];
          e.words.push(h[2]);
          if (h[0] > e.best) { e.best = h[0]; e.sec = h[1]; }
        });
      });
      var ranked = Object.keys(docs).map(function (k) { return docs[k]; });
      ranked.sort(function (a, b) { return b.n - a.n || b.score - a.score || a.id - b.id; });
      var total = ranked.length;
      ranked = ranked.slice(0, MAX);
      return Promise.all(ranked.map(function (r) { return doc(r.id); })).then(function (full) {
        ranked.forEach(function (r, i) { r.doc = full[i]; });
        return { terms: terms, docs: ranked, total: total };
      });
    });
  }

  function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  function matcher(words) {
    return new RegExp("(^|[^\\p{L}\\p{N}\\p{M}])((?:" + words.map(escapeRe).join("|") + ")[\\p{L}\\p{N}\\p{M}]*)", "giu");
  }
  // mark appends text to el with every word that starts with a query term
  // in <mark>.
  function mark(el, text, re) {
    var last = 0, m;
    re.lastIndex = 0;
    while ((m = re.exec(text))) {
      var start = m.index + m[1].length;
      if (start > last) el.appendChild(document.createTextNode(text.slice(last, start)));
      var mk = document.createElement("mark");
      mk.textContent = m[2];
      el.appendChild(mk);
      last = start + m[2].length;
      if (m[0].length === 0) re.lastIndex++;
    }
    if (last < text.length) el.appendChild(document.createTextNode(text.slice(last)));
  }
  function snippet(text, re) {
    re.lastIndex = 0;
    var m = re.exec(text);
    var at = m ? m.index + m[1].length : 0;
    var from = Math.max(0, at - 60), to = Math.min(text.length, at + 160);
    if (from > 0) { var sp = text.indexOf(" ", from); if (sp >= 0 && sp < at) from = sp + 1; }
    if (to < text.length) { var sp2 = text.lastIndexOf(" ", to); if (sp2 > at) to = sp2; }
    return (from > 0 ? "…" : "") + text.slice(from, to) + (to < text.length ? "…" : "");
  }

  function el(tag, cls) { var e = document.createElement(tag); if (cls) e.className = cls; return e; }

  function render(res, q) {
    list.textContent = "";
    results = res.docs;
    active = results.length ? 0 : -1;
    var re = matcher(res.terms);
    results.forEach(function (r, i) {
      var d = r.doc, s = d.s[r.sec] || d.s[0];
      var a = el("a", "search-hit");
      a.id = "search-hit-" + i;
      a.setAttribute("role", "option");
      a.tabIndex = -1;
      a.href = d.u + (s[0] ? "#" + s[0] : "");
      var t = el("span", "search-hit-title");
      mark(t, d.t, re);
      a.appendChild(t);
      if (s[1]) {
        var h = el("span", "search-hit-section");
        mark(h, s[1], re);
        a.appendChild(h);
      }
      var body = s[2] || d.d || "";
      if (body) {
        var x = el("span", "search-hit-text");
        mark(x, snippet(body, re), re);
        a.appendChild(x);
      }
      if (d.m) { var m = el("span", "search-hit-meta"); m.textContent = d.m; a.appendChild(m); }
      list.appendChild(a);
    });
    if (!results.length) {
      var none = el("p", "search-none");
      none.textContent = say("searchNone", "No results for “{query}”", { query: q });
      list.appendChild(none);
    }
    var n = res.total || 0;
    status.textContent = n ? say("searchCount", n === 1 ? "{count} result" : "{count} results", { count: n }, n) + (n > MAX ? say("searchMore", ", showing the first {max}", { max: MAX }) : "") : say("searchEmpty", "No results");
    open(true);
    highlight();
  }
  function open(on) {
    list.hidden = !on;
    input.setAttribute("aria-expanded", on ? "true" : "false");
    if (!on) input.removeAttribute("aria-activedescendant");
  }
  function highlight() {
    var hits = list.querySelectorAll(".search-hit");
    Array.prototype.forEach.call(hits, function (h, i) {
      h.setAttribute("aria-selected", i === active ? "true" : "false");
    });
    if (active >= 0 && hits[active]) {
      input.setAttribute("aria-activedescendant", hits[active].id);
      hits[active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function run() {
    var q = input.value.trim();
    var my = ++seq;
    if (!q) { list.textContent = ""; results = []; status.textContent = ""; open(false); return; }
    search(q).then(function (res) {
      if (my === seq) render(res, q);
    }, function (err) {
      if (my !== seq) return;
      list.textContent = "";
      var p = el("p", "search-none");
      p.textContent = say("searchUnavailable", "Search is unavailable: {error}", { error: err.message });
      list.appendChild(p);
      open(true);
    });
  }

  input.addEventListener("focus", function () { load().catch(function () {}); if (results.length) open(true); });
  input.addEventListener("input", run);
  input.addEventListener("keydown", function (ev) {
    var n = results.length;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!n) return;
      ev.preventDefault();
      if (list.hidden) { open(true); }
      active = ev.key === "ArrowDown" ? (active + 1) % n : (active - 1 + n) % n;
      highlight();
    } else if (ev.key === "Enter") {
      var hits = list.querySelectorAll(".search-hit");
      if (active >= 0 && hits[active]) {
        ev.preventDefault();
        go(hits[active].href);
      }
    } else if (ev.key === "Escape") {
      if (!list.hidden) { ev.preventDefault(); open(false); }
      else if (input.value) { input.value = ""; run(); }
      else input.blur();
    }
  });
  function go(href) {
    open(false);
    var here = location.href.replace(/#.*$/, "");
    if (href.replace(/#.*$/, "") === here) {
      // Same page: only the anchor changes, so move focus there as well.
      location.href = href;
      var id = decodeURIComponent(href.replace(/^[^#]*#?/, ""));
      var t = id && document.getElementById(id);
      if (t) { t.setAttribute("tabindex", "-1"); t.focus(); }
      return;
    }
    location.href = href;
  }
  // Clicking a result must not blur the box before the link follows.
  list.addEventListener("mousedown", function (ev) { ev.preventDefault(); });
  list.addEventListener("click", function (ev) {
    var a = ev.target.closest(".search-hit");
    if (a && !ev.ctrlKey && !ev.metaKey && !ev.shiftKey) { ev.preventDefault(); go(a.href); }
  });
  box.addEventListener("focusout", function (ev) {
    if (!box.contains(ev.relatedTarget)) open(false);
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    ev.preventDefault();
    input.focus();
    input.select();
  });
})();
