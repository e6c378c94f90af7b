// The side panel: the list of fields, and the selected field's properties and review rules, kept in step
// with the draft both ways.

export function renderList(builder) {
  const { draft } = builder;
  document.getElementById("field-list").replaceChildren(
    ...draft.state.fields.map((field, index) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "link";
      button.textContent = `${field.name} · ${field.type}${field.type === "MULTI_BOX" ? ` × ${field.cells}` : ""}`;
      button.addEventListener("click", () => builder.select(index));
      item.append(button);
      if (index === draft.selected) item.classList.add("current");
      return item;
    }),
  );
}

export function renderProperties({ draft }) {
  const field = draft.field ?? null;
  document.getElementById("field-properties").hidden = !field;
  document.getElementById("title-selected").hidden = draft.selected !== "title";
  document.getElementById("nothing-selected").hidden = draft.selected !== null;
  if (!field) return;
  // The input being typed in is left alone: rewriting it would move the caret.
  for (const input of document.querySelectorAll("[data-prop]")) {
    const value = field[input.dataset.prop];
    if (document.activeElement !== input) input.value = value ?? "";
  }
  for (const label of document.querySelectorAll("[data-for]")) label.hidden = label.dataset.for !== field.type;
  const rule = draft.rule;
  for (const input of document.querySelectorAll("[data-rule]")) {
    if (document.activeElement === input) continue;
    if (input.type === "checkbox") input.checked = Boolean(rule[input.dataset.rule]);
    else input.value = rule[input.dataset.rule] ?? "";
  }
}

// Focusing a property keeps the draft as it was, so one undo takes back all the typing in it.
export function wirePanel(builder) {
  const { draft } = builder;
  for (const input of document.querySelectorAll("[data-prop]")) {
    input.addEventListener("focus", () => builder.remember());
    input.addEventListener("input", () => {
      if (!draft.field) return;
      draft.setProperty(input.dataset.prop, input.value);
      builder.render();
    });
  }
  for (const input of document.querySelectorAll("[data-rule]")) {
    input.addEventListener("focus", () => builder.remember());
    input.addEventListener(input.type === "checkbox" ? "change" : "input", () => {
      if (!draft.field) return;
      draft.setRule(input.dataset.rule, input.type === "checkbox" ? input.checked : input.value);
    });
  }
}
