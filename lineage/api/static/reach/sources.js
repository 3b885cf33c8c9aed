// The page's numbered sources: each fact cites its sources as numbers ([1], [2]…), each a link to its source in
// the list at the foot of the page, where a source is listed once however often it is cited, written as every
// page writes one (shared/citations.js). Touches #sources and #sources-section.

import { citationKey, sourceItem } from "/static/shared/citations.js";
import { $, element } from "/static/shared/dom.js";

let numbers = new Map(); // a source (citationKey) -> its number on the page

/** Empties the list, for a new search. */
export function clearSources() {
  numbers = new Map();
  $("#sources").replaceChildren();
}

/** Shows the list if anything shown cites a source. */
export function showSources() {
  $("#sources-section").hidden = numbers.size === 0;
}

/** Numbered references to the page's list of sources, each a link to it. */
export function cite(citations) {
  const span = element("span", null, "refs");
  const cited = new Set();
  for (const c of citations || []) {
    const key = citationKey(c);
    if (!numbers.has(key)) {
      numbers.set(key, numbers.size + 1);
      const item = sourceItem(c);
      item.id = `source-${numbers.size}`;
      $("#sources").append(item);
    }
    cited.add(numbers.get(key));
  }
  for (const number of cited) {
    const a = element("a", `[${number}]`);
    a.href = `#source-${number}`;
    a.setAttribute("aria-label", `source ${number}`);
    span.append(" ", a);
  }
  return span;
}
