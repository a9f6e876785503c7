// maubot copies the keys it knows from its example-config.yaml and drops
// any other silently, so a misspelt key is lost without a word. This
// compares a generated maubot config with the key tree of maubot's
// example-config.yaml (maubot/maubot, maubot/example-config.yaml, as of
// commit 0a809486a68efec76d20eae10a4e0d4548e53dff; v0.5.x). Maps whose
// keys are the operator's (homeservers, admins, logging, ...) are open.
//   node maubot-keys.js config.yaml
// Exit 0 all known, 1 unknown keys (on stderr), 2 unreadable.
"use strict";
const yaml = require("js-yaml");
const fs = require("fs");

const OPEN = null; // any keys below
const HOMESERVER = { url: true, secret: true };
const known = {
  database: true,
  crypto_database: true,
  crypto_db_pickle_key: true,
  database_opts: OPEN,
  plugin_directories: { upload: true, load: true, trash: true },
  plugin_databases: { sqlite: true, postgres: true, postgres_max_conns_per_plugin: true, postgres_opts: OPEN },
  server: {
    hostname: true,
    port: true,
    public_url: true,
    ui_base_path: true,
    plugin_base_path: true,
    override_resource_path: true,
    unshared_secret: true,
  },
  homeservers: { "*": HOMESERVER },
  admins: OPEN,
  api_features: {
    login: true, plugin: true, plugin_upload: true, instance: true, instance_database: true,
    client: true, client_proxy: true, client_auth: true, dev_open: true, log: true,
  },
  logging: OPEN, // checked by Python's logging.config.dictConfig (dictconfig.py)
};

const file = process.argv[2];
let doc;
try {
  doc = yaml.load(fs.readFileSync(file, "utf8"));
} catch (e) {
  console.error(`${file}: ${e.message}`);
  process.exit(2);
}
const unknown = [];
let checked = 0;
function walk(value, tree, where) {
  if (tree === OPEN || tree === true || !value || typeof value !== "object" || Array.isArray(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const path = where ? `${where}.${key}` : key;
    checked++;
    const sub = key in tree ? tree[key] : tree["*"];
    if (sub === undefined) unknown.push(path);
    else walk(child, sub, path);
  }
}
walk(doc, known, "");
for (const path of unknown) console.error(`${file}: ${path}: not a key of maubot's example-config.yaml`);
if (unknown.length) process.exit(1);
console.log(`${file}: all ${checked} keys are maubot's`);
