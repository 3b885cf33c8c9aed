// What the node view's panel says of a node and of a link: the node's own facts and sources, its links drawn
// so far as a list (the graph is a picture; the list is the same for the keyboard), and a link's certainty
// and sources. Knows nothing of the graph's state; touches #details only when a link is shown.

import { button, element, words } from "/static/shared/dom.js";
import { STATEMENT_KINDS } from "/static/shared/vocabulary.js";
import { certaintyBadge, certaintyText, citationList, details, facts, validity } from "./details.js";

/** What a node's kind says of it, as the node-links operation gives it: a statement's words first. */
function ownFacts(node) {
  const contested = node.contested
    ? "yes: another cited source disagrees (its “is contradicted by” links name the other side)"
    : null;
  return [
    ["the source says", node.statement ? STATEMENT_KINDS[node.statement] : null],
    ["in its words", node.itemsAsWritten],
    ["quote", node.quote],
    ["source", node.sourceKind],
    ["contested", contested],
    ["reference", node.reference],
    ["date", node.date || node.dateAsCited],
    ["the date is", node.dateIs],
    ["dated by", node.datedBy],
    ["status", node.statusAsCited || node.status],
    ["tiers", node.tiers ? node.tiers.join(", ") : null],
    ["purpose", node.purpose],
    ["type", node.orgType],
    ["flow", node.flow],
    ["measure", node.measure],
    ["figure", node.valueText || (typeof node.value === "number" ? `${d3.format(",")(node.value)} ${node.unit || ""}` : null)],
    ["period", node.period],
    ["what happened", node.text],
  ];
}

/** The node's heading, facts and sources; ``page`` is what of its links is drawn (none yet: undefined). */
export function nodeFacts(node, page) {
  const loaded = page
    ? `${page.shown} of ${page.total}${page.exact ? "" : "+"} links shown`
    : "not loaded yet: click the node";
  return [
    element("h3", node.name),
    facts([
      ["kind", words(node.kind)],
      ["key", node.key],
      ["id", node.id],
      ["valid", node.validFrom !== undefined ? validity(node) : null],
      ["certainty", node.certainty ? certaintyBadge(node.certainty) : null],
      ...ownFacts(node),
      ["links", loaded],
    ]),
    node.citations ? citationList(node.citations) : null,
  ];
}

/** The links drawn so far that touch the node, as buttons that show each. */
export function linkList(links) {
  if (!links.length) return null;
  const list = element("ul");
  for (const link of links) {
    const item = element("li");
    item.append(button(`${link.source.name} ${link.sentence} ${link.target.name}`, () => showLink(link)));
    item.append(element("span", ` ${certaintyText(link.certainty)}`, "kind"));
    list.append(item);
  }
  const box = element("details", null, "links");
  box.append(element("summary", `Links drawn (${links.length}), as a list`), list);
  return box;
}

export function showLink(link) {
  details(
    element("h3", `${link.source.name} ${link.sentence} ${link.target.name}`),
    facts([
      ["kind", words(link.kind)],
      ["as the source words it", link.linkType],
      ["from", `${link.source.name} (${words(link.source.kind)})`],
      ["to", `${link.target.name} (${words(link.target.kind)})`],
      ["valid", validity(link)],
      ["certainty", certaintyBadge(link.certainty)],
    ]),
    citationList(link.citations),
  );
}
