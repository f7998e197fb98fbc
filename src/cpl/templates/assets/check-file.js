// The file check of /verify/{id}: the browser hashes the file (SubtleCrypto); nothing is uploaded.
"use strict";
(function () {
  const zone = document.getElementById("check");
  const input = document.getElementById("check-file");
  const result = document.getElementById("check-result");
  if (!zone || !input || !result) return;

  function hex(buffer) {
    return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  async function check(file) {
    if (!window.crypto || !window.crypto.subtle) {
      result.className = "not-recognised";
      result.textContent = "This browser can only check files on a secure (HTTPS) page.";
      return;
    }
    result.className = "";
    result.textContent = "Checking " + file.name + "…";
    const digest = hex(await window.crypto.subtle.digest("SHA-256", await file.arrayBuffer()));
    if (digest === zone.dataset.sha256) {
      result.className = "recognised";
      result.textContent =
        "Recognised: " + file.name + " is the export this page describes. Its status: " + zone.dataset.status + ".";
    } else {
      result.className = "not-recognised";
      result.textContent =
        "Not recognised: " + file.name + " is not the file that was signed (its SHA-256 is " + digest + ").";
    }
  }

  input.addEventListener("change", () => {
    if (input.files && input.files[0]) check(input.files[0]);
  });
  document.addEventListener("dragover", (event) => event.preventDefault());
  document.addEventListener("drop", (event) => {
    event.preventDefault();
    const files = event.dataTransfer && event.dataTransfer.files;
    if (files && files[0]) check(files[0]);
  });
})();
