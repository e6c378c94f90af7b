// The page's form and the template it describes: filled in from the saved version (or from the link that
// started a new template), and read back as the payload that saves or tries it.

function byId(id) {
  return document.getElementById(id);
}

export function load(builder) {
  const { data, draft } = builder;
  const version = data.version;
  if (version) {
    draft.load(version.definition, version.rules);
    builder.reference = { image: version.image, width: version.width, height: version.height };
    byId("template-id").value = version.id;
    byId("template-name").value = version.name;
    byId("template-lang").value = version.lang;
  } else {
    const params = new URLSearchParams(location.search);
    byId("template-id").value = params.get("id") ?? "";
    byId("template-name").value = params.get("name") ?? "";
    byId("template-lang").value = params.get("lang") ?? "ko";
    if (data.start) builder.reference = data.start;
  }
  const { validation, combine } = draft.state;
  byId("validation-url").value = validation.url ?? "";
  byId("validation-rules").value = (validation.rules ?? [])
    .map((rule) => [rule.field, rule.pattern ?? "", rule.message ?? ""].join(" | "))
    .join("\n");
  byId("combine-name").value = combine.name ?? "";
  byId("combine-text").value = combine.text ?? "";
}

// Validation rules are typed one a line: field | pattern | message.
function definition(draft) {
  const rulesText = byId("validation-rules").value.split("\n").map((line) => line.split("|").map((part) => part.trim()));
  const validationRules = rulesText.filter((parts) => parts[0]).map(([field, pattern, message]) => ({
    field, ...(pattern ? { pattern } : {}), ...(message ? { message } : {}),
  }));
  const url = byId("validation-url").value.trim();
  return {
    ...(draft.state.title ? { title: draft.state.title } : {}),
    fields: draft.state.fields,
    validation: { ...(validationRules.length ? { rules: validationRules } : {}), ...(url ? { url } : {}) },
    combine: { name: byId("combine-name").value.trim(), text: byId("combine-text").value },
  };
}

export function payload({ draft }) {
  return {
    id: Number(byId("template-id").value),
    name: byId("template-name").value,
    lang: byId("template-lang").value,
    definition: definition(draft),
    rules: draft.rulesByName(),
  };
}
