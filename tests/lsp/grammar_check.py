#!/usr/bin/env python3
"""Checks editors/dcomm.tmLanguage.json without an editor: valid JSON, every
include resolves, every regex compiles (Python's `re`; the patterns keep to
what Oniguruma and `re` share), and each rule matches the sample text it is
for and not the samples it is not for. Also that the VS Code manifest is
valid JSON and points at the grammar.

Usage: grammar_check.py GRAMMAR.json VSCODE-package.json
"""
import json
import os
import re
import sys

failures = 0


def check(cond, name, detail=""):
    global failures
    if cond:
        print(f"ok   {name}")
    else:
        failures += 1
        print(f"FAIL {name}" + (f": {detail}" if detail else ""))


def walk(rule, path, out):
    """Yields (path, key, regex) for every regex in a rule and its children."""
    for key in ("match", "begin", "end"):
        if key in rule:
            out.append((path, key, rule[key]))
    for i, child in enumerate(rule.get("patterns", [])):
        walk(child, f"{path}.patterns[{i}]", out)


def main():
    grammar_path, package_path = sys.argv[1], sys.argv[2]
    try:
        with open(grammar_path, encoding="utf-8") as f:
            grammar = json.load(f)
        ok = True
    except ValueError as e:
        check(False, "the grammar is valid JSON", str(e))
        return
    check(ok, "the grammar is valid JSON")
    check(grammar.get("scopeName") == "source.dcomm", "scopeName is source.dcomm")

    repo = grammar.get("repository", {})
    regexes = []
    walk(grammar, "patterns", regexes)
    for name, rule in repo.items():
        walk(rule, f"repository.{name}", regexes)
    compiled = {}
    bad = []
    for path, key, rx in regexes:
        try:
            compiled[(path, key)] = re.compile(rx)
        except re.error as e:
            bad.append(f"{path}.{key}: {e}")
    check(not bad, f"all {len(regexes)} regexes compile", "; ".join(bad))

    includes = []

    def collect(rule):
        for child in rule.get("patterns", []):
            if "include" in child:
                includes.append(child["include"])
            collect(child)
    collect(grammar)
    for rule in repo.values():
        collect(rule)
    missing = [i for i in includes if i.startswith("#") and i[1:] not in repo]
    check(not missing, "every #include names a repository rule", ", ".join(missing))

    def rx(name, key="match"):
        return re.compile(repo[name][key])

    samples = {
        "comment": (["# the Kyiv server", 'domain = "x" # trailing'], ["domain = 1"]),
        "import": (['import "common.dcomm"'], ["important = 1"]),
        "block": (['site "kyiv" {', '  service "synapse" {', 'kind "pad" {', '  route "client" {',
                   '  container "postfix" {', '  attribute "host" {', 'template "ua-site" {',
                   '  node "worker" {'],
                  ["  kind = synapse", "  on = node.worker", "  labels = { site = 1 }"]),
        "attribute": (["  domain  = \"kyiv\"", "max_upload = 50M", "  dweb-stack_role = 1"], ["}"]),
        "port": (["443/tcp", "28729/udp"], ["443", "443/sctp"]),
        "number": (["512M", "30s", "250ms", "-3", "999d", "42"], ["ua-site2", "node.worker", "v1"]),
        "boolean": (["true", "federation = false"], ["trueish", "untrue"]),
        "reference": (["node.worker", "service.synapse", "template.ua-site", "site.domain"],
                      ["nodeworker", "service synapse"]),
        "call": (['acme("ops@dcomm.net.ua")'], ["acme ="]),
    }
    for name, (good, not_good) in samples.items():
        r = rx(name)
        misses = [s for s in good if not r.search(s)]
        wrong = [s for s in not_good if r.fullmatch(s) or (name in ("block", "boolean", "import") and r.search(s))]
        check(not misses and not wrong, f"rule {name} matches its samples",
              f"missed {misses}, matched {wrong}")

    # Strings: begin/end and escapes, valid and not.
    string = repo["string"]
    escape, invalid = (re.compile(p["match"]) for p in string["patterns"])
    valid_escapes = ['\\"', "\\\\", "\\n", "\\t", "\\r", "\\u{E9}", "\\u{10FFFF}"]
    check(all(escape.fullmatch(e) for e in valid_escapes), "string escapes are recognised")
    check(not escape.fullmatch("\\q") and invalid.fullmatch("\\q"), "an unknown escape is marked invalid")
    check(re.compile(string["begin"]).match('"') is not None, "strings begin at a double quote")

    # A whole line: the reference inside a value is found where the value rule would look.
    line = '    on           = node.worker'
    m = rx("attribute").search(line)
    check(m and m.group(1) == "on" and rx("reference").search(line[m.end():]).group(3) == "worker",
          "an attribute line splits into name and reference")

    with open(package_path, encoding="utf-8") as f:
        try:
            package = json.load(f)
        except ValueError as e:
            check(False, "the VS Code manifest is valid JSON", str(e))
            return
    grammars = package.get("contributes", {}).get("grammars", [])
    target = os.path.normpath(os.path.join(os.path.dirname(package_path), grammars[0]["path"])) if grammars else ""
    check(os.path.normpath(grammar_path) == target, "the VS Code manifest points at the grammar", target)
    langs = package.get("contributes", {}).get("languages", [])
    check(langs and ".dcomm" in langs[0].get("extensions", []), "the manifest claims .dcomm files")
    conf = os.path.join(os.path.dirname(package_path), langs[0].get("configuration", "")) if langs else ""
    try:
        with open(conf, encoding="utf-8") as f:
            json.load(f)
        check(True, "language-configuration.json is valid JSON")
    except (OSError, ValueError) as e:
        check(False, "language-configuration.json is valid JSON", str(e))


if __name__ == "__main__":
    main()
    sys.exit(1 if failures else 0)
