// What the builder's pieces share, handed to each of them: the draft, the viewer, the reference image, the
// tool in hand, and what any piece may ask for: draw it all again, mark it unsaved, select, undo, redo.

import { Viewer } from "../review/viewer.js";
import { drawDraft } from "./canvas.js";
import { Draft } from "./draft.js";
import { renderList, renderProperties } from "./panel.js";

export class Builder {
  constructor({ root, data, messages, status }) {
    this.root = root;
    this.data = data;
    this.messages = messages;
    this.status = status;
    this.draft = new Draft();
    this.reference = null; // {image: url or data URL, width, height, file when chosen here}
    this.tool = "select";
    this.viewer = new Viewer(root, [], {
      onPage: () => this.render(),
      canPan: (event) => this.tool === "select" && !event.target.closest("g.box, .handle"),
    });
  }

  render() {
    if (this.viewer.index === 1) return; // showing a try result
    if (!this.reference) return;
    drawDraft(this);
    renderList(this);
    renderProperties(this);
  }

  dirty() {
    this.status.textContent = this.messages.unsaved;
  }

  remember() {
    this.draft.record();
    this.dirty();
  }

  select(target) {
    this.draft.selected = target;
    this.render();
  }

  undo() {
    this.restore(this.draft.undo, this.draft.redo);
  }

  redo() {
    this.restore(this.draft.redo, this.draft.undo);
  }

  restore(from, to) {
    if (!this.draft.restore(from, to)) return;
    this.render();
    this.dirty();
  }

  setTool(name) {
    this.tool = name;
    for (const button of document.querySelectorAll("[data-tool]")) {
      button.setAttribute("aria-pressed", String(button.dataset.tool === name));
    }
    this.root.classList.toggle("drawing", name !== "select");
  }

  // Page 0 is the reference image; page 1, when there is one, the page the draft was last tried on.
  showReference() {
    const { image, width, height } = this.reference;
    this.viewer.pages = [{ index: 0, width, height, image }, ...this.viewer.pages.filter((page) => page.index === 1)];
    this.viewer.show(0, { force: true });
    document.querySelector("[data-action=back]").hidden = true;
  }
}
