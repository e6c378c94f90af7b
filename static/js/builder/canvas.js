// The reference page as a drawing surface: the draft's boxes, with a resize handle on the selected one, and
// the pointer gestures that draw a box, move it, or resize it by its corner.

import { draw } from "../review/overlay.js";
import { clampBox, draftItems, poly } from "./shapes.js";

const SVG = "http://www.w3.org/2000/svg";

export function drawDraft({ draft, viewer, reference }) {
  draw(viewer.svg, reference.width, reference.height, draftItems(draft));
  const box = draft.selected !== null ? draft.boxOf(draft.selected) : null;
  if (!box) return;
  const group = viewer.svg.querySelector(`g[data-field-id="${draft.selected === "title" ? -1 : draft.selected + 1}"]`);
  group?.classList.add("active");
  const size = Math.max(8, 10 / viewer.zoom);
  const handle = document.createElementNS(SVG, "rect");
  for (const [key, value] of Object.entries({
    x: box[0] + box[2] - size / 2, y: box[1] + box[3] - size / 2, width: size, height: size, class: "handle",
  })) handle.setAttribute(key, String(value));
  viewer.svg.append(handle);
}

// Where the pointer is, in the reference image's pixels.
function toImage(svg, event) {
  const point = svg.createSVGPoint();
  point.x = event.clientX;
  point.y = event.clientY;
  const at = point.matrixTransform(svg.getScreenCTM().inverse());
  return [Math.round(at.x), Math.round(at.y)];
}

export function wireCanvas(builder) {
  const { draft, viewer } = builder;
  const svg = viewer.svg;
  let gesture = null; // the drag under way: what it does, where it started, the box then and the draft before

  svg.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 || !builder.reference || viewer.index !== 0) return;
    const [x, y] = toImage(svg, event);
    if (builder.tool === "field" || builder.tool === "title") {
      gesture = { kind: "draw", start: [x, y], box: [x, y, 0, 0], before: draft.snapshot() };
    } else if (event.target.classList.contains("handle")) {
      gesture = { kind: "resize", start: [x, y], box: [...draft.boxOf(draft.selected)], before: draft.snapshot() };
    } else {
      const group = event.target.closest("g.box");
      if (!group) {
        builder.select(null);
        return;
      }
      const id = Number(group.dataset.fieldId);
      builder.select(id === -1 ? "title" : id - 1);
      gesture = { kind: "move", start: [x, y], box: [...draft.boxOf(draft.selected)], before: draft.snapshot() };
    }
    svg.setPointerCapture(event.pointerId);
    event.preventDefault();
  });

  svg.addEventListener("pointermove", (event) => {
    if (!gesture) return;
    const { reference } = builder;
    const [x, y] = toImage(svg, event);
    const [dx, dy] = [x - gesture.start[0], y - gesture.start[1]];
    if (gesture.kind === "draw") {
      gesture.box = [Math.min(x, gesture.start[0]), Math.min(y, gesture.start[1]), Math.abs(dx), Math.abs(dy)];
      draw(svg, reference.width, reference.height, [
        ...draftItems(draft), { id: 0, type: builder.tool === "title" ? "TITLE" : "NORMAL", poly: poly(gesture.box), cells: [] },
      ]);
      return;
    }
    const [left, top, width, height] = gesture.box;
    const box = gesture.kind === "move"
      ? clampBox([left + dx, top + dy, width, height], reference)
      : clampBox([left, top, Math.max(6, width + dx), Math.max(6, height + dy)], reference);
    draft.setBox(draft.selected, box);
    builder.render();
  });

  svg.addEventListener("pointerup", () => {
    if (!gesture) return;
    const done = gesture;
    gesture = null;
    if (done.kind === "draw") {
      const box = clampBox(done.box, builder.reference);
      if (box[2] < 6 || box[3] < 6) return builder.render();
      draft.record(done.before);
      if (builder.tool === "title") draft.addTitle(box);
      else draft.addField(box);
      builder.setTool("select");
      builder.dirty();
      builder.render();
      if (typeof draft.selected === "number") document.querySelector("[data-prop=name]").focus();
    } else if (done.before !== draft.snapshot()) {
      draft.record(done.before);
      builder.dirty();
    }
  });
}
