// The field panel: saves each change as it is made, shows conflicts, reverts, checks rules, and gives the
// keyboard a way through: Enter accepts and moves on, F8 jumps to the next low-confidence field.

import { failures } from "./rules.js";

function csrfToken() {
  return document.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? "";
}

export async function send(url, method, body) {
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify(body),
  });
  let data = {};
  try {
    data = await response.json();
  } catch {
    data = {};
  }
  return { status: response.status, data };
}

export class FieldPanel {
  constructor(root, { overlay, messages, onFocus, onSaved }) {
    this.root = root;
    this.messages = messages;
    this.onFocus = onFocus;
    this.onSaved = onSaved;
    this.fieldUrl = overlay.fieldUrl;
    this.revertUrl = overlay.revertUrl;
    this.rules = new Map();
    for (const page of overlay.pages) for (const field of page.fields) this.rules.set(field.id, field.rule);
    this.queues = new Map();
    for (const element of root.querySelectorAll(".field[data-field-id]")) this.wire(element);
  }

  get inputs() {
    return [...this.root.querySelectorAll(".field .value, .field .cell, .field input[type=checkbox]")].filter(
      (input) => !input.disabled,
    );
  }

  fieldOf(input) {
    return input.closest(".field");
  }

  wire(element) {
    const type = element.dataset.type;
    for (const input of element.querySelectorAll(".value, .cell, input[type=checkbox]")) {
      input.dataset.saved = type === "CHECKBOX" ? String(input.checked) : input.value;
      input.addEventListener("focus", () =>
        this.onFocus(Number(element.dataset.fieldId), input.dataset.subfieldId ? Number(input.dataset.subfieldId) : null),
      );
      input.addEventListener("keydown", (event) => this.keydown(event, input));
      if (type === "CHECKBOX") {
        input.addEventListener("change", () => this.save(element, input));
      } else {
        input.addEventListener("input", () => this.typed(element, input));
        input.addEventListener("change", () => this.save(element, input));
      }
      if (input.tagName === "TEXTAREA") this.autosize(input);
    }
    element.querySelector(".revert")?.addEventListener("click", () => this.revert(element));
    this.check(element);
  }

  autosize(textarea) {
    textarea.rows = Math.max(1, textarea.value.split("\n").length);
  }

  typed(element, input) {
    if (input.tagName === "TEXTAREA") this.autosize(input);
    if (element.dataset.type === "MULTI_BOX") {
      element.querySelector(".joined").textContent = [...element.querySelectorAll(".cell")].map((cell) => cell.value).join("");
    }
    this.check(element);
  }

  valueOf(element) {
    const type = element.dataset.type;
    if (type === "CHECKBOX") return { type, checked: element.querySelector("input[type=checkbox]").checked };
    if (type === "MULTI_BOX") return { type, value: [...element.querySelectorAll(".cell")].map((cell) => cell.value).join("") };
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

  keydown(event, input) {
    if (event.key === "Enter" && !event.shiftKey && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      this.save(this.fieldOf(input), input);
      this.move(input, 1);
    }
  }

  move(input, step) {
    const inputs = this.inputs;
    const next = inputs[inputs.indexOf(input) + step];
    next?.focus();
    if (next && next.select && next.type !== "checkbox") next.select();
  }

  nextLowConfidence() {
    const candidates = this.inputs.filter((input) => {
      const element = this.fieldOf(input);
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

  // Saves for one field go one after the other, so Enter followed by blur never races itself.
  save(element, input) {
    const id = element.dataset.fieldId;
    const queue = (this.queues.get(id) ?? Promise.resolve()).then(() => this.saveNow(element, input));
    this.queues.set(id, queue.catch(() => {}));
    return queue;
  }

  async flush() {
    const active = document.activeElement;
    if (active && this.root.contains(active) && this.fieldOf(active)) await this.save(this.fieldOf(active), active);
    await Promise.all(this.queues.values());
  }

  async saveNow(element, input, { force = false } = {}) {
    const type = element.dataset.type;
    const current = type === "CHECKBOX" ? String(input.checked) : input.value;
    if (!force && current === input.dataset.saved) return;
    // A refused value waits for the reviewer's decision in the conflict box; leaving the input must not resend it.
    if (!force && element.querySelector(".conflict") && current === input.dataset.refused) return;
    const body = { version: Number(element.dataset.version) };
    if (type === "CHECKBOX") body.checked = input.checked;
    else if (type === "MULTI_BOX") body.cells = [{ id: Number(input.dataset.subfieldId), value: input.value }];
    else body.value = input.value;
    this.state(element, "saving", this.messages.saving);
    let result;
    try {
      result = await send(this.fieldUrl.replace("{id}", element.dataset.fieldId), "PATCH", body);
    } catch {
      this.state(element, "error", this.messages.offline);
      return;
    }
    if (result.status === 200) {
      this.applied(element, result.data);
      this.state(element, "saved", this.messages.saved);
    } else if (result.data.code === "version_conflict") {
      input.dataset.refused = current;
      this.conflict(element, input, result.data.field);
    } else {
      this.state(element, "error", result.data.message || this.messages.failed);
    }
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
      this.autosize(text);
      element.classList.toggle("changed", field.value !== field.ocr_value);
    }
    element.querySelector(".original").hidden = !element.classList.contains("changed");
    this.check(element);
    this.onSaved?.(Number(element.dataset.fieldId), field);
  }

  conflict(element, input, field) {
    element.querySelector(".conflict")?.remove();
    const box = document.createElement("div");
    box.className = "conflict";
    box.setAttribute("role", "alert");
    const theirs = element.dataset.type === "CHECKBOX"
      ? (field.checked ? this.messages.checked : this.messages.unchecked)
      : field.value;
    const mine = element.dataset.type === "CHECKBOX"
      ? (input.checked ? this.messages.checked : this.messages.unchecked)
      : element.dataset.type === "MULTI_BOX" ? [...element.querySelectorAll(".cell")].map((cell) => cell.value).join("") : input.value;
    const text = document.createElement("p");
    text.textContent = this.messages.conflict;
    const values = document.createElement("dl");
    for (const [label, value] of [[this.messages.theirValue, theirs], [this.messages.yourValue, mine]]) {
      const term = document.createElement("dt");
      term.textContent = label;
      const detail = document.createElement("dd");
      detail.textContent = value;
      values.append(term, detail);
    }
    const useTheirs = document.createElement("button");
    useTheirs.type = "button";
    useTheirs.textContent = this.messages.useTheirs;
    useTheirs.addEventListener("click", () => {
      this.applied(element, field);
      this.state(element, "", "");
    });
    const keepMine = document.createElement("button");
    keepMine.type = "button";
    keepMine.className = "primary";
    keepMine.textContent = this.messages.keepMine;
    keepMine.addEventListener("click", () => {
      element.dataset.version = field.version;
      box.remove();
      this.saveNow(element, input, { force: true });
    });
    box.append(text, values, useTheirs, keepMine);
    element.append(box);
    this.state(element, "error", this.messages.notSaved);
  }

  async revert(element) {
    this.state(element, "saving", this.messages.saving);
    const result = await send(this.revertUrl.replace("{id}", element.dataset.fieldId), "POST", {
      version: Number(element.dataset.version),
    });
    if (result.status === 200) {
      this.applied(element, result.data);
      this.state(element, "saved", this.messages.reverted);
    } else if (result.data.code === "version_conflict") {
      this.conflict(element, element.querySelector(".value, .cell, input[type=checkbox]"), result.data.field);
    } else {
      this.state(element, "error", result.data.message || this.messages.failed);
    }
  }

  state(element, kind, text) {
    const line = element.querySelector(".save-state");
    line.textContent = text;
    line.dataset.state = kind;
  }
}
