// One source as every page writes it: the document, the file or sheet in it, the row, and the address to check
// it, a link where it is on the web; and which sources are the same one. The explorer's panel lists a fact's
// sources with it, and /reach its numbered sources. Touches only what it returns.

import { element } from "/static/shared/dom.js";

/** The same for two citations of one source, as the model's Citation.encode is. */
export function citationKey(citation) {
  return JSON.stringify([citation.document, citation.file, citation.row, citation.address]);
}

/** A list item saying where a fact comes from; the address, where it is a web page, a link to it. */
export function sourceItem(citation) {
  const item = element("li");
  item.append(element("span", citation.document, "document"), `, ${citation.file}`);
  if (citation.row) item.append(`, row ${citation.row}`);
  if (/^https?:\/\//.test(citation.address || "")) {
    const a = element("a", citation.address);
    a.href = citation.address;
    a.rel = "noopener noreferrer";
    item.append(": ", a);
  } else if (citation.address) {
    item.append(": ", element("span", citation.address, "address"));
  }
  return item;
}
