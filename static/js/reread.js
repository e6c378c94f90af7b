// The supervisor panel's forms ask before they send: the question is the page's, translated there.

for (const form of document.querySelectorAll("form.reread-form[data-confirm]")) {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}
