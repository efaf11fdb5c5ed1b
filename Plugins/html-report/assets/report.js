// html-report's page script: layer toggles (also from the address: page.html#hide=PERSON,DATE) and
// keyboard navigation between annotations (n / p, optionally of one type). The page reads without it.
(function () {
  "use strict";
  var body = document.body;
  function setLayer(type, on) {
    body.classList.toggle("hide-" + type, !on);
    var marks = document.querySelectorAll("mark.t-" + type);
    for (var i = 0; i < marks.length; i++) marks[i].classList.toggle("off", !on);
    var box = document.getElementById("tog-" + type);
    if (box) { box.checked = on; box.setAttribute("aria-checked", on ? "true" : "false"); }
  }
  var boxes = document.querySelectorAll(".legend input[type=checkbox][data-type]");
  for (var i = 0; i < boxes.length; i++) {
    boxes[i].addEventListener("change", function (e) { setLayer(e.target.getAttribute("data-type"), e.target.checked); });
  }
  var m = /(?:^#|&)hide=([^&]*)/.exec(location.hash);
  if (m) m[1].split(",").forEach(function (t) { if (t) setLayer(decodeURIComponent(t), false); });

  var select = document.getElementById("nav-type");
  function marks() {
    var type = select ? select.value : "";
    var list = document.querySelectorAll(type ? "mark.a.first.t-" + type : "mark.a.first");
    return Array.prototype.filter.call(list, function (el) { return !el.classList.contains("off"); });
  }
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var tag = (e.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea") return;
    if (e.key !== "n" && e.key !== "p") return;
    var list = marks();
    if (!list.length) return;
    var at = list.indexOf(document.activeElement);
    var next = e.key === "n" ? (at + 1) % list.length : (at <= 0 ? list.length - 1 : at - 1);
    list[next].focus();
    e.preventDefault();
  });
})();
