// The flows view: the filter form, the `flows` question for the address's filters (asked once per filter set),
// and what is drawn from it: the Sankey (sankey.js), the summary and caveats under it, the published volumes
// (volumes.js) and the timeline of the same period (timeline.js). Touches #flow-filters, #flow-summary,
// #flow-caveat and #legend (and clears #sankey, #flow-list and #volume-charts when the view fails), and the
// address.

import { go } from "/static/shared/address.js";
import { $, element, plural } from "/static/shared/dom.js";
import { ask, setPlayground } from "/static/shared/graphql.js";
import { CERTAINTY_LEVELS, CERTAINTY_WORDS } from "/static/shared/vocabulary.js";
import { drawFlowList } from "./flow-list.js";
import { DEFAULT_TOP, drawSankey, sankeyModel } from "./sankey.js";
import { showTimeline } from "./timeline.js";
import { drawVolumes } from "./volumes.js";

const flowCache = new Map();

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

export async function showFlows(params, current) {
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
  drawFlowList(model);
  performance.mark("sankey-drawn");
  requestAnimationFrame(() => performance.mark("sankey-painted"));
  describeFlows(data, filters, model);
  drawVolumes(data.volumes, filters);
  await showTimeline(filters, current);
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

function describeFlows(data, filters, model) {
  const period =
    filters.from || filters.to
      ? `dated ${filters.from || "…"} to ${filters.to || "…"}`
      : "of any date, undated ones included";
  const hidden = data.releasesHidden
    ? ` ${data.releasesHidden} ${data.releasesHidden === 1 ? "is" : "are"} not drawn: ` +
      "no path of theirs passes the filters, or they name no single recipient."
    : "";
  const undated = data.releasesUndated
    ? ` ${plural(data.releasesUndated, "release")} with no date in the record ` +
      `${data.releasesUndated === 1 ? "is" : "are"} left out, and may fall in the period.`
    : "";
  const one = data.volumesUndated === 1;
  const undatedVolumes = data.volumesUndated
    ? ` ${data.volumesUndated} ${one ? "figure or access" : "figures or accesses"} with no date in the record ` +
      `${one ? "is" : "are"} left out of the volumes, and may fall in the period.`
    : "";
  $("#flow-summary").textContent =
    `${plural(data.releasesCounted, "release")} ${period}; ${data.releasesShown} drawn.${hidden}${undated}${undatedVolumes} ` +
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
  for (const level of CERTAINTY_LEVELS) {
    legend.append(element("span", CERTAINTY_WORDS[level], `swatch ${level.toLowerCase()}`));
  }
  if (model.links.some((l) => l.summed)) {
    legend.append(element("span", "dashed: a sum over grouped organisations", "swatch summed"));
  }
}

export function clearFlows() {
  for (const id of ["#sankey", "#flow-list", "#volume-charts", "#legend"]) $(id).replaceChildren();
  $("#flow-summary").textContent = "";
  $("#flow-caveat").hidden = true;
}

export function listenToFilters() {
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
}
