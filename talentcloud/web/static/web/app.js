// Talent Cloud page behaviour. Loaded as a file (CSP forbids inline scripts).
// A session that the server ended answers htmx requests with HX-Redirect; htmx follows it itself.
document.addEventListener("htmx:responseError", function (event) {
  var status = event.detail.xhr.status;
  if (status === 401 || status === 403) { window.location.reload(); }
});
