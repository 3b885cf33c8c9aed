// The academic years: how they are written (2012/13), the picker of the years a child was at the school, and
// the years a question about the record asks. Touches #years-form, #years-school, #from-year and #to-year.

import { $ } from "/static/shared/dom.js";
import { ACADEMIC_YEARS } from "/static/shared/vocabulary.js";

let focusNext = false; // a school was just picked: the years are what to do next

/** The academic year that starts in ``year``, as schools write it: 2012 -> "2012/13". */
export function academic(year) {
  return `${year}/${String((year + 1) % 100).padStart(2, "0")}`;
}

/** The academic years ``from`` to ``to``, one year as itself: 2016, 2016 -> "2016/17", where a data set of that
 * year alone had read "2016/17 to 2016/17". */
export function academicYears(from, to) {
  return from === to ? academic(from) : `${academic(from)} to ${academic(to)}`;
}

/** The school and years of a search as record-reach and letter take them; ?from and ?to in either order. */
export function reachVariables(search) {
  return { urn: search.urn, fromYear: Math.min(search.from, search.to), toYear: Math.max(search.from, search.to) };
}

/** The academic year today is in, as the API reckons it (by the year it starts, in the month the model says): the
 * latest the API answers for, which the picker had left out from September to December. */
function currentAcademicYear() {
  const today = new Date();
  return today.getMonth() + 1 >= ACADEMIC_YEARS.startMonth ? today.getFullYear() : today.getFullYear() - 1;
}

/** The picker takes the focus when it is shown next. */
export function pickYearsNext() {
  focusNext = true;
}

/** Shows the picker for the school picked (?urn), at the years asked, or else at last year: every year the API
 * answers for, from the NPD's first (1995/96, which the picker had left out). */
export function showYears(search, schoolName) {
  const focus = focusNext;
  focusNext = false;
  $("#years-form").hidden = !search.urn;
  if (!search.urn) return;
  $("#years-school").textContent = schoolName ? `${schoolName} (URN ${search.urn})` : `URN ${search.urn}`;
  const latest = currentAcademicYear();
  for (const [select, chosen] of [[$("#from-year"), search.from], [$("#to-year"), search.to]]) {
    if (!select.options.length) {
      for (let year = ACADEMIC_YEARS.first; year <= latest; year++) {
        select.append(new Option(academic(year), String(year)));
      }
    }
    select.value = String(chosen ?? new Date().getFullYear() - 1); // last calendar year's, as it was
  }
  if (focus) $("#from-year").focus();
}
