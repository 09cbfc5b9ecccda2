// Live character count under every text box with a limit (the limit comes from the server's form field).
// The browser's own maxlength would cut a pasted text silently, so the limit moves to data-maxlength: the
// text stays whole, the count turns red and says how much to cut, and the server refuses it with a message.
(function () {
  "use strict";
  var number = new Intl.NumberFormat("pl-PL", { useGrouping: "always" });
  function plural(n) {
    var mod10 = n % 10, mod100 = n % 100;
    if (n === 1) { return "znak"; }
    return mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14) ? "znaki" : "znaków";
  }
  function update(box) {
    var limit = parseInt(box.getAttribute("data-maxlength"), 10);
    var counter = document.getElementById(box.getAttribute("data-counter"));
    if (!counter) { return; }
    // The browser sends a line break as \r\n and the server counts what it receives: two characters.
    var used = box.value.replace(/\r?\n/g, "\r\n").length;
    var over = used - limit;
    counter.textContent = number.format(used) + " / " + number.format(limit) + " " + plural(limit) +
      (over > 0 ? " – za długi tekst, skróć go o " + number.format(over) + " " + plural(over) + "." : "");
    counter.classList.toggle("text-danger", over > 0);
    counter.classList.toggle("fw-semibold", over > 0);
  }
  function setUp(box) {
    if (box.hasAttribute("data-counter") || !box.id) { return; }
    box.setAttribute("data-maxlength", box.getAttribute("maxlength"));
    box.removeAttribute("maxlength");
    var counter = document.createElement("div");
    counter.id = box.id + "-licznik";
    counter.className = "form-text text-end char-counter";
    box.setAttribute("data-counter", counter.id);
    var described = box.getAttribute("aria-describedby");
    box.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    box.insertAdjacentElement("afterend", counter);
    update(box);
  }
  document.querySelectorAll("textarea[maxlength]").forEach(setUp);
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (box.tagName !== "TEXTAREA") { return; }
    if (box.hasAttribute("maxlength")) { setUp(box); }  // rows added on the page (formset.js)
    if (box.hasAttribute("data-maxlength")) { update(box); }
  });
})();
