// The draft's geometry as the review page's overlay code draws it: boxes [left, top, width, height] in the
// reference image's pixels become polygons, a multi-box field its cells.

export function poly([left, top, width, height]) {
  return [[left, top], [left + width, top], [left + width, top + height], [left, top + height]];
}

// Keeps a box on the page: moved back inside, and no larger than the page.
export function clampBox([left, top, width, height], page) {
  left = Math.max(0, Math.min(page.width - width, left));
  top = Math.max(0, Math.min(page.height - height, top));
  return [left, top, Math.min(width, page.width), Math.min(height, page.height)];
}

function cellsOf(field) {
  if (field.type !== "MULTI_BOX") return [];
  const [left, top, width, height] = field.box;
  const count = Math.max(1, field.cells || 1);
  return Array.from({ length: count }, (_, index) => ({
    id: index,
    poly: poly([left + (width / count) * index, top, width / count, height]),
  }));
}

// Overlay items for the draft: field n is id n + 1, the title is id -1.
export function draftItems(draft) {
  const list = draft.state.fields.map((field, index) => ({
    id: index + 1,
    type: field.type,
    label: field.name,
    value: "",
    poly: poly(field.box),
    level: draft.selected === index ? "selected" : "none",
    checked: false,
    cells: cellsOf(field),
  }));
  if (draft.state.title) {
    list.unshift({ id: -1, type: "TITLE", label: "title", poly: poly(draft.state.title.box), cells: [] });
  }
  return list;
}

function vertices(boundingPoly) {
  return boundingPoly.vertices.map((vertex) => [vertex.x, vertex.y]);
}

// Overlay items for the fields the engine read when trying the draft (CLOVA's response fields).
export function triedItems(fields) {
  return fields.map((field, index) => ({
    id: index + 1, type: field.type, label: field.name, value: field.inferText, checked: field.checked,
    poly: vertices(field.boundingPoly), level: "none",
    cells: (field.type === "MULTI_BOX" ? field.subFields ?? [] : []).map((sub, cell) => ({
      id: cell, poly: vertices(sub.boundingPoly),
    })),
  }));
}
