// Live progress: polls the portal for every document on the page that is still being processed.
// Text from the server goes in with textContent only.

import { request } from "./http.js";

const POLL_MS = 2000;
const url = document.querySelector("meta[name=progress-url]")?.content || "/documents/progress";

function inFlight() {
  return Array.from(document.querySelectorAll("[data-progress-id][data-in-flight=true]"));
}

function update(item) {
  for (const box of document.querySelectorAll(`[data-progress-id="${item.id}"]`)) {
    box.dataset.inFlight = String(item.in_flight);
    box.classList.toggle("hidden", !item.in_flight);
    box.querySelector("progress").value = item.percent;
    // The words come from the page (documents/_progress.html), translated there.
    box.querySelector(".step").textContent = item.step ? `${item.step}…` : box.dataset.queued || "";
    const status = box.closest("tr, li, .status-box, .status-cell")?.querySelector(".status");
    if (status) {
      status.textContent = item.status_label;
      status.className = `status status-${item.status}`;
    }
  }
  for (const outcome of document.querySelectorAll(`[data-outcome-id="${item.id}"]`)) {
    outcome.textContent = item.error || item.notice || "";
    outcome.classList.toggle("error-text", Boolean(item.error));
  }
  if (!item.in_flight && document.querySelector("[data-reload-when-done]")) {
    window.location.reload();
  }
}

async function poll() {
  const waiting = inFlight();
  if (waiting.length === 0) return;
  const ids = [...new Set(waiting.map((box) => box.dataset.progressId))].join(",");
  try {
    const { status, data } = await request(`${url}?ids=${ids}`);
    if (status === 200) (data.documents ?? []).forEach(update);
  } catch (error) {
    // The next poll tries again; a dropped request is not worth a message.
  }
}

let polling = false;

export function follow() {
  if (polling) return;
  polling = true;
  setTimeout(async function loop() {
    await poll();
    polling = inFlight().length > 0;
    if (polling) setTimeout(loop, POLL_MS);
  }, POLL_MS);
}

follow();
