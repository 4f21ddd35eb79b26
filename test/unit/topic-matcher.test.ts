import { describe, it, expect } from 'vitest';
import { TopicMatcher } from '../../lib/topic/matcher';
import { QMqttTopicFilter } from '../../lib/topic/topic-filter';
import { MatchOption } from '../../lib/state';

const sorted = (xs: string[]): string[] => [...xs].sort();

/** Deterministic pseudo-random numbers (LCG) so that failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

describe('TopicMatcher', () => {
  it('finds exact, "+" and "#" subscriptions (spec §4.7.1 vectors)', () => {
    const m = new TopicMatcher<string>();
    for (const f of [
      'sport/tennis/player1/#',
      'sport/#',
      'sport/tennis/+',
      'sport/+',
      '+/+',
      '/+',
      '+',
      '#',
      'sport',
    ]) {
      m.add(f, f);
    }
    expect(sorted(m.match('sport/tennis/player1'))).toEqual(
      sorted(['sport/tennis/player1/#', 'sport/#', 'sport/tennis/+', '#']),
    );
    expect(sorted(m.match('sport'))).toEqual(sorted(['sport/#', '+', '#', 'sport']));
    expect(sorted(m.match('sport/'))).toEqual(sorted(['sport/#', 'sport/+', '+/+', '#']));
    expect(sorted(m.match('/finance'))).toEqual(sorted(['+/+', '/+', '#']));
    expect(m.size).toBe(9);
  });

  it('[MQTT-4.7.2-1] first-level wildcards do not match $ topics by default', () => {
    const m = new TopicMatcher<string>();
    for (const f of ['#', '+/monitor/Clients', '$SYS/#', '$SYS/monitor/+', '+', '/#']) m.add(f, f);
    expect(sorted(m.match('$SYS/monitor/Clients'))).toEqual(['$SYS/#', '$SYS/monitor/+']);
    expect(m.match('$SYS')).toEqual(['$SYS/#']);
    expect(sorted(m.match('a/$x'))).toEqual(['#']);
  });

  it('with NoMatchOption it follows Qt: wildcards match $ topics', () => {
    const m = new TopicMatcher<string>(MatchOption.NoMatchOption);
    m.add('#', '#');
    m.add('+/monitor/Clients', '+m');
    expect(sorted(m.match('$SYS/monitor/Clients'))).toEqual(['#', '+m']);
  });

  it('[MQTT-4.8.2-2] $share filters match by their filter part and keep their own identity', () => {
    const m = new TopicMatcher<string>();
    m.add('$share/consumer1/sport/tennis/+', 'c1');
    m.add('$share/consumer2/sport/tennis/+', 'c2');
    m.add('sport/tennis/+', 'plain');
    m.add('$share/g//finance', 'fin');
    expect(sorted(m.match('sport/tennis/player1'))).toEqual(['c1', 'c2', 'plain']);
    expect(m.match('/finance')).toEqual(['fin']);
    expect(m.remove('$share/consumer1/sport/tennis/+', 'c1')).toBe(true);
    expect(sorted(m.match('sport/tennis/player1'))).toEqual(['c2', 'plain']);
  });

  it('holds each (filter, value) pair once; the same value under two filters is reported twice', () => {
    const m = new TopicMatcher<string>();
    expect(m.add('a/+', 'v')).toBe(true);
    expect(m.add('a/+', 'v')).toBe(false);
    expect(m.add('a/#', 'v')).toBe(true);
    expect(m.size).toBe(2);
    expect(m.match('a/b')).toEqual(['v', 'v']);
    expect(m.has('a/+', 'v')).toBe(true);
    expect(m.has('a/+', 'w')).toBe(false);
  });

  it('remove prunes empty branches and reports missing pairs', () => {
    const m = new TopicMatcher<number>();
    m.add('a/b/c', 1);
    m.add('a/+/c', 2);
    m.add('a/#', 3);
    expect(m.remove('a/b/c', 99)).toBe(false);
    expect(m.remove('x/y', 1)).toBe(false);
    expect(m.remove('a/+/c', 2)).toBe(true);
    expect(m.remove('a/+/c', 2)).toBe(false);
    expect(m.remove('a/b/c', 1)).toBe(true);
    expect(m.remove('a/#', 3)).toBe(true);
    expect(m.size).toBe(0);
    expect(m.match('a/b/c')).toEqual([]);
    // the trie is empty again: internal root has no branches left
    const root = (
      m as unknown as { root: { children?: Map<string, unknown>; plus?: unknown; hash?: unknown } }
    ).root;
    expect(root.children).toBeUndefined();
    expect(root.plus).toBeUndefined();
    expect(root.hash).toBeUndefined();
    expect(m.remove('a+', 1)).toBe(false);
  });

  it('forEachMatch passes value and filter and returns the count', () => {
    const m = new TopicMatcher<string>();
    m.add('a/#', 'x');
    m.add('$share/g/a/b', 'y');
    const seen: string[] = [];
    const n = m.forEachMatch('a/b', (v, f) => seen.push(`${v}@${f}`));
    expect(n).toBe(2);
    expect(sorted(seen)).toEqual(['x@a/#', 'y@$share/g/a/b']);
    expect(m.forEachMatch('', () => seen.push('never'))).toBe(0);
  });

  it('a visitor may unsubscribe during dispatch without disturbing it (copy-on-write lists)', () => {
    const m = new TopicMatcher<string>();
    for (const v of ['a', 'b', 'c']) m.add('t/#', v);
    const seen: string[] = [];
    m.forEachMatch('t/x', (v) => {
      seen.push(v);
      m.remove('t/#', 'b');
      m.add('t/#', 'late');
    });
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(sorted(m.match('t/x'))).toEqual(['a', 'c', 'late']);
  });

  it('rejects invalid filters with a TypeError that says why', () => {
    const m = new TopicMatcher<number>();
    expect(() => m.add('sport+', 1)).toThrow(TypeError);
    expect(() => m.add('a/#/b', 1)).toThrow(/\[MQTT-4\.7\.1-1\]/);
    expect(() => m.add('$share//a', 1)).toThrow(/\[MQTT-4\.8\.2-1\]/);
    expect(() => m.add(new QMqttTopicFilter(''), 1)).toThrow(/\[MQTT-4\.7\.3-1\]/);
    expect(m.size).toBe(0);
  });

  it('clear empties it', () => {
    const m = new TopicMatcher<number>();
    m.add('#', 1);
    m.add('a', 2);
    m.clear();
    expect(m.size).toBe(0);
    expect(m.match('a')).toEqual([]);
  });

  it('agrees with QMqttTopicFilter.match on thousands of generated cases (both match options)', () => {
    const next = rng(0x5eed);
    const words = ['a', 'b', '', '$SYS', '$x'];
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
    const makeTopic = (): string => {
      const n = 1 + Math.floor(next() * 4);
      return Array.from({ length: n }, () => pick(words)).join('/');
    };
    const makeFilter = (): string => {
      const n = 1 + Math.floor(next() * 4);
      const levels = Array.from({ length: n }, () => pick([...words, '+', '+']));
      if (next() < 0.3) levels.push('#');
      const f = levels.join('/');
      return next() < 0.15 ? `$share/g${Math.floor(next() * 3)}/${f}` : f;
    };
    const filters = [...new Set(Array.from({ length: 300 }, makeFilter))].filter((f) =>
      new QMqttTopicFilter(f).isValid(),
    );
    const topics = [...new Set(Array.from({ length: 300 }, makeTopic))];
    expect(filters.length).toBeGreaterThan(100);
    let comparisons = 0;
    let positives = 0;
    for (const option of [MatchOption.WildcardsDontMatchDollarTopicMatchOption, MatchOption.NoMatchOption]) {
      const m = new TopicMatcher<string>(option);
      for (const f of filters) m.add(f, f);
      const qf = filters.map((f) => new QMqttTopicFilter(f));
      for (const t of topics) {
        const expected = qf.filter((f) => f.match(t, option)).map((f) => f.filter());
        const got = m.match(t);
        expect(sorted(got), `topic ${JSON.stringify(t)} option ${option}`).toEqual(sorted(expected));
        comparisons += filters.length;
        positives += expected.length;
      }
    }
    expect(comparisons).toBeGreaterThan(30000);
    expect(positives).toBeGreaterThan(500);
  });
});
