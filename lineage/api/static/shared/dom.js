// Small helpers the pages (the explorer, the parents' page) build their HTML and words with, and the error
// banner: the one place a failure is told. Touches #error only; what else it builds, its callers place.

import { MAX_QUOTED } from "/static/shared/vocabulary.js";

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

/** ``value`` within ``open`` and ``close``, cut short past MAX_QUOTED characters and its length told, as the API
 * quotes a caller's value (lineage/errors.py's clip): a 100 KB address must not come back whole. */
export function clipped(value, open = "", close = "") {
  const characters = Array.from(value);
  if (characters.length <= MAX_QUOTED) return `${open}${value}${close}`;
  const length = characters.length.toLocaleString("en-GB");
  return `${open}${characters.slice(0, MAX_QUOTED).join("")}…${close} (${length} characters)`;
}

/** A caller's value as an error quotes it (see clipped). */
export const quoted = (value) => clipped(value, "“", "”");

export function showError(error) {
  const banner = $("#error");
  banner.hidden = !error;
  banner.textContent = error ? String(error.message || error) : "";
}
