// Small helpers the pages (the explorer, the parents' page) build their HTML and words with, and the error
// banner: the one place a failure is told. Touches #error only; what else it builds, its callers place.

export const $ = (selector) => document.querySelector(selector);

export const words = (kind) => kind.toLowerCase().replaceAll("_", " "); // DATA_ITEM -> "data item"

export function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

export function button(text, onClick, className) {
  const b = element("button", text, className);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

export function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

export function showError(error) {
  const banner = $("#error");
  banner.hidden = !error;
  banner.textContent = error ? String(error.message || error) : "";
}
