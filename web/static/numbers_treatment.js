/* A number's "create a treatment" form: only the fields of the chosen kind are shown ("continue
   to" only after "then continue"), and the chosen message can be listened to before saving.
   Without this file every field shows and the server keeps only the chosen kind's. */
(function () {
  "use strict";
  var form = document.querySelector("[data-treatment-form] form");
  if (!form) { return; }
  var kind = form.querySelector("[name=t_kind]");
  var then = form.querySelector("[name=t_message_then]");
  var sound = form.querySelector("[name=t_message_path]");
  var play = document.getElementById("play-message");
  var player = document.getElementById("message-player");

  function toggle(element, on) {  // style too: the page's CSS gives .grid and buttons a display of their own
    element.hidden = !on;
    element.style.display = on ? "" : "none";
  }

  function show() {
    form.querySelectorAll("[data-kinds]").forEach(function (part) {
      toggle(part, part.dataset.kinds.split(" ").indexOf(kind.value) >= 0);
    });
    form.querySelectorAll("[data-then]").forEach(function (part) {
      toggle(part, then.value === part.dataset.then);
    });
  }

  function chosenAudio() {
    var option = sound.options[sound.selectedIndex];
    return option ? option.dataset.audio || "" : "";
  }

  function offerPlay() {
    player.pause();
    toggle(play, chosenAudio() !== "");
  }

  kind.addEventListener("change", show);
  then.addEventListener("change", show);
  sound.addEventListener("change", offerPlay);
  play.addEventListener("click", function () {
    var audio = chosenAudio();
    if (player.getAttribute("src") !== audio) { player.setAttribute("src", audio); }
    player.currentTime = 0;
    player.play().catch(function () { player.hidden = false; });  // not playable: show the player's own error
  });
  show();
  offerPlay();
})();
