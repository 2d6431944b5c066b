// Data tables with a caption and column headers, so a screen reader announces each cell with its column.
import { el } from "../../app/src/ui.js";

/** @param {string[]} columns @param {Array<Array<string|Node>>} rows */
export function table(caption, columns, rows, attributes = {}) {
  return el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption },
    el("table", attributes,
      el("caption", {}, caption),
      el("thead", {}, el("tr", {}, ...columns.map((c) => el("th", { scope: "col" }, c)))),
      el("tbody", {}, ...rows.map((cells) => el("tr", {}, ...cells.map((c) => el("td", {}, c)))))));
}
