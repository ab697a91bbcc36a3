// Forms that guide (issue 20.4), on every page: a refused save brings the eye to the first field
// in error and lists the fields in error as links in the banner; warnings that change the
// meaning of what is typed show while typing. Without JavaScript the page still works: each
// message is beside its field, the server's warnings are shown after saving.
(function () {
  "use strict";
  var strings = JSON.parse(document.body.getAttribute("data-ui-strings") || "{}");
  var made = 0;

  function controlFor(message) {
    var name = message.getAttribute("data-field");
    if (name && name !== "_form") {
      var named = document.querySelector('[name="' + CSS.escape(name) + '"]:not([type=hidden])');
      if (named) { return named; }
    }
    var box = message.closest(".field, fieldset, td, .row");
    return box ? box.querySelector("input:not([type=hidden]), select, textarea") : null;
  }

  function labelOf(control) {
    var label = control.id && document.querySelector('label[for="' + CSS.escape(control.id) + '"]');
    var text = (label && label.textContent) || control.getAttribute("aria-label") ||
      (control.closest("label") && control.closest("label").textContent) ||
      (control.closest("fieldset") && control.closest("fieldset").querySelector("legend").textContent) ||
      control.name;
    return text.replace(/\s+/g, " ").trim();
  }

  function fieldsInError() {
    var found = [];
    document.querySelectorAll("main form .field-error, main form [aria-invalid=true]").forEach(function (node) {
      var control = node.matches("input, select, textarea") ? node : controlFor(node);
      if (control && found.indexOf(control) < 0) { found.push(control); }
    });
    return found;
  }

  function banner() {
    var existing = document.querySelector("main .flash-error[role=alert]");
    if (existing) { return existing; }
    var box = document.createElement("div");
    box.className = "flash flash-error";
    box.setAttribute("role", "alert");
    var form = document.querySelector("main form .field-error, main form [aria-invalid=true]").closest("form");
    form.parentNode.insertBefore(box, form);
    return box;
  }

  function linkTo(control, text) {
    if (!control.id) { control.id = "field-in-error-" + (++made); }
    var link = document.createElement("a");
    link.href = "#" + control.id;
    link.textContent = text;
    link.addEventListener("click", function (event) { event.preventDefault(); jumpTo(control); });
    return link;
  }

  // A banner that already lists its cells (quick edit: <li data-cell="12.ring_seconds">) gets
  // each item made a link; any other banner gets the list of the fields' labels.
  function listInBanner(box, controls) {
    var items = box.querySelectorAll("li[data-cell]");
    if (items.length) {
      items.forEach(function (item) {
        var control = document.querySelector('[name="' + CSS.escape(item.getAttribute("data-cell")) + '"]');
        if (control) { item.replaceChildren(linkTo(control, item.textContent.trim())); }
      });
      return;
    }
    var list = document.createElement("ul");
    list.className = "error-links";
    list.id = "error-links";
    controls.forEach(function (control) {
      var item = document.createElement("li");
      item.appendChild(linkTo(control, labelOf(control)));
      list.appendChild(item);
    });
    if (strings.fields_in_error) {
      var title = document.createElement("p");
      title.textContent = strings.fields_in_error;
      box.appendChild(title);
    }
    box.appendChild(list);
  }

  function jumpTo(control) {
    control.scrollIntoView({block: "center"});
    control.focus({preventScroll: true});
  }

  function guideErrors() {
    var controls = fieldsInError();
    if (!controls.length) { return; }
    listInBanner(banner(), controls);
    jumpTo(controls[0]);
  }

  // <p data-show-when-all="selector|selector" hidden>: shown while every selector matches.
  function liveWarnings() {
    var warnings = document.querySelectorAll("[data-show-when-all]");
    if (!warnings.length) { return; }
    function refresh() {
      warnings.forEach(function (warning) {
        warning.hidden = !warning.getAttribute("data-show-when-all").split("|").every(function (selector) {
          return document.querySelector(selector) !== null;
        });
      });
    }
    document.addEventListener("change", refresh);
    refresh();
  }

  // Opening hours typed as "dD_from_R" / "dD_to_R": an end before the start runs past midnight.
  function overnightRanges() {
    document.querySelectorAll('input[type=time][name*="_from_"]').forEach(function (from) {
      var to = document.querySelector('input[type=time][name="' + CSS.escape(from.name.replace("_from_", "_to_")) + '"]');
      if (!to || !strings.overnight) { return; }
      var note = document.createElement("span");
      note.className = "field-warning overnight-warning";
      note.setAttribute("role", "status");
      (to.closest("label") || to).after(note);
      function refresh() {
        var overnight = from.value && to.value && to.value !== "00:00" && to.value < from.value;
        note.hidden = !overnight;
        note.textContent = overnight ? strings.overnight.replace("{from}", from.value).replace("{to}", to.value) : "";
      }
      from.addEventListener("input", refresh);
      to.addEventListener("input", refresh);
      refresh();
    });
  }

  // A <select data-navigate> whose options are addresses opens the one chosen (no inline handler:
  // the Content-Security-Policy allows no inline script).
  function navigatingSelects() {
    document.querySelectorAll("select[data-navigate]").forEach(function (select) {
      select.addEventListener("change", function () { window.location.href = select.value; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    guideErrors();
    liveWarnings();
    overnightRanges();
    navigatingSelects();
  });
})();
