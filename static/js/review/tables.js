// Table cells of Text OCR documents: each textarea saves on change (Enter accepts and moves on, Shift+Enter
// starts a new line), with versions and the same audit trail as fields.

import { send } from "./fields.js";

export class TableCells {
  constructor(root, { url, messages, onFocus }) {
    this.url = url;
    this.messages = messages;
    this.onFocus = onFocus;
    this.inputs = [...root.querySelectorAll("td.table-cell textarea:not([disabled])")];
    for (const input of this.inputs) {
      input.dataset.saved = input.value;
      this.autosize(input);
      input.addEventListener("input", () => this.autosize(input));
      input.addEventListener("focus", () => this.onFocus(Number(input.closest("td").dataset.cellId)));
      input.addEventListener("change", () => this.save(input));
      input.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && !event.shiftKey && !event.ctrlKey && !event.metaKey) {
          event.preventDefault();
          this.save(input);
          this.inputs[this.inputs.indexOf(input) + 1]?.focus();
        }
      });
    }
  }

  autosize(input) {
    input.rows = Math.max(1, input.value.split("\n").length);
  }

  // Saves of one cell go one after the other: Enter and the blur that follows never race each other.
  save(input, options = {}) {
    this.queue = (this.queue ?? Promise.resolve()).then(() => this.saveNow(input, options)).catch(() => {});
    return this.queue;
  }

  async saveNow(input, { force = false } = {}) {
    const cell = input.closest("td");
    if (!force && input.value === input.dataset.saved) return;
    const state = cell.querySelector(".save-state");
    state.textContent = this.messages.saving;
    let result;
    try {
      result = await send(this.url.replace("{id}", cell.dataset.cellId), "PATCH", {
        text: input.value,
        version: Number(cell.dataset.version),
      });
    } catch {
      state.dataset.state = "error";
      state.textContent = this.messages.offline;
      return;
    }
    if (result.status === 200) {
      cell.dataset.version = result.data.version;
      input.dataset.saved = result.data.text;
      cell.classList.toggle("changed", result.data.text !== result.data.ocr_text);
      state.dataset.state = "saved";
      state.textContent = this.messages.saved;
    } else if (result.data.code === "version_conflict") {
      // Both values are in the history already; offer the saved one, or to save this one over it.
      state.dataset.state = "error";
      state.textContent = `${this.messages.conflict} ${this.messages.theirValue}: ${result.data.cell.text}`;
      const keep = document.createElement("button");
      keep.type = "button";
      keep.className = "link";
      keep.textContent = this.messages.keepMine;
      keep.addEventListener("click", () => {
        cell.dataset.version = result.data.cell.version;
        keep.remove();
        this.saveNow(input, { force: true });
      });
      state.append(" ", keep);
    } else {
      state.dataset.state = "error";
      state.textContent = result.data.message || this.messages.failed;
    }
  }
}
