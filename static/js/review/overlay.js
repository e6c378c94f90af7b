// Draws OCR boxes over a page image as SVG. Shared by the review page and the template builder.
// Every text goes in through textContent; nothing here ever parses markup.

const SVG = "http://www.w3.org/2000/svg";

export function points(poly) {
  return poly.map(([x, y]) => `${x},${y}`).join(" ");
}

export function bounds(poly) {
  const xs = poly.map((point) => point[0]);
  const ys = poly.map((point) => point[1]);
  return { left: Math.min(...xs), top: Math.min(...ys), right: Math.max(...xs), bottom: Math.max(...ys) };
}

function element(name, attributes = {}) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

function polygon(poly, className) {
  return element("polygon", { points: points(poly), class: className });
}

function checkMark(poly) {
  const box = bounds(poly);
  const width = box.right - box.left;
  const height = box.bottom - box.top;
  const at = (fx, fy) => `${box.left + width * fx},${box.top + height * fy}`;
  return element("polyline", { points: [at(0.2, 0.55), at(0.42, 0.78), at(0.82, 0.22)].join(" "), class: "mark" });
}

export function setChecked(group, checked) {
  group.classList.toggle("checked", Boolean(checked));
  group.querySelector(".mark")?.remove();
  if (checked) group.append(checkMark(JSON.parse(group.dataset.poly)));
}

function titleOf(item) {
  const title = element("title");
  title.textContent = item.label ? `${item.label}: ${item.value ?? ""}` : item.text ?? "";
  return title;
}

// items: [{id, type: NORMAL|MULTI_BOX|CHECKBOX|TITLE|WORD, poly, level, low, confirmed, label, value, checked,
//          cells: [{id, poly, level}]}]
export function draw(svg, width, height, items) {
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.replaceChildren();
  for (const item of items) {
    if (!item.poly || item.poly.length < 3) continue;
    // A multi-box with a low cell is as low as its lowest cell; a confirmed one is marked as looked at.
    const level = item.low ? "low" : item.level ?? "none";
    const group = element("g", {
      class: `box type-${item.type.toLowerCase()} level-${level}${item.confirmed ? " confirmed" : ""}`,
      [item.type === "TABLE_CELL" ? "data-cell-id" : "data-field-id"]: item.id,
      "data-poly": JSON.stringify(item.poly),
    });
    group.append(titleOf(item), polygon(item.poly, "outline"));
    for (const cell of item.cells ?? []) {
      const shape = polygon(cell.poly, `cell level-${cell.level ?? "none"}`);
      shape.dataset.subfieldId = cell.id;
      group.append(shape);
    }
    if (item.type === "CHECKBOX") setChecked(group, item.checked);
    svg.append(group);
  }
}

export function boxFor(svg, fieldId) {
  return svg.querySelector(`g[data-field-id="${Number(fieldId)}"]`);
}

export function highlight(svg, fieldId, subfieldId = null) {
  for (const node of svg.querySelectorAll(".active")) node.classList.remove("active");
  const group = boxFor(svg, fieldId);
  if (!group) return null;
  group.classList.add("active");
  if (subfieldId !== null) {
    group.querySelector(`[data-subfield-id="${Number(subfieldId)}"]`)?.classList.add("active");
  }
  return group;
}
