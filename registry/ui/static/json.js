// A small JSON parser that remembers where every value is in the text, by JSON Pointer.
// parse(text) -> {value, ranges}: ranges maps each pointer ("" for the document, "/params/0/name"
// ...) to {start, end} character offsets of that value (end exclusive), and, for object members,
// keyStart/keyEnd of the member name. A syntax error throws JsonError with the offset.

export class JsonError extends Error {
  constructor(message, at) {
    super(`${message} at character ${at}`);
    this.at = at;
  }
}

export function escapeToken(token) {
  return String(token).replaceAll("~", "~0").replaceAll("/", "~1");
}

export function parse(text) {
  const ranges = new Map();
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const fail = (what) => {
    throw new JsonError(i < text.length ? `${what}, found ${JSON.stringify(text[i])}` : `${what}, found the end`, i);
  };
  const literal = (word, value) => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return value;
    }
    return fail("expected a JSON value");
  };
  const string = () => {
    const start = i++;
    let out = "";
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i++;
        return out;
      }
      if (c === "\\") {
        const e = text[i + 1];
        const simple = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          i++;
          fail("invalid escape in a string");
        }
      } else if (c < " ") {
        fail("control character in a string");
      } else {
        out += c;
        i++;
      }
    }
    i = start;
    return fail("unterminated string");
  };
  const number = () => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m) fail("expected a JSON value");
    i += m[0].length;
    return Number(m[0]);
  };
  const value = (at, depth) => {
    if (depth > 200) fail("nesting too deep");
    ws();
    const start = i;
    let v;
    const c = text[i];
    if (c === "{") {
      i++;
      v = {};
      ws();
      if (text[i] === "}") i++;
      else {
        for (;;) {
          ws();
          if (text[i] !== '"') fail("expected a member name in quotes");
          const keyStart = i;
          const key = string();
          const keyEnd = i;
          ws();
          if (text[i] !== ":") fail("expected ':'");
          i++;
          const ptr = `${at}/${escapeToken(key)}`;
          v[key] = value(ptr, depth + 1);
          const r = ranges.get(ptr);
          r.keyStart = keyStart;
          r.keyEnd = keyEnd;
          ws();
          if (text[i] === ",") i++;
          else if (text[i] === "}") {
            i++;
            break;
          } else fail("expected ',' or '}'");
        }
      }
    } else if (c === "[") {
      i++;
      v = [];
      ws();
      if (text[i] === "]") i++;
      else {
        for (;;) {
          v.push(value(`${at}/${v.length}`, depth + 1));
          ws();
          if (text[i] === ",") i++;
          else if (text[i] === "]") {
            i++;
            break;
          } else fail("expected ',' or ']'");
        }
      }
    } else if (c === '"') v = string();
    else if (c === "t") v = literal("true", true);
    else if (c === "f") v = literal("false", false);
    else if (c === "n") v = literal("null", null);
    else v = number();
    ranges.set(at, { start, end: i });
    return v;
  };
  const result = value("", 0);
  ws();
  if (i < text.length) fail("unexpected text after the JSON value");
  return { value: result, ranges };
}

// The reference tokens of a JSON Pointer, unescaped ("" has none).
export function splitPointer(pointer) {
  return pointer === "" ? [] : pointer.slice(1).split("/").map((raw) => raw.replaceAll("~1", "/").replaceAll("~0", "~"));
}

// The value a pointer names (undefined when it leads nowhere).
export function resolve(doc, pointer) {
  let here = doc;
  for (const token of splitPointer(pointer)) {
    if (here === null || typeof here !== "object" || !Object.hasOwn(here, token)) return undefined;
    here = here[token];
  }
  return here;
}

// The text of a fix that puts `suggestion` where `current` is, keeping its JSON type; null when
// the suggestion cannot stand in for it.
export function replacementFor(current, suggestion) {
  if (typeof current === "string") return JSON.stringify(suggestion);
  if (typeof current === "number" && /^-?[0-9]+(\.[0-9]+)?$/.test(suggestion)) return suggestion;
  return null;
}

export const pretty = (v) => JSON.stringify(v, null, 2);
