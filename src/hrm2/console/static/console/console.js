/* HRM2 console: progressive enhancement only (pages work without it). Drag-and-drop into the
   file input, upload progress, and error feedback for htmx requests. */
(function () {
  "use strict";
  function describeFiles(input, out) {
    if (out) out.textContent = input.files.length ? Array.from(input.files).map(function (f) { return f.name; }).join(", ") : "";
  }
  function wireDropzone(root) {
    var zone = root.querySelector ? root.querySelector("#dropzone") : null;
    if (!zone || zone.dataset.wired) return;
    zone.dataset.wired = "1";
    var input = zone.querySelector("input[type=file]");
    var out = document.getElementById("file-count");
    input.addEventListener("change", function () { describeFiles(input, out); });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      var transfer = new DataTransfer();
      Array.from(input.files).concat(Array.from(e.dataTransfer.files)).forEach(function (f) { transfer.items.add(f); });
      input.files = transfer.files;
      describeFiles(input, out);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { wireDropzone(document); });
  document.addEventListener("htmx:afterSwap", function () { wireDropzone(document); });
  document.addEventListener("htmx:xhr:progress", function (e) {
    var bar = document.getElementById("upload-progress");
    if (bar && e.detail.lengthComputable) {
      bar.hidden = false;
      bar.value = Math.round(e.detail.loaded / e.detail.total * 100);
    }
  });
  document.addEventListener("htmx:responseError", function (e) {
    var flash = document.getElementById("flash");
    if (!flash) return;
    var p = document.createElement("p");
    p.className = "flash error";
    p.setAttribute("role", "alert");
    var doc = new DOMParser().parseFromString(e.detail.xhr.responseText, "text/html");
    var title = doc.querySelector("h1");
    p.textContent = title ? title.textContent : String(e.detail.xhr.status);
    flash.replaceChildren(p);
  });
})();
