// The reference image, saving the draft as a new version, and trying it on an uploaded page: the try shows
// that page with what the engine read, drawn by the review page's overlay code, until "back".

import { request } from "../http.js";
import { draw } from "../review/overlay.js";
import { triedItems } from "./shapes.js";
import { payload } from "./template.js";

function chooseReference(builder, file) {
  const reader = new FileReader();
  reader.addEventListener("load", () => {
    const image = new Image();
    image.addEventListener("load", () => {
      builder.reference = { image: reader.result, width: image.naturalWidth, height: image.naturalHeight, file };
      builder.showReference();
    });
    image.src = reader.result;
  });
  reader.readAsDataURL(file);
}

async function imageBlob({ reference }) {
  if (reference.file) return reference.file;
  return (await fetch(reference.image, { credentials: "same-origin" })).blob();
}

// The draft as JSON beside the reference image: too big for a form field, so the image goes as a file.
async function post(builder, url, extra = {}) {
  const form = new FormData();
  form.append("payload", JSON.stringify({ ...payload(builder), ...extra }));
  form.append("image", await imageBlob(builder), "reference.png");
  return request(url, { method: "POST", form });
}

async function save(builder) {
  const { data, messages, status } = builder;
  if (!builder.reference) return (status.textContent = messages.noImage);
  const result = await post(builder, data.urls.save);
  if (result.status === 201) {
    status.textContent = messages.saved.replace("%(number)s", result.data.version.number);
    location.assign(data.urls.builder.replace("{id}", result.data.version.id));
  } else {
    status.textContent = `${messages.failed} ${result.data.message ?? ""}`;
  }
}

function listTried(image, fields) {
  document.getElementById("try-results").replaceChildren(
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
}

async function tryDraft(builder) {
  const { data, messages, status, viewer } = builder;
  if (!builder.reference) return (status.textContent = messages.noImage);
  status.textContent = messages.trying;
  const result = await post(builder, data.urls.try, {
    document: Number(document.getElementById("try-document").value),
    page: Number(document.getElementById("try-page").value) - 1,
  });
  if (result.status !== 200) {
    status.textContent = `${messages.failed} ${result.data.message ?? ""}`;
    return;
  }
  const image = result.data.image;
  const fields = image.fields ?? [];
  status.textContent = messages.tried.replace("%(count)s", fields.length);
  listTried(image, fields);
  const page = result.data.page;
  viewer.pages = [viewer.pages[0], { index: 1, width: page.width, height: page.height, image: page.url }];
  viewer.onPage = (shown) => {
    if (shown.index !== 1) return builder.render();
    draw(viewer.svg, page.width, page.height, triedItems(fields));
  };
  viewer.show(1, { force: true });
  document.querySelector("[data-action=back]").hidden = false;
}

export function wireActions(builder) {
  const file = document.getElementById("reference-file");
  file.addEventListener("change", () => {
    if (file.files[0]) chooseReference(builder, file.files[0]);
  });
  document.querySelector("[data-action=save]").addEventListener("click", () => save(builder));
  document.querySelector("[data-action=try]").addEventListener("click", () => tryDraft(builder));
  document.querySelector("[data-action=back]").addEventListener("click", () => {
    builder.viewer.onPage = () => builder.render();
    builder.showReference();
  });
}
