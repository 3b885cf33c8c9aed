// The page's numbered sources: each fact cites its sources as numbers ([1], [2]…), each a link to its source in
// the list at the foot of the page, where a source is listed once however often it is cited. Touches #sources
// and #sources-section.

import { $, element } from "/static/shared/dom.js";

let numbers = new Map(); // "document|file|row|address" -> its number on the page

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
    const key = [c.document, c.file, c.row, c.address].join("|");
    if (!numbers.has(key)) {
      numbers.set(key, numbers.size + 1);
      $("#sources").append(sourceItem(c, numbers.size));
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

function sourceItem(c, number) {
  const item = element("li");
  item.id = `source-${number}`;
  item.append(`${c.document}, ${c.file}${c.row ? `, row ${c.row}` : ""}`);
  if (/^https?:\/\//.test(c.address || "")) {
    const a = element("a", c.address);
    a.href = c.address;
    a.rel = "noopener noreferrer";
    item.append(": ", a);
  } else if (c.address) {
    item.append(`: ${c.address}`);
  }
  return item;
}
