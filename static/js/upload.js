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

function showChosen() {
  chosen.replaceChildren(...files.map((file) => element("li", "", `${file.name} (${Math.ceil(file.size / 1024)} KB)`)));
  button.disabled = files.length === 0;
}

function choose(list) {
  files = files.concat(Array.from(list));
  showChosen();
}

function fieldsFor(file) {
  const data = new FormData();
  for (const [key, value] of new FormData(form)) {
    if (key !== "file") data.append(key, value);
  }
  data.append("batch", batch);
  data.append("file", file, file.name);
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

async function send(file) {
  const row = element("li", "pending");
  row.dataset.name = file.name;
  row.append(element("span", "name", file.name), element("span", "message", messages.uploading));
  results.append(row);
  try {
    const { status, data } = await request(form.action, { method: "POST", form: fieldsFor(file) });
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
  for (const file of chosenFiles) await send(file);
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
