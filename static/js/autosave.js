// Background save of a long form: every 20 s after a change, the form is posted with "autosave" and the
// server saves the draft exactly as a click on "Zapisz" would (same path, same revision lock): everything
// typed is kept, also values that still need correcting (config/drafts.py).
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) { return; }
  var status = document.getElementById(form.getAttribute("data-autosave"));
  var revision = form.querySelector('[name="revision"]');
  var dirty = false, busy = false;
  function say(text) { if (status) { status.textContent = text; } }
  function save() {
    if (!dirty || busy) { return; }
    busy = true; dirty = false;
    var data = new FormData(form);
    data.append("autosave", "1");
    fetch(form.action || window.location.href, { method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest" } })
      .then(function (response) { return response.json().then(function (body) { return [response.ok, body]; }); })
      .then(function (result) {
        if (result[0]) {
          revision.value = result[1].revision;
          say("Zapisano automatycznie o " + result[1].saved_at + "." +
            (result[1].to_correct ? " Niektóre pola wymagają poprawy – pokażemy je po zapisaniu przyciskiem." : ""));
        }
        else { dirty = true; say(result[1].error); }
      })
      .catch(function () { dirty = true; say("Brak połączenia – zmiany zapiszemy, gdy wróci."); })
      .finally(function () { busy = false; });
  }
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  form.addEventListener("autosave:now", save);  // lets a test (or another script) save at once
  window.setInterval(save, 20000);
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
