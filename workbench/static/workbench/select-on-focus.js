// Selects the whole value of a field marked data-select-on-focus (e.g. a token shown once),
// in a static file because the Content-Security-Policy allows no inline handlers.
document.addEventListener("focusin", (event) => {
  if (event.target.matches && event.target.matches("[data-select-on-focus]")) {
    event.target.select();
  }
});
