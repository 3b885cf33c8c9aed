// The published volumes under the Sankey: one chart per unit (figures are never added up, each unit has its
// own scale), the figures that are not one number as a list, the accesses to pupil records as a list, and a
// figure's facts in the details panel. Touches #volume-charts and #details.

import { navLink, nodeParams } from "/static/shared/address.js";
import { $, element } from "/static/shared/dom.js";
import { actions, certaintyBadge, citationList, details, facts } from "./details.js";
import { actionable, measureLabelsIn, shorten, widthIn } from "./drawing.js";

export function drawVolumes(volumes, filters) {
  const container = $("#volume-charts");
  container.replaceChildren();
  if (!volumes.length) {
    const types = filters.types.size ? " to organisations of the chosen types" : "";
    container.append(element("p", `No published volume in this period${types}.`, "hint"));
    return;
  }
  measureLabelsIn(container, "11px"); // as .volume-unit svg in explore.css
  const accesses = volumes.filter((v) => v.link.kind === "ACCESSED_BY");
  const figures = volumes.filter((v) => v.link.kind !== "ACCESSED_BY");
  const numeric = figures.filter((v) => typeof v.flow.value === "number");
  const byUnit = d3.group(numeric, (v) => v.flow.unit || "no unit given");
  for (const [unit, rows] of [...byUnit].sort((a, b) => a[0].localeCompare(b[0]))) {
    const section = element("section", null, "volume-unit");
    section.dataset.unit = unit;
    section.append(element("h3", `In ${unit}`));
    section.append(volumeChart(rows, unit, widthIn(container, 900)));
    container.append(section);
  }
  const textual = figures.filter((v) => typeof v.flow.value !== "number");
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
  if (accesses.length) container.append(accessList(accesses));
}

/** Each access to pupil records in the period: what was accessed, by whom, when and how much, as cited. */
function accessList(accesses) {
  const section = element("section", null, "volume-unit");
  section.append(element("h3", "Accesses to pupil records"));
  const list = element("ul");
  for (const v of accesses) {
    const { dateAsCited, route, unit, valueText } = v.link;
    const figure = valueText ? `: ${valueText}${unit ? ` ${unit}` : ""}` : "";
    const item = element("li");
    item.append(
      navLink(nodeParams(v.flow.id), v.flow.name),
      ` accessed by ${v.organisation.name} (${dateAsCited || "no date given"}${route ? `, ${route}` : ""})${figure}`,
    );
    list.append(item);
  }
  section.append(list);
  return section;
}

/** One bar per published figure, on a scale of its own unit; figures are never added up. */
function volumeChart(rows, unit, width) {
  const rowHeight = 38;
  const shown = (v) => shorten(volumeTitle(v), width - 4); // cut on a phone; the row's title has it whole
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
    .call(actionable, (v) => `${shown(v)}: ${volumeFigure(v, unit)}`, showVolume); // the name is what shows
  row.append("rect").attr("class", "row").attr("width", width).attr("height", rowHeight); // all of it clicks
  row.append("text").attr("y", 12).text(shown);
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
    .text((v) => volumeFigure(v, unit));
  row.append("title").text((v) => `${volumeTitle(v)}; ${v.flow.name} → ${v.organisation.name}`);
  return svg.node();
}

function volumeTitle(v) {
  const what = `${v.flow.flow || v.organisation.name}: ${v.flow.measure || "measure not given"}`;
  return `${what} (${v.flow.period || "period not given"})`;
}

function volumeFigure(v, unit) {
  // in the order of lineage.questions.timeline.figure_caveat: a correction first, then contested, then unverified
  const caveat = v.flow.correctedLater
    ? " (original, later corrected)"
    : v.flow.contested
      ? " (contested)"
      : v.flow.verified === false
        ? " (unverified)"
        : "";
  return `${d3.format(",")(v.flow.value)} ${unit}${caveat}`;
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
      ["corrected", v.flow.correctedLater ? "yes: the original figure, which a later source corrected" : null],
      ["contested", v.flow.contested ? "yes: another cited source disagrees (the node view names it)" : null],
      ["notes", v.flow.notes],
      ["certainty", certaintyBadge(v.flow.certainty)],
      ["flows to the organisation", certaintyBadge(v.link.certainty)],
    ]),
    citationList(v.flow.citations),
    actions(navLink(nodeParams(v.flow.id), "Open in the node view")),
  );
}
