// The field panel: saves each change as it is made, shows conflicts, reverts, checks rules, and gives the
// keyboard a way through: Enter accepts and moves on (and confirms a low-confidence value left as it was), F8
// jumps to the next low-confidence field or cell. The saving, the conflicts and Enter are the shared editing code
// (editing.js), the boxes of a multi-box are cells.js; this adds what fields have of their own.

import { wireCells } from "./cells.js";
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
    this.confirmUrl = overlay.confirmUrl;
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
    element.querySelector("button.confirm")?.addEventListener("click", () => this.confirm(element));
    if (element.dataset.type === "MULTI_BOX") wireCells(this, element);
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

  // The inputs F8 stops at: each low cell of a multi-box, and the (first) input of any other low field; the ones
  // nobody has confirmed or corrected yet first, then, when all are, every one of them.
  lowInputs() {
    const low = this.inputs.filter((input) => {
      const element = this.itemOf(input);
      if (!element.classList.contains("low")) return false;
      if (!input.classList.contains("cell")) return true;
      const cells = [...element.querySelectorAll(".cell")];
      return input.classList.contains("level-low") || (!cells.some((cell) => cell.classList.contains("level-low")) && input === cells[0]);
    });
    const open = low.filter((input) => !this.settled(this.itemOf(input), input));
    return open.length ? open : low;
  }

  nextLowConfidence() {
    const candidates = this.lowInputs();
    if (!candidates.length) return false;
    const current = candidates.indexOf(document.activeElement);
    const after = this.inputs.indexOf(document.activeElement);
    const next = current >= 0
      ? candidates[(current + 1) % candidates.length]
      : candidates.find((input) => this.inputs.indexOf(input) > after) ?? candidates[0];
    next.focus();
    if (next.select && next.type !== "checkbox") next.select();
    return true;
  }

  // A low value somebody looked at: confirmed as it stands, or corrected (a multi-box: this low cell, or with
  // `cell` left out, every low cell).
  settled(element, cell = null) {
    if (element.classList.contains("confirmed")) return true;
    if (element.dataset.type !== "MULTI_BOX") return element.classList.contains("changed");
    const low = [...element.querySelectorAll(".cell.level-low")];
    if (!low.length) return element.classList.contains("changed");
    return (cell && low.includes(cell) ? [cell] : low).every((one) => one.classList.contains("changed"));
  }

  // The low fields of pages whose template wants each confirmed or corrected before approval, still open.
  unconfirmed() {
    return [...this.root.querySelectorAll(".field.low[data-requires-confirmation]")].filter(
      (element) => !this.settled(element),
    );
  }

  // Enter on a low value left exactly as it was read confirms it; anywhere else it saves what is there. In a
  // multi-box it goes on to the next field: the boxes move on by themselves as they are typed.
  accept(input) {
    const element = this.itemOf(input);
    const untouched = [...element.querySelectorAll(".value, .cell, input[type=checkbox]")].every(
      (one) => this.textOf(one) === one.dataset.saved,
    );
    if (untouched && element.classList.contains("low") && !this.settled(element)) this.confirm(element);
    else this.save(input);
    if (input.classList.contains("cell")) {
      const cells = [...element.querySelectorAll(".cell")];
      this.move(cells.at(-1), 1);
    } else {
      this.move(input, 1);
    }
  }

  confirm(element) {
    const input = element.querySelector(".value, .cell, input[type=checkbox]");
    const url = this.confirmUrl.replace("{id}", element.dataset.fieldId);
    return this.queued(element, () => {
      const body = { version: Number(element.dataset.version) };
      return this.send(element, url, "POST", body, this.messages.confirmed, (field) => this.conflict(element, input, field));
    });
  }

  request(element, input) {
    const type = element.dataset.type;
    const body = { version: Number(element.dataset.version) };
    if (type === "CHECKBOX") body.checked = input.checked;
    else if (type === "MULTI_BOX") {
      // Every box typed and not saved yet goes in one request (a paste fills several at once). What each box
      // held when it was sent tells, when the answer comes, whether it was typed over meanwhile.
      const all = [...element.querySelectorAll(".cell")];
      for (const cell of all) cell.dataset.sent = cell.value;
      const changed = all.filter((cell) => cell === input || cell.value !== cell.dataset.saved);
      body.cells = changed.map((cell) => ({ id: Number(cell.dataset.subfieldId), value: cell.value }));
    }
    else body.value = input.value;
    return { url: this.fieldUrl.replace("{id}", element.dataset.fieldId), body };
  }

  recordOf(data) {
    return data.field;
  }

  // Take the server's field as the truth: values, version, and whether it differs from OCR.
  applied(element, field, { theirs = false } = {}) {
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
        // A box typed after this save was sent keeps its character: its own save is queued behind this one.
        const sent = cell.dataset.sent;
        delete cell.dataset.sent;
        if (theirs || sent === undefined || cell.value === sent) cell.value = sub.value;
        cell.dataset.saved = sub.value;
        cell.classList.toggle("changed", sub.value !== sub.ocr_value);
      }
      element.querySelector(".joined").textContent = this.joined(element);
      element.classList.toggle("changed", field.value !== field.ocr_value);
    } else {
      const text = element.querySelector(".value");
      text.value = field.value;
      text.dataset.saved = field.value;
      autosize(text);
      element.classList.toggle("changed", field.value !== field.ocr_value);
    }
    element.querySelector(".original").hidden = !element.classList.contains("changed");
    // What OCR was unsure of speaks of OCR's reading; once the value is someone else's, it no longer applies.
    const uncertain = element.querySelector(".uncertain");
    if (uncertain) uncertain.hidden = element.classList.contains("changed");
    element.classList.toggle("confirmed", Boolean(field.confirmed));
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
    element.querySelector(".entry-note")?.remove(); // a paste's leftovers are no longer in question
    const input = element.querySelector(".value, .cell, input[type=checkbox]");
    const url = this.revertUrl.replace("{id}", element.dataset.fieldId);
    // The version is read when the revert's turn comes: a save before it in the queue moves it on.
    return this.queued(element, () => {
      const body = { version: Number(element.dataset.version) };
      return this.send(element, url, "POST", body, this.messages.reverted, (field) => this.conflict(element, input, field));
    });
  }
}
