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
