// Upload with a progress bar: the form still works without this script (plain POST).
(function () {
  "use strict";
  document.querySelectorAll("form[data-media-upload]").forEach(function (form) {
    var bar = form.querySelector(".media-progress");
    var text = form.querySelector(".media-progress-text");
    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest) {
        return;
      }
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("X-Media-Upload", "1");
      request.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) {
          var percent = Math.round((progress.loaded / progress.total) * 100);
          bar.hidden = false;
          bar.value = percent;
          text.textContent = percent + "%";
        }
      });
      request.addEventListener("load", function () {
        // The server answers with the album's address; its messages name each refused file.
        var target = window.location.href;
        try {
          target = JSON.parse(request.responseText).redirect || target;
        } catch (error) {
          // Not JSON (an error page): reload the album, which shows what happened.
        }
        window.location.assign(target);
      });
      request.addEventListener("error", function () {
        form.submit();
      });
      form.querySelectorAll("button").forEach(function (button) {
        button.disabled = true;
      });
      request.send(new FormData(form));
    });
  });
})();
