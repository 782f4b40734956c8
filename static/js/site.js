// Progressive enhancement only: every page works without this file.
"use strict";

// A form marked data-submit-once can be sent once; a double click or an
// impatient second tap does nothing (the server's idempotency key is the
// real guarantee).
document.querySelectorAll("form[data-submit-once]").forEach((form) => {
  form.addEventListener("submit", (event) => {
    if (form.dataset.submitted) {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "true";
    form.querySelectorAll("button[type=submit]").forEach((button) => {
      button.setAttribute("aria-disabled", "true");
      button.classList.add("disabled");
    });
  });
});

// A live count under textareas that have a maxlength and a
// data-count-target naming the element that shows it.
document.querySelectorAll("textarea[maxlength][data-count-target]").forEach((area) => {
  const output = document.getElementById(area.dataset.countTarget);
  if (!output) return;
  const update = () => {
    const left = area.maxLength - area.value.length;
    output.textContent = `${area.value.length.toLocaleString()} of ${area.maxLength.toLocaleString()} characters`;
    output.classList.toggle("text-danger", left < 100);
  };
  area.addEventListener("input", update);
  update();
});
