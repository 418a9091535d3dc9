// The unit picker (unit_picker.go). Without this script a unit field is a
// text field with a datalist the server fills, and the server resolves a
// name typed without accents on submit. With it the field becomes an ARIA
// combobox: as the user types (debounced), GET /units/pick?for=KIND&q=TEXT
// gives the matching units of the user's subtree; arrow keys move through
// them, Enter or a click picks one (its code goes into the field, its name
// shows beside), Escape closes the list.
(function () {
  "use strict";
  if (window.congdoanPicker) { return; }
  window.congdoanPicker = true;

  function init(box) {
    var input = box.querySelector("input");
    var picked = box.querySelector(".picked");
    if (!input) { return; }
    var kind = box.getAttribute("data-picker") || "any";
    var url = box.getAttribute("data-url") || "/units/pick";
    // data-not: a unit whose subtree the list leaves out (a move's unit).
    var not = box.getAttribute("data-not");
    var listId = input.id + "-listbox";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "picker-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    box.appendChild(list);
    // The server's datalist would filter by accents; the list replaces it.
    input.removeAttribute("list");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    var items = [], active = -1, timer = null, seq = 0;
    // swallow: the Enter that picked a unit does not submit the form too
    // (a keypress may follow its keydown on its own).
    var swallow = false;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(i) {
      var lis = list.children;
      for (var k = 0; k < lis.length; k++) { lis[k].setAttribute("aria-selected", k === i ? "true" : "false"); }
      active = i;
      if (i >= 0 && lis[i]) {
        input.setAttribute("aria-activedescendant", lis[i].id);
        if (lis[i].scrollIntoView) { lis[i].scrollIntoView({ block: "nearest" }); }
      }
    }
    function choose(i) {
      var u = items[i];
      if (!u) { return; }
      input.value = u.code;
      if (picked) { picked.textContent = u.name; }
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function render(units) {
      list.textContent = "";
      items = units;
      units.forEach(function (u, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-code", u.code);
        var name = document.createElement("span");
        name.textContent = u.name;
        var code = document.createElement("small");
        code.textContent = u.code;
        li.appendChild(name);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(code);
        // mousedown, not click: the field keeps the focus.
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      active = -1;
      if (units.length > 0) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
    }
    function search() {
      var n = ++seq;
      fetch(url + "?for=" + encodeURIComponent(kind) + (not ? "&not=" + encodeURIComponent(not) : "") +
        "&q=" + encodeURIComponent(input.value),
        { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (units) {
          // Only the answer to the latest keystroke counts.
          if (n === seq && document.activeElement === input) { render(units || []); }
        })
        .catch(function () { /* the field still works as typed text */ });
    }
    input.addEventListener("input", function () {
      if (picked) { picked.textContent = ""; }
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (e) {
      switch (e.key) {
      case "ArrowDown":
        e.preventDefault();
        if (list.hidden) { search(); } else { highlight(Math.min(active + 1, items.length - 1)); }
        break;
      case "ArrowUp":
        if (!list.hidden) { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
        break;
      case "Enter":
        if (!list.hidden && (active >= 0 || items.length === 1)) {
          e.preventDefault();
          swallow = true;
          choose(active >= 0 ? active : 0);
        }
        break;
      case "Escape":
        if (!list.hidden) { e.preventDefault(); close(); }
        break;
      }
    });
    input.addEventListener("keypress", function (e) {
      if (e.key === "Enter" && swallow) { e.preventDefault(); }
      swallow = false;
    });
    input.addEventListener("keyup", function () { swallow = false; });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll("[data-picker]").forEach(init);
})();
