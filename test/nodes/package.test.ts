import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { QMqttClient, Signal } from '../../lib';
import { SIGNAL_NAMES } from '../../nodes/shared/signals';
import { NODE_RED_PACKAGE, NODE_RED_VERSION } from './helpers/node-red';

const root = path.resolve(import.meta.dirname, '../..');
const TYPES = ['qmqtt-broker', 'qmqtt-in', 'qmqtt-out', 'qmqtt-auth', 'qmqtt-status'];
const LANGS = ['en-US', 'de', 'ja'];
const read = (...p: string[]): string => fs.readFileSync(path.join(root, ...p), 'utf8');
const catalog = (lang: string, type: string): Record<string, unknown> =>
  JSON.parse(read('locales', lang, `${type}.json`)) as Record<string, unknown>;

function keys(o: unknown, prefix = ''): string[] {
  if (typeof o !== 'object' || o === null) return [prefix];
  return Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('package, i18n and help', () => {
  it('runs on the Node-RED and Node.js this pass is meant for', () => {
    if (NODE_RED_PACKAGE === 'node-red-5') {
      expect(NODE_RED_VERSION).toMatch(/^5\./);
      expect(process.version).toMatch(/^v22\./);
    } else {
      expect(NODE_RED_VERSION).toMatch(/^4\.1\./);
    }
  });

  it('declares every node, and the build puts html, icons and locales beside each node file', () => {
    const pkg = JSON.parse(read('package.json')) as {
      'node-red': { nodes: Record<string, string> };
      keywords: string[];
    };
    expect(Object.keys(pkg['node-red'].nodes).sort()).toEqual([...TYPES].sort());
    expect(pkg.keywords).toContain('node-red');
    for (const t of TYPES) {
      const js = pkg['node-red'].nodes[t]!;
      const dir = path.dirname(path.join(root, js));
      expect(fs.existsSync(path.join(root, js)), js).toBe(true);
      expect(fs.existsSync(path.join(dir, `${t}.html`)), `${t}.html`).toBe(true);
      expect(fs.existsSync(path.join(dir, 'icons', `${t}.svg`)), `${t} icon`).toBe(true);
      for (const l of LANGS) {
        expect(fs.existsSync(path.join(dir, 'locales', l, `${t}.json`)), `${l}/${t}.json`).toBe(true);
        expect(fs.existsSync(path.join(dir, 'locales', l, `${t}.html`)), `${l}/${t}.html`).toBe(true);
      }
    }
  });

  it('has the same message keys in every language', () => {
    for (const t of TYPES) {
      const en = keys(catalog('en-US', t)).sort();
      for (const l of LANGS) expect(keys(catalog(l, t)).sort(), `${l}/${t}`).toEqual(en);
    }
  });

  it('defines every key the editor and the runtime use', () => {
    for (const t of TYPES) {
      const cat = new Set(keys(catalog('en-US', t)));
      const html = read('nodes', t, `${t}.html`);
      const used = [...html.matchAll(/data-i18n="(?:\[[a-z]+\])?([^"]+)"/g)].map((m) => m[1]!);
      used.push(...[...html.matchAll(/_\('([a-z0-9-]+\.[^'+]+)'\)/g)].map((m) => m[1]!));
      const ts = fs
        .readdirSync(path.join(root, 'nodes', t))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => read('nodes', t, f))
        .join('\n');
      used.push(...[...ts.matchAll(/RED\._\('([^']+)'/g)].map((m) => m[1]!));
      if (t !== 'qmqtt-broker') used.push(`${t}.errors.missing-config`, `${t}.errors.invalid-broker`);
      expect(used.length).toBeGreaterThan(2);
      for (const k of used) expect(cat.has(k), `${t}: ${k}`).toBe(true);
    }
    const broker = new Set(keys(catalog('en-US', 'qmqtt-broker')));
    const dynamic = [
      ...[
        'contentType',
        'userProps',
        'respTopic',
        'correl',
        'expiry',
        'delay',
        'topic',
        'payload',
        'qos',
        'retain',
      ].map((k) => `label.${k}`),
      ...['birth', 'close', 'will'].flatMap((k) => [`sections.${k}`, `placeholder.${k}-topic`]),
      ...['connection', 'security', 'session', 'messages'].map((k) => `tabs.${k}`),
      'status.reconnecting',
      'state.connected',
      'state.disconnected',
      'state.error',
    ];
    for (const k of dynamic) expect(broker.has(`qmqtt-broker.${k}`), k).toBe(true);
  });

  it('has help in the Inputs / Outputs / Details form in every language', () => {
    const heads: Record<string, string[]> = {
      'en-US': ['Inputs', 'Outputs', 'Details'],
      de: ['Eingaben', 'Ausgaben', 'Details'],
      ja: ['入力', '出力', '詳細'],
    };
    for (const l of LANGS)
      for (const t of TYPES) {
        const h = read('locales', l, `${t}.html`);
        expect(h).toContain(`data-help-name="${t}"`);
        const want = t === 'qmqtt-broker' ? [heads[l]![2]!] : heads[l]!;
        for (const s of want) expect(h, `${l}/${t}: ${s}`).toContain(`<h3>${s}</h3>`);
      }
  });

  it('lists every client signal in qmqtt-status, in the editor and at run time', () => {
    const client = new QMqttClient();
    const onClient = Object.entries(client)
      .filter(([, v]) => v instanceof Signal)
      .map(([k]) => k)
      .sort();
    expect([...SIGNAL_NAMES].sort()).toEqual(onClient);
    const html = read('nodes/qmqtt-status/qmqtt-status.html');
    const list = /const SIGNALS = \[([^\]]+)\]/
      .exec(html)![1]!
      .match(/'([A-Za-z]+)'/g)!
      .map((s) => s.slice(1, -1));
    expect(list).toEqual(SIGNAL_NAMES);
  });

  it('has one SVG icon per node and an importable example per feature', () => {
    for (const t of TYPES) expect(read('icons', `${t}.svg`)).toMatch(/^<svg /);
    expect(fs.readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.json'))).toHaveLength(7);
  });
});
