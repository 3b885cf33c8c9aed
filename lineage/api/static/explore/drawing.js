// What the d3 drawings (Sankey, volumes, timeline) share: parts that act on a click or the keyboard, and
// labels cut to fit. Touches only the selections and labels it is given.

/** Makes the parts of a drawing act on a click, and on Enter or Space for those who use the keyboard. */
export function actionable(selection, describe, act) {
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

/** True below a tablet's width, as explore.css's narrow layout says (47.99rem at the default 16px). */
export const NARROW = window.matchMedia("(max-width: 47.99rem)");

/** The width to draw at in ``container``: ``widest``, or less where the screen is narrower (a phone's). */
export function widthIn(container, widest) {
  return Math.min(widest, container.clientWidth || widest);
}

const measure = document.createElement("canvas").getContext("2d");

/** Labels are measured from now on at ``size`` in ``container``'s font family, as the SVG there draws them. */
export function measureLabelsIn(container, size) {
  measure.font = `${size} ${getComputedStyle(container).fontFamily}`;
}

/** A label cut to fit ``room`` pixels, ending in "…"; the node's title keeps the whole label. Cut after a whole
 * word where one fits, so what shows is the start of the name a screen reader hears (its words, not part of
 * one). Measured on a canvas in the font of measureLabelsIn, so fitting never makes the browser lay out the SVG
 * again. */
export function shorten(label, room) {
  if (measure.measureText(label).width <= room) return label;
  let [fits, fails] = [0, label.length];
  while (fails - fits > 1) {
    const middle = Math.floor((fits + fails) / 2);
    if (measure.measureText(`${label.slice(0, middle)}…`).width <= room) fits = middle;
    else fails = middle;
  }
  const start = label.slice(0, fits + 1);
  // up to the last whole word that fits; or, in one long name (KS4_CANDNO_…), its last whole part
  let words = start.replace(/\S*$/, "").trimEnd() || start.replace(/[\p{L}\p{N}]*$/u, "");
  const opened = words.lastIndexOf("(");
  if (opened > words.lastIndexOf(")")) words = words.slice(0, opened).trimEnd(); // no aside cut half-way
  return `${words || label.slice(0, fits)}…`;
}
