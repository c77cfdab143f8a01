// After a form comes back with errors, put the keyboard (and a screen reader, which then reads
// the field's label and, through aria-describedby, its error) on the first answer to fix,
// rather than at the top of a long page. A form whose only error is about the whole form
// (a wrong password) gets its message focused instead. Loaded on every page from base.html.
(function () {
  "use strict";
  var field = document.querySelector("form [aria-invalid='true']:not([type='hidden'])");
  if (field) {
    field.focus();
    return;
  }
  var message = document.querySelector("form .alert-danger[role='alert']");
  if (message) {
    message.setAttribute("tabindex", "-1");
    message.focus();
  }
})();
