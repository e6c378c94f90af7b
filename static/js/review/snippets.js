// Beside each field, the piece of the page it was read from: cut client-side from the page image the viewer
// shows (the same authenticated URL, so the browser's copy), turned upright when the box sits askew on a
// rotated scan or its text runs down a page turned sideways, and enlarged three times on a click.

import { bounds } from "./overlay.js";

const MARGIN = 6; // page pixels around the box: the box's own edge and what touches it stay in view
const ZOOM = 3;
const MIN_SIDE = 2; // page pixels: a box narrower or lower than this has nothing in it to show
const MAX_TILT = Math.PI / 6; // past this a box is a turned line of text, or an odd corner order
const LINE_SHAPE = 0.8; // a turned line of text is at least about as long along its text as across it

const images = new Map();

function imageOf(url) {
  if (!images.has(url)) {
    images.set(
      url,
      new Promise((resolve, reject) => {
        const image = new Image();
        image.addEventListener("load", () => resolve(image));
        image.addEventListener("error", reject);
        image.src = url;
      }),
    );
  }
  return images.get(url);
}

// The box as the text runs: its angle and its upright size, from the corners' order (top-left, top-right,
// bottom-right, bottom-left in the text's own frame, as CLOVA gives them). Text on a page turned sideways
// runs down or up the page (a quarter turn) and is set upright like a skewed line; a steep "top edge" much
// shorter than the box is deep is instead corners in some other order, and the box is cut as it lies.
function upright(poly) {
  const [first, second, , last] = poly;
  const angle = Math.atan2(second[1] - first[1], second[0] - first[0]);
  const width = Math.hypot(second[0] - first[0], second[1] - first[1]);
  const height = last ? Math.hypot(last[0] - first[0], last[1] - first[1]) : 0;
  if (poly.length !== 4 || (Math.abs(angle) > MAX_TILT && width < height * LINE_SHAPE)) {
    const box = bounds(poly);
    return { angle: 0, width: box.right - box.left, height: box.bottom - box.top };
  }
  return { angle, width, height };
}

// The canvas at the piece's size, before its page image has come: the piece keeps its room in the panel from
// the start, and drawing it later moves nothing under the reviewer's pointer (a release beside a button that
// moved is no click).
function sizeFor(canvas, poly) {
  const { angle, width, height } = upright(poly);
  canvas.width = Math.max(1, Math.round(width + 2 * MARGIN));
  canvas.height = Math.max(1, Math.round(height + 2 * MARGIN));
  return angle;
}

// A box with no room in it (a point, or a line: what a field found nowhere can come back with) shows nothing
// of the page; its piece, all margin, looked like an empty checkbox.
function pointLike(poly) {
  const { width, height } = upright(poly);
  return width < MIN_SIDE || height < MIN_SIDE;
}

export function drawSnippet(canvas, image, poly) {
  const box = bounds(poly);
  const centre = [(box.left + box.right) / 2, (box.top + box.bottom) / 2];
  const angle = sizeFor(canvas, poly);
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.translate(canvas.width / 2, canvas.height / 2);
  context.rotate(-angle);
  context.drawImage(image, -centre[0], -centre[1]);
  // Where on the page the piece comes from, in page pixels: for the eye of a test, and a tooltip's worth.
  canvas.dataset.source = [box.left - MARGIN, box.top - MARGIN, box.right - box.left + 2 * MARGIN,
    box.bottom - box.top + 2 * MARGIN].map(Math.round).join(",");
  canvas.dataset.angle = String(angle);
}

function toggle(holder) {
  const canvas = holder.querySelector("canvas");
  const zoomed = !holder.classList.contains("zoomed");
  // CSSOM, not a style attribute: allowed under the page's Content-Security-Policy.
  canvas.style.width = zoomed ? `${canvas.getBoundingClientRect().width * ZOOM}px` : "";
  holder.classList.toggle("zoomed", zoomed);
  holder.setAttribute("aria-expanded", String(zoomed));
}

// fields: Map of field id -> {poly, image}. A piece is cut when its field comes near the screen: a 40-page
// document does not fetch 40 page images before the reviewer reads the first field.
export function drawSnippets(panel, fields) {
  const cut = (holder) => {
    const field = fields.get(Number(holder.dataset.fieldId));
    imageOf(field.image).then(
      (image) => drawSnippet(holder.querySelector("canvas"), image, field.poly),
      // Its room kept (taken away, it moved everything below by the pieces' height), and said to be missing:
      // the hatching alone is what a piece still coming looks like.
      () => {
        holder.classList.add("unavailable");
        const said = holder.querySelector(".snippet-missing");
        said.hidden = false;
        holder.title = said.textContent; // in full, where the piece is too narrow for it
      },
    );
  };
  const near = new IntersectionObserver(
    (entries) => {
      for (const entry of entries.filter((one) => one.isIntersecting)) {
        near.unobserve(entry.target);
        cut(entry.target.querySelector(".snippet[data-field-id]"));
      }
    },
    { rootMargin: "600px 0px" },
  );
  for (const holder of panel.querySelectorAll(".snippet[data-field-id]")) {
    const field = fields.get(Number(holder.dataset.fieldId));
    if (!field?.poly || field.poly.length < 3 || pointLike(field.poly)) continue;
    sizeFor(holder.querySelector("canvas"), field.poly);
    holder.hidden = false;
    holder.addEventListener("click", () => holder.querySelector("canvas").dataset.source && toggle(holder));
    // The field, not the piece: a hidden piece has no box for the observer to see.
    near.observe(holder.closest(".field"));
  }
  // A click anywhere else puts an enlarged piece back.
  document.addEventListener("click", (event) => {
    for (const holder of panel.querySelectorAll(".snippet.zoomed")) {
      if (!holder.contains(event.target)) toggle(holder);
    }
  });
}
