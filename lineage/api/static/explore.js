// The flow explorer: a Sankey of the `flows` question, any node's neighbourhood, and search, all asked of the
// app's own /graphql. Native ES modules over d3, d3-sankey and cytoscape (globals the page loads first), all
// served by the app: no network beyond it, no build step. Every view lives in the address (?view=…), so it
// can be shared; the header links each view to the same question in the playground.
//
// This entry only wires the parts: it shows the view the address names, and sets the page's listeners.
// The parts, each saying what it may touch: what the parents' page uses too, in shared/ (address.js: history,
// view tokens, data-state; graphql.js: the cookbook's operations; citations.js: a source as every page writes
// it; vocabulary.js: the model's words, generated; dom.js), imported as /static/shared/NAME.js from every
// folder, and the explorer's own, in explore/:
// details.js (the panel), drawing.js, the flows view (flows.js: sankey.js, volumes.js, timeline.js), the node
// view (graph.js, node-details.js) and search.js.

import { showHint } from "./explore/details.js";
import { clearFlows, listenToFilters, showFlows } from "./explore/flows.js";
import { clearNode, listenToDepth, shownGraph, showNode } from "./explore/graph.js";
import { clearSearch, listenToSearch, showSearch } from "./explore/search.js";
import { addressParams, followAddress, inPage, inView, newView } from "/static/shared/address.js";
import { $, clipped, quoted, showError } from "/static/shared/dom.js";
import { loadOperations } from "/static/shared/graphql.js";

const operationsLoaded = loadOperations(["flows", "node-links", "search", "timeline", "gaps", "foi-request"]);

// Each view's section is #NAME-view. A view that failed is cleared of what it would have replaced: an old
// answer under a new address misleads.
const VIEWS = {
  flows: { show: showFlows, clear: clearFlows },
  node: { show: showNode, clear: clearNode },
  search: { show: showSearch, clear: clearSearch },
};

async function route() {
  const params = addressParams();
  const name = params.get("view") || "flows";
  const view = Object.hasOwn(VIEWS, name) ? VIEWS[name] : null;
  document.body.dataset.view = clipped(name);
  showError(null);
  showHint();
  for (const section of Object.keys(VIEWS)) $(`#${section}-view`).hidden = section !== name;
  await inView(
    newView(),
    async (current) => {
      await operationsLoaded;
      if (!view) throw new Error(`unknown view ${quoted(name)} (flows, node or search)`);
      await view.show(params, current);
    },
    () => view && view.clear(),
  );
}

listenToFilters();
listenToDepth();
listenToSearch();
document.querySelectorAll("[data-nav=flows]").forEach((a) => inPage(a, new URLSearchParams()));
// For tests and the benchmark: the node view's graph.
window.explorer = {
  get cy() {
    return shownGraph();
  },
};
followAddress(route);
