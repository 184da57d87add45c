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

/* --- review page --- keyboard review (j/k ↓/↑ move, p pass, f fail with a reason) and the
   evidence of the point in focus highlighted in the resume pane. Without this script the page
   works through links (?focus=) and plain form posts. */
(function () {
  "use strict";
  function panel() { return document.getElementById("audit-panel"); }
  function rows() { var p = panel(); return p ? Array.from(p.querySelectorAll("li.point")) : []; }
  function current() { var p = panel(); return p ? p.querySelector("li.point.focus") : null; }
  function highlight(id) {
    var pane = document.getElementById("review-resume");
    if (!pane) return;
    var first = null;
    pane.querySelectorAll("mark[data-points]").forEach(function (m) {
      var on = (" " + m.dataset.points + " ").indexOf(" " + id + " ") >= 0;
      m.classList.toggle("focus", on);
      if (on && !first) first = m;
    });
    if (first) pane.scrollTop = Math.max(0, first.offsetTop - pane.clientHeight / 3);
  }
  function focusRow(row) {
    if (!row) return;
    rows().forEach(function (r) { r.classList.toggle("focus", r === row); r.classList.remove("failing"); });
    panel().dataset.focus = row.dataset.result;
    highlight(row.dataset.result);
    row.scrollIntoView({ block: "nearest" });
    if (document.getElementById("review-resume")) {
      history.replaceState(null, "", location.pathname + "?focus=" + row.dataset.result);
    }
  }
  function askReason(row) {
    var input = row.querySelector("input[name=message]");
    if (!input) return false;
    if (!row.classList.contains("focus")) focusRow(row);
    row.classList.add("failing");
    input.focus();
    return true;
  }
  document.addEventListener("click", function (e) {
    var row = e.target.closest && e.target.closest("#audit-panel li.point");
    if (!row) return;
    var button = e.target.closest("button[value=fail]");
    if (button) {
      var input = row.querySelector("input[name=message]");
      // First ask for the reason; asked already, the server answers with its message.
      if (input && !input.value.trim() && !row.classList.contains("failing")) {
        e.preventDefault();
        askReason(row);
      }
      return;
    }
    if (e.target.closest("a.point-name")) { e.preventDefault(); focusRow(row); return; }
    if (!e.target.closest("button, input, a, label") && !row.classList.contains("focus")) focusRow(row);
  });
  document.addEventListener("keydown", function (e) {
    if (!document.querySelector(".review-page") || !panel() || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) {
      var row = t.closest("li.point");
      if (row && t.name === "message" && e.key === "Enter") {
        e.preventDefault();
        row.querySelector("button[value=fail]").click();
      } else if (e.key === "Escape") {
        t.blur();
      }
      return;
    }
    var list = rows(), here = current(), i = list.indexOf(here);
    if (e.key === "j" || e.key === "ArrowDown") {
      e.preventDefault(); focusRow(list[Math.min(i + 1, list.length - 1)]);
    } else if (e.key === "k" || e.key === "ArrowUp") {
      e.preventDefault(); focusRow(list[Math.max(i - 1, 0)]);
    } else if (e.key === "p" && here && here.querySelector("button[value=pass]")) {
      e.preventDefault(); here.querySelector("button[value=pass]").click();
    } else if (e.key === "f" && here) {
      if (askReason(here)) e.preventDefault();
    }
  });
  function settle() {
    var p = panel();
    if (!p || !document.querySelector(".review-page")) return;
    document.documentElement.classList.add("keys-on");
    var row = current();
    if (p.dataset.focus) highlight(p.dataset.focus);
    var bad = p.querySelector("li.point.has-errors input[aria-invalid=true]");
    if (bad) { bad.closest("li.point").classList.add("failing"); bad.focus(); }
    else if (row) row.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("DOMContentLoaded", settle);
  document.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail.target && e.detail.target.id === "audit-panel") settle();
  });
})();

/* --- video page --- links and timeline spans with data-seek="SECONDS" move the player there
   (without this script they open the recording at that time); a playhead follows playback. */
(function () {
  "use strict";
  function player() { return document.getElementById("video-player"); }
  document.addEventListener("click", function (e) {
    var target = e.target.closest && e.target.closest("[data-seek]");
    var video = player();
    if (!target || !video) return;
    var seconds = parseFloat(target.getAttribute("data-seek"));
    if (!isFinite(seconds)) return;
    e.preventDefault();
    video.currentTime = seconds;
    var box = document.getElementById("video-player-box");
    if (box) box.scrollIntoView({ block: "nearest" });
    var started = video.play();
    if (started && started.catch) started.catch(function () {});
  });
  document.addEventListener("timeupdate", function (e) {
    if (e.target !== player()) return;
    var svg = document.querySelector("svg.timeline[data-duration]");
    var line = document.getElementById("timeline-playhead");
    if (!svg || !line) return;
    var x0 = parseFloat(svg.dataset.x0), axis = parseFloat(svg.dataset.axis);
    var duration = parseFloat(svg.dataset.duration) || 1;
    var x = x0 + Math.min(1, Math.max(0, e.target.currentTime / duration)) * axis;
    line.setAttribute("x1", x); line.setAttribute("x2", x);
    line.setAttribute("visibility", "visible");
  }, true);
})();
