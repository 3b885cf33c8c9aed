// The address is the state: every view of a page (the explorer, the parents' page) lives in the page's own
// address (?…), so it can be shared. This module changes the address (history), makes links navigate within
// the page, tells which view is the one shown (an answer for an older one is dropped), and keeps the page's
// data-state (loading, ready, error) that tests wait on. Touches history, document.body's data-state, and
// #error through showError.

import { showError } from "/static/shared/dom.js";

let show = () => {}; // shows the view of the address; set by followAddress
let shownView = 0; // counts the views shown: the one shown is the last

/** This page's address with ``params``: a page's views all live under its own path. */
function addressOf(params) {
  const query = params.toString();
  return query ? `${location.pathname}?${query}` : location.pathname;
}

export function addressParams() {
  return new URLSearchParams(location.search);
}

/** Has ``view`` show the address's view: now, after go(), and on back or forward. */
export function followAddress(view) {
  show = view;
  window.addEventListener("popstate", view);
  view();
}

export function go(params) {
  history.pushState(null, "", addressOf(params));
  show();
}

/** Changes the address without showing a new view: the view already shows it. */
export function replaceAddress(params) {
  history.replaceState(null, "", addressOf(params));
}

/** Adds to the address without showing a new view (see replaceAddress). */
export function appendToAddress(name, value) {
  const params = addressParams();
  params.append(name, value);
  replaceAddress(params);
}

/** The explorer's view of one node (the parents' page links to it too). */
export function nodeParams(id) {
  return new URLSearchParams({ view: "node", id });
}

/** Makes a link navigate without a reload; its real href still serves to share or open in a new tab.
 * ``followed`` runs as it is followed here, before the view is shown: for what that view needs to know. */
export function inPage(a, params, followed = () => {}) {
  a.addEventListener("click", (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    followed();
    go(params);
  });
  return a;
}

export function navLink(params, text, followed) {
  const a = document.createElement("a");
  a.href = addressOf(params);
  a.textContent = text;
  return inPage(a, params, followed);
}

/** A new view is shown: the function returned says whether it still is. */
export function newView() {
  const token = ++shownView;
  return () => token === shownView;
}

/** For work on the view shown now: the function returned says whether it still is. */
export function sameView() {
  const token = shownView;
  return () => token === shownView;
}

/** Runs ``work(current)`` on a view, telling the page's state; a failure after the reader has moved on is
 * dropped, and one before runs ``failed`` (to clear what an old answer drew) and shows the error. */
export async function inView(current, work, failed = () => {}) {
  document.body.dataset.state = "loading";
  try {
    await work(current);
    if (current()) document.body.dataset.state = "ready";
  } catch (error) {
    if (!current()) return;
    failed();
    showError(error);
    document.body.dataset.state = "error";
  }
}
