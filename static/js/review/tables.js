// Table cells of Text OCR documents: each textarea saves on change (Enter accepts and moves on, Shift+Enter
// starts a new line), with versions and the same audit trail as fields. The editing, saving and conflict
// handling are the field panel's own (editing.js); a cell only says how it is saved and shown.

import { Autosave, autosize } from "./editing.js";

export class TableCells extends Autosave {
  constructor(root, { url, messages, onFocus }) {
    super(messages);
    this.url = url;
    this.textareas = [...root.querySelectorAll("td.table-cell textarea:not([disabled])")];
    for (const input of this.textareas) this.wire(input, () => onFocus(Number(this.itemOf(input).dataset.cellId)));
  }

  get inputs() {
    return this.textareas;
  }

  itemOf(input) {
    return input.closest("td");
  }

  textOf(input) {
    return input.value;
  }

  request(cell, input) {
    return { url: this.url.replace("{id}", cell.dataset.cellId), body: { text: input.value, version: Number(cell.dataset.version) } };
  }

  recordOf(data) {
    return data.cell;
  }

  applied(cell, record) {
    cell.dataset.version = record.version;
    cell.querySelector(".conflict")?.remove();
    const input = cell.querySelector("textarea");
    input.value = record.text;
    input.dataset.saved = record.text;
    autosize(input);
    cell.classList.toggle("changed", record.text !== record.ocr_text);
  }

  shown(cell, input, record) {
    return [record.text, input.value];
  }
}
