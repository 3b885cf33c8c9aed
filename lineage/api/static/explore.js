// The flow explorer: a Sankey of the `flows` question, any node's neighbourhood, and search, all asked of
// the app's own /graphql. Plain JS over d3, d3-sankey and cytoscape, served by the app (no network beyond
// it). Every view lives in the address (?view=…), so it can be shared; the header links each view to the
// same question in the playground.
"use strict";

(() => {
  // The cookbook's operations (graphql/queries), the one source of every question asked here.
  const OPERATIONS = ["flows", "node-links", "search", "timeline"];
  const QUERIES = {};
  const PAGE = 25; // links per page in the node view
  const SEARCH_PAGE = 50;
  const DEFAULT_TOP = 40; // organisations drawn one by one; the rest are grouped per organisation type
  const DEPTH_WORKERS = 4; // concurrent requests when a node view opens at depth 2
  const LEVEL_WORDS = {
    CONFIRMED: "confirmed (DfE or Parliament)",
    REPORTED: "reported (a campaigner's, requester's or press account)",
    CLAIMED: "claimed (the recipient's own words)",
    TIER_LEVEL: "at tier level (approved for whole tiers, not these items)",
    INFERRED: "inferred",
  };
  const PLACEHOLDERS = {
    "unknown collection": "the flows of data sets that no collection is known to feed",
    "whole data set": "the flows of releases that included a whole data set rather than listed items",
    unclassified: "the flows of items with no published classification",
  };
  const STRENGTH = { INFERRED: 0, TIER_LEVEL: 1, CLAIMED: 2, REPORTED: 3, CONFIRMED: 4 };
  const STAGE_KINDS = { collection: "COLLECTION", dataset: "DATASET", organisation: "ORGANISATION" };
  const KIND_COLOURS = {
    SCHOOL: "#8c6d31", COLLECTION: "#3182bd", DATASET: "#6baed6", DATA_ITEM: "#9ecae1", CONCEPT: "#bcbddc",
    CLASSIFICATION: "#756bb1", RELEASE_RULE: "#de2d26", RELEASE: "#e6550d", APPROVAL: "#fd8d3c",
    ORGANISATION: "#31a354", AGGREGATE_FLOW: "#74c476", IMPORT_RUN: "#969696",
  };
  const STAGE_COLOURS = ["#3182bd", "#6baed6", "#756bb1", "#a1d99b", "#31a354"];

  const $ = (selector) => document.querySelector(selector);
  const words = (kind) => kind.toLowerCase().replaceAll("_", " "); // DATA_ITEM -> "data item"
  let routeToken = 0; // the view being shown; an answer for an older one is dropped
  const DETAILS_HINT = document.querySelector("#details").textContent.trim().replace(/\s+/g, " ");
  let graph = null; // the node view: { cy, start, pages, nodes, links } (see newGraph)
  const flowCache = new Map();

  // ---- talking to /graphql -------------------------------------------------------------------------

  /** Loads the cookbook's operations once; every question waits for them. */
  const operationsLoaded = Promise.all(
    OPERATIONS.map(async (name) => {
      const response = await fetch(`/cookbook/${name}.graphql`);
      if (!response.ok) throw new Error(`the cookbook's ${name} operation did not load (${response.status})`);
      QUERIES[name] = await response.text();
    }),
  );

  async function ask(name, variables) {
    await operationsLoaded;
    const response = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query: QUERIES[name], variables }),
    });
    let body;
    try {
      body = await response.json();
    } catch {
      throw new Error(`/graphql answered ${response.status} without a JSON body`);
    }
    if (body.errors && body.errors.length) throw new Error(body.errors.map((e) => e.message).join("; "));
    if (!response.ok) throw new Error(`/graphql answered ${response.status}`);
    if (!body.data) throw new Error("/graphql answered without data");
    return body.data;
  }

  function playgroundUrl(name, variables) {
    const params = new URLSearchParams({ query: QUERIES[name], variables: JSON.stringify(variables, null, 2) });
    return `/graphql?${params}`;
  }

  function setPlayground(name, variables) {
    $("#playground-link").href = playgroundUrl(name, variables);
  }

  // ---- the address is the state ----------------------------------------------------------------------

  function explorerUrl(params) {
    const query = params.toString();
    return query ? `/explore?${query}` : "/explore";
  }

  function go(params) {
    history.pushState(null, "", explorerUrl(params));
    route();
  }

  function nodeParams(id) {
    return new URLSearchParams({ view: "node", id });
  }

  /** Makes a link navigate without a reload; its real href still serves to share or open in a new tab. */
  function inPage(a, params) {
    a.addEventListener("click", (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      go(params);
    });
    return a;
  }

  function navLink(params, text) {
    const a = document.createElement("a");
    a.href = explorerUrl(params);
    a.textContent = text;
    return inPage(a, params);
  }

  async function route() {
    const token = ++routeToken;
    const params = new URLSearchParams(location.search);
    const view = params.get("view") || "flows";
    document.body.dataset.state = "loading";
    document.body.dataset.view = view;
    showError(null);
    details(element("p", DETAILS_HINT, "hint"));
    for (const section of ["flows", "node", "search"]) $(`#${section}-view`).hidden = section !== view;
    const current = () => token === routeToken;
    try {
      await operationsLoaded;
      if (view === "node") await showNode(params, current);
      else if (view === "search") await showSearch(params, current);
      else if (view === "flows") await showFlows(params, current);
      else throw new Error(`unknown view “${view}” (flows, node or search)`);
      if (current()) document.body.dataset.state = "ready";
    } catch (error) {
      if (!current()) return;
      clearView(view);
      showError(error);
      document.body.dataset.state = "error";
    }
  }

  /** A view that failed shows nothing of what it would have replaced: an old answer under a new address misleads. */
  function clearView(view) {
    if (view === "flows") {
      for (const id of ["#sankey", "#volume-charts", "#legend"]) $(id).replaceChildren();
      $("#flow-summary").textContent = "";
      $("#flow-caveat").hidden = true;
    } else if (view === "node" && graph) {
      graph.cy.elements().remove();
    } else if (view === "search") {
      $("#search-results").replaceChildren();
    }
  }

  function showError(error) {
    const banner = $("#error");
    banner.hidden = !error;
    banner.textContent = error ? String(error.message || error) : "";
  }

  // ---- the details panel -----------------------------------------------------------------------------

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function details(...children) {
    const panel = $("#details");
    panel.replaceChildren(...children.filter(Boolean));
  }

  function facts(pairs) {
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

  function certaintyText(certainty) {
    const said = LEVEL_WORDS[certainty.level] || certainty.level.toLowerCase();
    return certainty.rule ? `${said}, by the rule “${certainty.rule}”` : said;
  }

  function certaintyBadge(certainty) {
    return element("span", certaintyText(certainty), `certainty ${certainty.level.toLowerCase()}`);
  }

  function validity(item) {
    if (!item.validFrom && !item.validTo) return null;
    return `${item.validFrom || "…"} to ${item.validTo || "…"}`;
  }

  function citationList(citations) {
    const wrapper = element("div", null, "citations");
    wrapper.append(element("h4", `Sources (${citations.length})`));
    if (!citations.length) {
      wrapper.append(element("p", "No source is cited.", "hint"));
      return wrapper;
    }
    const list = element("ol");
    for (const c of citations) {
      const item = element("li");
      item.append(element("span", c.document, "document"), " — ", `${c.file}${c.row ? `, row ${c.row}` : ""}`);
      if (c.address) {
        item.append(" — ");
        if (/^https?:\/\//.test(c.address)) {
          const a = element("a", c.address);
          a.href = c.address;
          a.target = "_blank";
          a.rel = "noopener noreferrer";
          item.append(a);
        } else {
          item.append(element("span", c.address, "address"));
        }
      }
      list.append(item);
    }
    wrapper.append(list);
    return wrapper;
  }

  function actions(...children) {
    const paragraph = element("p", null, "actions");
    paragraph.append(...children.filter(Boolean));
    return paragraph;
  }

  function button(text, onClick, className) {
    const b = element("button", text, className);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  // ---- flows: the Sankey -------------------------------------------------------------------------------

  function topOf(text) {
    const top = Number.parseInt(text || "", 10);
    return top > 0 ? top : DEFAULT_TOP;
  }

  function readFilters(params) {
    const list = (name) => new Set((params.get(name) || "").split(",").filter(Boolean));
    return {
      from: params.get("from") || null,
      to: params.get("to") || null,
      ident: list("ident"),
      sens: list("sens"),
      types: new Set(params.getAll("orgtype")),
      top: topOf(params.get("top")),
    };
  }

  function filterParams(filters) {
    const params = new URLSearchParams();
    if (filters.from) params.set("from", filters.from);
    if (filters.to) params.set("to", filters.to);
    if (filters.ident.size) params.set("ident", [...filters.ident].sort().join(","));
    if (filters.sens.size) params.set("sens", [...filters.sens].sort().join(","));
    for (const type of [...filters.types].sort()) params.append("orgtype", type);
    if (filters.top !== DEFAULT_TOP) params.set("top", String(filters.top));
    return params;
  }

  /** The flows question's variables for these filters (the server narrows every column exactly). */
  function flowVariables(filters) {
    const list = (values) => (values.size ? [...values].sort() : null);
    const ident = list(filters.ident);
    return {
      from: filters.from,
      to: filters.to,
      identifiability: ident && ident.map(Number),
      sensitivity: list(filters.sens),
      organisationTypes: list(filters.types),
    };
  }

  async function flowsFor(variables) {
    const key = JSON.stringify(variables);
    if (!flowCache.has(key)) {
      flowCache.set(key, ask("flows", variables).then((data) => data.flows));
      flowCache.get(key).catch(() => flowCache.delete(key));
    }
    return flowCache.get(key);
  }

  async function showFlows(params, current) {
    const filters = readFilters(params);
    const variables = flowVariables(filters);
    const unfiltered = flowVariables({ ...filters, ident: new Set(), sens: new Set(), types: new Set() });
    setPlayground("flows", variables);
    performance.mark("flows-requested");
    // the period's whole answer offers the filters' choices; the filtered one is drawn
    const [everything, data] = await Promise.all([flowsFor(unfiltered), flowsFor(variables)]);
    performance.mark("flows-received");
    if (!current()) return;
    fillFilterForm(everything, filters);
    const model = sankeyModel(data, filters);
    drawSankey(model);
    performance.mark("sankey-drawn");
    requestAnimationFrame(() => performance.mark("sankey-painted"));
    describeFlows(data, filters, model);
    drawVolumes(data.volumes, filters);
    await showTimeline(filters, current);
  }

  // ---- the timeline under the Sankey, over the same period -----------------------------------------------

  async function showTimeline(filters, current) {
    const variables = { from: filters.from, to: filters.to, kinds: null };
    const answer = (await ask("timeline", variables)).timeline;
    if (!current()) return;
    const entries = answer.entries.nodes;
    const container = $("#timeline-strip");
    container.replaceChildren();
    const cut = answer.entries.truncated ? ` (the first ${entries.length} of ${answer.entries.totalCount})` : "";
    $("#timeline-summary").textContent =
      `${answer.entries.totalCount} dated ${answer.entries.totalCount === 1 ? "event or figure" : "events and figures"}` +
      ` in this period${cut}` +
      (answer.undated ? `; ${answer.undated} more the record does not date.` : ".");
    if (entries.length) container.append(timelineChart(entries, filters));
  }

  /** One row per entry on a shared time axis: a bar over its period (open ends run to the edge), a mark for a day. */
  function timelineChart(entries, filters) {
    const day = (text) => (text ? new Date(`${text}T00:00:00Z`) : null);
    const starts = entries.map((e) => day(e.validFrom)).filter(Boolean);
    const ends = entries.map((e) => day(e.validTo)).filter(Boolean);
    const low = day(filters.from) || d3.min(starts.concat(ends));
    const high = day(filters.to) || d3.max(starts.concat(ends));
    const rowHeight = 22;
    const width = 900;
    const x = d3.scaleUtc().domain([low, high]).nice().range([260, width - 10]);
    const [left, right] = x.range();
    const svg = d3
      .create("svg")
      .attr("viewBox", [0, 0, width, entries.length * rowHeight + 24])
      .attr("width", width)
      .attr("height", entries.length * rowHeight + 24)
      .attr("role", "group")
      .attr("aria-label", "Dated events and published figures in this period");
    svg.append("g").attr("class", "axis").attr("transform", `translate(0,${entries.length * rowHeight + 4})`)
      .call(d3.axisBottom(x).ticks(8));
    const row = svg
      .selectAll("g.entry")
      .data(entries)
      .join("g")
      .attr("class", (e) => `entry ${e.kind === "figure" ? "figure" : "event"}`)
      .attr("transform", (_, i) => `translate(0,${i * rowHeight})`)
      .call(actionable, (e) => `${e.dateAsCited}: ${e.text}`, showTimelineEntry);
    row.append("rect").attr("class", "row").attr("width", width).attr("height", rowHeight);
    row.append("text").attr("y", 15).text((e) => shorten(`${e.dateAsCited}: ${e.text}`, 250));
    const from = (e) => Math.max(left, e.validFrom ? x(day(e.validFrom)) : left);
    const to = (e) => Math.min(right, e.validTo ? x(day(e.validTo)) : right);
    row
      .append("rect")
      .attr("class", (e) => `span ${e.certainty.level.toLowerCase()}`)
      .attr("x", from)
      .attr("y", 5)
      .attr("height", 12)
      .attr("width", (e) => Math.max(3, to(e) - from(e)));
    row.append("title").text((e) => `${e.dateAsCited}: ${e.text}`);
    return svg.node();
  }

  function showTimelineEntry(e) {
    details(
      element("h3", e.text),
      facts([
        ["when", e.dateAsCited],
        ["kind", e.kind],
        ["from", e.validFrom || "open"],
        ["to", e.validTo || "open"],
        ["certainty", certaintyBadge(e.certainty)],
        ["concerns", e.concerns.map((c) => c.node.name).join("; ") || null],
      ]),
      citationList(e.citations),
      actions(navLink(nodeParams(e.node.id), "Open in the node view")),
    );
  }

  function fillFilterForm(data, filters) {
    const form = $("#flow-filters");
    form.elements.from.value = filters.from || "";
    form.elements.to.value = filters.to || "";
    form.elements.top.value = String(filters.top);
    const year = (filters.from || "").slice(0, 4);
    const wholeYear = filters.from === `${year}-01-01` && filters.to === `${year}-12-31`;
    form.elements.year.value = wholeYear ? year : "";
    const labels = (stage) =>
      [...new Set(data.links.flatMap((l) => [l.source, l.target]))]
        .filter((id) => id.startsWith(`${stage}:`))
        .map((id) => id.slice(stage.length + 1));
    const scaled = data.classifications.filter((c) => c.identifiability !== null);
    const ident = new Set([...scaled.map((c) => String(c.identifiability)), ...filters.ident]);
    const sens = new Set([...scaled.map((c) => c.sensitivity), ...filters.sens]);
    const types = new Set([...labels("organisation type"), ...filters.types]);
    checkboxes($("#filter-ident"), "ident", [...ident].sort(), filters.ident);
    checkboxes($("#filter-sens"), "sens", [...sens].sort(), filters.sens);
    checkboxes($("#filter-orgtype"), "orgtype", [...types].sort(), filters.types);
  }

  function checkboxes(fieldset, name, values, checked) {
    fieldset.querySelectorAll("label, p").forEach((node) => node.remove());
    if (!values.length) fieldset.append(element("p", "none in this period", "hint"));
    for (const value of values) {
      const label = element("label", null, "check");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = name;
      box.value = value;
      box.checked = checked.has(value);
      label.append(box, ` ${value}`);
      fieldset.append(label);
    }
  }

  function filtersFromForm(form) {
    const checked = (name) => new Set([...form.querySelectorAll(`input[name="${name}"]:checked`)].map((b) => b.value));
    return {
      from: form.elements.from.value || null,
      to: form.elements.to.value || null,
      ident: checked("ident"),
      sens: checked("sens"),
      types: checked("orgtype"),
      top: topOf(form.elements.top.value),
    };
  }

  /**
   * The Sankey's nodes and links from the flows answer, which the server has already narrowed to the
   * filters. Organisations beyond the top N are grouped per organisation type into one node whose links add
   * up the per-organisation counts (marked `summed`).
   */
  function sankeyModel(data, filters) {
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
      if (STRENGTH[l.certainty.level] < STRENGTH[group.certainty.level]) group.certainty = l.certainty; // the weakest
    }
    for (const group of groups.values()) {
      group.t.label = `${group.t.members} other ${group.s.label} organisations`;
      result.push(group);
    }
    return result;
  }

  /** Makes the parts of a drawing act on a click, and on Enter or Space for those who use the keyboard. */
  function actionable(selection, describe, act) {
    selection
      .attr("tabindex", 0)
      .attr("role", "button")
      .attr("aria-label", describe)
      .on("click", (event, d) => act(d))
      .on("keydown", (event, d) => {
        if (event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault();
        act(d);
      });
  }

  function drawSankey(model) {
    const container = $("#sankey");
    container.replaceChildren();
    if (!model.links.length) {
      container.append(element("p", "No flow in this period with these filters.", "empty"));
      return;
    }
    measure.font = `11px ${getComputedStyle(container).fontFamily}`; // as #sankey svg in explore.css
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
      .call(actionable, (n) => `${n.stage}: ${n.label}`, openSankeyNode);
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

  const measure = document.createElement("canvas").getContext("2d");

  /** A label cut to fit ``room`` pixels, ending in "…"; the node's title keeps the whole label. Measured on a
   * canvas in the Sankey's font, so fitting never makes the browser lay out the SVG again. */
  function shorten(label, room) {
    if (measure.measureText(label).width <= room) return label;
    let [fits, fails] = [0, label.length];
    while (fails - fits > 1) {
      const middle = Math.floor((fits + fails) / 2);
      if (measure.measureText(`${label.slice(0, middle)}…`).width <= room) fits = middle;
      else fails = middle;
    }
    return `${label.slice(0, fits)}…`;
  }

  function plural(count, noun) {
    return `${count} ${noun}${count === 1 ? "" : "s"}`;
  }

  function releasesText(l) {
    const n = l.releases;
    if (l.summed) return `${n} (the sum over ${l.t.members} organisations; a release to two of them counts twice)`;
    return plural(n, "release");
  }

  function describeFlows(data, filters, model) {
    const period =
      filters.from || filters.to
        ? `dated ${filters.from || "…"} to ${filters.to || "…"}`
        : "of any date, undated ones included";
    const hidden = data.releasesHidden
      ? ` ${data.releasesHidden} ${data.releasesHidden === 1 ? "is" : "are"} not drawn: ` +
        "no path of theirs passes the filters, or they name no single recipient."
      : "";
    $("#flow-summary").textContent =
      `${plural(data.releasesCounted, "release")} ${period}; ${data.releasesShown} drawn.${hidden} ` +
      `${data.releasesWithoutScope} of them ${data.releasesWithoutScope === 1 ? "has" : "have"} no published ` +
      "scope: drawn through “items not published”, which items went the record does not say. " +
      `${plural(model.links.length, "flow")} between ${plural(model.nodes.length, "node")} drawn; ` +
      "widths are numbers of releases per pair of columns (a path across several columns need not be one " +
      "release's).";
    const caveats = [];
    if (filters.ident.size || filters.sens.size) {
      caveats.push(
        "Every column counts only the releases' paths of the chosen identifiability and sensitivity; " +
          "old-tier, whole-data-set and unclassified flows are hidden while this filter is set. The " +
          "published volumes have no classification, so this filter does not apply to them.",
      );
    }
    if (filters.types.size) {
      caveats.push("Every column, and the published volumes, count only flows to the chosen organisation types.");
    }
    if (model.nodes.some((n) => n.members)) {
      caveats.push(
        `Only the top ${filters.top} organisations by releases are drawn one by one; the others are grouped ` +
          "per organisation type (raise “show the top” to see them).",
      );
    }
    $("#flow-caveat").hidden = !caveats.length;
    $("#flow-caveat").textContent = caveats.join(" ");
    const legend = $("#legend");
    legend.replaceChildren(element("span", "Links by certainty:"));
    for (const level of ["CONFIRMED", "REPORTED", "CLAIMED", "TIER_LEVEL", "INFERRED"]) {
      legend.append(element("span", LEVEL_WORDS[level], `swatch ${level.toLowerCase()}`));
    }
    if (model.links.some((l) => l.summed)) {
      legend.append(element("span", "dashed: a sum over grouped organisations", "swatch summed"));
    }
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

  async function openSankeyNode(n) {
    if (n.members) {
      details(
        element("h3", n.label),
        element("p", "They are grouped because only the top organisations are drawn one by one.", "hint"),
        button(`Draw the ${n.type} organisations one by one`, () => {
          const params = new URLSearchParams(location.search);
          params.delete("orgtype");
          params.append("orgtype", n.type);
          params.set("top", String(n.members + DEFAULT_TOP));
          go(params);
        }),
      );
      return;
    }
    if (n.stage === "organisation type") {
      const params = new URLSearchParams(location.search);
      const types = new Set(params.getAll("orgtype"));
      params.delete("orgtype");
      if (types.has(n.label)) types.delete(n.label);
      else types.add(n.label);
      for (const type of [...types].sort()) params.append("orgtype", type);
      go(params);
      return;
    }
    const token = routeToken;
    try {
      const found = await candidates(n);
      if (token !== routeToken) return; // the reader has moved on
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

  function drawVolumes(volumes, filters) {
    const container = $("#volume-charts");
    container.replaceChildren();
    if (!volumes.length) {
      const types = filters.types.size ? " to organisations of the chosen types" : "";
      container.append(element("p", `No published volume in this period${types}.`, "hint"));
      return;
    }
    const numeric = volumes.filter((v) => typeof v.flow.value === "number");
    const byUnit = d3.group(numeric, (v) => v.flow.unit || "no unit given");
    for (const [unit, rows] of [...byUnit].sort((a, b) => a[0].localeCompare(b[0]))) {
      const section = element("section", null, "volume-unit");
      section.dataset.unit = unit;
      section.append(element("h3", `In ${unit}`));
      section.append(volumeChart(rows, unit));
      container.append(section);
    }
    const textual = volumes.filter((v) => typeof v.flow.value !== "number");
    if (textual.length) {
      const section = element("section", null, "volume-unit");
      section.append(element("h3", "Published, but not as one number"));
      const list = element("ul");
      for (const v of textual) {
        const item = element("li");
        item.append(
          navLink(nodeParams(v.flow.id), `${v.flow.measure || v.flow.name} (${v.flow.period || "no period"})`),
          ` → ${v.organisation.name}: ${v.flow.valueText || "no figure given"}`,
        );
        list.append(item);
      }
      section.append(list);
      container.append(section);
    }
  }

  /** One bar per published figure, on a scale of its own unit; figures are never added up. */
  function volumeChart(rows, unit) {
    const rowHeight = 38;
    const width = 900;
    const x = d3.scaleLinear().domain([0, d3.max(rows, (v) => v.flow.value)]).nice().range([0, width - 200]);
    const svg = d3
      .create("svg")
      .attr("viewBox", [0, 0, width, rows.length * rowHeight])
      .attr("width", width)
      .attr("height", rows.length * rowHeight)
      .attr("role", "group")
      .attr("aria-label", `Published volumes in ${unit}`);
    const row = svg
      .selectAll("g")
      .data(rows)
      .join("g")
      .attr("class", "volume")
      .attr("transform", (_, i) => `translate(0,${i * rowHeight})`)
      .call(actionable, (v) => `${v.flow.flow || v.organisation.name}: ${v.flow.value} ${v.flow.unit || ""}`, showVolume);
    row.append("rect").attr("class", "row").attr("width", width).attr("height", rowHeight); // all of it clicks
    row
      .append("text")
      .attr("y", 12)
      .text(
        (v) =>
          `${v.flow.flow || v.organisation.name}: ${v.flow.measure || "measure not given"} ` +
          `(${v.flow.period || "period not given"})`,
      );
    const barWidth = (v) => Math.max(1, x(v.flow.value));
    row
      .append("rect")
      .attr("y", 17)
      .attr("height", 14)
      .attr("width", barWidth)
      .attr("class", (v) => (v.flow.verified === false ? "unverified" : "verified"));
    row
      .append("text")
      .attr("x", (v) => barWidth(v) + 6)
      .attr("y", 28)
      .text((v) => `${d3.format(",")(v.flow.value)} ${unit}${v.flow.verified === false ? " (unverified)" : ""}`);
    row.append("title").text((v) => `${v.flow.name} → ${v.organisation.name}`);
    return svg.node();
  }

  function showVolume(v) {
    details(
      element("h3", v.flow.name),
      facts([
        ["to", v.organisation.name],
        ["figure", `${d3.format(",")(v.flow.value)} ${v.flow.unit || "(no unit given)"}`],
        ["measure", v.flow.measure],
        ["period", v.flow.period],
        ["verified", { true: "yes", false: "no: not an established fact" }[v.flow.verified]],
        ["notes", v.flow.notes],
        ["certainty", certaintyBadge(v.flow.certainty)],
        ["flows to the organisation", certaintyBadge(v.link.certainty)],
      ]),
      citationList(v.flow.citations),
      actions(navLink(nodeParams(v.flow.id), "Open in the node view")),
    );
  }

  $("#flow-filters").addEventListener("submit", (event) => {
    event.preventDefault();
    go(filterParams(filtersFromForm(event.target)));
  });
  // A box applies at once; dates and numbers wait for Apply (or Enter), so typing one never redraws mid-way.
  $("#flow-filters").addEventListener("change", (event) => {
    if (event.target.type === "checkbox") go(filterParams(filtersFromForm(event.currentTarget)));
  });
  $("#flow-filters").elements.year.addEventListener("input", (event) => {
    const year = event.target.value;
    if (!/^\d{4}$/.test(year)) return;
    event.target.form.elements.from.value = `${year}-01-01`;
    event.target.form.elements.to.value = `${year}-12-31`;
  });
  $("#filters-reset").addEventListener("click", () => go(new URLSearchParams()));

  // ---- a node's neighbourhood --------------------------------------------------------------------------

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
      data: { id: node.id, label: node.name, colour: KIND_COLOURS[node.kind] || "#999" },
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
    if (!node) throw new Error(`no node with id “${id}” in the graph`);
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

  /** Records one more page of a node in the address, so the same view can be shared. */
  function remember(id) {
    const params = new URLSearchParams(location.search);
    params.append("open", id);
    history.replaceState(null, "", explorerUrl(params));
  }

  /** Work on the node view after it was drawn; what it finds after the reader has moved on is dropped. */
  async function guarded(work) {
    const token = routeToken;
    const current = () => token === routeToken;
    try {
      document.body.dataset.state = "loading";
      await work(current);
      if (current()) document.body.dataset.state = "ready";
    } catch (error) {
      if (!current()) return;
      showError(error);
      document.body.dataset.state = "error";
    }
  }

  /** A click on a node: what it is, and its first page of links unless they are there already. */
  function expandAndShow(id) {
    showNodeDetails(graph, id);
    if (!graph.pages.has(id)) loadMore(id);
  }

  function loadMore(id) {
    const state = graph;
    if (state.loading.has(id)) return; // that page is on its way
    guarded(async (current) => {
      await loadPage(state, id);
      if (!current() || state !== graph) return;
      remember(id);
      layout(state);
      showNodeDetails(state, id);
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

  async function showNode(params, current) {
    const id = params.get("id");
    if (!id) throw new Error("no node id in the address (…?view=node&id=Organisation:daily telegraph)");
    const depth = params.get("depth") === "2" ? 2 : 1;
    $("#node-depth").value = String(depth);
    setPlayground("node-links", { id, first: PAGE, after: null });
    if (graph) graph.cy.destroy();
    graph = newGraph(id);
    const state = graph;
    $("#node-title").textContent = id;
    const start = await loadPage(state, id);
    if (!current()) return;
    $("#node-title").textContent = `${start.name} (${words(start.kind)})`;
    if (depth === 2) {
      const neighbours = state.cy.getElementById(id).neighborhood("node.entity").map((n) => n.id());
      await inPool(neighbours, DEPTH_WORKERS, (n) => loadPage(state, n));
    }
    try {
      for (const opened of params.getAll("open")) await loadPage(state, opened);
    } finally {
      if (current()) {
        layout(state);
        showNodeDetails(state, id);
      }
    }
  }

  /** What a node's kind says of it, as the node-links operation gives it: a statement's words first. */
  function ownFacts(node) {
    const contested = node.contested
      ? "yes: another cited source disagrees (its “is contradicted by” links name the other side)"
      : null;
    return [
      ["the source says", node.statement ? node.statement.replaceAll("_", " ") : null],
      ["in its words", node.itemsAsWritten],
      ["quote", node.quote],
      ["source", node.sourceKind],
      ["contested", contested],
      ["reference", node.reference],
      ["date", node.date || node.dateAsCited],
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

  function showNodeDetails(state, id) {
    const node = state.nodes.get(id);
    if (!node) return;
    const page = state.pages.get(id);
    const parts = [element("h3", node.name)];
    const loaded = page
      ? `${page.shown} of ${page.total}${page.exact ? "" : "+"} links shown`
      : "not loaded yet: click the node";
    parts.push(
      facts([
        ["kind", words(node.kind)],
        ["key", node.key],
        ["id", node.id],
        ["valid", node.validFrom !== undefined ? validity(node) : null],
        ["certainty", node.certainty ? certaintyBadge(node.certainty) : null],
        ...ownFacts(node),
        ["links", loaded],
      ]),
    );
    if (node.citations) parts.push(citationList(node.citations));
    parts.push(linkList(state, id));
    const playground = element("a", "This node's links in the playground");
    playground.href = playgroundUrl("node-links", { id, first: PAGE, after: null });
    parts.push(
      actions(
        page && page.hasNext
          ? button(`Show ${Math.min(PAGE, page.total - page.shown)} more links`, () => loadMore(id), "more")
          : null,
        id !== state.start ? navLink(nodeParams(id), "Centre the view here") : null,
        playground,
      ),
    );
    details(...parts);
  }

  /** The node's links drawn so far, as buttons: the graph is a picture; this is the same for the keyboard. */
  function linkList(state, id) {
    const touching = [...state.links.values()].filter((l) => l.sourceId === id || l.targetId === id);
    if (!touching.length) return null;
    const list = element("ul");
    for (const link of touching) {
      const item = element("li");
      item.append(button(`${link.source.name} ${link.sentence} ${link.target.name}`, () => showLink(link)));
      item.append(element("span", ` ${certaintyText(link.certainty)}`, "kind"));
      list.append(item);
    }
    const box = element("details", null, "links");
    box.append(element("summary", `Links drawn (${touching.length}), as a list`), list);
    return box;
  }

  function showLink(link) {
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

  $("#node-depth").addEventListener("change", (event) => {
    const params = new URLSearchParams(location.search);
    params.set("depth", event.target.value);
    params.delete("open");
    go(params);
  });

  // ---- search ------------------------------------------------------------------------------------------

  async function showSearch(params, current) {
    const text = (params.get("q") || "").trim();
    $("#search-text").value = text;
    const results = $("#search-results");
    results.replaceChildren();
    if (!text) {
      $("#search-title").textContent = "Type a name, key or alias to search.";
      return;
    }
    const variables = { text, kinds: null, first: SEARCH_PAGE };
    setPlayground("search", variables);
    const answer = (await ask("search", variables)).search;
    if (!current()) return;
    const total = `${answer.totalCount}${answer.totalIsExact ? "" : "+"}`;
    $("#search-title").textContent =
      `${total} node${answer.totalCount === 1 ? "" : "s"} match “${text}”` +
      (answer.truncated ? `; the first ${answer.nodes.length} are shown` : "");
    for (const hit of answer.nodes) {
      const item = element("li");
      item.dataset.kind = hit.kind;
      item.append(element("span", words(hit.kind), "kind"), navLink(nodeParams(hit.id), hit.name));
      if (hit.key !== hit.name) item.append(element("span", hit.key, "key"));
      results.append(item);
    }
  }

  $("#search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("#search-text").value.trim();
    if (text) go(new URLSearchParams({ view: "search", q: text }));
  });
  document.querySelectorAll("[data-nav=flows]").forEach((a) => inPage(a, new URLSearchParams()));

  window.addEventListener("popstate", route);
  // For tests and the benchmark: the node view's graph.
  window.explorer = { get cy() { return graph && graph.cy; } };
  route();
})();
