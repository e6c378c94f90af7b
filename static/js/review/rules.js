// The template field's review rules, checked as the reviewer types. The same rules are checked again on the
// server when approving (documents/services/rules.py); this copy only gives early warning. Patterns run on
// re2js, the JavaScript port of RE2 the server uses: linear time, whatever the pattern, and the same meaning.
import { RE2JS } from "../../vendor/re2js/index.js";

const compiled = new Map();

function patternOf(source) {
  if (!compiled.has(source)) {
    let pattern = null;
    try {
      pattern = RE2JS.compile(source);
    } catch {
      pattern = null; // the server refuses such patterns when they are saved; never block typing on one
    }
    compiled.set(source, pattern);
  }
  return compiled.get(source);
}

function format(text, values) {
  return text.replace(/%\((\w+)\)[sd]/g, (_, key) => String(values[key]));
}

export function failures(rule, { type, value, checked }, messages) {
  if (!rule) return [];
  if (type === "CHECKBOX") return rule.required && !checked ? [rule.message || messages.mustBeChecked] : [];
  value = value ?? "";
  if (!value.trim()) return rule.required ? [rule.message || messages.required] : [];
  const found = [];
  if (rule.numeric && !/^\d+$/.test(value.replaceAll(" ", ""))) found.push(messages.digitsOnly);
  const length = [...value].length;
  if (rule.min && length < rule.min) found.push(format(messages.atLeast, { count: rule.min }));
  if (rule.max && length > rule.max) found.push(format(messages.atMost, { count: rule.max }));
  if (rule.allowed?.length && !rule.allowed.includes(value)) {
    found.push(format(messages.oneOf, { values: rule.allowed.join(", ") }));
  }
  if (rule.pattern) {
    const pattern = patternOf(rule.pattern);
    if (pattern && !pattern.matches(value)) found.push(messages.unexpectedForm);
  }
  return found.length && rule.message ? [rule.message] : found;
}
