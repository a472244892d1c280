// Duban's few behaviours that markup asks for with data attributes; no inline handlers, so the
// content security policy can forbid inline script (docs/security.md).
(function () {
  "use strict";
  // <select data-autosubmit>: choosing an option submits its form (the language switch).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.submit();
    }
  });
  // data-confirm="question": on a button or a form, ask before submitting.
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("button[data-confirm], input[type=submit][data-confirm]") : null;
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  }, true);
})();
