// The activity form: show only the questions that matter for the chosen repetition
// (which one of the month only for "every month"; no weekdays for "only once"). The
// form works the same without this script.
(function () {
  "use strict";
  var form = document.getElementById("activity-form");
  if (!form) return;
  var position = document.getElementById("field-position");
  var weekdays = document.getElementById("field-weekdays");
  var lastDate = document.getElementById("field-last_date");

  function chosen() {
    var checked = form.querySelector('input[name="repeat"]:checked');
    return checked ? checked.value : "";
  }

  function update() {
    var repeat = chosen();
    if (position) position.hidden = repeat !== "monthly";
    if (weekdays) weekdays.hidden = repeat === "once" || repeat === "keep";
    if (lastDate) lastDate.hidden = repeat === "once";
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "repeat") update();
  });
  update();
})();
