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
// data-count-target naming the element that shows it; that element's
// data-count-format is the sentence in the page's language, data-count-locale
// how it writes figures.
document.querySelectorAll("textarea[maxlength][data-count-target]").forEach((area) => {
  const output = document.getElementById(area.dataset.countTarget);
  if (!output || !output.dataset.countFormat) return;
  const locale = output.dataset.countLocale || undefined;
  const update = () => {
    const left = area.maxLength - area.value.length;
    output.textContent = output.dataset.countFormat
      .replace("{count}", area.value.length.toLocaleString(locale))
      .replace("{limit}", area.maxLength.toLocaleString(locale));
    output.classList.toggle("text-danger", left < 100);
  };
  area.addEventListener("input", update);
  update();
});

// A step that failed shows its errors in a summary at the top of its form:
// move the focus there, so the reason is the first thing seen and read out.
// Its links put the focus in the field they name, not just in view.
const errorSummary = document.querySelector("[data-error-summary]");
if (errorSummary) {
  errorSummary.focus();
  errorSummary.querySelectorAll("a[href^='#']").forEach((link) => {
    link.addEventListener("click", (event) => {
      const field = document.getElementById(link.hash.slice(1));
      if (!field) return;
      event.preventDefault();
      field.scrollIntoView({ block: "center" });
      field.focus();
    });
  });
}

// The thank-you page's letters update themselves: while any is on its way,
// fetch that part of the page again, less often as time goes by. The
// summary line is a live region that stays in place, so a change is read out.
// Without scripts the page says to reload it.
const refreshReceipt = (receipt, wait = 4000) => {
  setTimeout(async () => {
    let fresh = null;
    try {
      const response = await fetch(receipt.dataset.refresh, { credentials: "same-origin" });
      if (response.ok) {
        const holder = document.createElement("div");
        holder.innerHTML = await response.text();
        fresh = holder.querySelector("[data-receipt]");
      }
    } catch {
      // Offline for a moment: try again later.
    }
    if (fresh) {
      const summary = receipt.querySelector(".receipt-summary");
      const text = fresh.querySelector(".receipt-summary").textContent;
      if (summary.textContent !== text) summary.textContent = text;
      receipt.querySelector("ul").replaceWith(fresh.querySelector("ul"));
      if (!fresh.dataset.refresh) {
        receipt.querySelector(".receipt-reload")?.remove();
        return; // everything has arrived or failed: nothing more will change
      }
    }
    refreshReceipt(receipt, Math.min(wait * 1.5, 60000));
  }, wait);
};
document.querySelectorAll("[data-receipt][data-refresh]").forEach((receipt) => refreshReceipt(receipt));
