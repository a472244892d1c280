// Long selects (core.widgets.FastSelect, marked data-searchable) become searchable boxes: type part
// of a unit's name or its short name; a multiple choice is picked item by item, no Ctrl-click.
(function () {
  function enhance(root) {
    if (typeof TomSelect === "undefined") return;
    root.querySelectorAll("select[data-searchable]:not(.tomselected)").forEach(function (select) {
      var options = {
        maxOptions: null,
        allowEmptyOption: true,
        plugins: select.multiple ? ["remove_button"] : [],
        render: {
          no_results: function () {
            return '<div class="no-results">' + (select.dataset.noResults || "") + "</div>";
          },
        },
      };
      new TomSelect(select, options);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  // Forms that htmx swaps in (a row's edit form, a filter bar) get the same boxes.
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();
