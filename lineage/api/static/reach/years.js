// The academic years: how they are written (2012/13), the picker of the years a child was at the school, and
// the years a question about the record asks. Touches #years-form, #years-school, #from-year and #to-year.

import { $ } from "/static/shared/dom.js";

const FIRST_YEAR = 1996; // the NPD's pupil records begin then (the campaign's timeline)
let focusNext = false; // a school was just picked: the years are what to do next

/** The academic year that starts in ``year``, as schools write it: 2012 -> "2012/13". */
export function academic(year) {
  return `${year}/${String((year + 1) % 100).padStart(2, "0")}`;
}

/** The school and years of a search as record-reach and letter take them; ?from and ?to in either order. */
export function reachVariables(search) {
  return { urn: search.urn, fromYear: Math.min(search.from, search.to), toYear: Math.max(search.from, search.to) };
}

/** The picker takes the focus when it is shown next. */
export function pickYearsNext() {
  focusNext = true;
}

/** Shows the picker for the school picked (?urn), at the years asked, or else at last year. */
export function showYears(search, schoolName) {
  const focus = focusNext;
  focusNext = false;
  $("#years-form").hidden = !search.urn;
  if (!search.urn) return;
  $("#years-school").textContent = schoolName ? `${schoolName} (URN ${search.urn})` : `URN ${search.urn}`;
  const last = new Date().getFullYear() - 1;
  for (const [select, chosen] of [[$("#from-year"), search.from], [$("#to-year"), search.to]]) {
    if (!select.options.length) {
      for (let year = FIRST_YEAR; year <= last; year++) select.append(new Option(academic(year), String(year)));
    }
    select.value = String(chosen ?? last);
  }
  if (focus) $("#from-year").focus();
}
