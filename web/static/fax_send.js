/* Send-a-fax page: check each chosen PDF at once with the server's own rules; a bad file blocks the submit. */
(function () {
  var form = document.getElementById("fax-form"), input = document.getElementById("f-documents");
  var list = document.getElementById("file-verdicts"), submit = document.getElementById("fax-submit");
  if (!form || !input) { return; }
  function line(text, bad) {
    var li = document.createElement("li"); li.textContent = text;
    if (bad) { li.className = "field-error"; li.setAttribute("data-field", "documents"); }
    list.appendChild(li); return li;
  }
  input.addEventListener("change", function () {
    list.innerHTML = ""; submit.disabled = true;
    var files = Array.prototype.slice.call(input.files), pending = files.length, bad = 0;
    if (!pending) { submit.disabled = false; return; }
    files.forEach(function (file) {
      var li = line(file.name + " — " + form.dataset.checking, false), data = new FormData();
      data.append("documents", file, file.name);
      fetch(form.dataset.checkUrl, {method: "POST", body: data, credentials: "same-origin",
            headers: {"X-CSRFToken": form.querySelector("[name=csrf_token]").value}})
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (verdicts) {
          var v = verdicts[0];
          if (v.ok) { li.textContent = "✓ " + file.name + " — " + form.dataset.pages.replace("{n}", v.pages); }
          else { bad += 1; li.textContent = "✗ " + v.message; li.className = "field-error"; }
        })
        .catch(function () { li.textContent = file.name + " — " + form.dataset.unavailable; })
        .then(function () { pending -= 1; if (!pending) { submit.disabled = bad > 0; } });
    });
  });
})();
