// The search is the address: ?q (what was typed to find the school), ?urn (the school picked), ?from and ?to
// (the academic years, by the year each starts), so any search can be shared; and the schools a search finds,
// each a link that picks it. Touches #schools-summary and #school-results.

import { addressParams, navLink } from "/static/shared/address.js";
import { $, element, plural } from "/static/shared/dom.js";
import { ask } from "/static/shared/graphql.js";
import { cite } from "./sources.js";
import { pickYearsNext } from "./years.js";

/** The search in the address; what is not a number where one is wanted is left out (null), and so is a URN too
 * long to be one (no URN has more than 9 digits; a longer one was rounded, and GraphQL's refusal of one past its
 * Int shown raw). */
export function readSearch() {
  const params = addressParams();
  const year = (name) => (/^\d{4}$/.test(params.get(name) || "") ? Number(params.get(name)) : null);
  const urn = /^\d{1,9}$/.test(params.get("urn") || "") ? Number(params.get("urn")) : null;
  return { q: params.get("q") || "", urn, from: year("from"), to: year("to") };
}

/** The address of a search: only what it has. */
export function searchParams(search) {
  return new URLSearchParams(Object.entries(search).filter(([, v]) => v !== null && v !== ""));
}

/** Lists the schools found for ?q; returns the name of the one picked (?urn) if it is among them. */
export async function showSchools(search, current) {
  const answer = (await ask("school-search", { text: search.q, first: 20 })).schoolSearch;
  if (!current()) return null;
  const list = $("#school-results");
  list.replaceChildren();
  const found = answer.nodes;
  $("#schools-summary").textContent = found.length
    ? `${plural(answer.totalCount, "school")} found for “${search.q}”` +
      (answer.truncated ? `; the first ${found.length} are shown: type more of the name to narrow them.` : ".")
    : `No school found for “${search.q}”. Try its URN, part of its name, its town or its postcode district.`;
  let picked = null;
  for (const match of found) {
    const school = match.school;
    const params = searchParams({ q: search.q, urn: school.key, from: search.from, to: search.to });
    const a = navLink(params, `${school.name} (URN ${school.key})`, pickYearsNext);
    if (String(search.urn) === school.key) {
      a.setAttribute("aria-current", "true");
      picked = school.name;
    }
    const item = element("li");
    item.append(a, element("span", ` ${foundWords(match)}`, "hint"));
    if (match.links.length) item.append(cite(match.links.flatMap((r) => r.link.citations)));
    list.append(item);
  }
  return picked;
}

/** Where the school is, whether it is open, and why the search found it. */
function foundWords(match) {
  const school = match.school;
  const where = [school.town, school.postcode].filter(Boolean).join(", ");
  const status = school.status ? `${school.status.toLowerCase()}; ` : "";
  const how =
    match.foundBy === "successor"
      ? `it became ${match.through.name} (URN ${match.through.key}), found by the search`
      : `found by its ${match.foundBy}`;
  return `— ${where ? `${where}; ` : ""}${status}${how}`;
}
