// Fills in this server's address in the examples and shows whether the cloud is ready.
(function () {
  var origin = window.location.origin;
  document.querySelectorAll('.origin').forEach(function (el) { el.textContent = origin; });
  var ready = document.getElementById('ready');
  fetch('/ready').then(function (r) {
    ready.textContent = r.ok ? 'ready' : 'not ready (HTTP ' + r.status + ')';
  }).catch(function () { ready.textContent = 'unreachable'; });
})();
