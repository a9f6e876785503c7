// Validates a swarm stack file against the compose file schema the docker
// CLI embeds (draft-04): node compose-schema.js SCHEMA.json STACK.yml
// Exit 0 valid, 1 invalid (each error on stderr), 2 unreadable.
"use strict";
const Ajv = require("ajv-draft-04");
const yaml = require("js-yaml");
const fs = require("fs");

const [schemaPath, file] = process.argv.slice(2);
let schema, doc;
try {
  schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
  doc = yaml.load(fs.readFileSync(file, "utf8"), { json: false });
} catch (e) {
  console.error(`${file}: ${e.message}`);
  process.exit(2);
}
// The docker CLI's custom formats: "ports" and "expose" accept any value
// its own parser takes later; "duration" is a Go duration.
const ajv = new Ajv({
  allErrors: true,
  strict: false,
  formats: { ports: true, expose: true, duration: /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/ },
});
const validate = ajv.compile(schema);
if (validate(doc)) {
  console.log(`${file}: valid against ${schema.id || schemaPath}`);
  process.exit(0);
}
for (const e of validate.errors) {
  console.error(`${file}: ${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
}
process.exit(1);
