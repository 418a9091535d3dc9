// "Select all" for lists of checkboxes: a checkbox with
// data-select-all="NAME" ticks or clears every open (data-open) box named
// NAME of its form, and the count of ticked boxes shows in #chosen-count.
(function () {
  "use strict";
  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    var form = all.form || document;
    var name = all.getAttribute("data-select-all");
    var boxes = function () {
      return Array.prototype.slice.call(form.querySelectorAll('input[type=checkbox][name="' + name + '"]'));
    };
    var count = document.getElementById("chosen-count");
    var update = function () {
      var bs = boxes();
      var open = bs.filter(function (b) { return b.hasAttribute("data-open"); });
      var ticked = bs.filter(function (b) { return b.checked; }).length;
      if (count) { count.textContent = String(ticked); }
      var openTicked = open.filter(function (b) { return b.checked; }).length;
      all.checked = open.length > 0 && openTicked === open.length;
      all.indeterminate = ticked > 0 && !all.checked;
    };
    all.addEventListener("change", function () {
      boxes().forEach(function (b) {
        if (b.hasAttribute("data-open")) { b.checked = all.checked; }
        else if (!all.checked) { b.checked = false; }
      });
      update();
    });
    boxes().forEach(function (b) { b.addEventListener("change", update); });
    update();
  });
})();
