// Statistics dashboard: while a computation is queued or running, read its state every few seconds and move the
// progress bar; reload the page when it ends (the page then shows the new figures, or the failure and its retry
// button). Without JavaScript, the page says to reload it. Loaded with the CSP nonce; no inline script.
(function () {
  "use strict";
  var box = document.getElementById("analytics-job");
  if (!box) { return; }
  var status = box.getAttribute("data-status");
  if (status !== "queued" && status !== "running") { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("analytics-job-progress");
  var message = document.getElementById("analytics-job-message");
  var delay = 1500;
  var failures = 0;

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (state) {
        failures = 0;
        if (bar) { bar.value = state.progress; bar.textContent = state.progress + "\u00a0%"; }
        if (message) { message.textContent = state.summary; }
        if (state.finished) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        failures += 1;
        if (message && failures >= 3) {
          message.textContent = "L'état du calcul ne peut pas être lu pour le moment\u00a0; actualisez la page dans un instant.";
        }
        window.setTimeout(poll, Math.min(delay * (failures + 1), 15000));
      });
  }
  window.setTimeout(poll, delay);
})();
