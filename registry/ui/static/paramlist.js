// Where a compatibility finding stands in a param list. The server compiles a param list
// (registry/core/paramlist.py) into a JSON Schema and reports findings by pointers into that
// schema: "/properties/total/type", "/properties/items/items/properties/sku/minimum",
// "/required" (with the name in newValue or oldValue). places() walks such a pointer down the
// param list the user edits and returns the pointers into that list a finding can be shown at,
// most specific first, each with its depth (how much of the schema pointer it stands for):
// the definition's own key when the list has it (its "type" line for type and format, ...),
// else the definition's "name" line, else the enclosing list.
import { escapeToken, splitPointer } from "./json.js";

// compiled keywords that come from another key of a definition
const SOURCE_KEY = { format: "type", allOf: "pattern" };

function keyOf(definition, keyword) {
  // a datetime compiles to a pattern of its own; a pattern the user gave goes under allOf
  if (keyword === "pattern" && definition.type === "datetime") return "type";
  return SOURCE_KEY[keyword] || keyword;
}

function named(list, name) {
  return Array.isArray(list) ? list.findIndex((d) => d !== null && typeof d === "object" && d.name === name) : -1;
}

export function places(params, path, finding = {}) {
  const tokens = splitPointer(path);
  const found = [{ pointer: "", depth: 0 }];
  const add = (pointer, depth) => found.unshift({ pointer, depth });
  let list = params;
  let definition = null;
  let at = "";
  const enter = (index, depth) => {
    at = `${at}/${index}`;
    definition = list[index];
    add(at, depth);
    if (typeof definition.name === "string") add(`${at}/name`, depth);
  };
  const requiredOf = (depth) => {
    // "/required" says which name in the finding: that definition's "required" line
    const index = named(list, finding.newValue ?? finding.oldValue);
    if (index < 0) return;
    enter(index, depth);
    add(`${at}/required`, depth + 1);
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (definition === null) {
      // at a list: the object schema it compiles to has properties and required
      if (!Array.isArray(list)) break;
      if (token === "properties" && i + 1 < tokens.length) {
        const index = named(list, tokens[++i]);
        if (index < 0) break;
        enter(index, i + 1);
        continue;
      }
      if (token === "required") requiredOf(i + 1);
      break;
    }
    if ((token === "properties" || token === "required") && Array.isArray(definition.properties)) {
      list = definition.properties;
      definition = null;
      at = `${at}/properties`;
      add(at, i);
      i--; // read the token again, at the list
      continue;
    }
    if (token === "items" && definition.items !== undefined) {
      const items = definition.items;
      at = `${at}/items`;
      add(at, i + 1);
      if (Array.isArray(items)) {
        list = items;
        definition = null;
      } else if (items !== null && typeof items === "object") definition = items;
      else break; // a type name: its one line
      continue;
    }
    const key = keyOf(definition, token);
    if (Object.hasOwn(definition, key)) {
      add(`${at}/${key}`, i + 1);
      // enum and description are copied as they are: deeper tokens (an enum value) exist too
      if (key === token && i + 1 < tokens.length) add(`${at}/${key}/${tokens.slice(i + 1).map(escapeToken).join("/")}`, tokens.length);
    }
    break;
  }
  return found;
}
