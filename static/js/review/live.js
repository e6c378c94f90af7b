// Keeps an open review page current: who is reviewing (someone else, you here, you in another window), a
// take-over or a decision that makes the page read-only, values saved elsewhere, the history, each page's
// combined text, pages read again or removed (the page must be reloaded) and a sign-out. It polls the
// document's state every few seconds while the tab is visible (why polling: see the state view) and asks at
// once when the tab comes back, an input gets the focus or a save fails. Values typed here and not saved are
// kept in this tab's sessionStorage until they are saved or discarded, so a reload or a take-over loses none.
// Every text comes from the server, translated, and goes in with textContent.

import { request } from "../http.js";

const POLL_MS = 2500;
const EAGER_MS = 1000;

// One name per tab, kept across reloads of that tab (sessionStorage is the tab's own), sent with claims so the
// server can tell this tab from the same reviewer's other windows. getRandomValues works without https too.
function tabId(renew = false) {
  const fresh = () =>
    [...crypto.getRandomValues(new Uint8Array(12))].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  try {
    let id = renew ? null : sessionStorage.getItem("ocrportal.tab");
    if (!id) sessionStorage.setItem("ocrportal.tab", (id = fresh()));
    return id;
  } catch {
    return fresh();
  }
}

// A duplicated tab (or one opened from this page) starts with a copy of sessionStorage, so with the same name:
// each page asks whether its name is in use, an older page with that name answers, and the newer one renames.
function keepNameOwn(live) {
  if (!("BroadcastChannel" in window)) return;
  const channel = new BroadcastChannel("ocrportal.review-tabs");
  const born = performance.timeOrigin + performance.now();
  channel.addEventListener("message", ({ data }) => {
    if (data.ask === live.tab && data.born > born) channel.postMessage({ taken: live.tab, by: data.born });
    if (data.taken === live.tab && data.by === born) live.rename(tabId(true));
  });
  channel.postMessage({ ask: live.tab, born });
}

const normal = (text) => (text ?? "").replaceAll("\r\n", "\n").replaceAll("\r", "\n");

export class Live {
  constructor({ data, panel, fields, cells, messages }) {
    this.url = data.url;
    this.claimUrl = data.claimUrl;
    this.marker = data.marker;
    this.editable = data.editable;
    this.messages = messages;
    this.panel = panel;
    this.fields = fields;
    this.cells = cells;
    this.tab = tabId();
    this.banner = document.querySelector(".claim-banner");
    // What the page was rendered with, until the first answer says more.
    const rendered = this.banner?.classList;
    this.kind = rendered?.contains("other") ? "other" : rendered?.contains("unclaimed") ? "none" : "mine";
    this.byMe = new Map(); // item key -> whether the last save of it elsewhere was this reviewer's
    this.stopped = false;
    this.lastPoll = 0;
    this.storeKey = `ocrportal.pending.${data.url}`;
    this.rename(this.tab);
  }

  rename(tab) {
    this.tab = tab;
    for (const input of this.banner?.querySelectorAll("input[name=tab]") ?? []) input.value = tab;
  }

  start() {
    keepNameOwn(this);
    this.restore();
    // A locked page sends nothing: an input losing the focus as it is disabled would save it (and be refused).
    this.panel.addEventListener("change", (event) => !this.editable && event.stopPropagation(), true);
    this.panel.addEventListener("input", () => this.remember());
    this.panel.addEventListener("change", () => this.remember());
    window.addEventListener("pagehide", () => this.remember());
    this.panel.addEventListener("focusin", () => {
      if (Date.now() - this.lastPoll > EAGER_MS) this.poll();
    });
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) this.poll();
    });
    // A save here claims the document for this tab; a save refused (the claim is gone, the document decided)
    // is explained by the state: ask for it now. Values saved elsewhere are marked "elsewhere", not "saved".
    new MutationObserver((changes) => this.stateLinesChanged(changes.map((change) => change.target))).observe(
      this.panel,
      { subtree: true, attributes: true, attributeFilter: ["data-state"] },
    );
    this.panel.addEventListener("conflict", (event) =>
      this.explainConflict(event.target.closest(".field, td"), event.detail.text),
    );
    this.poll();
    this.timer = setInterval(() => this.poll(), POLL_MS);
  }

  async poll() {
    if (this.stopped || document.hidden || this.polling) return this.polling;
    this.lastPoll = Date.now();
    const query = new URLSearchParams({ since: this.marker ?? "", tab: this.tab });
    this.polling = (async () => {
      try {
        const result = await request(`${this.url}?${query}`);
        // The state never redirects but to the login page: the session ended (signed out, account turned off).
        if (result.redirected || result.status === 401) this.signedOut();
        else if (result.status === 403 || result.status === 404) this.stop();
        else if (result.status === 200 && result.data.marker) this.apply(result.data);
      } catch {
        // Offline for a moment: the next poll asks again.
      } finally {
        this.polling = null;
      }
    })();
    return this.polling;
  }

  stop() {
    this.stopped = true;
    clearInterval(this.timer);
  }

  apply(state) {
    this.marker = state.marker;
    if (state.reshaped) {
      this.showHistory(state.history);
      this.lock(state.reshaped, "decided", this.messages.notSavedReshaped);
      return;
    }
    if (state.claim && this.banner) this.showClaim(state.claim);
    for (const record of state.fields) {
      this.arrived(record, `f${record.id}`, this.fields, document.getElementById(`field-${record.id}`));
    }
    for (const record of state.cells) {
      this.arrived(record, `c${record.id}`, this.cells, document.getElementById(`cell-${record.id}`));
    }
    this.showHistory(state.history);
    this.showCombined(state.combined);
    const badge = document.querySelector(".status-box .status");
    if (badge) {
      badge.className = `status status-${state.status}`;
      badge.textContent = state.statusLabel;
    }
    if (state.decision || !state.reviewable) {
      this.readOnly(state.decision ?? state.readOnly, "decided");
      this.banner?.classList.add(`status-${state.status}`);
      this.stop();
    }
    this.remember();
  }

  // The fields on this page are not the document's any more (pages read again or removed), or nothing can be
  // saved from it (signed out): it locks, says why, and keeps each value typed and not saved, marked so.
  lock(text, why, notSaved) {
    this.stop();
    this.readOnly(text, why, true);
    for (const input of this.panel.querySelectorAll("textarea, input")) {
      if (!this.dirty(input)) continue;
      this.say(input, "error", notSaved);
      this.offerDiscard(input);
    }
    this.remember();
  }

  signedOut() {
    this.lock(this.messages.signedOut, "lost", this.messages.notSavedSignedOut);
  }

  // A value saved elsewhere: taken as it is when nothing is typed here over it; else the conflict box decides.
  arrived(record, key, editor, item) {
    this.byMe.set(key, record.byMe);
    if (!item || Number(item.dataset.version) >= record.version) return;
    const typed = [...item.querySelectorAll("textarea, input")].find((input) => this.dirty(input));
    if (typed) {
      if (item.querySelector(".conflict")) return;
      typed.dataset.refused = editor.textOf(typed);
      editor.conflict(item, typed, record);
      if (!this.editable) for (const button of item.querySelectorAll(".conflict button")) button.disabled = true;
      return;
    }
    editor.applied(item, record);
    editor.state(item, "elsewhere", record.byText);
    this.forget(item.querySelector("textarea, input"));
  }

  dirty(input) {
    const text = input.type === "checkbox" ? String(input.checked) : input.value;
    return input.dataset.saved !== undefined && normal(text) !== normal(input.dataset.saved);
  }

  stateLinesChanged(lines) {
    const states = lines.map((line) => line.dataset.state);
    if (states.includes("saved")) this.saved();
    else if (states.includes("error")) this.poll();
    // Saved at last: nothing is left to discard.
    for (const line of lines) {
      if (line.dataset.state === "saved") line.closest(".field, td")?.querySelector(".discard")?.remove();
    }
    // A save refused because the claim was taken says why in the reviewer's terms, and that the value is kept.
    if (this.kind !== "other") return;
    for (const line of lines) {
      const item = line.closest(".field, td");
      const kept = item && [...item.querySelectorAll("textarea, input")].some((input) => this.dirty(input));
      if (kept && line.dataset.state === "error" && line.textContent !== this.messages.notSavedLost) {
        line.textContent = this.messages.notSavedLost;
      }
    }
  }

  // The conflict box says who changed the field first; this reviewer's other window is not "someone else".
  async explainConflict(item, paragraph) {
    const key = item.dataset.fieldId ? `f${item.dataset.fieldId}` : `c${item.dataset.cellId}`;
    if (!this.byMe.has(key)) await this.poll();
    if (this.byMe.get(key)) paragraph.textContent = this.messages.conflictSelf;
  }

  showClaim(claim) {
    const wasHere = this.editable && ["here", "mine", "window"].includes(this.kind); // the claim was this reviewer's
    const previous = this.kind;
    this.kind = claim.kind;
    const banner = this.banner;
    if (claim.kind === "other" && this.editable) {
      // A page that held the claim lost it (a take-over); a page nobody held is simply locked now.
      this.readOnly(wasHere ? claim.lost : claim.text, wasHere ? "lost" : "other");
      this.buttons("take-over");
      for (const input of this.panel.querySelectorAll("textarea, input")) {
        if (!this.dirty(input)) continue;
        this.say(input, "error", this.messages.notSavedLost);
        this.offerDiscard(input);
      }
      return;
    }
    if (banner.classList.contains("lost") || banner.classList.contains("decided")) return;
    banner.classList.toggle("other", claim.kind === "other");
    banner.classList.toggle("unclaimed", claim.kind === "none");
    banner.classList.toggle("window", claim.kind === "window");
    banner.querySelector("p").textContent = claim.text;
    if (claim.kind === "other") this.buttons("take-over");
    else if (!this.editable) this.buttons("start");
    else if (claim.kind === "none") this.buttons("start");
    else if (claim.kind === "window") this.buttons();
    else this.buttons("release");
    // Claimed by this reviewer without a tab (Review next, an API client): this page is where they are.
    if (claim.kind === "mine" && this.editable && wasHere && previous !== "window") this.claimHere();
  }

  buttons(...shown) {
    for (const form of this.banner.querySelectorAll("form[data-claim]")) {
      form.hidden = !shown.includes(form.dataset.claim);
    }
  }

  // This tab saved a value: the claim is its own now, whichever window held it.
  saved() {
    if (!this.editable) return;
    if (this.kind === "here") {
      this.poll(); // the combined text and the history follow the value just saved
      return;
    }
    this.kind = "here";
    this.claimHere();
  }

  async claimHere() {
    const form = new FormData();
    form.append("tab", this.tab);
    try {
      await request(this.claimUrl, { method: "POST", form });
    } finally {
      this.poll();
    }
  }

  get readOnlyNow() {
    return !this.editable;
  }

  // Nothing typed here can be saved any more: every input stops taking text, the approve and decide forms go,
  // and the banner says why. The values typed and not saved stay in their inputs (and in sessionStorage).
  readOnly(text, why, reloadable = why === "decided") {
    this.editable = false;
    for (const control of this.panel.querySelectorAll("textarea, input, select, button.revert, .conflict button")) {
      control.disabled = true;
    }
    for (const gone of this.panel.querySelectorAll(".decide, .hint.keys, .key-answer")) gone.hidden = true;
    if (!this.banner) return;
    this.banner.classList.remove("other", "unclaimed", "window", "lost", "decided");
    this.banner.classList.add(why);
    this.banner.setAttribute("role", "alert");
    this.banner.querySelector("p").textContent = text;
    this.buttons();
    if (reloadable && !this.banner.querySelector(".reload")) {
      const reload = document.createElement("button");
      reload.type = "button";
      reload.className = "reload";
      reload.textContent = this.messages.reload;
      reload.addEventListener("click", () => location.reload());
      this.banner.append(reload);
    }
  }

  // The Checks panel's combined text of each page, rebuilt from the values as they read now.
  showCombined(combined) {
    for (const { page, text, changed } of combined ?? []) {
      const item = document.querySelector(`.checks dd.combined[data-page="${Number(page)}"]`);
      if (!item) continue;
      item.querySelector(".combined-now").textContent = text || "—";
      item.querySelector(".combined-ocr").hidden = !changed;
    }
  }

  showHistory(history) {
    const box = document.querySelector("details.history");
    if (!box || !history) return;
    box.querySelector("summary").textContent = history.title;
    const items = history.entries.map((entry) => {
      const item = document.createElement("li");
      const time = document.createElement("time");
      time.dateTime = entry.datetime;
      time.textContent = entry.time;
      const user = document.createElement("strong");
      user.textContent = entry.user;
      item.append(time, " ", user, ` ${entry.what} `);
      if (entry.old !== undefined) {
        const old = document.createElement("span");
        old.className = "old";
        old.textContent = entry.old;
        const now = document.createElement("span");
        now.className = "new";
        now.textContent = entry.new;
        item.append(old, " → ", now);
      }
      return item;
    });
    if (!items.length) {
      const empty = document.createElement("li");
      empty.className = "muted";
      empty.textContent = history.empty;
      items.push(empty);
    }
    box.querySelector("ol").replaceChildren(...items);
  }

  // --- Values typed and not saved, kept in this tab until saved or discarded -------------------------------

  keyOf(input) {
    const field = input.closest(".field[data-field-id]");
    if (field) return `f${field.dataset.fieldId}${input.dataset.subfieldId ? `.${input.dataset.subfieldId}` : ""}`;
    const cell = input.closest("td[data-cell-id]");
    return cell ? `c${cell.dataset.cellId}` : null;
  }

  inputOf(key) {
    const [item, sub] = key.slice(1).split(".");
    if (key.startsWith("c")) return document.querySelector(`#cell-${Number(item)} textarea`);
    const field = document.getElementById(`field-${Number(item)}`);
    if (!field) return null;
    if (sub) return field.querySelector(`.cell[data-subfield-id="${Number(sub)}"]`);
    return field.querySelector(".value, input[type=checkbox]");
  }

  stored() {
    try {
      return JSON.parse(sessionStorage.getItem(this.storeKey) ?? "{}");
    } catch {
      return {};
    }
  }

  store(pending) {
    try {
      if (Object.keys(pending).length) sessionStorage.setItem(this.storeKey, JSON.stringify(pending));
      else sessionStorage.removeItem(this.storeKey);
    } catch {
      // Storage full or refused: the value still stands in its input.
    }
  }

  remember() {
    const pending = this.stored();
    for (const input of this.panel.querySelectorAll(".field textarea, .field input, td.table-cell textarea")) {
      const key = this.keyOf(input);
      if (!key) continue;
      if (this.dirty(input)) pending[key] = { value: input.type === "checkbox" ? String(input.checked) : input.value };
      else delete pending[key];
    }
    this.store(pending);
  }

  forget(input) {
    const key = input && this.keyOf(input);
    if (!key) return;
    const pending = this.stored();
    delete pending[key];
    this.store(pending);
  }

  // After a reload: each value typed before it comes back into its input, marked not saved, with a way to drop it.
  restore() {
    const pending = this.stored();
    for (const [key, { value }] of Object.entries(pending)) {
      const input = this.inputOf(key);
      if (!input || normal(value) === normal(input.dataset.saved)) {
        delete pending[key];
        continue;
      }
      if (input.type === "checkbox") input.checked = value === "true";
      else input.value = value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      this.say(input, "error", input.disabled ? this.messages.notSavedLost : this.messages.restored);
      this.offerDiscard(input);
    }
    this.store(pending);
  }

  offerDiscard(input) {
    const item = input.closest(".field, td");
    if (!item || item.querySelector(".discard")) return;
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "link discard";
    discard.textContent = this.messages.discard;
    discard.addEventListener("click", () => {
      for (const typed of item.querySelectorAll("textarea, input")) {
        if (!this.dirty(typed)) continue;
        if (typed.type === "checkbox") typed.checked = typed.dataset.saved === "true";
        else typed.value = typed.dataset.saved;
        typed.dispatchEvent(new Event("input", { bubbles: true }));
        this.forget(typed);
      }
      this.say(input, "", "");
      discard.remove();
    });
    item.querySelector(".save-state")?.after(discard);
  }

  say(input, kind, text) {
    const line = input.closest(".field, td")?.querySelector(".save-state");
    if (!line) return;
    line.textContent = text;
    line.dataset.state = kind;
  }
}
