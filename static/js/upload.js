// Uploads each chosen or dropped file on its own request, so every file reports its own outcome,
// then follows each file's processing (progress.js) as one batch.
import { request } from "./http.js";
import { follow } from "./progress.js";

// Without JavaScript the form still posts all files at once and the page lists the outcomes.

const form = document.getElementById("upload-form");
const input = document.getElementById("file-input");
const dropzone = document.getElementById("dropzone");
const chosen = document.getElementById("chosen");
const results = document.getElementById("results");
const button = document.getElementById("upload-button");
const batchLink = document.getElementById("batch-link");
// The page's words, translated on the server (documents/views/upload.py): the script holds none of its own.
const messages = JSON.parse(document.getElementById("upload-messages").textContent);
let files = [];
let batch = "";

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function link(href, text) {
  const anchor = element("a", "", text);
  anchor.href = href;
  return anchor;
}

// Fills %(name)s places in a translated message; a value may be a node (a link), which goes in as itself.
function fill(text, values) {
  return text.split(/(%\(\w+\)[sd])/).map((part) => {
    const key = part.match(/^%\((\w+)\)[sd]$/)?.[1];
    return key === undefined ? part : values[key];
  });
}

function select(label, choices, current, onChange) {
  const box = element("select", "per-file");
  box.setAttribute("aria-label", label);
  for (const [value, text] of choices) {
    const option = element("option", "", text);
    option.value = value;
    option.selected = value === current;
    box.append(option);
  }
  box.addEventListener("change", () => onChange(box.value));
  return box;
}

// Each chosen file keeps its own OCR mode and language; "" means the form's choice below.
function chosenRow(item) {
  const row = element("li", "", `${item.file.name} (${Math.ceil(item.file.size / 1024)} KB) `);
  const name = { name: item.file.name };
  row.append(
    select(fill(messages.modeFor, name).join(""), [["", messages.asAbove], ...messages.modes], item.mode, (value) => {
      item.mode = value;
    }),
    select(
      fill(messages.langFor, name).join(""),
      [["", messages.langAsAbove], ["auto", messages.langAuto], ...messages.languages],
      item.lang,
      (value) => {
        item.lang = value;
      },
    ),
  );
  const remove = element("button", "link remove", "×");
  remove.type = "button";
  remove.setAttribute("aria-label", fill(messages.remove, name).join(""));
  remove.addEventListener("click", () => {
    files = files.filter((other) => other !== item);
    showChosen();
  });
  row.append(remove);
  return row;
}

function showChosen() {
  chosen.replaceChildren(...files.map(chosenRow));
  button.disabled = files.length === 0;
}

function choose(list) {
  files = files.concat(Array.from(list, (file) => ({ file, mode: "", lang: "" })));
  showChosen();
}

function fieldsFor(item) {
  const data = new FormData();
  for (const [key, value] of new FormData(form)) {
    if (key === "file") continue;
    if (key === "mode" && item.mode) continue;
    if (key === "lang" && item.lang) continue;
    data.append(key, value);
  }
  if (item.mode) data.append("mode", item.mode);
  if (item.lang && item.lang !== "auto") data.append("lang", item.lang);
  data.append("batch", batch);
  data.append("file", item.file, item.file.name);
  return data;
}

function progressBox(id) {
  // The same markup as the server's documents/_progress.html, which progress.js keeps up to date.
  const box = element("span", "progress");
  box.dataset.progressId = String(id);
  box.dataset.inFlight = "true";
  const bar = element("progress");
  bar.max = 100;
  bar.value = 0;
  box.dataset.queued = messages.queued;
  box.append(bar, element("span", "step", messages.queued));
  return box;
}

function showOutcome(row, outcome) {
  row.replaceChildren(element("span", "name", outcome.name || row.dataset.name));
  row.className = outcome.ok ? "ok" : "failed";
  if (outcome.ok) {
    const text = element("span", "");
    const pages = fill(outcome.pages === 1 ? messages.pagesOne : messages.pagesOther, { count: outcome.pages }).join("");
    text.append(...fill(messages.uploadedAs, { link: link(outcome.url, `#${outcome.id}`), pages }));
    row.append(text);
    const status = element("span", `status status-${outcome.status}`, messages.uploaded);
    const statusBox = element("span", "status-cell");
    statusBox.append(status, progressBox(outcome.id));
    row.append(statusBox, element("span", "outcome"));
    row.querySelector(".outcome").dataset.outcomeId = String(outcome.id);
    if (outcome.duplicate_of) {
      const flag = element("span", "flag");
      flag.append(...fill(messages.sameFileAs, { link: link(outcome.duplicate_of.url, `#${outcome.duplicate_of.id}`) }));
      row.append(flag);
    }
    for (const hazard of outcome.hazards || []) {
      row.append(element("span", "flag hazard", hazard));
    }
  } else {
    row.append(element("span", "message", outcome.message));
  }
}

async function send(item) {
  const row = element("li", "pending");
  row.dataset.name = item.file.name;
  row.append(element("span", "name", item.file.name), element("span", "message", messages.uploading));
  results.append(row);
  try {
    const { status, data } = await request(form.action, { method: "POST", form: fieldsFor(item) });
    // The portal answers each file with its outcome; anything else (a proxy's page, a refusal) only has a status.
    const outcome = data.results?.[0];
    if (outcome) {
      showOutcome(row, outcome);
      if (data.batch_url) {
        batchLink.href = data.batch_url;
        batchLink.parentElement.classList.remove("hidden");
      }
    } else {
      showOutcome(row, { ok: false, message: fill(messages.serverAnswered, { status }).join("") });
    }
  } catch (error) {
    showOutcome(row, { ok: false, message: messages.unreachable });
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (files.length === 0) {
    results.replaceChildren(element("li", "failed", messages.noFile));
    return;
  }
  const chosenFiles = files;
  files = [];
  batch = crypto.randomUUID();
  showChosen();
  results.replaceChildren();
  batchLink.parentElement.classList.add("hidden");
  button.disabled = true;
  for (const item of chosenFiles) await send(item);
  input.value = "";
  button.disabled = false;
  follow();
});

input.addEventListener("change", () => choose(input.files));
for (const name of ["dragenter", "dragover"]) {
  dropzone.addEventListener(name, (event) => {
    event.preventDefault();
    dropzone.classList.add("over");
  });
}
for (const name of ["dragleave", "drop"]) {
  dropzone.addEventListener(name, () => dropzone.classList.remove("over"));
}
dropzone.addEventListener("drop", (event) => {
  event.preventDefault();
  choose(event.dataTransfer.files);
});
// Files picked before this module ran (slow connection) still count.
if (input.files.length) choose(input.files);
showChosen();
form.dataset.ready = "true";
