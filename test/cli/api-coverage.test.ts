/**
 * Qt API coverage: every class, method, signal, Q_PROPERTY and enum value of Qt MQTT listed in the checklist
 * (scripts/qtmqtt-api.json, a copy of shared/seed/qtmqtt-api.json) has a counterpart in this package's public
 * exports — methods on the prototypes, signals as Signal instances on a fresh object, enum values by name and
 * by number. A failure lists everything that is missing at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as pkg from '../../lib/index';

interface QtMember {
  kind: 'constructor' | 'method' | 'slot' | 'signal';
  name: string;
}
interface QtClass {
  class: string;
  methods: string[];
  signals: string[];
  inheritedMethods?: string[];
  properties?: { name: string; read?: string; write?: string; notify?: string }[];
  enums: Record<string, Record<string, number>>;
  members: QtMember[];
}
interface QtApi {
  summary: { classes: number; methods: number; signals: number; enumValues: number };
  classes: QtClass[];
}

const ROOT = path.resolve(__dirname, '..', '..');
const VENDORED = path.join(ROOT, 'scripts', 'qtmqtt-api.json');
const SHARED = path.join(ROOT, '..', 'shared', 'seed', 'qtmqtt-api.json');
const api = JSON.parse(fs.readFileSync(VENDORED, 'utf8')) as QtApi;

const exported = pkg as unknown as Record<string, unknown>;
type Ctor = (new (...args: unknown[]) => object) & { prototype: Record<string, unknown> };

/**
 * Qt members with no sensible TypeScript counterpart, each with the reason. Keep this list short and
 * honest: an entry here is a decision, not a way to make the test pass. (Empty: `swap` and the others exist.)
 */
const NOT_APPLICABLE: Record<string, string> = {};

/** A fresh object of a Qt class, made through the public API. */
function freshInstance(name: string): object | undefined {
  const C = exported[name] as Ctor | undefined;
  if (typeof C !== 'function') return undefined;
  if (name === 'QMqttSubscription') {
    // Only QMqttClient makes subscriptions (as in Qt); with autoReconnect a disconnected client accepts one
    const client = new pkg.QMqttClient();
    client.setAutoReconnect(true);
    const sub = client.subscribe('coverage/#', 1);
    client.setAutoReconnect(false);
    return sub ?? undefined;
  }
  if (name === 'QMqttMessage') return undefined; // read-only, built by the library; no signals to look for
  return new C();
}

function missingMembers(): string[] {
  const missing: string[] = [];
  for (const cls of api.classes) {
    if (cls.class === 'QMqtt') continue; // a namespace: its enums are checked below
    const C = exported[cls.class] as Ctor | undefined;
    if (typeof C !== 'function') {
      missing.push(`class ${cls.class}`);
      continue;
    }
    for (const m of [...cls.methods, ...(cls.inheritedMethods ?? [])])
      if (typeof C.prototype[m] !== 'function') missing.push(`${cls.class}.${m}()`);
    const instance = cls.signals.length > 0 ? freshInstance(cls.class) : undefined;
    for (const s of cls.signals) {
      const value = instance ? (instance as Record<string, unknown>)[s] : undefined;
      if (!(value instanceof pkg.Signal)) missing.push(`${cls.class}.${s} (signal)`);
    }
    for (const p of cls.properties ?? []) {
      for (const accessor of [p.read, p.write]) {
        if (accessor && typeof C.prototype[accessor] !== 'function')
          missing.push(`${cls.class}.${accessor}() (property ${p.name})`);
      }
      if (p.notify && !cls.signals.includes(p.notify))
        missing.push(`${cls.class}.${p.notify} (notify of ${p.name})`);
    }
  }
  return missing;
}

function missingEnumValues(): string[] {
  const missing: string[] = [];
  for (const cls of api.classes) {
    for (const [enumName, values] of Object.entries(cls.enums)) {
      const E = exported[enumName] as Record<string, unknown> | undefined;
      if (!E || typeof E !== 'object') {
        missing.push(`enum ${enumName}`);
        continue;
      }
      for (const [name, value] of Object.entries(values)) {
        if (E[name] !== value) missing.push(`${enumName}.${name} = ${value} (got ${String(E[name])})`);
        // numeric enums map the number back to a name; with aliases (Success = SubscriptionQoSLevel0 = 0) to one of them
        const back = E[String(value)];
        if (typeof back !== 'string' || E[back] !== value) missing.push(`${enumName}[${value}] has no name`);
      }
    }
  }
  return missing;
}

describe('Qt MQTT API coverage (scripts/qtmqtt-api.json)', () => {
  it('the vendored checklist is the project checklist (shared/seed/qtmqtt-api.json) when that is present', () => {
    if (!fs.existsSync(SHARED)) return; // a checkout without shared/: the vendored copy is the reference
    expect(JSON.parse(fs.readFileSync(SHARED, 'utf8'))).toEqual(api);
  });

  it('the checklist is what its summary says (nothing silently skipped)', () => {
    expect(api.classes).toHaveLength(api.summary.classes);
    expect(new Set(api.classes.flatMap((c) => c.methods.map((m) => `${c.class}.${m}`))).size).toBe(
      api.summary.methods,
    );
    expect(api.classes.reduce((n, c) => n + c.signals.length, 0)).toBe(api.summary.signals);
    expect(
      api.classes.reduce(
        (n, c) => n + Object.values(c.enums).reduce((k, e) => k + Object.keys(e).length, 0),
        0,
      ),
    ).toBe(api.summary.enumValues);
  });

  it('every Qt class, method, slot, signal and property has a counterpart', () => {
    const missing = missingMembers().filter((m) => !(m in NOT_APPLICABLE));
    expect(missing, `missing in lib:\n${missing.join('\n')}`).toEqual([]);
  });

  it('every Qt enum value exists by name and number', () => {
    const missing = missingEnumValues().filter((m) => !(m in NOT_APPLICABLE));
    expect(missing, `missing in lib:\n${missing.join('\n')}`).toEqual([]);
  });

  it('the allow-list holds only members that really are missing', () => {
    const all = new Set([...missingMembers(), ...missingEnumValues()]);
    for (const entry of Object.keys(NOT_APPLICABLE)) expect(all.has(entry), entry).toBe(true);
  });

  it('QMqttUserProperties is what Qt makes it: an ordered list of QMqttStringPair, duplicates kept', () => {
    const list = new pkg.QMqttUserProperties();
    list.append('a', '1').append(new pkg.QMqttStringPair('b', '2')).append('a', '3');
    const pairs = [...list];
    expect(pairs.every((p) => p instanceof pkg.QMqttStringPair)).toBe(true);
    expect(pairs.map((p) => [p.name(), p.value()])).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['a', '3'],
    ]);
  });

  it('signals work as Qt signals do on the fresh objects (connect, emit reaches the listener, disconnect)', () => {
    const client = new pkg.QMqttClient();
    const seen: string[] = [];
    const handle = client.hostnameChanged.connect((h) => seen.push(h));
    client.setHostname('broker.example');
    handle.disconnect();
    client.setHostname('other.example');
    expect(seen).toEqual(['broker.example']);
  });
});
