// The timeline strip under the Sankey: the dated events and published figures of the same period, each a
// row on one time axis, and an entry's facts and sources in the details panel. Touches #timeline-summary,
// #timeline-strip and #details.

import { navLink, nodeParams } from "/static/shared/address.js";
import { $, element } from "/static/shared/dom.js";
import { ask } from "/static/shared/graphql.js";
import { actions, certaintyBadge, citationList, details, facts } from "./details.js";
import { actionable, measureLabelsIn, shorten, widthIn } from "./drawing.js";

export async function showTimeline(filters, current) {
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
  measureLabelsIn(container, "11px"); // as #timeline-strip svg in explore.css
  if (entries.length) container.append(timelineChart(entries, filters, widthIn(container, 900)));
}

/** One row per entry on a shared time axis: a bar over its period (open ends run to the edge), a mark for a day.
 * Narrower than a tablet, each entry's words go above its bar rather than beside it, so both have the width. */
function timelineChart(entries, filters, width) {
  const day = (text) => (text ? new Date(`${text}T00:00:00Z`) : null);
  const starts = entries.map((e) => day(e.validFrom)).filter(Boolean);
  const ends = entries.map((e) => day(e.validTo)).filter(Boolean);
  const low = day(filters.from) || d3.min(starts.concat(ends));
  const high = day(filters.to) || d3.max(starts.concat(ends));
  const stacked = width < 600;
  const rowHeight = stacked ? 36 : 22;
  const words = stacked ? width - 4 : 250; // the room for an entry's words
  const inset = stacked ? 16 : 10; // room for the axis's first and last year
  const x = d3.scaleUtc().domain([low, high]).nice().range([stacked ? inset : 260, width - inset]);
  const [left, right] = x.range();
  const svg = d3
    .create("svg")
    .attr("viewBox", [0, 0, width, entries.length * rowHeight + 24])
    .attr("width", width)
    .attr("height", entries.length * rowHeight + 24)
    .attr("role", "group")
    .attr("aria-label", "Dated events and published figures in this period");
  svg.append("g").attr("class", "axis").attr("transform", `translate(0,${entries.length * rowHeight + 4})`)
    .call(d3.axisBottom(x).ticks(stacked ? 4 : 8));
  const row = svg
    .selectAll("g.entry")
    .data(entries)
    .join("g")
    .attr("class", (e) => `entry ${e.kind === "figure" ? "figure" : "event"}`)
    .attr("transform", (_, i) => `translate(0,${i * rowHeight})`)
    .call(actionable, (e) => `${e.when}: ${e.text}`, showTimelineEntry);
  row.append("rect").attr("class", "row").attr("width", width).attr("height", rowHeight);
  row.append("text").attr("y", stacked ? 13 : 15).text((e) => shorten(`${e.when}: ${e.text}`, words));
  const from = (e) => Math.max(left, e.validFrom ? x(day(e.validFrom)) : left);
  const to = (e) => Math.min(right, e.validTo ? x(day(e.validTo)) : right);
  row
    .append("rect")
    .attr("class", (e) => `span ${e.certainty.level.toLowerCase()}`)
    .attr("x", from)
    .attr("y", stacked ? 19 : 5)
    .attr("height", 12)
    .attr("width", (e) => Math.max(3, to(e) - from(e)));
  row.append("title").text((e) => `${e.when}: ${e.text}`);
  return svg.node();
}

function showTimelineEntry(e) {
  details(
    element("h3", e.text),
    facts([
      ["when", e.when],
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
