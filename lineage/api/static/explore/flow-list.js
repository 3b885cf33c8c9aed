// The flows into organisations as a list, under the Sankey: by organisation type, each organisation the Sankey
// draws with its releases and certainty in words, a button that opens it as the Sankey's node does. On a screen
// narrower than a tablet's, where the Sankey is drawn to the screen's width and its labels are too small to
// read, the list is open and stands in for it. Touches #flow-list.

import { $, button, element, plural } from "/static/shared/dom.js";
import { certaintyText } from "./details.js";
import { NARROW } from "./drawing.js";
import { openSankeyNode } from "./sankey.js";

export function drawFlowList(model) {
  const box = $("#flow-list");
  box.replaceChildren();
  const last = model.columns.length - 1;
  const into = model.links.filter((l) => l.t.column === last);
  if (!into.length) return;
  const list = element("ul");
  for (const [type, links] of [...d3.group(into, (l) => l.s.label)].sort((a, b) => a[0].localeCompare(b[0]))) {
    const organisations = element("ul");
    for (const l of [...links].sort((a, b) => b.releases - a.releases || a.t.label.localeCompare(b.t.label))) {
      const item = element("li");
      item.dataset.label = l.t.label;
      const releases = l.summed ? `${l.releases} releases in all` : plural(l.releases, "release");
      item.append(button(l.t.label, () => openSankeyNode(l.t)), ` — ${releases}, ${certaintyText(l.certainty)}`);
      organisations.append(item);
    }
    const group = element("li", `${type} (${plural(links.length, "flow")})`);
    group.append(organisations);
    list.append(group);
  }
  const shown = element("details");
  shown.open = NARROW.matches;
  shown.append(element("summary", `The flows to organisations as a list (${plural(into.length, "flow")})`), list);
  box.append(shown);
}
