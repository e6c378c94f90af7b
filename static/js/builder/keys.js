// The toolbar and its keyboard: tools (V, F, T), undo and redo, deleting and nudging the selected box.

import { clampBox } from "./shapes.js";

const NUDGE = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
const TOOL_KEYS = { v: "select", f: "field", t: "title" };

function removeSelected(builder) {
  if (builder.draft.selected === null) return;
  builder.remember();
  builder.draft.removeSelected();
  builder.render();
}

function nudge(builder, [dx, dy]) {
  const { draft } = builder;
  builder.remember();
  const box = draft.boxOf(draft.selected);
  draft.setBox(draft.selected, clampBox([box[0] + dx, box[1] + dy, box[2], box[3]], builder.reference));
  builder.render();
}

export function wireKeys(builder) {
  for (const button of document.querySelectorAll("[data-tool]")) {
    button.addEventListener("click", () => builder.setTool(button.dataset.tool));
  }
  document.querySelector("[data-action=undo]").addEventListener("click", () => builder.undo());
  document.querySelector("[data-action=redo]").addEventListener("click", () => builder.redo());
  document.querySelector("[data-action=delete]").addEventListener("click", () => removeSelected(builder));

  // Undo and redo stay the inputs' own while typing in them; the other keys do nothing there.
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest("input, textarea, select");
    const command = event.ctrlKey || event.metaKey;
    if (command && event.key.toLowerCase() === "z") {
      if (typing) return;
      event.preventDefault();
      event.shiftKey ? builder.redo() : builder.undo();
    } else if (command && event.key.toLowerCase() === "y") {
      if (typing) return;
      event.preventDefault();
      builder.redo();
    } else if (typing) {
      return;
    } else if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      removeSelected(builder);
    } else if (event.key.startsWith("Arrow") && builder.draft.selected !== null) {
      event.preventDefault();
      const step = event.shiftKey ? 10 : 1;
      const [dx, dy] = NUDGE[event.key];
      nudge(builder, [dx * step, dy * step]);
    } else if (Object.hasOwn(TOOL_KEYS, event.key)) {
      builder.setTool(TOOL_KEYS[event.key]);
    }
  });
}
