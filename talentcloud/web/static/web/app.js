// Talent Cloud page behaviour. Loaded as a file (CSP forbids inline scripts).
// A session that the server ended answers htmx requests with HX-Redirect; htmx follows it itself.
document.addEventListener("htmx:responseError", function (event) {
  var status = event.detail.xhr.status;
  if (status === 401 || status === 403) { window.location.reload(); }
});

// A form checked as you type (data-live-check): when the answer to a check arrives after the user has changed
// the form again, it is not shown (it would overwrite what they just typed); the newer values are checked instead.
function liveValues(form) { return new URLSearchParams(new FormData(form)).toString(); }
document.addEventListener("htmx:configRequest", function (event) {
  var elt = event.detail.elt;
  if (elt.matches && elt.matches("form[data-live-check]")) { elt.liveSent = liveValues(elt); }
});
document.addEventListener("htmx:beforeSwap", function (event) {
  var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (elt && elt.matches && elt.matches("form[data-live-check]") && elt.liveSent !== liveValues(elt)) {
    event.detail.shouldSwap = false;
    // Once this request has finished: a new one started from inside its handling could be taken for it.
    window.setTimeout(function () { htmx.trigger(elt, "change"); }, 0);
  }
});

// The header's menu button (shown on a phone): opens and closes the menu; Escape closes it again.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest(".menu-toggle");
  if (!button) { return; }
  var menu = document.getElementById(button.getAttribute("aria-controls"));
  var open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", open ? "true" : "false");
  menu.classList.toggle("open", open);
});
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") { return; }
  var button = document.querySelector(".menu-toggle[aria-expanded='true']");
  if (!button) { return; }
  button.setAttribute("aria-expanded", "false");
  document.getElementById(button.getAttribute("aria-controls")).classList.remove("open");
  button.focus();
});

// Tables drawn as cards on a phone (table.cards) show each cell's column header from its data-label: a cell
// the template left without one gets its column's header text here (also in rows htmx brings in later).
function labelCardCells(root) {
  Array.prototype.forEach.call(root.querySelectorAll("table.cards"), function (table) {
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        if (cell.tagName === "TD" && !cell.hasAttribute("data-label") && !cell.hasAttribute("colspan")) {
          cell.setAttribute("data-label", headers[index] || "");
        }
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { labelCardCells(document); });
document.addEventListener("htmx:load", function () { labelCardCells(document); });

// Irreversible actions ask first: a submit button, a form or a link with data-confirm="question" (set by the
// templates, translated). Listened for while capturing, so a refusal stops the form before htmx or the browser
// sends it. (htmx's own hx-confirm works as well where htmx sends the request.)
document.addEventListener("submit", function (event) {
  var form = event.target;
  var submitter = event.submitter;
  var question = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopPropagation();
  }
}, true);
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-confirm]");
  if (link && !window.confirm(link.getAttribute("data-confirm"))) {
    event.preventDefault();
    event.stopPropagation();
  }
}, true);
