// The review page: the page viewer with its overlay, the field panel, and the page's keyboard shortcuts.

import { draw, highlight, boxFor, setChecked } from "./overlay.js";
import { Viewer } from "./viewer.js";
import { FieldPanel } from "./fields.js";
import { drawSnippets } from "./snippets.js";
import { TableCells } from "./tables.js";
import { Live } from "./live.js";

const overlay = JSON.parse(document.getElementById("overlay-data").textContent);
const liveData = JSON.parse(document.getElementById("live-data").textContent);
const messages = { ...JSON.parse(document.getElementById("review-messages").textContent), ...liveData.messages };
const workspace = document.querySelector(".review");
const panel = document.querySelector(".panel");
const approveForm = document.getElementById("approve");

const pageOfField = new Map();
const fieldData = new Map();
for (const page of overlay.pages) {
  for (const field of page.fields) {
    pageOfField.set(field.id, page.index);
    fieldData.set(field.id, field);
  }
  for (const word of page.words) pageOfField.set(word.id, page.index);
}
const pageOfCell = new Map();
for (const page of overlay.pages) for (const cell of page.cells) pageOfCell.set(cell.id, page.index);

function itemsOf(page) {
  return [
    ...page.cells.map((cell) => ({ ...cell, type: "TABLE_CELL" })),
    ...page.fields,
    ...page.words.map((word) => ({ ...word, type: "WORD" })),
  ];
}

const viewer = new Viewer(workspace, overlay.pages, {
  onPage: (page, svg) => draw(svg, page.width, page.height, itemsOf(page)),
});

function focusField(fieldId, subfieldId = null) {
  const index = pageOfField.get(fieldId);
  if (index === undefined) return;
  viewer.show(index);
  const group = highlight(viewer.svg, fieldId, subfieldId);
  const field = fieldData.get(fieldId);
  const cell = field?.cells.find((candidate) => candidate.id === subfieldId);
  viewer.reveal(cell?.poly ?? field?.poly ?? JSON.parse(group?.dataset.poly ?? "null"));
}

const fields = new FieldPanel(panel, {
  overlay,
  messages,
  onFocus: (fieldId, subfieldId) => focusField(fieldId, subfieldId),
  onSaved: (fieldId, field) => {
    const group = boxFor(viewer.svg, fieldId);
    if (!group) return;
    group.classList.add("corrected");
    group.classList.toggle("confirmed", Boolean(field.confirmed));
    if (field.type === "CHECKBOX") setChecked(group, field.checked);
  },
});

const cells = new TableCells(panel, {
  url: overlay.cellUrl,
  messages,
  onFocus: (cellId) => {
    const index = pageOfCell.get(cellId);
    if (index === undefined) return;
    viewer.show(index);
    for (const node of viewer.svg.querySelectorAll(".active")) node.classList.remove("active");
    const group = viewer.svg.querySelector(`g[data-cell-id="${cellId}"]`);
    group?.classList.add("active");
    viewer.reveal(JSON.parse(group?.dataset.poly ?? "null"));
  },
});

// Claims, take-overs, decisions, values saved elsewhere and the history reach this page while it is open.
const live = new Live({ data: liveData, panel, fields, cells, messages });
live.start();

// Every correction typed, in a field or a table cell, is saved before the page approves; the inputs
// whose value could not be saved come back.
async function flush() {
  const [inFields, inCells] = await Promise.all([fields.flush(), cells.flush()]);
  return [...inFields, ...inCells];
}

// A value the server refused or never received stops the approval: the reviewer sees it and decides.
function blocked(unsaved) {
  const line = approveForm.querySelector(".approve-blocked");
  line.hidden = unsaved.length === 0;
  if (!unsaved.length) return false;
  unsaved[0].scrollIntoView({ block: "center" });
  unsaved[0].focus();
  return true;
}

// Clicking a box focuses its input (its cell's input for a multi-box cell); words light up in the text.
viewer.svg.addEventListener("click", (event) => {
  const cellGroup = event.target.closest("g[data-cell-id]");
  const wordGroup = event.target.closest("g.type-word");
  if (cellGroup && !wordGroup) {
    panel.querySelector(`#cell-${Number(cellGroup.dataset.cellId)} textarea`)?.focus();
    return;
  }
  const group = event.target.closest("g.box");
  if (!group) return;
  const fieldId = Number(group.dataset.fieldId);
  const cellId = event.target.dataset.subfieldId;
  const target = cellId
    ? panel.querySelector(`.cell[data-subfield-id="${Number(cellId)}"]`)
    : panel.querySelector(`#field-${fieldId} .value, #field-${fieldId} .cell, #field-${fieldId} input[type=checkbox]`);
  if (target) {
    target.focus();
    if (target.classList.contains("cell")) target.select();
    return;
  }
  const word = panel.querySelector(`[data-word-id="${fieldId}"]`);
  if (word) {
    for (const other of panel.querySelectorAll(".word.active")) other.classList.remove("active");
    word.classList.add("active");
    word.scrollIntoView({ block: "nearest" });
    highlight(viewer.svg, fieldId);
  }
});
for (const word of panel.querySelectorAll("[data-word-id]")) {
  word.addEventListener("click", () => {
    for (const other of panel.querySelectorAll(".word.active")) other.classList.remove("active");
    word.classList.add("active");
    focusField(Number(word.dataset.wordId));
  });
}

// The approve form lists the fields that break a rule, kept current as the reviewer types.
function refreshFailing() {
  if (!approveForm) return;
  const list = approveForm.querySelector(".failing-list");
  const failing = fields.failing();
  list.replaceChildren(
    ...failing.map((element) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = `#${element.id}`;
      link.textContent = `${element.querySelector(".field-head label").textContent}: ${[
        ...element.querySelectorAll(".rule-failures li"),
      ].map((line) => line.textContent).join(" ")}`;
      link.addEventListener("click", (event) => {
        event.preventDefault();
        element.querySelector(".value, .cell, input[type=checkbox]")?.focus();
      });
      item.append(link);
      return item;
    }),
  );
  approveForm.querySelector(".override").hidden = failing.length === 0;
}
panel.addEventListener("rules-changed", refreshFailing);
refreshFailing();

// The template wants every low value looked at: the page says which are not, as the server would, before posting.
function unconfirmedBlock() {
  const line = approveForm.querySelector(".approve-unconfirmed");
  const open = fields.unconfirmed();
  line.hidden = open.length === 0;
  if (!open.length) return false;
  const labels = open.map((element) => element.querySelector(".field-head label").textContent);
  line.textContent = messages.unconfirmed.replace("%(fields)s", labels.join(", "));
  open[0].scrollIntoView({ block: "center" });
  open[0].querySelector(".value, .cell, input[type=checkbox]")?.focus();
  return true;
}

// The button and Ctrl+Enter both come here: every save finished and checked, then the form is sent. It is sent
// with submit(), not requestSubmit(): a submit event being handled (the button's) would make the browser drop
// a second one, leaving the click without effect.
let approving = false;
// `moved`: asked for by a press the page moved the button away from (keepPressedApproval). What moved it may be
// a value saved elsewhere that the reviewer has not seen yet, so it stops short of approving, and says so.
async function approve({ moved = false } = {}) {
  if (!approveForm || approving || live.readOnlyNow) return;
  approving = true;
  let sent = false;
  const movedLine = approveForm.querySelector(".approve-moved");
  movedLine.hidden = true;
  try {
    const saved = await flush();
    if (live.readOnlyNow || blocked(saved)) return; // taken over or decided while the saves went
    if (unconfirmedBlock()) return;
    refreshFailing();
    const reason = approveForm.querySelector("[name=override_reason]");
    if (fields.failing().length && !reason.value.trim()) {
      reason.focus();
      return;
    }
    if (moved) {
      movedLine.hidden = false;
      approveForm.querySelector("button[type=submit]").focus();
      return;
    }
    sent = true;
    approveForm.submit();
  } finally {
    approving = sent; // once sent, a second click before the next page comes posts nothing more
  }
}
approveForm?.addEventListener("submit", (event) => {
  event.preventDefault();
  approve();
});

// Pressing Approve takes the focus from the field typed in, which sends its save. Before the button is released,
// the panel above it can grow (that save's refusal, a poll's conflict box or value) and move it from under the
// pointer; a release beside it is no click (the browser gives that to a common parent), so nothing would happen
// and nothing would say why. A release where the button was when pressed is the reviewer's click: the approval
// is asked for, and stops at a refused value, or short of approving (approve's `moved`). A reviewer who turned
// the wheel while pressing moved away on purpose: no click, as the browser has it.
function keepPressedApproval(button) {
  let pressedAt = null;
  let pressedBy = null; // the pointer that pressed: another finger's lift or scroll is not this press's
  button.addEventListener("pointerdown", (event) => {
    pressedAt = event.isPrimary && event.button === 0 ? button.getBoundingClientRect() : null;
    pressedBy = event.pointerId;
  });
  window.addEventListener("pointercancel", (event) => event.pointerId === pressedBy && (pressedAt = null), true);
  window.addEventListener("wheel", () => (pressedAt = null), { capture: true, passive: true });
  window.addEventListener(
    "pointerup",
    (event) => {
      if (event.pointerId !== pressedBy) return;
      const where = pressedAt;
      pressedAt = null;
      const { clientX: x, clientY: y } = event;
      // Looked up, not the event's target: a finger's pointer stays the button's to the end (implicit capture),
      // while the tap's click goes to whatever is under it now.
      if (!where || button.contains(document.elementFromPoint(x, y))) return; // on the button: its click follows
      if (x >= where.left && x <= where.right && y >= where.top && y <= where.bottom) {
        swallowStrayClick(event.pointerType);
        approve({ moved: true });
      }
    },
    true,
  );
}

// The click the browser sends after such a release goes to whatever is under the pointer now: for a mouse the
// common parent, harmless; for a finger the very element that moved under it (a conflict box's button), with a
// mousedown first that takes the focus there. Neither is the reviewer's. Until the next press or key.
function swallowStrayClick(pointerType) {
  const kinds = pointerType === "mouse" ? ["click"] : ["mousedown", "mouseup", "click"];
  const done = () => {
    for (const kind of kinds) window.removeEventListener(kind, swallow, true);
    window.removeEventListener("pointerdown", done, true);
    window.removeEventListener("keydown", done, true);
  };
  const swallow = (event) => {
    event.preventDefault();
    event.stopPropagation();
    if (event.type === "click") done();
  };
  for (const kind of kinds) window.addEventListener(kind, swallow, true);
  window.addEventListener("pointerdown", done, true);
  window.addEventListener("keydown", done, true);
}
const approveButton = approveForm?.querySelector("button[type=submit]");
if (approveButton) keepPressedApproval(approveButton);

// A key that finds nothing to do says so, for a few seconds, instead of doing nothing silently.
let saidLately;
function say(text) {
  const line = panel.querySelector(".key-answer");
  if (!line) return;
  line.textContent = text;
  clearTimeout(saidLately);
  saidLately = setTimeout(() => (line.textContent = ""), 4000);
}

document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    approve();
  } else if (event.key === "F8") {
    event.preventDefault();
    if (!fields.nextLowConfidence()) say(messages.noLowField);
  }
});

drawSnippets(panel, new Map(overlay.pages.flatMap((page) => page.fields.map((field) => [field.id, { ...field, image: page.image }]))));

// The first field in one Tab (the skip link) or none (the reviewer holding the claim starts in it).
function focusFirstField() {
  const first = fields.inputs[0];
  first?.focus();
  if (first?.select && first.type !== "checkbox") first.select();
}
document.querySelector("[data-skip-to-fields]")?.addEventListener("click", (event) => {
  event.preventDefault();
  focusFirstField();
});

viewer.show(overlay.pages[0]?.index ?? 0);
if (panel.querySelector(".fields-panel[data-autofocus]")) focusFirstField();
document.querySelector(".review")?.classList.add("ready");
