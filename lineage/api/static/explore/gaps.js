// A node's gaps in the record, for the node view's panel: what the record leaves open about the node (or the
// organisation), what is missing and who holds it, each with a button that drafts the Freedom of Information
// request that would fill it; then the gaps about it that imports closed, each with what the record now says,
// when, and the import's sources (the cookbook's gaps and foi-request operations). Touches only what it returns.

import { sourceItem } from "/static/shared/citations.js";
import { button, element, showError } from "/static/shared/dom.js";
import { ask } from "/static/shared/graphql.js";

/** The gaps section for a node, and when it is filled in: the view is ready only once its answer has come (a
 * reader, or a test, moving on earlier would cut its request short). Empty (nothing shown) where there is none. */
export function gapsSection(id) {
  const section = element("section", null, "gaps");
  section.setAttribute("aria-label", "Gaps in the record");
  const loaded = ask("gaps", { node: id, first: 50 })
    .then((data) => {
      drawGaps(section, data.gaps);
      drawClosed(section, data.gapsClosed);
    })
    .catch(showError);
  return { section, loaded };
}

function drawClosed(section, closed) {
  if (!closed || !closed.totalCount) return;
  const shown = closed.truncated ? `, the newest ${closed.nodes.length} shown` : "";
  section.append(element("h4", `Gaps closed by imports (${closed.totalCount}${shown})`));
  const list = element("ul", null, "gaps-closed");
  for (const gap of closed.nodes) {
    const item = element("li");
    item.append(element("strong", gap.kind), `: ${gap.summary}`);
    if (gap.citations.length) {
      const sources = element("ol", null, "sources");
      sources.append(...gap.citations.map(sourceItem));
      item.append(sources);
    } else {
      item.append(" ", element("span", `(the import's run: ${gap.importRun.id})`));
    }
    list.append(item);
  }
  section.append(list);
}

function drawGaps(section, gaps) {
  if (!gaps.totalCount) return;
  section.append(element("h4", `Gaps in the record (${gaps.totalCount})`));
  const list = element("ul");
  for (const gap of gaps.nodes) {
    const item = element("li");
    item.append(element("strong", gap.kind), `: ${gap.subject.name}; ask ${gap.authority} for `);
    item.append(gap.missing.join("; "));
    const draft = element("div", null, "foi-draft");
    item.append(" ", button("Draft a Freedom of Information request", () => drawRequest(draft, gap.id)), draft);
    list.append(item);
  }
  section.append(list);
}

async function drawRequest(place, gapId) {
  try {
    const request = (await ask("foi-request", { gaps: [gapId], format: "txt" })).foiRequest;
    const text = element("pre", request.text, "foi-text");
    text.tabIndex = 0; // a scrollable region a keyboard can reach
    const save = element("a", `Save as ${request.filename}`);
    save.href = URL.createObjectURL(new Blob([request.text], { type: "text/plain" }));
    save.download = request.filename;
    place.replaceChildren(text, save);
  } catch (error) {
    showError(error);
  }
}
