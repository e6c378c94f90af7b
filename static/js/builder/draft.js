// The template being drawn, and nothing of the page: the title and field boxes, each field's review rules,
// which box is selected, and the undo and redo history as snapshots of the boxes and rules.

export class Draft {
  constructor() {
    this.state = { title: null, fields: [], validation: {}, combine: {} };
    this.rules = []; // each field's review rules, in the order of state.fields (a rename keeps them)
    this.selected = null; // index into state.fields, or "title"
    this.undo = [];
    this.redo = [];
  }

  load(definition, rules) {
    this.state = structuredClone(definition);
    this.state.validation ??= {};
    this.state.combine ??= {};
    this.rules = this.state.fields.map((field) => structuredClone(rules[field.name] ?? {}));
  }

  // The rules as the server takes them, by field name.
  rulesByName() {
    return Object.fromEntries(this.state.fields.map((field, index) => [field.name, this.rules[index] ?? {}]));
  }

  // The selected field's rules.
  get rule() {
    return typeof this.selected === "number" ? (this.rules[this.selected] ?? {}) : {};
  }

  // The selected field; none when the title or nothing is selected.
  get field() {
    return typeof this.selected === "number" ? this.state.fields[this.selected] : undefined;
  }

  snapshot() {
    return JSON.stringify({ state: this.state, rules: this.rules });
  }

  // Keeps how the draft was before a change, for undo; a new change forgets what was undone.
  record(before = this.snapshot()) {
    this.undo.push(before);
    this.redo.length = 0;
  }

  // One step from one history to the other (undo to redo, or back); false when there is nothing to take.
  restore(from, to) {
    if (!from.length) return false;
    to.push(this.snapshot());
    ({ state: this.state, rules: this.rules } = JSON.parse(from.pop()));
    if (typeof this.selected === "number" && this.selected >= this.state.fields.length) this.selected = null;
    return true;
  }

  boxOf(target) {
    return target === "title" ? this.state.title?.box : this.state.fields[target]?.box;
  }

  setBox(target, box) {
    if (target === "title") this.state.title.box = box;
    else this.state.fields[target].box = box;
  }

  addTitle(box) {
    this.state.title = { name: "title", box };
    this.selected = "title";
  }

  addField(box) {
    this.state.fields.push({ name: this.newName(), type: "NORMAL", valueType: "ALL", box });
    this.rules.push({});
    this.selected = this.state.fields.length - 1;
  }

  newName() {
    const names = new Set(this.state.fields.map((field) => field.name));
    let number = this.state.fields.length + 1;
    while (names.has(`field${number}`)) number += 1;
    return `field${number}`;
  }

  removeSelected() {
    if (this.selected === "title") this.state.title = null;
    else {
      this.rules.splice(this.selected, 1);
      this.state.fields.splice(this.selected, 1);
    }
    this.selected = null;
  }

  // Rules stay with the field, not its name: typing a new name through another field's name takes nothing.
  setProperty(key, value) {
    const field = this.field;
    field[key] = key === "cells" ? Math.max(1, Number(value) || 1) : value;
    if (key === "type" && field.type === "MULTI_BOX") field.cells ??= 6;
    if (key === "type" && field.type === "CHECKBOX") field.checkedText ??= "V";
  }

  setRule(key, value) {
    this.rules[this.selected] ??= {};
    this.rules[this.selected][key] = value;
  }
}
