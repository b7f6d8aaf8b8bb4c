/* The verify page's camera: reads the talent's QR with the vendored jsQR and submits the form with it.
   Without a camera (no HTTPS, no permission) the field stays for a USB scanner or typing. */
(function () {
  "use strict";
  var button = document.getElementById("scan-camera");
  var video = document.getElementById("scan-video");
  var message = document.getElementById("scan-message");
  var form = document.getElementById("verify-form");
  if (!button || !video || !form) { return; }
  var field = form.querySelector("input[name=token]");
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || typeof window.jsQR !== "function") {
    return;
  }
  button.hidden = false;
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;

  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    video.hidden = true;
  }

  function tick() {
    if (!stream) { return; }
    if (video.readyState === video.HAVE_ENOUGH_DATA) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      if (found && found.data) {
        stop();
        field.value = found.data;
        form.submit();
        return;
      }
    }
    window.requestAnimationFrame(tick);
  }

  button.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      video.play();
      window.requestAnimationFrame(tick);
    }).catch(function () {
      message.textContent = message.getAttribute("data-no-camera");
    });
  });
})();
