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
  // <form data-clear-errors-on-save>: a form saved by htmx drops the red outlines and messages of an
  // earlier refused save once a save succeeds (a refusal answers with HX-Retarget and its own form).
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-clear-errors-on-save")) return;
    if (!event.detail.successful || event.detail.xhr.getResponseHeader("HX-Retarget")) return;
    form.querySelectorAll(".is-invalid").forEach(function (field) { field.classList.remove("is-invalid"); });
    form.querySelectorAll(".invalid-feedback").forEach(function (message) { message.remove(); });
  });
  // <button data-back>: back to the previous page (where what the user typed still is).
  document.addEventListener("click", function (event) {
    if (event.target instanceof Element && event.target.closest("[data-back]")) {
      history.back();
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

/* Duban's one local script. A list table (`table.table-cards`) is shown as cards on phones (core/duban.css):
   each cell carries its column's name in `data-label`, copied here from the table's header, so the header
   stays the one place a column is named. Runs on every page and on every piece htmx swaps in (a row
   edited in place is labelled again). A cell spanning several columns, or already labelled, is left as is. */
(function () {
  function headerLabels(table) {
    const labels = [];
    const head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) return labels;
    for (const cell of head.cells) {
      for (let i = 0; i < cell.colSpan; i++) labels.push(cell.colSpan === 1 ? cell.textContent.trim() : "");
    }
    return labels;
  }

  function labelTable(table) {
    const labels = headerLabels(table);
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          if (cell.colSpan === 1 && labels[column] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", labels[column]);
          }
          column += cell.colSpan;
        }
      }
    }
  }

  function labelWithin(element) {
    const table = element.closest && element.closest("table.table-cards");
    if (table) labelTable(table);
    if (element.querySelectorAll) element.querySelectorAll("table.table-cards").forEach(labelTable);
  }

  if (window.htmx) {
    htmx.onLoad(labelWithin);
  } else {
    document.addEventListener("DOMContentLoaded", () => labelWithin(document.body));
  }
})();
