/* Status page: live updates pushed by the server (Server-Sent Events), instant filters,
   ticking waiting times and the Fullscreen API. Without this file the page still works:
   the filters are a GET form, full screen a link, and a reload shows the current state. */
(function () {
  "use strict";
  var page = document.getElementById("status-page");
  if (!page) { return; }
  var live = document.getElementById("status-live");
  var form = document.getElementById("status-filters");
  var toggle = document.getElementById("fullscreen-toggle");
  var source = null, debounce = null, clockOffset = 0;

  function query() {
    var params = new URLSearchParams(new FormData(form));
    Array.from(params.keys()).forEach(function (key) { if (!params.get(key)) { params.delete(key); } });
    if (page.classList.contains("fullscreen")) { params.set("full", "1"); } else { params.delete("full"); }
    return params.toString();
  }

  function tick() {
    var now = Date.now() / 1000 + clockOffset;
    live.querySelectorAll("time[data-since]").forEach(function (el) {
      var seconds = Math.max(0, Math.floor(now - Number(el.dataset.since)));
      el.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
    });
  }

  function connect() {
    if (!window.EventSource) { return; }
    if (source) { source.close(); }
    source = new EventSource(page.dataset.stream + "?" + query());
    source.addEventListener("status", function (event) {
      live.innerHTML = event.data;
      var fresh = live.querySelector("[data-now]");
      if (fresh) { clockOffset = Number(fresh.dataset.now) - Date.now() / 1000; }
      page.dataset.updates = String(Number(page.dataset.updates || 0) + 1);
      tick();
    });
  }

  function refilter() {
    history.replaceState(null, "", "?" + query());
    connect();
  }

  form.classList.add("js");
  form.addEventListener("submit", function (event) { event.preventDefault(); refilter(); });
  form.addEventListener("change", refilter);
  form.addEventListener("input", function (event) {
    if (event.target.name !== "q") { return; }
    clearTimeout(debounce);
    debounce = setTimeout(refilter, 250);
  });

  function setFull(on) {
    page.classList.toggle("fullscreen", on);
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
    history.replaceState(null, "", "?" + query());
  }
  toggle.addEventListener("click", function (event) {
    event.preventDefault();
    var on = !page.classList.contains("fullscreen");
    setFull(on);
    if (on && page.requestFullscreen) { page.requestFullscreen().catch(function () {}); }
    if (!on && document.fullscreenElement && document.exitFullscreen) { document.exitFullscreen(); }
  });
  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement && page.classList.contains("fullscreen")) { setFull(false); }
  });

  var first = live.querySelector("[data-now]");
  if (first) { clockOffset = Number(first.dataset.now) - Date.now() / 1000; }
  setInterval(tick, 1000);
  connect();
})();
