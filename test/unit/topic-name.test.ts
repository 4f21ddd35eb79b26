import { describe, it, expect } from 'vitest';
import { QMqttTopicName, validateTopicName } from '../../lib/topic/topic-name';
import { utf8ByteLength, utf8StringProblem } from '../../lib/topic/utf8';

describe('QMqttTopicName validity', () => {
  it('[MQTT-4.7.3-1] an empty name is invalid', () => {
    expect(new QMqttTopicName().isValid()).toBe(false);
    expect(validateTopicName('')).toMatch(/empty.*\[MQTT-4\.7\.3-1\]/);
  });

  it('[MQTT-4.7.0-1] wildcards are not allowed in a topic name', () => {
    for (const bad of ['#', '+', 'a/#', 'a/+/b', 'sport+', 'a#b']) {
      expect(new QMqttTopicName(bad).isValid(), bad).toBe(false);
      expect(validateTopicName(bad), bad).toMatch(/wildcard/);
    }
  });

  it('[MQTT-4.7.3-2] U+0000 is not allowed', () => {
    expect(new QMqttTopicName('a\u0000b').isValid()).toBe(false);
    expect(validateTopicName('a\u0000b')).toMatch(/U\+0000.*\[MQTT-4\.7\.3-2\]/);
  });

  it('[MQTT-1.5.4-1] a lone surrogate is not valid UTF-8', () => {
    expect(validateTopicName('a\uD800')).toMatch(/lone surrogate/);
    expect(validateTopicName('\uDC00b')).toMatch(/lone surrogate/);
    expect(validateTopicName('\uDBFF\uDBFF')).toMatch(/lone surrogate/);
    // a proper surrogate pair (an emoji) is fine
    expect(validateTopicName('a/\uD83D\uDE00')).toBeNull();
  });

  it('[MQTT-4.7.3-3] the limit is 65535 UTF-8 bytes, not characters', () => {
    expect(new QMqttTopicName('a'.repeat(65535)).isValid()).toBe(true);
    expect(new QMqttTopicName('a'.repeat(65536)).isValid()).toBe(false);
    // 'é' is 2 bytes: 32768 of them are 65536 bytes though only 32768 characters
    expect(validateTopicName('é'.repeat(32768))).toMatch(/65536 bytes.*\[MQTT-4\.7\.3-3\]/);
    expect(validateTopicName('é'.repeat(32767))).toBeNull();
  });

  it('§4.7.3 spec examples: spaces, "/", leading "/" and "$" names are valid', () => {
    for (const ok of ['Accounts payable', '/', '/finance', 'finance', '$SYS/broker/load', 'a//b', ' ']) {
      expect(new QMqttTopicName(ok).isValid(), ok).toBe(true);
    }
  });

  it('caches validity but recomputes after setName', () => {
    const t = new QMqttTopicName('a/b');
    expect(t.isValid()).toBe(true);
    t.setName('a/+');
    expect(t.isValid()).toBe(false);
    expect(t.validationError()).toMatch(/'\+'/);
    t.setName('a/c');
    expect(t.isValid()).toBe(true);
  });

  it('rejects a non-string at the boundary with a TypeError', () => {
    expect(() => new QMqttTopicName(42 as unknown as string)).toThrow(TypeError);
    expect(() => new QMqttTopicName('x').setName(null as unknown as string)).toThrow(TypeError);
    expect(validateTopicName(undefined as unknown as string)).toMatch(/must be a string/);
  });
});

describe('QMqttTopicName levels', () => {
  it('counts and lists levels, keeping empty ones', () => {
    const t = new QMqttTopicName('/a//b');
    expect(t.levelCount()).toBe(4);
    expect(t.levels()).toEqual(['', 'a', '', 'b']);
    expect(new QMqttTopicName('a').levelCount()).toBe(1);
    expect(new QMqttTopicName('/').levels()).toEqual(['', '']);
  });

  it('an empty name has no levels', () => {
    expect(new QMqttTopicName('').levelCount()).toBe(0);
    expect(new QMqttTopicName('').levels()).toEqual([]);
  });
});

describe('QMqttTopicName value semantics', () => {
  it('equals, compare (Qt <) and sorting are by text, case-sensitive (§4.7.3: ACCOUNTS ≠ Accounts)', () => {
    const a = new QMqttTopicName('ACCOUNTS');
    const b = new QMqttTopicName('Accounts');
    expect(a.equals(b)).toBe(false);
    expect(a.equals('ACCOUNTS')).toBe(true);
    expect(a.compare(b)).toBeLessThan(0);
    expect(b.compare(a)).toBeGreaterThan(0);
    expect(a.compare(new QMqttTopicName('ACCOUNTS'))).toBe(0);
    const sorted = ['b', 'a/b', 'a'].map((s) => new QMqttTopicName(s)).sort((x, y) => x.compare(y));
    expect(sorted.map(String)).toEqual(['a', 'a/b', 'b']);
  });

  it('swap exchanges contents and validity', () => {
    const a = new QMqttTopicName('a');
    const b = new QMqttTopicName('+');
    expect(a.isValid()).toBe(true);
    expect(b.isValid()).toBe(false);
    a.swap(b);
    expect(a.name()).toBe('+');
    expect(a.isValid()).toBe(false);
    expect(b.name()).toBe('a');
    expect(b.isValid()).toBe(true);
  });

  it('copies are independent; toString / JSON give the text', () => {
    const a = new QMqttTopicName('x/y');
    const c = a.copy();
    const d = new QMqttTopicName(a);
    a.setName('z');
    expect(c.name()).toBe('x/y');
    expect(d.name()).toBe('x/y');
    expect(c.toString()).toBe('x/y');
    expect(String(c)).toBe('x/y');
    expect(JSON.stringify({ t: c })).toBe('{"t":"x/y"}');
  });
});

describe('UTF-8 helpers', () => {
  it('utf8ByteLength agrees with Buffer.byteLength, lone surrogates included', () => {
    for (const s of ['', 'abc', 'é', '€', '\uD83D\uDE00', 'a\uD800b', '\uDC00', 'x\uD83D']) {
      expect(utf8ByteLength(s), JSON.stringify(s)).toBe(Buffer.byteLength(s, 'utf8'));
    }
  });

  it('[MQTT-1.5.4-2] utf8StringProblem names the value and the spec rule', () => {
    expect(utf8StringProblem('ok', 'x')).toBeNull();
    expect(utf8StringProblem('a\u0000', 'content type')).toMatch(
      /^content type must not contain U\+0000.*\[MQTT-1\.5\.4-2\]/,
    );
    expect(utf8StringProblem('a\uDFFF', 'reason')).toMatch(
      /^reason contains a lone surrogate U\+DFFF.*\[MQTT-1\.5\.4-1\]/,
    );
    expect(utf8StringProblem('€'.repeat(21846), 'v')).toMatch(/65538 bytes/);
  });
});
