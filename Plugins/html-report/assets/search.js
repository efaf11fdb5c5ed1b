// html-report's search: filters the index (assets/index-N.js, loaded by search.html as scripts so that
// it works from file://) by words in the title, id and entities, and by entity type; 50 results a page.
(function () {
  "use strict";
  var rows = [].concat.apply([], window.QUARRY_INDEX || []);
  var q = document.getElementById("q"), type = document.getElementById("type");
  var list = document.getElementById("results"), status = document.getElementById("status");
  var prev = document.getElementById("prev"), next = document.getElementById("next");
  var page = 0, hits = [], size = 50;
  // each row: [id, title, href or "", date, source, "entity names, lower-cased", "TYPE TYPE"]
  function run() {
    var words = q.value.toLowerCase().split(/\s+/).filter(Boolean), t = type.value;
    hits = [];
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      if (t && (" " + r[6] + " ").indexOf(" " + t + " ") < 0) continue;
      var hay = (r[0] + " " + r[1] + " " + r[5]).toLowerCase(), ok = true;
      for (var w = 0; w < words.length && ok; w++) ok = hay.indexOf(words[w]) >= 0;
      if (ok) hits.push(r);
    }
    page = 0; show();
  }
  function show() {
    list.textContent = "";
    var from = page * size, to = Math.min(hits.length, from + size);
    for (var i = from; i < to; i++) {
      var r = hits[i], li = document.createElement("li"), el;
      if (r[2]) { el = document.createElement("a"); el.href = r[2]; } else { el = document.createElement("span"); }
      el.textContent = r[1] || r[0]; el.dir = "auto"; li.appendChild(el);
      var meta = document.createElement("span"); meta.className = "id";
      meta.textContent = " " + r[0] + (r[3] ? " · " + r[3] : ""); li.appendChild(meta);
      list.appendChild(li);
    }
    status.textContent = hits.length + " of " + rows.length + " documents" + (hits.length ? ", " + (from + 1) + "–" + to : "");
    prev.disabled = page === 0; next.disabled = to >= hits.length;
  }
  q.addEventListener("input", run); type.addEventListener("change", run);
  prev.addEventListener("click", function () { if (page > 0) { page--; show(); } });
  next.addEventListener("click", function () { if ((page + 1) * size < hits.length) { page++; show(); } });
  var m = /[?&]q=([^&]*)/.exec(location.search) || /#q=(.*)$/.exec(location.hash);
  if (m) q.value = decodeURIComponent(m[1]);
  run();
})();
