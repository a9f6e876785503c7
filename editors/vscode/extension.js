// Starts `dcommc lsp` for .dcomm files. Needs `npm install` in this folder
// (vscode-languageclient); without it the grammar still highlights.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("dcomm");
  const command = config.get("server.path", "dcommc");
  const args = config.get("server.args", ["lsp"]);
  client = new LanguageClient(
    "dcommc",
    "dcommc language server",
    { run: { command, args }, debug: { command, args } },
    { documentSelector: [{ scheme: "file", language: "dcomm" }] }
  );
  client.start();
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
