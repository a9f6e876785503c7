// What `docker stack config` accepts and `docker stack deploy` rejects
// (../shared/design/validators.md): checked without a swarm.
//   node stack-refs.js STACK.yml
// - every network, volume, config and secret a service names is declared
//   at the top level (or is a bind mount / tmpfs);
// - every `file:` of a config or secret exists, relative to the stack file;
// - placement constraints are `<attribute> ==|!= <value>`;
// - restart_policy.condition is none, on-failure or any;
// - update/rollback failure_action and order are docker's enumerations;
// - no `${VAR}`: docker substitutes an unset variable with "" silently.
// Exit 0 clean, 1 problems (each on stderr), 2 unreadable.
"use strict";
const yaml = require("js-yaml");
const fs = require("fs");
const path = require("path");

const file = process.argv[2];
let text, doc;
try {
  text = fs.readFileSync(file, "utf8");
  doc = yaml.load(text);
} catch (e) {
  console.error(`${file}: ${e.message}`);
  process.exit(2);
}
const problems = [];
const declared = (section) => Object.keys((doc && doc[section]) || {});
const networks = new Set(declared("networks"));
const volumes = new Set(declared("volumes"));
const configs = new Set(declared("configs"));
const secrets = new Set(declared("secrets"));
const names = (list) =>
  Array.isArray(list) ? list.map((x) => (typeof x === "string" ? x : x && x.source)) : Object.keys(list || {});

for (const [name, service] of Object.entries((doc && doc.services) || {})) {
  const where = `services.${name}`;
  const nets = service.networks;
  for (const n of Array.isArray(nets) ? nets : Object.keys(nets || {})) {
    if (!networks.has(n)) problems.push(`${where}: network "${n}" is not declared under networks:`);
  }
  for (const v of service.volumes || []) {
    if (typeof v === "string") {
      const source = v.split(":")[0];
      if (v.includes(":") && !source.startsWith("/") && !source.startsWith(".") && !volumes.has(source))
        problems.push(`${where}: volume "${source}" is not declared under volumes:`);
    } else if (v && (v.type === undefined || v.type === "volume") && v.source && !volumes.has(v.source)) {
      problems.push(`${where}: volume "${v.source}" is not declared under volumes:`);
    } else if (v && v.type === "bind" && !(v.source || "").startsWith("/")) {
      problems.push(`${where}: bind mount source "${v.source}" is not an absolute path`);
    }
  }
  for (const c of names(service.configs))
    if (!configs.has(c)) problems.push(`${where}: config "${c}" is not declared under configs:`);
  for (const s of names(service.secrets))
    if (!secrets.has(s)) problems.push(`${where}: secret "${s}" is not declared under secrets:`);

  const deploy = service.deploy || {};
  for (const c of (deploy.placement && deploy.placement.constraints) || []) {
    if (!/^[A-Za-z0-9_.\-]+\s*(==|!=)\s*\S.*$/.test(String(c)))
      problems.push(`${where}: placement constraint "${c}" is not "<attribute> == <value>" or "!="`);
  }
  const restart = deploy.restart_policy && deploy.restart_policy.condition;
  if (restart !== undefined && !["none", "on-failure", "any"].includes(restart))
    problems.push(`${where}: restart_policy.condition "${restart}" is not none, on-failure or any`);
  for (const key of ["update_config", "rollback_config"]) {
    const c = deploy[key] || {};
    if (c.failure_action !== undefined && !["continue", "pause", "rollback"].includes(c.failure_action))
      problems.push(`${where}: ${key}.failure_action "${c.failure_action}" is not continue, pause or rollback`);
    if (c.order !== undefined && !["stop-first", "start-first"].includes(c.order))
      problems.push(`${where}: ${key}.order "${c.order}" is not stop-first or start-first`);
  }
}

for (const section of ["configs", "secrets"]) {
  for (const [name, entry] of Object.entries((doc && doc[section]) || {})) {
    if (entry && entry.file !== undefined) {
      const full = path.resolve(path.dirname(file), entry.file);
      if (!fs.existsSync(full)) problems.push(`${section}.${name}: file ${entry.file} does not exist (${full})`);
    } else if (entry && !entry.external && entry.environment === undefined && entry.content === undefined) {
      problems.push(`${section}.${name}: neither file, external, environment nor content`);
    }
  }
}

text.split("\n").forEach((line, i) => {
  if (/(^|[^$])\$\{?[A-Za-z_]/.test(line.replace(/#.*$/, "")))
    problems.push(`${file}:${i + 1}: variable substitution (an unset variable becomes ""): ${line.trim()}`);
});

for (const p of problems) console.error(p);
if (problems.length) process.exit(1);
const count = Object.keys((doc && doc.services) || {}).length;
console.log(`${file}: ${count} services; networks, volumes, configs, secrets, files, constraints all resolve`);
