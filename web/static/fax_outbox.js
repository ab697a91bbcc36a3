/* Sent faxes page: refresh the rows of faxes still on their way every 2 s (the page works without it). */
(function () {
  var table = document.getElementById("fax-outbox");
  if (!table) { return; }
  function active() {
    return Array.prototype.map.call(table.querySelectorAll("tr[data-active=true]"), function (tr) { return tr.dataset.job; });
  }
  function refresh() {
    var ids = active();
    if (!ids.length) { return; }
    fetch(table.dataset.statusUrl + "?ids=" + ids.join(","), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (rows) {
        rows.forEach(function (row) {
          var tr = document.getElementById("job-" + row.id);
          if (!tr) { return; }
          var pill = tr.querySelector(".fax-state .pill");
          pill.textContent = row.state_label; pill.className = "pill state-" + row.state;
          tr.querySelector(".fax-pages").textContent = table.dataset.pageFormat.replace("{x}", row.pages_sent).replace("{y}", row.pages_total);
          var details = tr.querySelector(".fax-details");
          details.textContent = [row.failure_label, row.result_text].filter(Boolean).join(" — ");
          tr.dataset.active = row.active ? "true" : "false";
          var cancel = tr.querySelector(".fax-cancel");
          if (cancel && !row.cancellable) { cancel.remove(); }
        });
      })
      .catch(function () {})
      .then(function () { setTimeout(refresh, 2000); });
  }
  setTimeout(refresh, 2000);
})();
