// The Sankey of the flows answer: its model (organisations beyond the top N grouped per type), its drawing
// in #sankey, and what a click on its links and nodes shows in the details panel or opens (a node view, a
// narrower address). Touches #sankey, #details, #error and the address.

import { addressParams, go, navLink, nodeParams, sameView } from "/static/shared/address.js";
import { $, button, element, plural, showError, words } from "/static/shared/dom.js";
import { ask } from "/static/shared/graphql.js";
import { CERTAINTY_STRENGTH } from "/static/shared/vocabulary.js";
import { actions, certaintyBadge, details, facts } from "./details.js";
import { actionable, measureLabelsIn, shorten } from "./drawing.js";
import { SEARCH_PAGE } from "./search.js";

export const DEFAULT_TOP = 40; // organisations drawn one by one; the rest are grouped per organisation type
const PLACEHOLDERS = {
  "unknown collection": "the flows of data sets that no collection is known to feed",
  "whole data set": "the flows of releases that included a whole data set rather than listed items",
  unclassified: "the flows of items with no published classification",
};

const STAGE_KINDS = { collection: "COLLECTION", dataset: "DATASET", organisation: "ORGANISATION" };
const STAGE_COLOURS = ["#3182bd", "#6baed6", "#756bb1", "#a1d99b", "#31a354"];

/**
 * The Sankey's nodes and links from the flows answer, which the server has already narrowed to the
 * filters. Organisations beyond the top N are grouped per organisation type into one node whose links add
 * up the per-organisation counts (marked `summed`).
 */
export function sankeyModel(data, filters) {
  const stages = data.stages;
  const last = stages.length - 1;
  const classifications = new Map(data.classifications.map((c) => [c.label, c]));
  const split = (id) => {
    const stage = stages.find((s) => id.startsWith(`${s}:`));
    const label = id.slice(stage.length + 1);
    const classification = stage === "classification" ? classifications.get(label) : undefined;
    return { id, stage, column: stages.indexOf(stage), label, classification };
  };
  const links = groupOrganisations(
    data.links.map((l) => ({ ...l, s: split(l.source), t: split(l.target) })),
    filters.top,
    last,
  );
  const nodes = new Map();
  for (const l of links) for (const end of [l.s, l.t]) nodes.set(end.id, end);
  return {
    nodes: [...nodes.values()].map((n) => ({ ...n })),
    links: links.map((l) => ({ ...l, source: l.s.id, target: l.t.id, value: l.releases })),
    columns: stages,
  };
}

function groupOrganisations(links, top, last) {
  const received = new Map();
  for (const l of links) if (l.t.column === last) received.set(l.t.id, (received.get(l.t.id) || 0) + l.releases);
  if (received.size <= top) return links;
  const kept = new Set(
    [...received].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, top).map(([id]) => id),
  );
  const groups = new Map();
  const result = [];
  for (const l of links) {
    if (l.t.column !== last || kept.has(l.t.id)) {
      result.push(l);
      continue;
    }
    const id = `others of ${l.s.id}`;
    if (!groups.has(id)) {
      const end = { id, stage: l.t.stage, column: last, label: "", members: 0, type: l.s.label };
      groups.set(id, { ...l, t: end, releases: 0, summed: true });
    }
    const group = groups.get(id);
    group.releases += l.releases;
    group.t.members += 1;
    if (CERTAINTY_STRENGTH[l.certainty.level] < CERTAINTY_STRENGTH[group.certainty.level]) group.certainty = l.certainty; // the weakest
  }
  for (const group of groups.values()) {
    group.t.label = `${group.t.members} other ${group.s.label} organisations`;
    result.push(group);
  }
  return result;
}

export function drawSankey(model) {
  const container = $("#sankey");
  container.replaceChildren();
  if (!model.links.length) {
    container.append(element("p", "No flow in this period with these filters.", "empty"));
    return;
  }
  measureLabelsIn(container, "11px"); // as #sankey svg in explore.css
  const perColumn = d3.rollup(model.nodes, (v) => v.length, (n) => n.column);
  const width = Math.max(960, container.clientWidth || 0);
  const padding = 13; // at least a label's height, so labels in a column never overlap
  const height = Math.max(420, (padding + 4) * Math.max(...perColumn.values()) + 60);
  const margin = { top: 28, right: 240, bottom: 8, left: 8 }; // the right margin holds the last labels
  const layout = d3
    .sankey()
    .nodeId((n) => n.id)
    .nodeAlign((n) => n.column)
    .nodeWidth(12)
    .nodePadding(padding)
    .extent([
      [margin.left, margin.top],
      [width - margin.right, height - margin.bottom],
    ]);
  const { nodes, links } = layout({ nodes: model.nodes, links: model.links });
  const svg = d3
    .select(container)
    .append("svg")
    .attr("viewBox", [0, 0, width, height])
    .attr("width", width)
    .attr("height", height)
    .attr("role", "group")
    .attr("aria-label", `Sankey of ${links.length} flows between ${nodes.length} nodes`);
  const columnX = d3.rollup(nodes, (v) => d3.min(v, (n) => n.x0), (n) => n.column);
  const labelRoom = (n) => (columnX.get(n.column + 1) ?? width) - n.x1 - 8; // up to the next column
  svg
    .append("g")
    .attr("class", "columns")
    .selectAll("text")
    .data(model.columns.filter((_, i) => columnX.has(i)))
    .join("text")
    .attr("x", (c) => columnX.get(model.columns.indexOf(c)))
    .attr("y", 16)
    .text((c) => c);
  svg
    .append("g")
    .attr("class", "links")
    .selectAll("path")
    .data(links)
    .join("path")
    .attr("class", (l) => ["link", l.certainty.level.toLowerCase(), l.summed && "summed"].filter(Boolean).join(" "))
    .attr("d", d3.sankeyLinkHorizontal())
    .attr("stroke-width", (l) => Math.max(1, l.width))
    .attr("data-source", (l) => l.s.id)
    .attr("data-target", (l) => l.t.id)
    .attr("data-releases", (l) => l.releases)
    .call(actionable, (l) => `${l.s.label} to ${l.t.label}: ${releasesText(l)}`, showFlowLink)
    .append("title")
    .text((l) => `${l.s.label} → ${l.t.label}: ${releasesText(l)}`);
  const node = svg
    .append("g")
    .attr("class", "nodes")
    .selectAll("g")
    .data(nodes)
    .join("g")
    .attr("class", (n) => `node${n.members ? " group" : ""}`)
    .attr("data-stage", (n) => n.stage)
    .attr("data-label", (n) => n.label)
    .call(actionable, (n) => `${n.label} (${n.stage})`, openSankeyNode); // the name starts with what shows
  node
    .append("rect")
    .attr("x", (n) => n.x0)
    .attr("y", (n) => n.y0)
    .attr("width", (n) => n.x1 - n.x0)
    .attr("height", (n) => Math.max(1, n.y1 - n.y0))
    .attr("fill", (n) => STAGE_COLOURS[n.column % STAGE_COLOURS.length]);
  node
    .append("text")
    .attr("x", (n) => n.x1 + 4)
    .attr("y", (n) => (n.y0 + n.y1) / 2)
    .attr("dy", "0.35em")
    .text((n) => shorten(n.label, labelRoom(n)));
  node.append("title").text((n) => `${n.stage}: ${n.label}`);
}

function releasesText(l) {
  const n = l.releases;
  if (l.summed) return `${n} (the sum over ${l.t.members} organisations; a release to two of them counts twice)`;
  return plural(n, "release");
}

function showFlowLink(l) {
  const parts = [
    element("h3", `${l.s.label} → ${l.t.label}`),
    facts([
      ["from", `${l.s.stage}: ${l.s.label}`],
      ["to", `${l.t.stage}: ${l.t.label}`],
      ["releases", releasesText(l)],
      ["certainty", certaintyBadge(l.certainty)],
    ]),
    element(
      "p",
      "A flow summarises the releases through this pair; its certainty is the weakest of theirs. Each release, " +
        "with its approval and sources, is in the node view of its organisation.",
      "hint",
    ),
  ];
  const openable = [l.s, l.t].filter((end) => STAGE_KINDS[end.stage] && !end.members);
  details(...parts, actions(...openable.map((end) => button(`Open ${end.label}`, () => openSankeyNode(end)))));
}

/** The graph nodes a Sankey node stands for: found by search, kept only on an exact name. */
async function candidates(n) {
  let wanted = [];
  if (STAGE_KINDS[n.stage]) wanted = [[n.label, STAGE_KINDS[n.stage]]];
  else if (n.classification) {
    const { identifiability, sensitivity, oldTier } = n.classification;
    wanted = [["Identifiability", identifiability], ["Sensitivity", sensitivity], ["Old tier", oldTier]]
      .filter(([, code]) => code !== null)
      .map(([scale, code]) => [`${scale} ${code}`, "CLASSIFICATION"]); // as the scales' nodes are named
  }
  const found = await Promise.all(
    wanted.map(async ([text, kind]) => {
      const answer = await ask("search", { text, kinds: [kind], first: SEARCH_PAGE });
      return answer.search.nodes.filter((hit) => hit.name.toLowerCase() === text.toLowerCase());
    }),
  );
  return found.flat();
}

export async function openSankeyNode(n) {
  if (n.members) {
    details(
      element("h3", n.label),
      element("p", "They are grouped because only the top organisations are drawn one by one.", "hint"),
      button(`Draw the ${n.type} organisations one by one`, () => {
        const params = addressParams();
        params.delete("orgtype");
        params.append("orgtype", n.type);
        params.set("top", String(n.members + DEFAULT_TOP));
        go(params);
      }),
    );
    return;
  }
  if (n.stage === "organisation type") {
    const params = addressParams();
    const types = new Set(params.getAll("orgtype"));
    params.delete("orgtype");
    if (types.has(n.label)) types.delete(n.label);
    else types.add(n.label);
    for (const type of [...types].sort()) params.append("orgtype", type);
    go(params);
    return;
  }
  const current = sameView();
  try {
    const found = await candidates(n);
    if (!current()) return; // the reader has moved on
    if (found.length === 1) {
      go(nodeParams(found[0].id));
      return;
    }
    const list = element("ul", null, "candidates");
    for (const hit of found) {
      const item = element("li");
      item.append(navLink(nodeParams(hit.id), hit.name), element("span", ` ${words(hit.kind)}`, "kind"));
      list.append(item);
    }
    details(
      element("h3", `${n.stage}: ${n.label}`),
      found.length
        ? element("p", "This point of the Sankey stands for several nodes of the graph:", "hint")
        : element("p", `Not a node of the graph: ${PLACEHOLDERS[n.label] || "a label of the flows answer"}.`, "hint"),
      found.length ? list : null,
    );
  } catch (error) {
    showError(error);
  }
}
