// The activity form: show only the questions that matter for the chosen repetition
// (which one of the month only for "every month"; no weekdays for "only once"), and
// keep the preview of the next dates up to date while the coordinator answers. The form
// works the same without this script ("Bekijk de data" shows the dates).
(function () {
  "use strict";
  var form = document.getElementById("activity-form");
  if (!form) return;
  var position = document.getElementById("field-position");
  var weekdays = document.getElementById("field-weekdays");
  var lastDate = document.getElementById("field-last_date");
  var preview = document.getElementById("preview");
  var pending = null;
  var asked = 0;

  function chosen() {
    var checked = form.querySelector('input[name="repeat"]:checked');
    return checked ? checked.value : "";
  }

  function showWhatMatters() {
    var repeat = chosen();
    if (position) position.hidden = repeat !== "monthly";
    if (weekdays) weekdays.hidden = repeat === "once" || repeat === "keep";
    if (lastDate) lastDate.hidden = repeat === "once";
  }

  function refreshPreview() {
    var data = new FormData(form);
    data.set("preview", "1");
    var number = ++asked;
    fetch(form.action || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Omzien-Fragment": "preview" },
    })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        // Only the latest answer counts; an older, slower one is dropped.
        if (html !== null && number === asked) preview.innerHTML = html;
      })
      .catch(function () {
        // Offline or the server is away: the button still works.
      });
  }

  function later() {
    window.clearTimeout(pending);
    pending = window.setTimeout(refreshPreview, 400);
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "repeat") showWhatMatters();
    if (preview) later();
  });
  showWhatMatters();
})();
