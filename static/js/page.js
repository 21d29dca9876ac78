// Behaviour that used to sit in inline handlers (the production Content-Security-Policy allows scripts
// from our own files only): <form data-confirm="Question?"> asks before submitting, [data-print] prints.
document.addEventListener("submit", (event) => {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
document.addEventListener("click", (event) => {
  if (event.target.closest && event.target.closest("[data-print]")) window.print();
});
