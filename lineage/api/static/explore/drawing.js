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

const measure = document.createElement("canvas").getContext("2d");

/** Labels are measured from now on at ``size`` in ``container``'s font family, as the SVG there draws them. */
export function measureLabelsIn(container, size) {
  measure.font = `${size} ${getComputedStyle(container).fontFamily}`;
}

/** A label cut to fit ``room`` pixels, ending in "…"; the node's title keeps the whole label. Measured on a
 * canvas in the font of measureLabelsIn, so fitting never makes the browser lay out the SVG again. */
export function shorten(label, room) {
  if (measure.measureText(label).width <= room) return label;
  let [fits, fails] = [0, label.length];
  while (fails - fits > 1) {
    const middle = Math.floor((fits + fails) / 2);
    if (measure.measureText(`${label.slice(0, middle)}…`).width <= room) fits = middle;
    else fails = middle;
  }
  return `${label.slice(0, fits)}…`;
}
