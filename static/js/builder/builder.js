// The template builder: draw the title and field boxes on the reference page, give each its properties and
// review rules, undo and redo, try the draft on an uploaded page, save versions. Boxes are drawn with the
// review page's overlay code, in the reference image's own pixels. This module puts the pieces together:
//   app.js       the Builder every piece is handed: draft, viewer, reference image, tool, render
//   draft.js     the template being drawn and its undo history
//   shapes.js    boxes as the overlay draws them
//   canvas.js    drawing, moving and resizing boxes on the page
//   panel.js     the field list and the selected field's properties and rules
//   keys.js      tools, undo, redo, delete and nudge, by button and key
//   template.js  the form around the draft, loaded and read back
//   actions.js   the reference image, save and try

import { wireActions } from "./actions.js";
import { Builder } from "./app.js";
import { wireCanvas } from "./canvas.js";
import { wireKeys } from "./keys.js";
import { wirePanel } from "./panel.js";
import { load } from "./template.js";

const builder = new Builder({
  root: document.querySelector(".builder"),
  data: JSON.parse(document.getElementById("builder-data").textContent),
  messages: JSON.parse(document.getElementById("builder-messages").textContent),
  status: document.getElementById("builder-status"),
});
wireCanvas(builder);
wirePanel(builder);
wireKeys(builder);
wireActions(builder);
load(builder);
if (builder.reference) builder.showReference();
builder.root.classList.add("ready");
