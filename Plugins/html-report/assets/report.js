// html-report's page script: layer toggles (also from the address: page.html#hide=PERSON,DATE), the focus
// on each annotation's first part and keyboard navigation between them (n / p, optionally of one type, with
// its help and type menu made here), and each annotation's type in its tooltip. The page reads without it.
(function () {
  "use strict";
  var body = document.body;
  var boxes = document.querySelectorAll(".legend input[type=checkbox]");
  // a layer by its class (the checkbox is tog-CLASS; the marks carry the type: its data-type, else the class)
  function setLayer(cls, on) {
    body.classList.toggle("hide-" + cls, !on);
    var box = document.getElementById("tog-" + cls);
    if (!box) return;
    box.checked = on;
    box.setAttribute("aria-checked", on ? "true" : "false");
    var type = box.getAttribute("data-type") || cls, marks = document.querySelectorAll("mark[data-type]");
    for (var i = 0; i < marks.length; i++) {
      if (marks[i].getAttribute("data-type") === type) marks[i].classList.toggle("off", !on);
    }
  }
  for (var i = 0; i < boxes.length; i++) {
    boxes[i].addEventListener("change", function (e) { setLayer(e.target.id.slice(4), e.target.checked); });
  }
  var m = /(?:^#|&)hide=([^&]*)/.exec(location.hash);
  if (m) m[1].split(",").forEach(function (t) { if (t) setLayer(decodeURIComponent(t), false); });

  // the first part of each annotation takes the focus (the parts of one share its data-a)
  var seen = {}, all = document.querySelectorAll("mark[data-a]");
  for (var j = 0; j < all.length; j++) {
    var n = all[j].getAttribute("data-a");
    if (!seen[n]) { seen[n] = true; all[j].tabIndex = 0; }
  }

  // the keys' help and the menu of types, under the legend
  var legend = document.querySelector("form.legend"), select = null;
  if (legend) {
    var help = document.createElement("p");
    help.className = "help";
    help.innerHTML = "Keys: <kbd>n</kbd> next annotation, <kbd>p</kbd> previous (of the type chosen here: " +
      "<label><select id=\"nav-type\"><option value=\"\">any type</option></select></label>). " +
      "Hover or focus an annotation for its features.";
    legend.appendChild(help);
    select = document.getElementById("nav-type");
    for (var k = 0; k < boxes.length; k++) {
      var option = document.createElement("option");
      option.value = option.textContent = boxes[k].getAttribute("data-type") || boxes[k].id.slice(4);
      select.appendChild(option);
    }
  }
  function marks() {
    var type = select ? select.value : "";
    return Array.prototype.filter.call(document.querySelectorAll("mark[tabindex]"), function (el) {
      return !el.classList.contains("off") && (!type || el.getAttribute("data-type") === type);
    });
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

  // the tooltip names the type before the features ("PERSON · canonical: ..."), once a mark is pointed at
  var named = new WeakSet();
  function nameType(e) {
    var mark = e.target.closest ? e.target.closest("mark[data-type]") : null;
    if (!mark || named.has(mark)) return;
    named.add(mark);
    var features = mark.getAttribute("title");
    mark.setAttribute("title", mark.getAttribute("data-type") + (features ? " · " + features : ""));
  }
  document.addEventListener("mouseover", nameType);
  document.addEventListener("focusin", nameType);
})();
