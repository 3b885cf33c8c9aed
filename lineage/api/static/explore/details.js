// The details panel (#details) beside every view: what a clicked thing is, how sure the graph is of it, and
// its numbered sources. Builds the panel's parts and replaces its content; touches #details only.

import { sourceItem } from "/static/shared/citations.js";
import { $, element } from "/static/shared/dom.js";
import { CERTAINTY_WORDS } from "/static/shared/vocabulary.js";

// the page's own hint, read as the page loads, shown again whenever a view opens
const HINT = $("#details").textContent.trim().replace(/\s+/g, " ");

export function details(...children) {
  const panel = $("#details");
  panel.replaceChildren(...children.filter(Boolean));
}

export function showHint() {
  details(element("p", HINT, "hint"));
}

export function facts(pairs) {
  const list = element("dl", null, "facts");
  for (const [term, value] of pairs) {
    if (value === null || value === undefined || value === "") continue;
    list.append(element("dt", term));
    const dd = element("dd");
    dd.append(value instanceof Node ? value : String(value));
    list.append(dd);
  }
  return list;
}

export function certaintyText(certainty) {
  const said = CERTAINTY_WORDS[certainty.level];
  return certainty.rule ? `${said}, by the rule “${certainty.rule}”` : said;
}

export function certaintyBadge(certainty) {
  return element("span", certaintyText(certainty), `certainty ${certainty.level.toLowerCase()}`);
}

export function validity(item) {
  if (!item.validFrom && !item.validTo) return null;
  return `${item.validFrom || "…"} to ${item.validTo || "…"}`;
}

export function citationList(citations) {
  const wrapper = element("div", null, "citations");
  wrapper.append(element("h4", `Sources (${citations.length})`));
  if (!citations.length) {
    wrapper.append(element("p", "No source is cited.", "hint"));
    return wrapper;
  }
  const list = element("ol");
  list.append(...citations.map(sourceItem));
  wrapper.append(list);
  return wrapper;
}

export function actions(...children) {
  const paragraph = element("p", null, "actions");
  paragraph.append(...children.filter(Boolean));
  return paragraph;
}
