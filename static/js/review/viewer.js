// A page viewer: one page image at a time with an SVG layer in the image's own pixels, so boxes stay on the
// page at every zoom. Zoom to fit the width, in and out; pan by dragging or scrolling; thumbnails switch pages.

import { bounds } from "./overlay.js";

const STEP = 1.25;
const MIN_ZOOM = 0.1;
const MAX_ZOOM = 6;

export class Viewer {
  constructor(root, pages, { onPage = () => {}, canPan = (event) => !event.target.closest("g.box") } = {}) {
    this.root = root;
    this.pages = pages;
    this.onPage = onPage;
    this.canPan = canPan;
    this.scroller = root.querySelector(".scroller");
    this.stage = root.querySelector(".stage");
    this.image = root.querySelector(".stage img");
    this.svg = root.querySelector(".stage svg");
    // A page image that fails to come is said so above the page, and the boxes stay on white, rather than
    // beside a broken image's icon.
    const missing = root.querySelector(".stage-missing");
    const failed = (yes) => {
      this.image.classList.toggle("failed", yes);
      if (missing) missing.hidden = !yes;
    };
    this.image.addEventListener("error", () => failed(true));
    this.image.addEventListener("load", () => failed(false));
    // failed before this ran (an image with no source yet, the template builder's, has not failed)
    failed(Boolean(this.image.getAttribute("src")) && this.image.complete && this.image.naturalWidth === 0);
    this.label = root.querySelector(".zoom-label");
    this.pageLabel = root.querySelector(".page-label");
    this.zoom = 1;
    this.fitting = true;
    this.index = null;
    root.querySelector("[data-zoom=fit]")?.addEventListener("click", () => this.fit());
    root.querySelector("[data-zoom=in]")?.addEventListener("click", () => this.zoomBy(STEP));
    root.querySelector("[data-zoom=out]")?.addEventListener("click", () => this.zoomBy(1 / STEP));
    for (const thumb of document.querySelectorAll("[data-show-page]")) {
      thumb.addEventListener("click", () => this.show(Number(thumb.dataset.showPage)));
    }
    this.enablePanning();
    new ResizeObserver(() => this.fitting && this.fit()).observe(this.scroller);
  }

  get page() {
    return this.pages.find((page) => page.index === this.index);
  }

  show(index, { force = false } = {}) {
    if (index === this.index && !force) return;
    const page = this.pages.find((candidate) => candidate.index === index);
    if (!page) return;
    this.index = index;
    this.image.src = page.image;
    this.image.width = page.width;
    this.image.height = page.height;
    for (const thumb of document.querySelectorAll("[data-show-page]")) {
      const current = Number(thumb.dataset.showPage) === index;
      thumb.setAttribute("aria-current", String(current));
      // Of 40 thumbnails most are out of sight: the current one is brought into the strip's view.
      if (current) thumb.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
    if (this.pageLabel) this.pageLabel.textContent = this.pageLabel.dataset.template
      .replace("{n}", this.pages.indexOf(page) + 1).replace("{total}", this.pages.length);
    this.onPage(page, this.svg);
    this.fitting ? this.fit() : this.apply();
  }

  fit() {
    const page = this.page;
    if (!page) return;
    this.fitting = true;
    const room = this.scroller.clientWidth - 24;
    this.zoom = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, room / page.width));
    this.apply();
  }

  zoomBy(factor) {
    const centreX = (this.scroller.scrollLeft + this.scroller.clientWidth / 2) / this.zoom;
    const centreY = (this.scroller.scrollTop + this.scroller.clientHeight / 2) / this.zoom;
    this.fitting = false;
    this.zoom = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, this.zoom * factor));
    this.apply();
    this.scroller.scrollLeft = centreX * this.zoom - this.scroller.clientWidth / 2;
    this.scroller.scrollTop = centreY * this.zoom - this.scroller.clientHeight / 2;
  }

  apply() {
    const page = this.page;
    // CSSOM, not a style attribute: allowed under the page's Content-Security-Policy.
    this.stage.style.width = `${Math.round(page.width * this.zoom)}px`;
    this.stage.style.height = `${Math.round(page.height * this.zoom)}px`;
    if (this.label) this.label.textContent = `${Math.round(this.zoom * 100)}%`;
  }

  // Bring a box (in page pixels) into view, without moving when it is already visible.
  reveal(poly) {
    if (!poly || poly.length < 3) return;
    const box = bounds(poly);
    const margin = 40;
    const left = box.left * this.zoom;
    const right = box.right * this.zoom;
    const top = box.top * this.zoom;
    const bottom = box.bottom * this.zoom;
    const view = this.scroller;
    if (left < view.scrollLeft || right > view.scrollLeft + view.clientWidth) {
      view.scrollLeft = left - margin;
    }
    if (top < view.scrollTop || bottom > view.scrollTop + view.clientHeight) {
      view.scrollTop = Math.max(0, (top + bottom) / 2 - view.clientHeight / 2);
    }
  }

  enablePanning() {
    let start = null;
    this.scroller.addEventListener("pointerdown", (event) => {
      if (event.button !== 0 || !this.canPan(event)) return;
      start = { x: event.clientX, y: event.clientY, left: this.scroller.scrollLeft, top: this.scroller.scrollTop };
      this.scroller.setPointerCapture(event.pointerId);
      this.scroller.classList.add("panning");
    });
    this.scroller.addEventListener("pointermove", (event) => {
      if (!start) return;
      this.scroller.scrollLeft = start.left - (event.clientX - start.x);
      this.scroller.scrollTop = start.top - (event.clientY - start.y);
    });
    const stop = () => {
      start = null;
      this.scroller.classList.remove("panning");
    };
    this.scroller.addEventListener("pointerup", stop);
    this.scroller.addEventListener("pointercancel", stop);
  }
}
