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
      request.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) {
          var percent = Math.round((progress.loaded / progress.total) * 100);
          bar.hidden = false;
          bar.value = percent;
          text.textContent = percent + "%";
        }
      });
      request.addEventListener("load", function () {
        // The server answers with a redirect to the album, with messages for each file.
        window.location.assign(request.responseURL || window.location.href);
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
