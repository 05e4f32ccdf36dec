// Checks that package.json, the translations and the code agree.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { COMMANDS, DEFAULT_PATH, LANGUAGES, SECTION } from '../src/config';

// Compiled to out/test/, so the package root is two levels up.
const ROOT = path.resolve(__dirname, '..', '..');

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
}

interface Manifest {
  name: string;
  version: string;
  main: string;
  engines: { vscode: string };
  activationEvents: string[];
  devDependencies: Record<string, string>;
  contributes: {
    commands: { command: string; title: string }[];
    configuration: { properties: Record<string, { default: unknown; enum?: unknown[] }> };
  };
}

const pkg = readJson('package.json') as Manifest;
const nls = readJson('package.nls.json') as Record<string, string>;
const nlsZh = readJson('package.nls.zh-cn.json') as Record<string, string>;

describe('package.json', () => {
  it('basics', () => {
    assert.equal(pkg.name, 'reportlint');
    assert.equal(pkg.main, './dist/extension.js');
    assert.equal(pkg.engines.vscode, '^1.82.0');
    assert.deepEqual(pkg.activationEvents, LANGUAGES.map((l) => `onLanguage:${l}`));
    // vsce refuses @types/vscode newer than engines.vscode.
    assert.equal(pkg.devDependencies['@types/vscode'], '1.82.0');
  });

  it('contributes the commands the extension registers', () => {
    assert.deepEqual(pkg.contributes.commands.map((c) => c.command).sort(), Object.values(COMMANDS).sort());
  });

  it('contributes the settings with the documented defaults', () => {
    const props = pkg.contributes.configuration.properties;
    assert.deepEqual(Object.keys(props).sort(), ['enable', 'lang', 'path', 'profile'].map((k) => `${SECTION}.${k}`).sort());
    assert.equal(props['reportlint.enable']?.default, true);
    assert.equal(props['reportlint.path']?.default, DEFAULT_PATH);
    assert.equal(props['reportlint.profile']?.default, '');
    const lang = props['reportlint.lang'];
    assert.ok(lang);
    assert.equal(lang.default, '');
    assert.deepEqual(lang.enum, ['', 'zh', 'en']);
  });

  it('every %placeholder% has an English and a Chinese text', () => {
    const placeholders = [...fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8').matchAll(/"%([^%"]+)%"/g)].map((m) => m[1] ?? '');
    assert.ok(placeholders.length > 5);
    for (const key of placeholders) {
      assert.ok(nls[key], `package.nls.json lacks ${key}`);
      assert.ok(nlsZh[key], `package.nls.zh-cn.json lacks ${key}`);
    }
    assert.deepEqual(Object.keys(nlsZh).sort(), Object.keys(nls).sort());
  });

  it('every runtime message has a Chinese translation', () => {
    const source = fs.readFileSync(path.join(ROOT, 'src', 'extension.ts'), 'utf8');
    const bundle = readJson('l10n/bundle.l10n.zh-cn.json') as Record<string, string>;
    const messages = [...source.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)].map((m) => (m[1] ?? '').replace(/\\(.)/g, '$1'));
    assert.ok(messages.length >= 5);
    for (const m of messages) assert.ok(bundle[m], `l10n/bundle.l10n.zh-cn.json lacks ${JSON.stringify(m)}`);
  });
});

describe('config.ts stays free of VS Code', () => {
  it('imports neither vscode nor vscode-languageclient', () => {
    const source = fs.readFileSync(path.join(ROOT, 'src', 'config.ts'), 'utf8');
    assert.doesNotMatch(source, /from\s+['"]vscode/);
    assert.doesNotMatch(source, /require\(\s*['"]vscode/);
    // It was loaded above by plain Node, where `vscode` cannot be resolved.
    assert.ok(!Object.keys(require.cache).some((k) => k.includes(`${path.sep}vscode-languageclient${path.sep}`)));
  });
});
