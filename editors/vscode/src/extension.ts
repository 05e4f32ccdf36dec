// The VS Code side: reads settings, starts/stops the client, registers commands.
// Decisions live in config.ts, which is unit-tested without VS Code.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  ResponseError,
} from 'vscode-languageclient/node';
import * as cfg from './config';

let client: LanguageClient | undefined;
let current: cfg.Settings = { ...cfg.DEFAULT_SETTINGS };
let output: vscode.OutputChannel | undefined;
const queue = new cfg.SerialQueue();

function readSettings(): cfg.Settings {
  const c = vscode.workspace.getConfiguration(cfg.SECTION);
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  const { settings, problems } = cfg.readSettings(
    { enable: c.get('enable'), path: c.get('path'), profile: c.get('profile'), lang: c.get('lang') },
    { workspaceFolder: folder?.uri.fsPath, homeDir: os.homedir() },
  );
  for (const p of problems) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('reportlint: ignoring {0} = {1}; expected {2}.', p.setting, p.value, p.expected),
    );
  }
  return settings;
}

const isFile = (f: string): boolean => {
  try {
    return fs.statSync(f).isFile();
  } catch {
    return false;
  }
};

async function start(settings: cfg.Settings): Promise<void> {
  const plan = cfg.clientPlan(settings);
  if (plan === null) return;
  if (cfg.locateExecutable(settings.path, process.env, process.platform, isFile) === undefined) {
    const open = vscode.l10n.t('Open Settings');
    const msg = vscode.l10n.t(
      'reportlint: cannot find the executable "{0}". Install it (cargo install --path . in the reportlint repository) or set reportlint.path.',
      settings.path,
    );
    // Not awaited: the notification must not hold up activation or the queue.
    void vscode.window.showErrorMessage(msg, open).then((choice) =>
      choice === open ? vscode.commands.executeCommand('workbench.action.openSettings', 'reportlint.path') : undefined,
    );
    return;
  }
  output ??= vscode.window.createOutputChannel('reportlint');
  const c = new LanguageClient(plan.id, plan.name, plan.server, {
    documentSelector: plan.documentSelector,
    initializationOptions: plan.initializationOptions,
    diagnosticCollectionName: plan.diagnosticCollectionName,
    outputChannel: output,
    middleware: {
      workspace: {
        // Answer pulls of our section with the validated values.
        configuration: async (params, token, next) => {
          const base = await next(params, token);
          if (base instanceof ResponseError) return base;
          return cfg.mergeConfiguration(params.items.map((item) => item.section), base, current);
        },
      },
    },
  });
  client = c;
  try {
    await c.start(); // languageclient reports a failure in a notification and the output channel.
  } catch {
    client = undefined;
  }
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c === undefined) return;
  try {
    await c.dispose(2000);
  } catch (e) {
    output?.appendLine(`[reportlint] stopping the server failed: ${String(e)}`);
  }
}

async function onConfigurationChanged(): Promise<void> {
  const next = readSettings();
  const action = cfg.planChange(current, next);
  current = next;
  if (action === 'none') return;
  if (action === 'stop') {
    await stop();
  } else if (action === 'notify' && client !== undefined) {
    await client.sendNotification(DidChangeConfigurationNotification.type, cfg.didChangeConfigurationParams(next));
  } else {
    // 'start', 'restart', or 'notify' when the last start failed: try again.
    await stop();
    await start(next);
  }
}

async function insertSkeleton(): Promise<void> {
  const doc = vscode.window.activeTextEditor?.document;
  if (doc === undefined || !cfg.isSupportedDocument(doc.languageId, doc.uri.scheme)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('reportlint: open a Markdown or plain-text document first.'));
    return;
  }
  if (!client?.isRunning()) {
    void vscode.window.showWarningMessage(vscode.l10n.t('reportlint: the language server is not running.'));
    return;
  }
  await client.sendRequest(ExecuteCommandRequest.type, cfg.insertSkeletonParams(doc.uri.toString()));
}

async function restart(): Promise<void> {
  current = readSettings();
  await stop();
  if (!current.enable) {
    void vscode.window.showInformationMessage(vscode.l10n.t('reportlint is disabled (reportlint.enable is false).'));
    return;
  }
  await start(current);
}

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(cfg.COMMANDS.insertSkeleton, () => queue.run(insertSkeleton)),
    vscode.commands.registerCommand(cfg.COMMANDS.restartServer, () => queue.run(restart)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(cfg.SECTION)) void queue.run(onConfigurationChanged);
    }),
    { dispose: () => output?.dispose() },
  );
  current = readSettings();
  void queue.run(() => start(current));
}

export function deactivate(): Promise<void> {
  return queue.run(stop);
}
