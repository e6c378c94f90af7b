// The field panel: saves each change as it is made, shows conflicts, reverts, checks rules, and gives the
// keyboard a way through: Enter accepts and moves on, F8 jumps to the next low-confidence field. The saving,
// the conflicts and Enter are the shared editing code (editing.js); this adds what fields have of their own.

import { Autosave, autosize } from "./editing.js";
import { failures } from "./rules.js";

export class FieldPanel extends Autosave {
  constructor(root, { overlay, messages, onFocus, onSaved }) {
    super(messages);
    this.root = root;
    this.onFocus = onFocus;
    this.onSaved = onSaved;
    this.fieldUrl = overlay.fieldUrl;
    this.revertUrl = overlay.revertUrl;
    this.rules = new Map();
    for (const page of overlay.pages) for (const field of page.fields) this.rules.set(field.id, field.rule);
    for (const element of root.querySelectorAll(".field[data-field-id]")) this.wireField(element);
  }

  get inputs() {
    return [...this.root.querySelectorAll(".field .value, .field .cell, .field input[type=checkbox]")].filter(
      (input) => !input.disabled,
    );
  }

  itemOf(input) {
    return input.closest(".field");
  }

  wireField(element) {
    for (const input of element.querySelectorAll(".value, .cell, input[type=checkbox]")) {
      this.wire(input, () =>
        this.onFocus(Number(element.dataset.fieldId), input.dataset.subfieldId ? Number(input.dataset.subfieldId) : null),
      );
    }
    element.querySelector(".revert")?.addEventListener("click", () => this.revert(element));
    this.check(element);
  }

  textOf(input) {
    return input.type === "checkbox" ? String(input.checked) : input.value;
  }

  typed(input) {
    super.typed(input);
    const element = this.itemOf(input);
    if (element.dataset.type === "MULTI_BOX") element.querySelector(".joined").textContent = this.joined(element);
    this.check(element);
  }

  joined(element) {
    return [...element.querySelectorAll(".cell")].map((cell) => cell.value).join("");
  }

  valueOf(element) {
    const type = element.dataset.type;
    if (type === "CHECKBOX") return { type, checked: element.querySelector("input[type=checkbox]").checked };
    if (type === "MULTI_BOX") return { type, value: this.joined(element) };
    return { type, value: element.querySelector(".value").value };
  }

  check(element) {
    const found = failures(this.rules.get(Number(element.dataset.fieldId)), this.valueOf(element), this.messages);
    const list = element.querySelector(".rule-failures");
    list.replaceChildren(
      ...found.map((text) => {
        const item = document.createElement("li");
        item.textContent = text;
        return item;
      }),
    );
    element.classList.toggle("failing", found.length > 0);
    this.root.dispatchEvent(new CustomEvent("rules-changed"));
    return found;
  }

  failing() {
    return [...this.root.querySelectorAll(".field.failing")];
  }

  nextLowConfidence() {
    const candidates = this.inputs.filter((input) => {
      const element = this.itemOf(input);
      const low = input.classList.contains("level-low") || (!input.classList.contains("cell") && element.classList.contains("level-low"));
      return low;
    });
    if (!candidates.length) return false;
    const current = candidates.indexOf(document.activeElement);
    const after = this.inputs.indexOf(document.activeElement);
    const next = current >= 0
      ? candidates[(current + 1) % candidates.length]
      : candidates.find((input) => this.inputs.indexOf(input) > after) ?? candidates[0];
    next.focus();
    return true;
  }

  request(element, input) {
    const type = element.dataset.type;
    const body = { version: Number(element.dataset.version) };
    if (type === "CHECKBOX") body.checked = input.checked;
    else if (type === "MULTI_BOX") body.cells = [{ id: Number(input.dataset.subfieldId), value: input.value }];
    else body.value = input.value;
    return { url: this.fieldUrl.replace("{id}", element.dataset.fieldId), body };
  }

  recordOf(data) {
    return data.field;
  }

  // Take the server's field as the truth: values, version, and whether it differs from OCR.
  applied(element, field) {
    element.dataset.version = field.version;
    element.querySelector(".conflict")?.remove();
    const type = element.dataset.type;
    if (type === "CHECKBOX") {
      const box = element.querySelector("input[type=checkbox]");
      box.checked = Boolean(field.checked);
      box.dataset.saved = String(box.checked);
      element.classList.toggle("changed", field.checked !== field.ocr_checked);
    } else if (type === "MULTI_BOX") {
      for (const sub of field.subfields) {
        const cell = element.querySelector(`.cell[data-subfield-id="${sub.id}"]`);
        if (!cell) continue;
        cell.value = sub.value;
        cell.dataset.saved = sub.value;
        cell.classList.toggle("changed", sub.value !== sub.ocr_value);
      }
      element.querySelector(".joined").textContent = field.value;
      element.classList.toggle("changed", field.value !== field.ocr_value);
    } else {
      const text = element.querySelector(".value");
      text.value = field.value;
      text.dataset.saved = field.value;
      autosize(text);
      element.classList.toggle("changed", field.value !== field.ocr_value);
    }
    element.querySelector(".original").hidden = !element.classList.contains("changed");
    this.check(element);
    this.onSaved?.(Number(element.dataset.fieldId), field);
  }

  shown(element, input, field) {
    const type = element.dataset.type;
    if (type === "CHECKBOX") {
      const word = (checked) => (checked ? this.messages.checked : this.messages.unchecked);
      return [word(field.checked), word(input.checked)];
    }
    return [field.value, type === "MULTI_BOX" ? this.joined(element) : input.value];
  }

  revert(element) {
    const input = element.querySelector(".value, .cell, input[type=checkbox]");
    const url = this.revertUrl.replace("{id}", element.dataset.fieldId);
    // The version is read when the revert's turn comes: a save before it in the queue moves it on.
    return this.queued(element, () => {
      const body = { version: Number(element.dataset.version) };
      return this.send(element, url, "POST", body, this.messages.reverted, (field) => this.conflict(element, input, field));
    });
  }
}
