// Annexe égalité: live headcount totals, character counter, progressive disclosure.
// Everything works without this script: totals are computed again by the server, and every field is shown.
(function () {
  "use strict";

  // A whole number or nothing, as the server reads a cell: "12.5" or "1e3" count 0 there (and get an error), not 12.
  function toCount(value) {
    return /^\s*\d+\s*$/.test(value) ? parseInt(value, 10) : 0;
  }

  // As the server writes a number (procurement/french.py): thousands apart by a narrow no-break space, « 1 000 ».
  function french(number) {
    return String(number).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
  }

  function setupHeadcount(grid) {
    var inputs = grid.querySelectorAll("input[data-annex-scope]");
    var warning = document.querySelector("[data-annex-zero-warning]");
    var typed = false;
    function update() {
      var rows = {};
      var columns = {};
      var total = 0;
      inputs.forEach(function (input) {
        var value = toCount(input.value);
        var scope = input.getAttribute("data-annex-scope");
        var category = input.getAttribute("data-annex-category");
        rows[scope] = (rows[scope] || 0) + value;
        columns[category] = (columns[category] || 0) + value;
        total += value;
      });
      grid.querySelectorAll("[data-annex-row-total]").forEach(function (cell) {
        cell.textContent = french(rows[cell.getAttribute("data-annex-row-total")] || 0);
      });
      grid.querySelectorAll("[data-annex-column-total]").forEach(function (cell) {
        cell.textContent = french(columns[cell.getAttribute("data-annex-column-total")] || 0);
      });
      grid.querySelectorAll("[data-annex-grand-total]").forEach(function (cell) {
        cell.textContent = french(total);
      });
      // A total of 0 is worth a warning once something was typed (or sent: the server shows it then).
      if (warning && (typed || total !== 0)) {
        warning.hidden = total !== 0;
      }
    }
    inputs.forEach(function (input) {
      input.addEventListener("input", function () {
        typed = true;
        update();
      });
    });
    update();
  }

  function setupCounter(counter) {
    var field = document.getElementById(counter.getAttribute("data-annex-counter-for"));
    if (!field) {
      return;
    }
    var limit = parseInt(field.getAttribute("data-annex-counter"), 10);
    function update() {
      // Counted as the server counts: line breaks as one character, spaces at both ends left out.
      var length = field.value.replace(/\r\n/g, "\n").trim().length;
      var left = limit - length;
      counter.textContent = left >= 0
        ? french(length) + " caractère" + (length > 1 ? "s" : "") + " sur " + french(limit) + " (reste " +
          french(left) + ")"
        : french(length) + " caractères sur " + french(limit) + "\u00a0: retirez-en " + french(-left) + ".";
      counter.classList.toggle("annex-counter--over", left < 0);
    }
    field.addEventListener("input", update);
    update();
  }

  function setupReveal(block) {
    var name = block.getAttribute("data-annex-reveal");
    var expected = block.getAttribute("data-annex-reveal-value");
    var radios = document.querySelectorAll('input[type="radio"][name="' + name + '"]');
    function update() {
      var checked = document.querySelector('input[type="radio"][name="' + name + '"]:checked');
      block.hidden = !(checked && checked.value === expected);
    }
    radios.forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  }

  document.querySelectorAll("[data-annex-headcount]").forEach(setupHeadcount);
  document.querySelectorAll("[data-annex-counter-for]").forEach(setupCounter);
  document.querySelectorAll("[data-annex-reveal]").forEach(setupReveal);
})();
