/**
 * Properties of topic names, topic filters and matching, against a reference implementation written here
 * from the specification text alone (MQTT 5.0 §4.7, §4.8.2; 3.1.1 §4.7):
 *  - `validateTopicName` / `validateTopicFilter` accept exactly what the reference accepts;
 *  - `QMqttTopicFilter.match` agrees with the reference matcher, with and without the `$` rule;
 *  - `TopicMatcher` returns exactly the filters the reference matches, also after removals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MatchOption } from '../../lib/state';
import { TopicMatcher } from '../../lib/topic/matcher';
import { QMqttTopicFilter, validateTopicFilter } from '../../lib/topic/topic-filter';
import { QMqttTopicName, validateTopicName } from '../../lib/topic/topic-name';

const RUNS = 200;

// ---- reference ---------------------------------------------------------------------------------------------

/** UTF-8 Encoded String rules shared by names and filters: [MQTT-1.5.4-1], [MQTT-1.5.4-2], [MQTT-4.7.3-3]. */
function refStringOk(s: string): boolean {
  if (s.includes('\u0000')) return false;
  // lone surrogates have no UTF-8 encoding
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) return false;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    }
  }
  return Buffer.byteLength(s, 'utf8') <= 65535;
}

/** [MQTT-4.7.3-1] non-empty, [MQTT-4.7.0-1] no wildcards, plus the string rules. */
function refValidName(s: string): boolean {
  return s.length > 0 && !s.includes('+') && !s.includes('#') && refStringOk(s);
}

/** The filter that is matched: a `$share/<name>/` prefix removed (MQTT 5.0 §4.8.2). */
function refUnshared(f: string): string {
  if (!f.startsWith('$share/')) return f;
  const rest = f.slice('$share/'.length);
  return rest.slice(rest.indexOf('/') + 1);
}

function refValidFilter(f: string): boolean {
  if (f.length === 0 || !refStringOk(f)) return false;
  let body = f;
  if (f.startsWith('$share/')) {
    // [MQTT-4.8.2-1] a ShareName of at least one character; [MQTT-4.8.2-2] without '/', '+', '#', then '/' and a filter
    const rest = f.slice('$share/'.length);
    const slash = rest.indexOf('/');
    if (slash <= 0) return false;
    const share = rest.slice(0, slash);
    if (share.includes('+') || share.includes('#')) return false;
    body = rest.slice(slash + 1);
    if (body.length === 0) return false;
  }
  const levels = body.split('/');
  return levels.every((level, i) => {
    if (level.includes('#')) return level === '#' && i === levels.length - 1; // [MQTT-4.7.1-1]
    if (level.includes('+')) return level === '+'; // [MQTT-4.7.1-2]
    return true;
  });
}

/** Does valid filter `f` match valid name `t`? `dollarRule`: [MQTT-4.7.2-1]. */
function refMatch(f: string, t: string, dollarRule: boolean): boolean {
  const fl = refUnshared(f).split('/');
  const tl = t.split('/');
  if (dollarRule && t.startsWith('$') && (fl[0] === '+' || fl[0] === '#')) return false;
  const go = (i: number): boolean => {
    if (i === fl.length) return i === tl.length;
    if (fl[i] === '#') return true; // also matches the parent level: `a/#` matches `a`
    if (i === tl.length) return false;
    return (fl[i] === '+' || fl[i] === tl[i]) && go(i + 1);
  };
  return go(0);
}

// ---- arbitraries -------------------------------------------------------------------------------------------

/** Text made of the pieces that matter to the rules, so that every rule is hit often. */
const PIECES = [
  'a',
  'b',
  'c',
  '/',
  '/',
  '+',
  '#',
  '$',
  '$share/',
  '$SYS',
  'é',
  '😀',
  '\u0000',
  '\ud800',
  '\udc00',
  ' ',
];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }).map((p) => p.join(''));

const level = fc.constantFrom('', 'a', 'b', 'c', '$SYS', '$x', 'é', '😀');
const validName = fc
  .array(level, { minLength: 1, maxLength: 5 })
  .map((l) => l.join('/'))
  .filter((t) => t.length > 0);
const filterLevel = fc.oneof(level, fc.constant('+'));
const validFilter = fc
  .tuple(
    fc.option(fc.constantFrom('g', 'grp', 'é'), { nil: undefined }),
    fc.array(filterLevel, { minLength: 1, maxLength: 4 }),
    fc.boolean(),
  )
  .map(([share, levels, hash]) => {
    const body = (hash ? [...levels, '#'] : levels).join('/') || '#';
    return share === undefined ? body : `$share/${share}/${body}`;
  });

/** A topic derived from `filter` so that about half the pairs match. */
function topicFor(filter: string): fc.Arbitrary<string> {
  const levels = refUnshared(filter).split('/');
  return fc
    .tuple(
      fc.array(level, { minLength: levels.length, maxLength: levels.length }),
      fc.array(level, { maxLength: 2 }),
      fc.boolean(),
    )
    .map(([fill, tail, exact]) => {
      const out: string[] = [];
      levels.forEach((l, i) => {
        if (l === '#') out.push(...tail);
        else out.push(l === '+' || !exact ? fill[i]! : l);
      });
      return out.length === 0 || out.join('/') === '' ? 'a' : out.join('/');
    });
}

const pair = validFilter.chain((f) => fc.tuple(fc.constant(f), fc.oneof(topicFor(f), validName)));

// ---- properties --------------------------------------------------------------------------------------------

describe('topic name and filter validation (reference implementation)', () => {
  it('[MQTT-4.7.3-1..3] [MQTT-4.7.0-1] validateTopicName accepts exactly the valid names', () => {
    fc.assert(
      fc.property(fc.oneof(text, validName, fc.string({ unit: 'binary', maxLength: 6 })), (s) => {
        expect(validateTopicName(s) === null).toBe(refValidName(s));
        expect(new QMqttTopicName(s).isValid()).toBe(refValidName(s));
      }),
      { numRuns: RUNS, examples: [['a'.repeat(65535)], ['a'.repeat(65536)], ['é'.repeat(32768)]] },
    );
  });

  it('[MQTT-4.7.1-1] [MQTT-4.7.1-2] [MQTT-4.8.2-1] [MQTT-4.8.2-2] validateTopicFilter accepts exactly the valid filters', () => {
    fc.assert(
      fc.property(fc.oneof(text, validFilter), (f) => {
        expect(validateTopicFilter(f) === null).toBe(refValidFilter(f));
        const q = new QMqttTopicFilter(f);
        expect(q.isValid()).toBe(refValidFilter(f));
        if (q.isValid()) {
          expect(q.unsharedFilter()).toBe(refUnshared(f));
          expect(q.isSharedSubscription()).toBe(f.startsWith('$share/'));
        }
      }),
      {
        numRuns: RUNS,
        examples: [
          ['$share/g/#'],
          ['$share//a'],
          ['$share/g'],
          ['$share/g/'],
          ['$share/+/a'],
          ['a/#/b'],
          ['#'.repeat(2)],
        ],
      },
    );
  });

  it('every valid name is a valid filter that matches only itself among wildcard-free filters', () => {
    fc.assert(
      fc.property(validName, validName, (a, b) => {
        expect(validateTopicFilter(a)).toBeNull();
        expect(new QMqttTopicFilter(a).match(b)).toBe(a === b);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('QMqttTopicFilter.match against the reference', () => {
  it('agrees with the reference, Qt default (no $ rule)', () => {
    fc.assert(
      fc.property(pair, ([f, t]) => {
        expect(new QMqttTopicFilter(f).match(t)).toBe(refMatch(f, t, false));
        expect(new QMqttTopicFilter(f).match(new QMqttTopicName(t))).toBe(refMatch(f, t, false));
      }),
      { numRuns: RUNS },
    );
  });

  it('[MQTT-4.7.2-1] agrees with the reference with WildcardsDontMatchDollarTopicMatchOption', () => {
    fc.assert(
      fc.property(pair, ([f, t]) => {
        const got = new QMqttTopicFilter(f).match(t, MatchOption.WildcardsDontMatchDollarTopicMatchOption);
        expect(got).toBe(refMatch(f, t, true));
      }),
      { numRuns: RUNS, examples: [[['#', '$SYS/a']], [['+/a', '$x/a']], [['$share/g/#', '$SYS']]] },
    );
  });

  it('is false whenever the filter or the name is invalid', () => {
    fc.assert(
      fc.property(text, text, (f, t) => {
        if (!refValidFilter(f) || !refValidName(t)) expect(new QMqttTopicFilter(f).match(t)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('TopicMatcher against the reference and QMqttTopicFilter', () => {
  for (const [label, option, dollar] of [
    ['default ($ rule on)', MatchOption.WildcardsDontMatchDollarTopicMatchOption, true],
    ['NoMatchOption', MatchOption.NoMatchOption, false],
  ] as const) {
    it(`${label}: match() returns exactly the matching filters, also after removals`, () => {
      fc.assert(
        fc.property(
          fc.uniqueArray(validFilter, { minLength: 1, maxLength: 12 }),
          fc.array(validName, { maxLength: 6 }),
          fc.array(fc.boolean(), { maxLength: 12 }),
          (filters, names, removals) => {
            const m = new TopicMatcher<number>(option);
            filters.forEach((f, i) => expect(m.add(f, i)).toBe(true));
            expect(m.size).toBe(filters.length);
            // topics derived from the filters as well as unrelated names
            const topics = [
              ...names,
              ...filters.map((f) => refUnshared(f).replace(/\+/g, 'a').replace(/\/?#$/, '') || 'a'),
            ];
            const check = (live: Set<number>): void => {
              for (const t of topics) {
                if (!refValidName(t)) continue;
                const want = filters.flatMap((f, i) => (live.has(i) && refMatch(f, t, dollar) ? [i] : []));
                const sorted = (a: number[]) => [...a].sort((x, y) => x - y);
                expect(sorted(m.match(t))).toEqual(want);
                const visited: number[] = [];
                expect(m.forEachMatch(t, (v) => visited.push(v))).toBe(want.length);
                expect(sorted(visited)).toEqual(want);
                for (const i of want) expect(new QMqttTopicFilter(filters[i]).match(t, option)).toBe(true);
              }
            };
            const live = new Set(filters.map((_, i) => i));
            check(live);
            removals.forEach((remove, i) => {
              if (remove && i < filters.length) {
                expect(m.remove(filters[i]!, i)).toBe(true);
                expect(m.has(filters[i]!, i)).toBe(false);
                live.delete(i);
              }
            });
            expect(m.size).toBe(live.size);
            check(live);
          },
        ),
        { numRuns: RUNS / 2 },
      );
    });
  }

  it('add refuses invalid filters with a TypeError and changes nothing', () => {
    fc.assert(
      fc.property(text, (f) => {
        const m = new TopicMatcher<number>();
        if (refValidFilter(f)) expect(m.add(f, 1)).toBe(true);
        else {
          expect(() => m.add(f, 1)).toThrow(TypeError);
          expect(m.size).toBe(0);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
