// Live arithmetic of the offer form: line totals, V.A sums and the V.B balance, in Polish number format.
// The server checks everything again; this only spares the NGO a calculator.
(function () {
  "use strict";
  var form = document.querySelector("[data-offer-form]");
  if (!form) { return; }
  var money = new Intl.NumberFormat("pl-PL", { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: "always" });
  function parse(value) {
    var n = parseFloat(String(value || "").replace(/[\s\u00a0]/g, "").replace(",", "."));
    return isNaN(n) ? 0 : n;
  }
  function show(name, value) {
    var el = form.querySelector('[data-sum="' + name + '"]');
    if (el) { el.textContent = money.format(value) + "\u00a0zł"; }
  }
  function field(name) { var el = form.querySelector('[name="' + name + '"]'); return el ? parse(el.value) : 0; }
  function recalc() {
    var sums = { I: 0, II: 0 };
    form.querySelectorAll('[name$="-unit_cost"]').forEach(function (input) {
      var prefix = input.name.slice(0, -"unit_cost".length);
      var deleted = form.querySelector('[name="' + prefix + 'DELETE"]');
      if (deleted && deleted.checked) { return; }
      var category = form.querySelector('[name="' + prefix + 'category"]');
      var total = Math.round(parse(input.value) * field(prefix + "quantity") * 100) / 100;
      sums[category ? category.value : "I"] += total;
    });
    var total = sums.I + sums.II;
    show("delivery", sums.I); show("admin", sums.II); show("total", total);
    var sources = ["grant_amount", "own_financial", "own_personal", "own_in_kind", "recipient_payments"]
      .reduce(function (acc, name) { return acc + field(name); }, 0);
    show("sources", sources); show("difference", total - sources);
  }
  form.addEventListener("input", recalc);
  form.addEventListener("change", recalc);
  recalc();
})();
