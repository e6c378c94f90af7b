// Inputs that save themselves, shared by the field panel and the table cells: a textarea grows with its text,
// Enter accepts and moves to the next input, the saves of one item queue behind each other, and a value that
// someone else changed first opens a conflict box. What an item is and how it is saved, subclasses say:
//   get inputs()              the enabled inputs, in the order Enter walks them
//   itemOf(input)             the element holding the item's version, save-state line and conflict box
//   textOf(input)             the input's value as a string, to compare with what was saved
//   request(item, input)      {url, body} that saves the input's value
//   recordOf(data)            the item as the server now has it, out of a version_conflict answer
//   applied(item, record, {theirs}) take the server's record as the truth (theirs: over what is typed, too)
//   shown(item, input, record) [theirs, mine] as the conflict box shows them

import { request } from "../http.js";

// A text box gives its line breaks as \n whatever the saved value held (\r\n): the same text, not a change.
function same(typed, saved) {
  const normal = (text) => (text ?? "").replaceAll("\r\n", "\n").replaceAll("\r", "\n");
  return normal(typed) === normal(saved);
}

export function autosize(textarea) {
  textarea.rows = Math.max(1, textarea.value.split("\n").length);
}

// Plain Enter only: Shift+Enter starts a new line, and Ctrl or Cmd+Enter belongs to the page (approve).
function accepts(event) {
  return event.key === "Enter" && !event.shiftKey && !event.ctrlKey && !event.metaKey && !event.altKey;
}

export class Autosave {
  constructor(messages) {
    this.messages = messages;
    this.queues = new Map();
  }

  wire(input, onFocus) {
    input.dataset.saved = this.textOf(input);
    input.addEventListener("focus", onFocus);
    input.addEventListener("keydown", (event) => {
      if (!accepts(event)) return;
      event.preventDefault();
      if (this.pointAtConflict(input)) return;
      this.accept(input);
    });
    // A checkbox has nothing to type; it saves as soon as it changes.
    if (input.type !== "checkbox") input.addEventListener("input", () => this.typed(input));
    input.addEventListener("change", () => this.save(input));
    if (input.tagName === "TEXTAREA") autosize(input);
  }

  typed(input) {
    if (input.tagName === "TEXTAREA") autosize(input);
  }

  // Enter: keep the value and go on.
  accept(input) {
    this.save(input);
    this.move(input, 1);
  }

  move(input, step) {
    const inputs = this.inputs;
    const next = inputs[inputs.indexOf(input) + step];
    next?.focus();
    if (next && next.select && next.type !== "checkbox") next.select();
  }

  // Saves for one item go one after the other, so Enter followed by blur never races itself; every request
  // about an item (a save, a forced save, a revert) goes through its queue, so flush() waits for all of them.
  save(input) {
    return this.queued(this.itemOf(input), () => this.saveNow(input));
  }

  queued(item, action) {
    const queue = (this.queues.get(item) ?? Promise.resolve()).then(action);
    this.queues.set(item, queue.catch(() => {}));
    return queue;
  }

  // Before the page moves on: save the input being edited, wait for every save under way, and answer the
  // inputs whose value is still not saved (refused in a conflict, failed, or never sent): the page must not
  // approve over them.
  async flush() {
    const active = document.activeElement;
    if (this.inputs.includes(active)) await this.save(active);
    await Promise.all(this.queues.values());
    return this.inputs.filter(
      (input) => !same(this.textOf(input), input.dataset.saved) || this.itemOf(input).querySelector(".conflict"),
    );
  }

  async saveNow(input, { force = false } = {}) {
    const item = this.itemOf(input);
    const current = this.textOf(input);
    if (!force && same(current, input.dataset.saved)) return;
    // A refused value waits for the reviewer's decision in the conflict box; leaving the input must not resend it.
    if (!force && item.querySelector(".conflict") && current === input.dataset.refused) return;
    const { url, body } = this.request(item, input);
    await this.send(item, url, "PATCH", body, this.messages.saved, (record) => {
      input.dataset.refused = current;
      this.conflict(item, input, record);
    });
  }

  // Sends one change and shows how it went: saved, refused because someone saved first, failed, or not sent.
  async send(item, url, method, body, savedText, onConflict) {
    this.state(item, "saving", this.messages.saving);
    let result;
    try {
      result = await request(url, { method, json: body });
    } catch {
      this.state(item, "error", this.messages.offline);
      return;
    }
    if (result.status === 200) {
      this.applied(item, result.data);
      this.state(item, "saved", savedText);
    } else if (result.data.code === "version_conflict") {
      onConflict(this.recordOf(result.data));
    } else {
      this.state(item, "error", result.data.message || this.messages.failed);
    }
  }

  // Enter does not move on past an unresolved conflict: the input keeps the focus and the box below is pointed at.
  pointAtConflict(input) {
    const item = this.itemOf(input);
    const box = item.querySelector(".conflict");
    if (!box) return false;
    box.classList.remove("pointed");
    void box.offsetWidth; // restart the highlight's animation on every Enter
    box.classList.add("pointed");
    box.scrollIntoView({ block: "nearest" });
    this.state(item, "error", this.messages.pointConflict ?? this.messages.notSaved);
    return true;
  }

  // Both values are in the history already; offer the saved one, or to save this one over it.
  conflict(item, input, record) {
    item.querySelector(".conflict")?.remove();
    const box = document.createElement("div");
    box.className = "conflict";
    box.setAttribute("role", "alert");
    const text = document.createElement("p");
    text.textContent = this.messages.conflict;
    const values = document.createElement("dl");
    const [theirs, mine] = this.shown(item, input, record);
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
      this.applied(item, record, { theirs: true });
      this.state(item, "", "");
    });
    const keepMine = document.createElement("button");
    keepMine.type = "button";
    keepMine.className = "primary";
    keepMine.textContent = this.messages.keepMine;
    keepMine.addEventListener("click", () => {
      item.dataset.version = record.version;
      box.remove();
      this.queued(item, () => this.saveNow(input, { force: true }));
    });
    box.append(text, values, useTheirs, keepMine);
    item.append(box);
    this.state(item, "error", this.messages.notSaved);
    // The live page knows whether the other value came from this reviewer's other window and says so.
    text.dispatchEvent(new CustomEvent("conflict", { bubbles: true, detail: { text } }));
  }

  state(item, kind, text) {
    const line = item.querySelector(".save-state");
    line.textContent = text;
    line.dataset.state = kind;
  }
}
