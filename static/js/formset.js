// Add rows to a Django formset without reloading the page (and without losing what was typed).
// Markup: a container [data-formset="<prefix>"] holding a <tbody data-formset-body>, a <template
// data-formset-empty> with one row rendered from formset.empty_form (index "__prefix__"), and a button
// [data-formset-add]. The management form's TOTAL_FORMS input is kept in step.
(function () {
  "use strict";
  function setUp(container) {
    var prefix = container.getAttribute("data-formset");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var body = container.querySelector("[data-formset-body]");
    var template = container.querySelector("template[data-formset-empty]");
    var button = container.querySelector("[data-formset-add]");
    if (!total || !body || !template || !button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__row__/g, String(index + 1));
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = body.lastElementChild && body.lastElementChild.querySelector("input, select, textarea");
      if (first) { first.focus(); }
    });
  }
  document.querySelectorAll("[data-formset]").forEach(setUp);
})();
