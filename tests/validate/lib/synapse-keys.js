// Every key of a homeserver.yaml must be one Synapse's config schema
// describes. The schema forbids no unknown key (no additionalProperties:
// false), so a typo such as `enable_registraton` validates; this walks the
// schema's properties, items, $refs and allOf/anyOf/oneOf branches as deep
// as they go and reports each key path they do not name.
//   node synapse-keys.js synapse-config.schema.yaml homeserver.yaml
// Exit 0 all known, 1 unknown keys (on stderr), 2 unreadable.
"use strict";
const yaml = require("js-yaml");
const fs = require("fs");

const [schemaPath, file] = process.argv.slice(2);
let schema, doc;
try {
  schema = yaml.load(fs.readFileSync(schemaPath, "utf8"));
  doc = yaml.load(fs.readFileSync(file, "utf8"));
} catch (e) {
  console.error(e.message);
  process.exit(2);
}

function resolve(node) {
  let seen = 0;
  while (node && typeof node === "object" && typeof node.$ref === "string") {
    const ref = node.$ref;
    if (!ref.startsWith("#/") || ++seen > 50) return {};
    node = ref.slice(2).split("/").reduce((n, part) => (n ? n[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined), schema);
  }
  return node || {};
}

// The branches of a schema node: itself and, recursively, its combinators.
function branches(node, out = []) {
  node = resolve(node);
  out.push(node);
  for (const key of ["allOf", "anyOf", "oneOf"]) for (const b of node[key] || []) branches(b, out);
  if (node.then) branches(node.then, out);
  if (node.else) branches(node.else, out);
  return out;
}

const unknown = [];
let checked = 0;
function walk(value, node, where) {
  const all = branches(node);
  if (Array.isArray(value)) {
    const items = all.map((b) => b.items).filter((i) => i && typeof i === "object" && !Array.isArray(i));
    if (items.length) value.forEach((item, i) => walk(item, { anyOf: items }, `${where}[${i}]`));
    return;
  }
  if (!value || typeof value !== "object") return;
  const properties = {};
  const patterns = [];
  const additional = [];
  for (const b of all) {
    Object.assign(properties, b.properties || {});
    for (const [p, s] of Object.entries(b.patternProperties || {})) patterns.push([new RegExp(p, "u"), s]);
    if (b.additionalProperties && typeof b.additionalProperties === "object") additional.push(b.additionalProperties);
  }
  const described = Object.keys(properties).length || patterns.length || additional.length;
  if (!described) return; // an object the schema leaves open, e.g. database.args
  for (const [key, child] of Object.entries(value)) {
    const path = where ? `${where}.${key}` : key;
    checked++;
    if (key in properties) walk(child, properties[key], path);
    else {
      const pattern = patterns.find(([re]) => re.test(key));
      if (pattern) walk(child, pattern[1], path);
      else if (additional.length) walk(child, { anyOf: additional }, path);
      else unknown.push(path);
    }
  }
}

walk(doc, schema, "");
for (const path of unknown) console.error(`${file}: ${path}: not a key of Synapse's config schema (${schema.$id || schemaPath})`);
if (unknown.length) process.exit(1);
console.log(`${file}: all ${checked} keys are known to ${schema.$id || schemaPath}`);
