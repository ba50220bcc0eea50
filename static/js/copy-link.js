// Copies the text of the element named by data-copy-target, and says so to screen readers.
document.querySelectorAll("[data-copy-target]").forEach(function (button) {
  button.addEventListener("click", function () {
    var target = document.getElementById(button.dataset.copyTarget);
    var status = document.getElementById(button.dataset.copyTarget + "-statut");
    navigator.clipboard.writeText(target.textContent.trim()).then(function () {
      var label = button.textContent;
      button.textContent = button.dataset.copiedLabel;
      if (status) { status.textContent = button.dataset.copiedLabel; }
      setTimeout(function () { button.textContent = label; }, 2000);
    });
  });
});
