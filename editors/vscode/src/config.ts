// Everything the extension decides that does not need VS Code itself.
//
// This module must never import `vscode` or `vscode-languageclient` (not even
// indirectly): the unit tests load it with plain Node, where neither exists.
// extension.ts turns these plain objects into VS Code / languageclient calls.

import * as path from 'node:path';

/** The settings section, as in `reportlint.enable`. */
export const SECTION = 'reportlint';

/** The command the server runs (`workspace/executeCommand`). */
export const SERVER_INSERT_SKELETON = 'reportlint.insertSkeleton';

/**
 * Commands the extension itself contributes. They must not share an id with a
 * server command: languageclient registers every command the server
 * advertises under its own id, and VS Code refuses a second registration.
 */
export const COMMANDS = {
  insertSkeleton: 'reportlint.client.insertSkeleton',
  restartServer: 'reportlint.restartServer',
} as const;

export const DEFAULT_PATH = 'reportlint';
export const SERVER_ARGS: readonly string[] = ['server', '--stdio'];
export const BUILTIN_PROFILES: readonly string[] = ['f2021', 'f2019'];
export const LANGUAGES: readonly string[] = ['markdown', 'plaintext'];
export const SCHEMES: readonly string[] = ['file', 'untitled'];

export type Lang = 'zh' | 'en';

/** What `workspace.getConfiguration('reportlint').get(...)` hands back: anything. */
export interface RawSettings {
  enable?: unknown;
  path?: unknown;
  profile?: unknown;
  lang?: unknown;
}

/** Validated, normalised settings. */
export interface Settings {
  enable: boolean;
  /** Executable to run: a bare name (looked up on PATH) or an absolute path. */
  path: string;
  /** `f2021`, `f2019`, an absolute path to a JSON profile, or null (choose by year). */
  profile: string | null;
  /** null: follow the client's locale (VS Code's display language). */
  lang: Lang | null;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = {
  enable: true,
  path: DEFAULT_PATH,
  profile: null,
  lang: null,
};

/** A setting whose value was not usable; the extension shows these. */
export interface Problem {
  /** Full setting id, e.g. `reportlint.lang`. */
  setting: string;
  /** The value as found, rendered as JSON. */
  value: string;
  /** What was expected, in plain words (not translated: it names values). */
  expected: string;
}

/** Where relative paths and variables in settings are resolved. */
export interface PathContext {
  /** File-system path of the first workspace folder, if there is one. */
  workspaceFolder?: string | undefined;
  /** The user's home directory, for `~` and `${userHome}`. */
  homeDir?: string | undefined;
}

function show(value: unknown): string {
  // Settings come from JSON, so JSON renders them (undefined aside).
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value);
  } catch {
    return '(unprintable value)';
  }
}

/**
 * Expands `${workspaceFolder}`, `${userHome}` and a leading `~`, then makes a
 * path that names a directory (has a separator) absolute against the
 * workspace folder. A bare name such as `reportlint` is left alone so that the
 * operating system looks it up on PATH. Returns undefined when a variable
 * cannot be expanded.
 */
export function expandPath(value: string, ctx: PathContext): string | undefined {
  let v = value;
  if (v.includes('${workspaceFolder}')) {
    if (ctx.workspaceFolder === undefined) return undefined;
    v = v.split('${workspaceFolder}').join(ctx.workspaceFolder);
  }
  if (v.includes('${userHome}')) {
    if (ctx.homeDir === undefined) return undefined;
    v = v.split('${userHome}').join(ctx.homeDir);
  }
  if (v === '~' || v.startsWith('~/') || v.startsWith('~\\')) {
    if (ctx.homeDir === undefined) return undefined;
    v = path.join(ctx.homeDir, v.slice(1));
  }
  const hasSeparator = v.includes('/') || v.includes('\\');
  if (hasSeparator && !path.isAbsolute(v) && ctx.workspaceFolder !== undefined) {
    v = path.resolve(ctx.workspaceFolder, v);
  }
  return v;
}

/** Validates raw settings; unusable values fall back to the default and are reported. */
export function readSettings(raw: RawSettings, ctx: PathContext = {}): { settings: Settings; problems: Problem[] } {
  const problems: Problem[] = [];
  const bad = (key: string, value: unknown, expected: string): void => {
    problems.push({ setting: `${SECTION}.${key}`, value: show(value), expected });
  };

  let enable = DEFAULT_SETTINGS.enable;
  if (typeof raw.enable === 'boolean') enable = raw.enable;
  else if (raw.enable !== undefined && raw.enable !== null) bad('enable', raw.enable, 'true or false');

  let exe = DEFAULT_SETTINGS.path;
  if (typeof raw.path === 'string') {
    const trimmed = raw.path.trim();
    if (trimmed !== '') {
      const expanded = expandPath(trimmed, ctx);
      if (expanded === undefined) bad('path', raw.path, 'a path whose variables can be expanded (open a folder for ${workspaceFolder})');
      else exe = expanded;
    }
  } else if (raw.path !== undefined && raw.path !== null) {
    bad('path', raw.path, 'a string: the reportlint executable');
  }

  let profile: string | null = DEFAULT_SETTINGS.profile;
  if (typeof raw.profile === 'string') {
    const trimmed = raw.profile.trim();
    const builtin = BUILTIN_PROFILES.find((p) => p === trimmed.toLowerCase());
    if (trimmed === '') {
      profile = null;
    } else if (builtin !== undefined) {
      profile = builtin;
    } else {
      const expanded = expandPath(trimmed, ctx);
      if (expanded === undefined) {
        bad('profile', raw.profile, 'a path whose variables can be expanded (open a folder for ${workspaceFolder})');
      } else {
        // A relative profile path is the workspace's, even without a separator.
        profile =
          !path.isAbsolute(expanded) && ctx.workspaceFolder !== undefined
            ? path.resolve(ctx.workspaceFolder, expanded)
            : expanded;
        if (!/\.json$/i.test(expanded)) bad('profile', raw.profile, `"", ${BUILTIN_PROFILES.join(', ')} or a path to a .json profile`);
      }
    }
  } else if (raw.profile !== undefined && raw.profile !== null) {
    bad('profile', raw.profile, `"", ${BUILTIN_PROFILES.join(', ')} or a path to a .json profile`);
  }

  let lang: Lang | null = DEFAULT_SETTINGS.lang;
  if (typeof raw.lang === 'string') {
    const v = raw.lang.trim().toLowerCase();
    if (v === 'zh' || v === 'en') lang = v;
    else if (v !== '') bad('lang', raw.lang, '"", "zh" or "en"');
  } else if (raw.lang !== undefined && raw.lang !== null) {
    bad('lang', raw.lang, '"", "zh" or "en"');
  }

  return { settings: { enable, path: exe, profile, lang }, problems };
}

/** Sent as `initializationOptions` and, under `reportlint`, with didChangeConfiguration. */
export interface ServerSettings {
  profile: string | null;
  lang: Lang | null;
}

export function serverSettings(s: Settings): ServerSettings {
  return { profile: s.profile, lang: s.lang };
}

/** Params of `workspace/didChangeConfiguration`. */
export function didChangeConfigurationParams(s: Settings): { settings: { reportlint: ServerSettings } } {
  return { settings: { reportlint: serverSettings(s) } };
}

/**
 * Answer to one `workspace/configuration` item, or undefined when the section
 * is not ours (the default handler answers it then).
 */
export function configurationItem(section: string | null | undefined, s: Settings): unknown {
  if (section === SECTION) return serverSettings(s);
  if (section === `${SECTION}.profile`) return s.profile;
  if (section === `${SECTION}.lang`) return s.lang;
  return undefined;
}

/**
 * Answers a `workspace/configuration` request: items asking for our section
 * get the validated values, the rest keep what the default handler found.
 */
export function mergeConfiguration(
  sections: readonly (string | null | undefined)[],
  defaults: readonly unknown[],
  s: Settings,
): unknown[] {
  return sections.map((section, i) => {
    const ours = configurationItem(section, s);
    return ours !== undefined ? ours : (defaults[i] ?? null);
  });
}

/** Structurally a languageclient `Executable` (stdio transport; no `--stdio` is added by the client). */
export interface ServerExecutable {
  command: string;
  args: string[];
}

export interface DocumentFilter {
  language: string;
  scheme: string;
}

export function documentSelector(): DocumentFilter[] {
  return LANGUAGES.flatMap((language) => SCHEMES.map((scheme) => ({ language, scheme })));
}

export function isSupportedDocument(languageId: string, scheme: string): boolean {
  return LANGUAGES.includes(languageId) && SCHEMES.includes(scheme);
}

/** Everything needed to construct the LanguageClient. */
export interface ClientPlan {
  id: string;
  name: string;
  server: { run: ServerExecutable; debug: ServerExecutable };
  documentSelector: DocumentFilter[];
  initializationOptions: ServerSettings;
  diagnosticCollectionName: string;
}

/** The client to start for these settings, or null when reportlint is disabled. */
export function clientPlan(s: Settings): ClientPlan | null {
  if (!s.enable) return null;
  // The command goes to child_process.spawn without a shell, so a path with
  // spaces is passed as it is: quoting it would break it.
  const exe = (): ServerExecutable => ({ command: s.path, args: [...SERVER_ARGS] });
  return {
    id: SECTION,
    name: 'reportlint',
    server: { run: exe(), debug: exe() },
    documentSelector: documentSelector(),
    initializationOptions: serverSettings(s),
    diagnosticCollectionName: SECTION,
  };
}

export type ChangeAction = 'none' | 'start' | 'stop' | 'restart' | 'notify';

/**
 * What to do with the client when the settings change from `prev` to `next`
 * while a client for `prev` is running (or was meant to be).
 */
export function planChange(prev: Settings, next: Settings): ChangeAction {
  if (!prev.enable) return next.enable ? 'start' : 'none';
  if (!next.enable) return 'stop';
  if (prev.path !== next.path) return 'restart';
  if (prev.profile !== next.profile || prev.lang !== next.lang) return 'notify';
  return 'none';
}

/** Params of the `workspace/executeCommand` request that inserts a skeleton. */
export function insertSkeletonParams(documentUri: string): { command: string; arguments: [string] } {
  return { command: SERVER_INSERT_SKELETON, arguments: [documentUri] };
}

/**
 * Finds the executable that `command` names, the way spawn would: a path with
 * a separator is checked as it is, a bare name is looked for on PATH (with
 * PATHEXT on Windows). Returns the file found, or undefined. `isFile` is
 * injected so that this stays testable.
 */
export function locateExecutable(
  command: string,
  env: Record<string, string | undefined>,
  platform: string,
  isFile: (candidate: string) => boolean,
): string | undefined {
  const win = platform === 'win32';
  const exts = win
    ? ['', ...(env.PATHEXT ?? env.Pathext ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((e) => e !== '')]
    : [''];
  const p = win ? path.win32 : path.posix;
  const withExts = (base: string): string | undefined => {
    for (const ext of exts) {
      const candidate = base + ext;
      if (isFile(candidate)) return candidate;
    }
    return undefined;
  };
  if (command.includes('/') || (win && command.includes('\\'))) return withExts(command);
  const dirs = (env.PATH ?? env.Path ?? '').split(win ? ';' : ':').filter((d) => d !== '');
  for (const dir of dirs) {
    const found = withExts(p.join(dir, command));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Runs tasks one after another, so that starts and stops never overlap. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(task);
    // A failed task must not block the ones after it.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
