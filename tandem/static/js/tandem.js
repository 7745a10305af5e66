/* Tandem's page behaviour. Loaded as a file because the Content-Security-Policy allows no
   inline script: templates mark elements with data attributes instead of on*= handlers. */
(function () {
  "use strict";

  // <input data-select-on-focus>: select the whole value on focus (copyable links).
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target instanceof HTMLInputElement && target.hasAttribute("data-select-on-focus")) {
      target.select();
    }
  });

  // <form data-confirm="Question?">: ask before submitting; cancel keeps the page.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm")) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    }
  }, true);
})();
