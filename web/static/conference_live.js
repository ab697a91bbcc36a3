/* A conference room's control widget: the list of connected and invited people pushed by the
   server (Server-Sent Events) whenever it changes. Without this file the page still works:
   the buttons are plain forms and a reload shows the current state. */
(function () {
  "use strict";
  var page = document.getElementById("conference-page");
  if (!page) { return; }
  var live = document.getElementById("conference-live");
  live.addEventListener("submit", function (event) {  // "end now" asks first (the fragment is replaced: delegate)
    var question = event.target.dataset.confirm;
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
  if (!window.EventSource) { return; }
  var source = new EventSource(page.dataset.stream);
  source.addEventListener("status", function (event) {
    live.innerHTML = event.data;
    page.dataset.updates = String(Number(page.dataset.updates || 0) + 1);
  });
})();
