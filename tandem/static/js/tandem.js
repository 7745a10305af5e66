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

  // <select data-zone-picker>: a labelled filter box above the zone list narrows its options
  // as one types (city, region or offset such as "+05:30"); without JavaScript it stays a
  // plain select. With data-zone-default-note and no zone chosen yet, the device's zone is
  // chosen and the note says so. The texts come translated in data attributes.
  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\u2212/g, "-")
      .replace(/_/g, " ").toLowerCase();
  }

  function deviceZoneOption(select) {
    var zone;
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (error) {
      return null;
    }
    if (!zone) {
      return null;
    }
    var options = Array.prototype.filter.call(select.options, function (option) {
      return option.value;
    });
    var exact = options.filter(function (option) { return option.value === zone; });
    if (exact.length) {
      return exact[0];
    }
    // Browsers may name the zone by an old alias (Chromium: Asia/Calcutta, Asia/Katmandu):
    // the option whose zone the browser names the same way is the device's zone.
    for (var i = 0; i < options.length; i++) {
      try {
        var named = new Intl.DateTimeFormat("en", { timeZone: options[i].value });
        if (named.resolvedOptions().timeZone === zone) {
          return options[i];
        }
      } catch (error) {
        // A zone this browser does not know: not the device's.
      }
    }
    return null;
  }

  function optionText(option) {
    var group = option.parentNode;
    return (group && group.tagName === "OPTGROUP" ? group.label + " / " : "") + option.text;
  }

  function setUpZonePicker(select) {
    if (select.hasAttribute("data-zone-picker-ready")) {
      return;
    }
    select.setAttribute("data-zone-picker-ready", "");
    var id = (select.id || select.name) + "-filter";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.className = "zone-filter-label";
    label.textContent = select.getAttribute("data-zone-filter-label");
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.className = "zone-filter";
    input.placeholder = select.getAttribute("data-zone-filter-hint") || "";
    input.setAttribute("aria-controls", select.id);
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    select.parentNode.insertBefore(label, select);
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(status, select);

    var entries = Array.prototype.map.call(select.options, function (option) {
      var group = option.parentNode.tagName === "OPTGROUP" ? option.parentNode : null;
      return {
        option: option,
        group: group,
        text: plain([group ? group.label : "", option.text, option.value].join(" ")),
      };
    });

    function matches() {
      return entries.filter(function (entry) {
        return entry.option.parentNode && entry.option.value && entry.matched;
      });
    }

    function filter() {
      var terms = plain(input.value).split(/\s+/).filter(Boolean);
      var chosen = select.value;
      while (select.firstChild) {
        select.removeChild(select.firstChild);
      }
      var count = 0;
      entries.forEach(function (entry) {
        if (entry.group) {
          while (entry.group.firstChild) {
            entry.group.removeChild(entry.group.firstChild);
          }
        }
      });
      entries.forEach(function (entry) {
        entry.matched = terms.every(function (term) { return entry.text.indexOf(term) !== -1; });
        // The empty choice and the chosen zone stay, so filtering never changes the choice.
        if (!entry.matched && entry.option.value && entry.option.value !== chosen) {
          return;
        }
        if (entry.matched && entry.option.value) {
          count++;
        }
        if (entry.group) {
          select.appendChild(entry.group);
          entry.group.appendChild(entry.option);
        } else {
          select.appendChild(entry.option);
        }
      });
      select.value = chosen;
      var template = select.getAttribute("data-zone-filter-count");
      status.textContent = terms.length && template ? template.replace("%(count)s", count) : "";
    }

    input.addEventListener("input", filter);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        // Enter chooses the one zone left instead of submitting the form.
        event.preventDefault();
        var left = matches();
        if (left.length === 1) {
          select.value = left[0].option.value;
          select.dispatchEvent(new Event("change", { bubbles: true }));
        }
        select.focus();
      } else if (event.key === "ArrowDown") {
        event.preventDefault();
        select.focus();
      }
    });

    var note = select.getAttribute("data-zone-default-note");
    if (note && !select.value) {
      var option = deviceZoneOption(select);
      if (option) {
        select.value = option.value;
        var shown = document.createElement("small");
        shown.className = "help zone-default-note";
        shown.setAttribute("role", "status");
        shown.textContent = note.replace("%(zone)s", optionText(option));
        select.parentNode.insertBefore(shown, select.nextSibling);
        select.addEventListener("change", function () { shown.remove(); }, { once: true });
      }
    }
  }

  function setUpZonePickers(root) {
    Array.prototype.forEach.call(
      root.querySelectorAll("select[data-zone-picker]"), setUpZonePicker
    );
  }

  setUpZonePickers(document);
  document.addEventListener("htmx:load", function (event) {
    if (event.target instanceof Element) {
      setUpZonePickers(event.target);
    }
  });
})();
