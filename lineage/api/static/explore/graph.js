// The node view: a node's neighbourhood as a Cytoscape graph that grows on demand, a page of links at a time
// ("N more" where cut), at depth 1 or 2, its opened pages kept in the address. Touches #graph, #node-title,
// #node-depth, #node-caveat, #details (through node-details.js), the address and the page's data-state.

import {
  addressParams,
  appendToAddress,
  go,
  inView,
  navLink,
  nodeParams,
  replaceAddress,
  sameView,
} from "/static/shared/address.js";
import { $, button, clipped, element, plural, quoted, words } from "/static/shared/dom.js";
import { ask, playgroundUrl, setPlayground } from "/static/shared/graphql.js";
import { NODE_COLOURS } from "/static/shared/vocabulary.js";
import { actions, details } from "./details.js";
import { gapsSection } from "./gaps.js";
import { linkList, nodeFacts, showLink } from "./node-details.js";

const PAGE = 25; // links per page
const DEPTH_WORKERS = 4; // concurrent requests when a node view opens at depth 2
// Pages a shared address may open (its `open=`s), each one request, one after another: a hostile link of thousands
// had the viewer's browser send them all. 200 pages are 5,000 links, over three times the busiest node's (about
// 1,500 in the real graph, 61 pages): more than anyone opens by hand.
const MOST_OPENED = 200;

let graph = null; // the view's graph: { cy, start, pages, nodes, links, loading } (see newGraph)

function edgeStyle(selector, colour, line) {
  return { selector, style: { "line-color": colour, "target-arrow-color": colour, "line-style": line } };
}

function newGraph(start) {
  const cy = cytoscape({
    container: $("#graph"),
    wheelSensitivity: 0.3,
    style: [
      {
        selector: "node.entity",
        style: {
          label: "data(label)",
          "background-color": "data(colour)",
          "font-size": 10,
          "text-valign": "bottom",
          "text-margin-y": 3,
          "text-wrap": "ellipsis",
          "text-max-width": 120,
          "min-zoomed-font-size": 7, // labels appear as one zooms into a crowded view
          width: 18,
          height: 18,
        },
      },
      { selector: "node.start", style: { width: 30, height: 30, "border-width": 3, "border-color": "#222" } },
      { selector: "node.expanded", style: { "border-width": 2, "border-color": "#555" } },
      {
        selector: "node.more",
        style: {
          label: "data(label)",
          shape: "round-rectangle",
          "background-color": "#f0f0f0",
          "border-width": 1,
          "border-color": "#999",
          "font-size": 10,
          "text-valign": "center",
          width: "label",
          height: 16,
          padding: 4,
        },
      },
      {
        selector: "edge",
        style: {
          width: 1.5,
          "curve-style": "bezier",
          "target-arrow-shape": "triangle",
          "arrow-scale": 0.8,
          "line-color": "#1b7837",
          "target-arrow-color": "#1b7837",
        },
      },
      edgeStyle("edge.reported", "#35978f", "dashed"),
      edgeStyle("edge.claimed", "#35978f", "dotted"),
      edgeStyle("edge.tier_level", "#e08214", "dashed"),
      edgeStyle("edge.inferred", "#8073ac", "dotted"),
      edgeStyle("edge.to-more", "#bbb", "dashed"),
      { selector: "edge.to-more", style: { "target-arrow-shape": "none" } },
      { selector: ":selected", style: { "overlay-opacity": 0.2, "overlay-color": "#1f6feb" } },
    ],
  });
  const state = { cy, start, pages: new Map(), nodes: new Map(), links: new Map(), loading: new Map() };
  cy.on("tap", "node.entity", (event) => expandAndShow(event.target.id()));
  cy.on("tap", "node.more", (event) => loadMore(event.target.data("owner")));
  cy.on("tap", "edge.link", (event) => showLink(state.links.get(event.target.id())));
  return state;
}

/** Adds a node to the graph (placed by the next layout), or completes what is known of it. */
function addEntity(state, node) {
  state.nodes.set(node.id, { ...state.nodes.get(node.id), ...node });
  if (state.cy.getElementById(node.id).nonempty()) return;
  state.cy.add({
    group: "nodes",
    classes: `entity${node.id === state.start ? " start" : ""}`,
    // grey where a page still holds an older vocabulary.js from its cache, without a kind added since
    data: { id: node.id, label: node.name, colour: NODE_COLOURS[node.kind] || "#999" },
  });
}

/** Loads the next page of a node's links into the graph; the node itself, as the API gives it. A page
 * already on its way is not asked for twice (a double click would count its links twice). */
function loadPage(state, id) {
  if (!state.loading.has(id)) state.loading.set(id, fetchPage(state, id).finally(() => state.loading.delete(id)));
  return state.loading.get(id);
}

async function fetchPage(state, id) {
  const page = state.pages.get(id) || { cursor: null, shown: 0, total: null, exact: true, hasNext: true };
  if (!page.hasNext) return state.nodes.get(id);
  const answer = await ask("node-links", { id, first: PAGE, after: page.cursor });
  const node = answer.node;
  if (!node) throw new Error(`no node with id ${quoted(id)} in the graph`);
  if (state !== graph) return node; // the view changed meanwhile
  addEntity(state, node);
  for (const link of node.links.nodes) {
    addEntity(state, link.source);
    addEntity(state, link.target);
    if (!state.links.has(link.id)) {
      state.links.set(link.id, link);
      state.cy.add({
        group: "edges",
        classes: `link ${link.certainty.level.toLowerCase()}`,
        data: { id: link.id, source: link.sourceId, target: link.targetId },
      });
    }
  }
  page.cursor = node.links.pageInfo.endCursor;
  page.shown += node.links.nodes.length;
  page.total = node.links.totalCount;
  page.exact = node.links.totalIsExact;
  page.hasNext = node.links.pageInfo.hasNextPage;
  state.pages.set(id, page);
  state.cy.getElementById(id).addClass("expanded");
  showMore(state, id, page);
  return node;
}

function moreCount(page) {
  return `${page.total - page.shown}${page.exact ? "" : "+"}`;
}

function showMore(state, id, page) {
  const moreId = `more|${id}`;
  state.cy.remove(state.cy.getElementById(moreId));
  if (!page.hasNext) return;
  state.cy.add([
    { group: "nodes", classes: "more", data: { id: moreId, owner: id, label: `${moreCount(page)} more` } },
    { group: "edges", classes: "to-more", data: { id: `${moreId}|edge`, source: id, target: moreId } },
  ]);
}

function layout(state) {
  const cy = state.cy;
  const hops = new Map();
  cy.elements().breadthFirstSearch({
    roots: cy.getElementById(state.start),
    visit: (node, edge, previous, i, depth) => {
      hops.set(node.id(), depth);
    },
  });
  const far = Math.max(0, ...hops.values()) + 1;
  cy.layout({
    name: "concentric", // rings by hops from the start node
    concentric: (node) => far - (hops.has(node.id()) ? hops.get(node.id()) : far),
    levelWidth: () => 1,
    minNodeSpacing: 28,
    animate: false,
    fit: true,
    padding: 30,
  }).run();
  if (cy.zoom() > 1.2) {
    cy.zoom(1.2); // a small neighbourhood stays at reading size rather than filling the view
    cy.center();
  }
}

/** A click on a node: what it is, and its first page of links unless they are there already. */
function expandAndShow(id) {
  showNodeDetails(graph, id);
  if (!graph.pages.has(id)) loadMore(id);
}

/** The next page of a node's links, drawn and kept in the address; dropped if the reader has moved on. */
function loadMore(id) {
  const state = graph;
  if (state.loading.has(id)) return; // that page is on its way
  inView(sameView(), async (current) => {
    await loadPage(state, id);
    if (!current() || state !== graph) return;
    appendToAddress("open", id); // one more page of the node, so the same view can be shared
    layout(state);
    await showNodeDetails(state, id);
  });
}

async function inPool(items, workers, work) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(workers, queue.length) }, async () => {
      while (queue.length) await work(queue.shift());
    }),
  );
}

export async function showNode(params, current) {
  const id = params.get("id");
  if (!id) throw new Error("no node id in the address (…?view=node&id=Organisation:daily telegraph)");
  const depth = params.get("depth") === "2" ? 2 : 1;
  $("#node-depth").value = String(depth);
  setPlayground("node-links", { id, first: PAGE, after: null });
  if (graph) graph.cy.destroy();
  graph = newGraph(id);
  const state = graph;
  $("#node-title").textContent = clipped(id);
  const opened = keptOpen(params, current);
  const start = await loadPage(state, id);
  if (!current()) return;
  $("#node-title").textContent = `${start.name} (${words(start.kind)})`;
  if (depth === 2) {
    const neighbours = state.cy.getElementById(id).neighborhood("node.entity").map((n) => n.id());
    await inPool(neighbours, DEPTH_WORKERS, (n) => loadPage(state, n));
  }
  try {
    for (const more of opened) await loadPage(state, more);
  } finally {
    if (current()) {
      layout(state);
      await showNodeDetails(state, id);
    }
  }
}

/** The pages the address opens, at most MOST_OPENED: past that the reader is told so, and the address keeps the
 * ones opened, so that a page opened next is kept too (it came after the ones dropped). */
function keptOpen(params, current) {
  const asked = params.getAll("open");
  const caveat = $("#node-caveat");
  caveat.hidden = asked.length <= MOST_OPENED;
  if (caveat.hidden) return asked;
  const opened = asked.slice(0, MOST_OPENED);
  caveat.textContent =
    `This link asks to open ${plural(asked.length, "more page")} of links: only the first ${MOST_OPENED} are ` +
    "opened (no one opens more by hand), and the address now keeps those alone.";
  const kept = new URLSearchParams([...params].filter(([name]) => name !== "open"));
  for (const id of opened) kept.append("open", id);
  if (current()) replaceAddress(kept);
  return opened;
}

/** Shows a node's facts, gaps and links in the panel; resolves once its gaps have come. */
function showNodeDetails(state, id) {
  const node = state.nodes.get(id);
  if (!node) return Promise.resolve();
  const page = state.pages.get(id);
  const touching = [...state.links.values()].filter((l) => l.sourceId === id || l.targetId === id);
  const playground = element("a", "This node's links in the playground");
  playground.href = playgroundUrl("node-links", { id, first: PAGE, after: null });
  const gaps = gapsSection(id);
  details(
    ...nodeFacts(node, page),
    gaps.section,
    linkList(touching),
    actions(
      page && page.hasNext
        ? button(`Show ${Math.min(PAGE, page.total - page.shown)} more links`, () => loadMore(id), "more")
        : null,
      id !== state.start ? navLink(nodeParams(id), "Centre the view here") : null,
      playground,
    ),
  );
  return gaps.loaded;
}

export function clearNode() {
  if (graph) graph.cy.elements().remove();
  $("#node-caveat").hidden = true;
}

/** The graph shown, for tests and the benchmark. */
export function shownGraph() {
  return graph && graph.cy;
}

export function listenToDepth() {
  $("#node-depth").addEventListener("change", (event) => {
    const params = addressParams();
    params.set("depth", event.target.value);
    params.delete("open");
    go(params);
  });
}
