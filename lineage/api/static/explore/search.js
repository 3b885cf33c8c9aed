// The search view: the header's search box and the list of nodes matching it, each opening its node view.
// Touches #search-form, #search-text, #search-title, #search-results and the address.

import { go, navLink, nodeParams } from "/static/shared/address.js";
import { $, element, words } from "/static/shared/dom.js";
import { ask, setPlayground } from "/static/shared/graphql.js";

export const SEARCH_PAGE = 50; // hits asked for at once

export async function showSearch(params, current) {
  const text = (params.get("q") || "").trim();
  $("#search-text").value = text;
  const results = $("#search-results");
  results.replaceChildren();
  if (!text) {
    $("#search-title").textContent = "Type a name, key or alias to search.";
    return;
  }
  const variables = { text, kinds: null, first: SEARCH_PAGE };
  setPlayground("search", variables);
  const answer = (await ask("search", variables)).search;
  if (!current()) return;
  const total = `${answer.totalCount}${answer.totalIsExact ? "" : "+"}`;
  $("#search-title").textContent =
    `${total} node${answer.totalCount === 1 ? "" : "s"} match “${text}”` +
    (answer.truncated ? `; the first ${answer.nodes.length} are shown` : "");
  for (const hit of answer.nodes) {
    const item = element("li");
    item.dataset.kind = hit.kind;
    item.append(element("span", words(hit.kind), "kind"), navLink(nodeParams(hit.id), hit.name));
    if (hit.key !== hit.name) item.append(element("span", hit.key, "key"));
    results.append(item);
  }
}

export function clearSearch() {
  $("#search-results").replaceChildren();
}

export function listenToSearch() {
  $("#search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("#search-text").value.trim();
    if (text) go(new URLSearchParams({ view: "search", q: text }));
  });
}
