// Unit tests for src/config.ts, run with plain Node (`node --test`), no VS Code.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  clientPlan,
  COMMANDS,
  DEFAULT_SETTINGS,
  didChangeConfigurationParams,
  documentSelector,
  expandPath,
  insertSkeletonParams,
  isSupportedDocument,
  locateExecutable,
  mergeConfiguration,
  planChange,
  readSettings,
  SerialQueue,
  SERVER_INSERT_SKELETON,
  type ClientPlan,
  type RawSettings,
  type Settings,
} from '../src/config';

const WS = '/home/user/my reports';
const HOME = '/home/user';

function plan(raw: RawSettings): ClientPlan | null {
  return clientPlan(readSettings(raw, { workspaceFolder: WS, homeDir: HOME }).settings);
}

function planOk(raw: RawSettings): ClientPlan {
  const p = plan(raw);
  assert.ok(p, 'expected a client to be started');
  return p;
}

describe('server command, args and options', () => {
  it('default config (nothing set) runs `reportlint server --stdio`', () => {
    const p = planOk({});
    assert.deepEqual(p.server.run, { command: 'reportlint', args: ['server', '--stdio'] });
    assert.deepEqual(p.server.debug, p.server.run);
    assert.deepEqual(p.initializationOptions, { profile: null, lang: null });
    assert.equal(p.id, 'reportlint');
    assert.equal(p.diagnosticCollectionName, 'reportlint');
  });

  it('defaults as VS Code reports them ("" for profile and lang) are the same as nothing set', () => {
    const r = readSettings({ enable: true, path: 'reportlint', profile: '', lang: '' });
    assert.deepEqual(r.settings, DEFAULT_SETTINGS);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(planOk({ enable: true, path: 'reportlint', profile: '', lang: '' }), planOk({}));
  });

  it('a blank path falls back to `reportlint`', () => {
    assert.equal(planOk({ path: '   ' }).server.run.command, 'reportlint');
  });

  it('a custom path with spaces is passed as it is, unquoted, with the same args', () => {
    const p = planOk({ path: '/opt/Report Tools/bin/reportlint' });
    assert.deepEqual(p.server.run, { command: '/opt/Report Tools/bin/reportlint', args: ['server', '--stdio'] });
    const win = readSettings({ path: '  C:\\Program Files\\reportlint\\reportlint.exe ' }).settings;
    assert.equal(clientPlan(win)?.server.run.command, 'C:\\Program Files\\reportlint\\reportlint.exe');
  });

  it('a relative path or ${workspaceFolder} resolves against the workspace folder', () => {
    assert.equal(planOk({ path: './target/debug/reportlint' }).server.run.command, path.join(WS, 'target/debug/reportlint'));
    assert.equal(planOk({ path: '${workspaceFolder}/bin/reportlint' }).server.run.command, `${WS}/bin/reportlint`);
    assert.equal(planOk({ path: '~/.cargo/bin/reportlint' }).server.run.command, path.join(HOME, '.cargo/bin/reportlint'));
  });

  it('${workspaceFolder} without a folder is a problem, and the default is used', () => {
    const r = readSettings({ path: '${workspaceFolder}/reportlint' }, {});
    assert.equal(r.settings.path, 'reportlint');
    assert.equal(r.problems[0]?.setting, 'reportlint.path');
  });

  it('profile set: built-in names go to initializationOptions, normalised', () => {
    assert.deepEqual(planOk({ profile: 'f2019' }).initializationOptions, { profile: 'f2019', lang: null });
    assert.deepEqual(planOk({ profile: ' F2021 ' }).initializationOptions, { profile: 'f2021', lang: null });
  });

  it('profile set to a JSON file: relative paths become absolute', () => {
    assert.equal(planOk({ profile: 'profiles/county.json' }).initializationOptions.profile, path.join(WS, 'profiles/county.json'));
    assert.equal(planOk({ profile: 'county.json' }).initializationOptions.profile, path.join(WS, 'county.json'));
    assert.equal(planOk({ profile: '/srv/profiles/county.json' }).initializationOptions.profile, '/srv/profiles/county.json');
    // The server command itself does not change with the profile.
    assert.deepEqual(planOk({ profile: 'f2019' }).server, planOk({}).server);
  });

  it('a profile that is neither built in nor .json is passed on with a warning', () => {
    const r = readSettings({ profile: 'f2030' });
    assert.equal(r.settings.profile, 'f2030');
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]?.setting, 'reportlint.profile');
  });

  it('lang set', () => {
    assert.deepEqual(planOk({ lang: 'en' }).initializationOptions, { profile: null, lang: 'en' });
    assert.deepEqual(planOk({ lang: 'zh' }).initializationOptions, { profile: null, lang: 'zh' });
    assert.deepEqual(planOk({ lang: 'EN' }).initializationOptions, { profile: null, lang: 'en' });
    assert.deepEqual(planOk({ profile: 'f2021', lang: 'zh' }).initializationOptions, { profile: 'f2021', lang: 'zh' });
  });

  it('an unknown lang follows the locale (null) and is reported', () => {
    const r = readSettings({ lang: 'fr' });
    assert.equal(r.settings.lang, null);
    assert.deepEqual(r.problems, [{ setting: 'reportlint.lang', value: '"fr"', expected: '"", "zh" or "en"' }]);
  });

  it('enable false starts no client', () => {
    assert.equal(plan({ enable: false }), null);
    assert.equal(plan({ enable: false, path: '/x/reportlint', profile: 'f2019', lang: 'en' }), null);
  });

  it('values of the wrong type fall back to the defaults and are reported', () => {
    const r = readSettings({ enable: 'no', path: 42, profile: ['f2021'], lang: true });
    assert.deepEqual(r.settings, DEFAULT_SETTINGS);
    assert.deepEqual(
      r.problems.map((p) => p.setting),
      ['reportlint.enable', 'reportlint.path', 'reportlint.profile', 'reportlint.lang'],
    );
  });
});

describe('documents', () => {
  it('selects Markdown and plain text, on disk and untitled', () => {
    assert.deepEqual(documentSelector(), [
      { language: 'markdown', scheme: 'file' },
      { language: 'markdown', scheme: 'untitled' },
      { language: 'plaintext', scheme: 'file' },
      { language: 'plaintext', scheme: 'untitled' },
    ]);
    assert.deepEqual(planOk({}).documentSelector, documentSelector());
  });

  it('isSupportedDocument', () => {
    assert.equal(isSupportedDocument('markdown', 'file'), true);
    assert.equal(isSupportedDocument('plaintext', 'untitled'), true);
    assert.equal(isSupportedDocument('markdown', 'git'), false);
    assert.equal(isSupportedDocument('rust', 'file'), false);
  });
});

describe('configuration changes', () => {
  const base: Settings = { ...DEFAULT_SETTINGS };
  it('planChange', () => {
    assert.equal(planChange(base, { ...base }), 'none');
    assert.equal(planChange(base, { ...base, enable: false }), 'stop');
    assert.equal(planChange({ ...base, enable: false }, base), 'start');
    assert.equal(planChange({ ...base, enable: false }, { ...base, enable: false, lang: 'en' }), 'none');
    assert.equal(planChange(base, { ...base, path: '/other/reportlint' }), 'restart');
    assert.equal(planChange(base, { ...base, path: '/other/reportlint', lang: 'en' }), 'restart');
    assert.equal(planChange(base, { ...base, profile: 'f2019' }), 'notify');
    assert.equal(planChange(base, { ...base, lang: 'zh' }), 'notify');
  });

  it('didChangeConfiguration carries the settings under `reportlint`', () => {
    assert.deepEqual(didChangeConfigurationParams({ ...base, profile: 'f2019', lang: 'en' }), {
      settings: { reportlint: { profile: 'f2019', lang: 'en' } },
    });
    assert.deepEqual(didChangeConfigurationParams(base), { settings: { reportlint: { profile: null, lang: null } } });
  });

  it('workspace/configuration answers for our section use validated values', () => {
    const s: Settings = { ...base, profile: 'f2021', lang: 'zh' };
    assert.deepEqual(
      mergeConfiguration(['reportlint', 'reportlint.lang', 'reportlint.profile', 'editor.tabSize', undefined], [{ profile: '' }, '', '', 4, {}], s),
      [{ profile: 'f2021', lang: 'zh' }, 'zh', 'f2021', 4, {}],
    );
    // null settings are answered as null, not replaced by the raw defaults.
    assert.deepEqual(mergeConfiguration(['reportlint.lang'], [''], base), [null]);
  });
});

describe('commands', () => {
  it('insert skeleton sends the server command with the document URI', () => {
    assert.deepEqual(insertSkeletonParams('file:///tmp/%E6%8A%A5%E5%91%8A.md'), {
      command: 'reportlint.insertSkeleton',
      arguments: ['file:///tmp/%E6%8A%A5%E5%91%8A.md'],
    });
  });

  it('client command ids do not clash with the server command', () => {
    assert.notEqual(COMMANDS.insertSkeleton, SERVER_INSERT_SKELETON);
    assert.notEqual(COMMANDS.restartServer, SERVER_INSERT_SKELETON);
  });
});

describe('expandPath', () => {
  it('leaves a bare name for PATH lookup', () => {
    assert.equal(expandPath('reportlint', { workspaceFolder: WS }), 'reportlint');
  });
  it('expands ${userHome} and ~', () => {
    assert.equal(expandPath('${userHome}/bin/reportlint', { homeDir: HOME }), `${HOME}/bin/reportlint`);
    assert.equal(expandPath('~', { homeDir: HOME }), HOME);
    assert.equal(expandPath('~/x', {}), undefined);
  });
});

describe('locateExecutable', () => {
  const files = new Set(['/usr/local/bin/reportlint', '/opt/My Tools/reportlint', 'C:\\tools\\reportlint.EXE']);
  const isFile = (f: string): boolean => files.has(f);

  it('finds a bare name on PATH', () => {
    assert.equal(locateExecutable('reportlint', { PATH: '/usr/bin:/usr/local/bin' }, 'linux', isFile), '/usr/local/bin/reportlint');
    assert.equal(locateExecutable('reportlint', { PATH: '/usr/bin' }, 'linux', isFile), undefined);
    assert.equal(locateExecutable('reportlint', {}, 'linux', isFile), undefined);
  });

  it('checks a path with separators as it is', () => {
    assert.equal(locateExecutable('/opt/My Tools/reportlint', { PATH: '' }, 'linux', isFile), '/opt/My Tools/reportlint');
    assert.equal(locateExecutable('/opt/none/reportlint', { PATH: '/usr/local/bin' }, 'linux', isFile), undefined);
  });

  it('uses PATHEXT on Windows', () => {
    assert.equal(locateExecutable('reportlint', { Path: 'C:\\Windows;C:\\tools', PATHEXT: '.COM;.EXE' }, 'win32', isFile), 'C:\\tools\\reportlint.EXE');
    assert.equal(locateExecutable('C:\\tools\\reportlint', { PATHEXT: '.EXE' }, 'win32', isFile), 'C:\\tools\\reportlint.EXE');
  });
});

describe('SerialQueue', () => {
  it('runs tasks in order and survives a failure', async () => {
    const q = new SerialQueue();
    const log: string[] = [];
    const slow = q.run(async () => {
      await new Promise((r) => setTimeout(r, 20));
      log.push('a');
    });
    const failing = q.run(() => {
      log.push('b');
      throw new Error('boom');
    });
    const last = q.run(() => {
      log.push('c');
      return 3;
    });
    await slow;
    await assert.rejects(failing, /boom/);
    assert.equal(await last, 3);
    assert.deepEqual(log, ['a', 'b', 'c']);
  });
});
