// /reach: where a record from a school in some years may have gone, for parents. It asks the app's own /graphql
// the cookbook's operations (school-search, record-reach, timeline, letter), fetched from /cookbook as the
// explorer does, so the page asks exactly what the playground answers. Every search is an address (?q, ?urn,
// ?from, ?to) that can be shared. The child's name typed for the letter stays in this page: it goes into the
// letter here, is never part of the address and is never sent.
//
// This entry only wires the parts: it shows what the address asks, and sets the page's listeners. The parts,
// each saying what it may touch: what the explorer uses too, under /static/shared/ (address.js: history, view
// tokens, data-state; graphql.js: the cookbook's operations; citations.js: a source as every page writes it;
// vocabulary.js: the model's words, generated; dom.js), and the page's own, here under /reach/: schools.js
// (the search in the address, the schools it finds), years.js, answer.js (where the record may have gone),
// sources.js (the numbered sources) and letter.js.

import { followAddress, go, inView, newView } from "/static/shared/address.js";
import { $, showError } from "/static/shared/dom.js";
import { loadOperations } from "/static/shared/graphql.js";
import { showAnswer } from "./answer.js";
import { downloadLetter } from "./letter.js";
import { readSearch, searchParams, showSchools } from "./schools.js";
import { clearSources, showSources } from "./sources.js";
import { showYears } from "./years.js";

const OPERATIONS = ["school-search", "record-reach", "timeline", "letter"];
const operationsLoaded = loadOperations(OPERATIONS);

async function route() {
  const search = readSearch();
  document.body.dataset.view = "reach";
  showError(null);
  clearSources();
  $("#school-text").value = search.q || (search.urn ? String(search.urn) : "");
  await inView(
    newView(),
    async (current) => {
      await operationsLoaded;
      const schoolName = search.q ? await showSchools(search, current) : null;
      if (!current()) return;
      $("#schools").hidden = !search.q;
      showYears(search, schoolName);
      if (search.urn && search.from !== null && search.to !== null) await showAnswer(search, current);
      else $("#answer").hidden = true;
      showSources();
    },
    () => {
      // an answer half drawn, or for an older search, misleads
      $("#answer").hidden = true;
      $("#status").textContent = "";
    },
  );
}

$("#school-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("#school-text").value.trim();
  if (text) go(searchParams({ q: text }));
});
$("#years-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const search = readSearch();
  go(searchParams({ q: search.q, urn: search.urn, from: $("#from-year").value, to: $("#to-year").value }));
});
$("#letter-form").addEventListener("submit", (event) => {
  event.preventDefault();
  downloadLetter(readSearch());
});
followAddress(route);
