// A "Show password" button under each password input marked data-show-password, so that a
// password asked once (sign-up) can be checked by eye instead of typed twice. Without
// JavaScript there is no button and the input stays hidden text.
(function () {
  "use strict";
  document.querySelectorAll("input[data-show-password]").forEach(function (input) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-link btn-sm px-0 show-password";
    button.textContent = "Show password";
    button.setAttribute("aria-controls", input.id);
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function () {
      var showing = input.type === "password";
      input.type = showing ? "text" : "password";
      button.setAttribute("aria-pressed", String(showing));
    });
    input.insertAdjacentElement("afterend", button);
  });
})();
