// The template builder: draw the title and field boxes on the reference page, give each its properties and
// review rules, undo and redo, try the draft on an uploaded page, save versions. Boxes are drawn with the
// review page's overlay code, in the reference image's own pixels.

import { draw } from "../review/overlay.js";
import { Viewer } from "../review/viewer.js";

async function post(url, payload, image) {
  const form = new FormData();
  form.append("payload", JSON.stringify(payload));
  form.append("image", image, "reference.png");
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRFToken": document.querySelector("input[name=csrfmiddlewaretoken]").value, Accept: "application/json" },
    body: form,
  });
  let body = {};
  try {
    body = await response.json();
  } catch {
    body = {};
  }
  return { status: response.status, data: body };
}

const SVG = "http://www.w3.org/2000/svg";
const data = JSON.parse(document.getElementById("builder-data").textContent);
const messages = JSON.parse(document.getElementById("builder-messages").textContent);
const root = document.querySelector(".builder");
const status = document.getElementById("builder-status");
const $ = (selector) => document.querySelector(selector);

let state = { title: null, fields: [], validation: {}, combine: {} };
let rules = {};
let selected = null; // index into state.fields, or "title"
let tool = "select";
const undo = [];
const redo = [];
let reference = null; // {image: url or data URL, width, height}

function load() {
  const version = data.version;
  if (version) {
    state = structuredClone(version.definition);
    state.validation ??= {};
    state.combine ??= {};
    rules = structuredClone(version.rules);
    reference = { image: version.image, width: version.width, height: version.height };
    $("#template-id").value = version.id;
    $("#template-name").value = version.name;
    $("#template-lang").value = version.lang;
  } else {
    const params = new URLSearchParams(location.search);
    $("#template-id").value = params.get("id") ?? "";
    $("#template-name").value = params.get("name") ?? "";
    $("#template-lang").value = params.get("lang") ?? "ko";
    if (data.start) reference = data.start;
  }
  $("#validation-url").value = state.validation.url ?? "";
  $("#validation-rules").value = (state.validation.rules ?? [])
    .map((rule) => [rule.field, rule.pattern ?? "", rule.message ?? ""].join(" | "))
    .join("\n");
  $("#combine-name").value = state.combine.name ?? "";
  $("#combine-text").value = state.combine.text ?? "";
}

// --- history --------------------------------------------------------------------------------------------

function snapshot() {
  return JSON.stringify({ state, rules });
}

function remember() {
  undo.push(snapshot());
  redo.length = 0;
  dirty();
}

function restore(from, to) {
  if (!from.length) return;
  to.push(snapshot());
  ({ state, rules } = JSON.parse(from.pop()));
  if (typeof selected === "number" && selected >= state.fields.length) selected = null;
  render();
  dirty();
}

function dirty() {
  status.textContent = messages.unsaved;
}

// --- drawing --------------------------------------------------------------------------------------------

const poly = ([left, top, width, height]) => [
  [left, top], [left + width, top], [left + width, top + height], [left, top + height],
];

function cellsOf(field) {
  if (field.type !== "MULTI_BOX") return [];
  const [left, top, width, height] = field.box;
  const count = Math.max(1, field.cells || 1);
  return Array.from({ length: count }, (_, index) => ({
    id: index,
    poly: poly([left + (width / count) * index, top, width / count, height]),
  }));
}

function items() {
  const list = state.fields.map((field, index) => ({
    id: index + 1,
    type: field.type,
    label: field.name,
    value: "",
    poly: poly(field.box),
    level: selected === index ? "selected" : "none",
    checked: false,
    cells: cellsOf(field),
  }));
  if (state.title) list.unshift({ id: -1, type: "TITLE", label: "title", poly: poly(state.title.box), cells: [] });
  return list;
}

const viewer = new Viewer(root, [], {
  onPage: () => render(),
  canPan: (event) => tool === "select" && !event.target.closest("g.box, .handle"),
});

function boxOf(target) {
  return target === "title" ? state.title?.box : state.fields[target]?.box;
}

function render() {
  if (viewer.index === 1) return; // showing a try result
  if (!reference) return;
  draw(viewer.svg, reference.width, reference.height, items());
  const box = selected !== null ? boxOf(selected) : null;
  if (box) {
    const group = viewer.svg.querySelector(`g[data-field-id="${selected === "title" ? -1 : selected + 1}"]`);
    group?.classList.add("active");
    const size = Math.max(8, 10 / viewer.zoom);
    const handle = document.createElementNS(SVG, "rect");
    for (const [key, value] of Object.entries({
      x: box[0] + box[2] - size / 2, y: box[1] + box[3] - size / 2, width: size, height: size, class: "handle",
    })) handle.setAttribute(key, String(value));
    viewer.svg.append(handle);
  }
  renderList();
  renderProperties();
}

function renderList() {
  $("#field-list").replaceChildren(
    ...state.fields.map((field, index) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "link";
      button.textContent = `${field.name} · ${field.type}${field.type === "MULTI_BOX" ? ` × ${field.cells}` : ""}`;
      button.addEventListener("click", () => select(index));
      item.append(button);
      if (index === selected) item.classList.add("current");
      return item;
    }),
  );
}

function renderProperties() {
  const field = typeof selected === "number" ? state.fields[selected] : null;
  $("#field-properties").hidden = !field;
  $("#title-selected").hidden = selected !== "title";
  $("#nothing-selected").hidden = selected !== null;
  if (!field) return;
  for (const input of document.querySelectorAll("[data-prop]")) {
    const value = field[input.dataset.prop];
    if (document.activeElement !== input) input.value = value ?? "";
  }
  for (const label of document.querySelectorAll("[data-for]")) label.hidden = label.dataset.for !== field.type;
  const rule = rules[field.name] ?? {};
  for (const input of document.querySelectorAll("[data-rule]")) {
    if (document.activeElement === input) continue;
    if (input.type === "checkbox") input.checked = Boolean(rule[input.dataset.rule]);
    else input.value = rule[input.dataset.rule] ?? "";
  }
}

function select(target) {
  selected = target;
  render();
}

function toImage(event) {
  const point = viewer.svg.createSVGPoint();
  point.x = event.clientX;
  point.y = event.clientY;
  const at = point.matrixTransform(viewer.svg.getScreenCTM().inverse());
  return [Math.round(at.x), Math.round(at.y)];
}

function clampBox([left, top, width, height]) {
  left = Math.max(0, Math.min(reference.width - width, left));
  top = Math.max(0, Math.min(reference.height - height, top));
  return [left, top, Math.min(width, reference.width), Math.min(height, reference.height)];
}

function newName() {
  const names = new Set(state.fields.map((field) => field.name));
  let number = state.fields.length + 1;
  while (names.has(`field${number}`)) number += 1;
  return `field${number}`;
}

let gesture = null;
viewer.svg.addEventListener("pointerdown", (event) => {
  if (event.button !== 0 || !reference || viewer.index !== 0) return;
  const [x, y] = toImage(event);
  if (tool === "field" || tool === "title") {
    gesture = { kind: "draw", start: [x, y], box: [x, y, 0, 0], before: snapshot() };
  } else if (event.target.classList.contains("handle")) {
    gesture = { kind: "resize", start: [x, y], box: [...boxOf(selected)], before: snapshot() };
  } else {
    const group = event.target.closest("g.box");
    if (!group) {
      select(null);
      return;
    }
    const id = Number(group.dataset.fieldId);
    select(id === -1 ? "title" : id - 1);
    gesture = { kind: "move", start: [x, y], box: [...boxOf(selected)], before: snapshot() };
  }
  viewer.svg.setPointerCapture(event.pointerId);
  event.preventDefault();
});

viewer.svg.addEventListener("pointermove", (event) => {
  if (!gesture) return;
  const [x, y] = toImage(event);
  const [dx, dy] = [x - gesture.start[0], y - gesture.start[1]];
  if (gesture.kind === "draw") {
    gesture.box = [Math.min(x, gesture.start[0]), Math.min(y, gesture.start[1]), Math.abs(dx), Math.abs(dy)];
    draw(viewer.svg, reference.width, reference.height, [
      ...items(), { id: 0, type: tool === "title" ? "TITLE" : "NORMAL", poly: poly(gesture.box), cells: [] },
    ]);
    return;
  }
  const [left, top, width, height] = gesture.box;
  const box = gesture.kind === "move"
    ? clampBox([left + dx, top + dy, width, height])
    : clampBox([left, top, Math.max(6, width + dx), Math.max(6, height + dy)]);
  if (selected === "title") state.title.box = box;
  else state.fields[selected].box = box;
  render();
});

viewer.svg.addEventListener("pointerup", () => {
  if (!gesture) return;
  const done = gesture;
  gesture = null;
  if (done.kind === "draw") {
    const box = clampBox(done.box);
    if (box[2] < 6 || box[3] < 6) return render();
    undo.push(done.before);
    redo.length = 0;
    if (tool === "title") {
      state.title = { name: "title", box };
      selected = "title";
    } else {
      state.fields.push({ name: newName(), type: "NORMAL", valueType: "ALL", box });
      selected = state.fields.length - 1;
    }
    setTool("select");
    dirty();
    render();
    if (typeof selected === "number") document.querySelector("[data-prop=name]").focus();
  } else if (done.before !== snapshot()) {
    undo.push(done.before);
    redo.length = 0;
    dirty();
  }
});

// --- properties -----------------------------------------------------------------------------------------

for (const input of document.querySelectorAll("[data-prop]")) {
  input.addEventListener("focus", () => remember());
  input.addEventListener("input", () => {
    const field = state.fields[selected];
    if (!field) return;
    const key = input.dataset.prop;
    if (key === "name") {
      const rule = rules[field.name];
      delete rules[field.name];
      if (rule) rules[input.value] = rule;
    }
    field[key] = key === "cells" ? Math.max(1, Number(input.value) || 1) : input.value;
    if (key === "type" && field.type === "MULTI_BOX") field.cells ??= 6;
    if (key === "type" && field.type === "CHECKBOX") field.checkedText ??= "V";
    render();
  });
}
for (const input of document.querySelectorAll("[data-rule]")) {
  input.addEventListener("focus", () => remember());
  input.addEventListener(input.type === "checkbox" ? "change" : "input", () => {
    const field = state.fields[selected];
    if (!field) return;
    rules[field.name] ??= {};
    rules[field.name][input.dataset.rule] = input.type === "checkbox" ? input.checked : input.value;
  });
}

function setTool(name) {
  tool = name;
  for (const button of document.querySelectorAll("[data-tool]")) {
    button.setAttribute("aria-pressed", String(button.dataset.tool === name));
  }
  root.classList.toggle("drawing", name !== "select");
}
for (const button of document.querySelectorAll("[data-tool]")) {
  button.addEventListener("click", () => setTool(button.dataset.tool));
}

function removeSelected() {
  if (selected === null) return;
  remember();
  if (selected === "title") state.title = null;
  else {
    delete rules[state.fields[selected].name];
    state.fields.splice(selected, 1);
  }
  selected = null;
  render();
}

document.addEventListener("keydown", (event) => {
  const typing = event.target.closest("input, textarea, select");
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z") {
    if (typing) return;
    event.preventDefault();
    event.shiftKey ? restore(redo, undo) : restore(undo, redo);
  } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "y") {
    if (typing) return;
    event.preventDefault();
    restore(redo, undo);
  } else if (typing) {
    return;
  } else if (event.key === "Delete" || event.key === "Backspace") {
    event.preventDefault();
    removeSelected();
  } else if (event.key.startsWith("Arrow") && selected !== null) {
    event.preventDefault();
    const step = event.shiftKey ? 10 : 1;
    const [dx, dy] = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[event.key];
    remember();
    const box = boxOf(selected);
    const moved = clampBox([box[0] + dx, box[1] + dy, box[2], box[3]]);
    if (selected === "title") state.title.box = moved;
    else state.fields[selected].box = moved;
    render();
  } else if (event.key === "v" || event.key === "f" || event.key === "t") {
    setTool({ v: "select", f: "field", t: "title" }[event.key]);
  }
});

document.querySelector("[data-action=undo]").addEventListener("click", () => restore(undo, redo));
document.querySelector("[data-action=redo]").addEventListener("click", () => restore(redo, undo));
document.querySelector("[data-action=delete]").addEventListener("click", removeSelected);

// --- reference image, saving and trying -------------------------------------------------------------------

function showReference() {
  viewer.pages = [
    { index: 0, width: reference.width, height: reference.height, image: reference.image },
    ...viewer.pages.filter((page) => page.index === 1),
  ];
  viewer.show(0, { force: true });
  document.querySelector("[data-action=back]").hidden = true;
}

$("#reference-file").addEventListener("change", () => {
  const file = $("#reference-file").files[0];
  if (!file) return;
  const reader = new FileReader();
  reader.addEventListener("load", () => {
    const image = new Image();
    image.addEventListener("load", () => {
      reference = { image: reader.result, width: image.naturalWidth, height: image.naturalHeight, file };
      showReference();
    });
    image.src = reader.result;
  });
  reader.readAsDataURL(file);
});

async function imageBlob() {
  if (reference.file) return reference.file;
  return (await fetch(reference.image, { credentials: "same-origin" })).blob();
}

function definition() {
  const rulesText = $("#validation-rules").value.split("\n").map((line) => line.split("|").map((part) => part.trim()));
  const validationRules = rulesText.filter((parts) => parts[0]).map(([field, pattern, message]) => ({
    field, ...(pattern ? { pattern } : {}), ...(message ? { message } : {}),
  }));
  const url = $("#validation-url").value.trim();
  return {
    ...(state.title ? { title: state.title } : {}),
    fields: state.fields,
    validation: { ...(validationRules.length ? { rules: validationRules } : {}), ...(url ? { url } : {}) },
    combine: { name: $("#combine-name").value.trim(), text: $("#combine-text").value },
  };
}

function payload() {
  return {
    id: Number($("#template-id").value),
    name: $("#template-name").value,
    lang: $("#template-lang").value,
    definition: definition(),
    rules,
  };
}

document.querySelector("[data-action=save]").addEventListener("click", async () => {
  if (!reference) return (status.textContent = messages.noImage);
  const result = await post(data.urls.save, payload(), await imageBlob());
  if (result.status === 201) {
    status.textContent = messages.saved.replace("%(number)s", result.data.version.number);
    location.assign(data.urls.builder.replace("{id}", result.data.version.id));
  } else {
    status.textContent = `${messages.failed} ${result.data.message ?? ""}`;
  }
});

document.querySelector("[data-action=try]").addEventListener("click", async () => {
  if (!reference) return (status.textContent = messages.noImage);
  status.textContent = messages.trying;
  const result = await post(
    data.urls.try,
    { ...payload(), document: Number($("#try-document").value), page: Number($("#try-page").value) - 1 },
    await imageBlob(),
  );
  if (result.status !== 200) {
    status.textContent = `${messages.failed} ${result.data.message ?? ""}`;
    return;
  }
  const image = result.data.image;
  const fields = image.fields ?? [];
  status.textContent = messages.tried.replace("%(count)s", fields.length);
  $("#try-results").replaceChildren(
    ...(fields.length ? fields : [{ name: image.message, inferText: "" }]).map((field) => {
      const item = document.createElement("li");
      const name = document.createElement("strong");
      name.textContent = field.name;
      const value = document.createElement("span");
      value.textContent = field.type === "CHECKBOX" ? (field.checked ? "☑" : "☐") : field.inferText;
      item.append(name, " ", value);
      return item;
    }),
  );
  // Show the tried page with what the engine read, drawn by the same overlay code.
  const page = result.data.page;
  viewer.pages = [viewer.pages[0], { index: 1, width: page.width, height: page.height, image: page.url }];
  viewer.onPage = (shown) => {
    if (shown.index !== 1) return render();
    draw(viewer.svg, page.width, page.height, fields.map((field, index) => ({
      id: index + 1, type: field.type, label: field.name, value: field.inferText, checked: field.checked,
      poly: field.boundingPoly.vertices.map((vertex) => [vertex.x, vertex.y]), level: "none",
      cells: (field.type === "MULTI_BOX" ? field.subFields ?? [] : []).map((sub, cell) => ({
        id: cell, poly: sub.boundingPoly.vertices.map((vertex) => [vertex.x, vertex.y]),
      })),
    })));
  };
  viewer.show(1, { force: true });
  document.querySelector("[data-action=back]").hidden = false;
});

document.querySelector("[data-action=back]").addEventListener("click", () => {
  viewer.onPage = () => render();
  showReference();
});

load();
if (reference) showReference();
root.classList.add("ready");
