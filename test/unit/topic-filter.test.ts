import { describe, it, expect } from 'vitest';
import { QMqttTopicFilter, validateTopicFilter } from '../../lib/topic/topic-filter';
import { QMqttTopicName } from '../../lib/topic/topic-name';
import { MatchOption } from '../../lib/state';

const DOLLAR = MatchOption.WildcardsDontMatchDollarTopicMatchOption;
const valid = (f: string): boolean => new QMqttTopicFilter(f).isValid();
const matches = (f: string, t: string, o: MatchOption = MatchOption.NoMatchOption): boolean =>
  new QMqttTopicFilter(f).match(t, o);

describe('QMqttTopicFilter validity', () => {
  it('[MQTT-4.7.3-1] an empty filter is invalid', () => {
    expect(valid('')).toBe(false);
    expect(validateTopicFilter('')).toMatch(/\[MQTT-4\.7\.3-1\]/);
  });

  it('[MQTT-4.7.1-1] (v3.1.1 -2) §4.7.1.2 examples of "#"', () => {
    for (const ok of ['#', 'sport/tennis/#', 'sport/#', '/#', '+/#']) expect(valid(ok), ok).toBe(true);
    for (const bad of ['sport/tennis#', 'sport/tennis/#/ranking', '##', '#/', 'a/#b', 'a#']) {
      expect(valid(bad), bad).toBe(false);
      expect(validateTopicFilter(bad), bad).toMatch(/'#'.*\[MQTT-4\.7\.1-1\]/);
    }
  });

  it('[MQTT-4.7.1-2] (v3.1.1 -3) §4.7.1.3 examples of "+"', () => {
    for (const ok of ['+', '+/tennis/#', 'sport/+/player1', '+/+', '/+', '+/', 'a/+/+/b']) {
      expect(valid(ok), ok).toBe(true);
    }
    for (const bad of ['sport+', '+sport', 'a/b+/c', '++', 'a/++']) {
      expect(valid(bad), bad).toBe(false);
      expect(validateTopicFilter(bad), bad).toMatch(/entire topic level.*\[MQTT-4\.7\.1-2\]/);
    }
  });

  it('[MQTT-4.7.3-2] [MQTT-4.7.3-3] no U+0000, no lone surrogate, at most 65535 bytes', () => {
    expect(validateTopicFilter('a/\u0000')).toMatch(/\[MQTT-4\.7\.3-2\]/);
    expect(validateTopicFilter('a/\uD800/#')).toMatch(/lone surrogate/);
    expect(valid('a'.repeat(65535))).toBe(true);
    expect(validateTopicFilter('a'.repeat(65536))).toMatch(/\[MQTT-4\.7\.3-3\]/);
  });

  it('[MQTT-4.8.2-1] a shared subscription needs a non-empty share name', () => {
    expect(validateTopicFilter('$share//a')).toMatch(/share name.*\[MQTT-4\.8\.2-1\]/);
    expect(validateTopicFilter('$share/')).toMatch(/\[MQTT-4\.8\.2-1\]/);
  });

  it('[MQTT-4.8.2-2] the share name has no "+" or "#" and is followed by "/" and a valid filter', () => {
    expect(validateTopicFilter('$share/g+/a')).toMatch(/\[MQTT-4\.8\.2-2\]/);
    expect(validateTopicFilter('$share/#/a')).toMatch(/\[MQTT-4\.8\.2-2\]/);
    expect(validateTopicFilter('$share/group')).toMatch(/followed by '\/'.*\[MQTT-4\.8\.2-2\]/);
    expect(validateTopicFilter('$share/group/')).toMatch(/needs a topic filter.*\[MQTT-4\.8\.2-2\]/);
    expect(validateTopicFilter('$share/group/a#')).toMatch(/\[MQTT-4\.7\.1-1\]/);
    for (const ok of [
      '$share/consumer1/sport/tennis/+',
      '$share/g/#',
      '$share/g//finance',
      '$share/g/$SYS/#',
    ]) {
      expect(valid(ok), ok).toBe(true);
    }
    // "$share" alone or "$shared/..." are ordinary filters
    expect(valid('$share')).toBe(true);
    expect(new QMqttTopicFilter('$shared/a').isSharedSubscription()).toBe(false);
  });
});

describe('QMqttTopicFilter shared-subscription parts (MQTT 5.0 §4.8.2)', () => {
  it('splits $share/<name>/<filter>', () => {
    const f = new QMqttTopicFilter('$share/consumer1/sport/tennis/+');
    expect(f.isSharedSubscription()).toBe(true);
    expect(f.sharedSubscriptionName()).toBe('consumer1');
    expect(f.unsharedFilter()).toBe('sport/tennis/+');
    expect(f.filter()).toBe('$share/consumer1/sport/tennis/+');
  });

  it('a plain filter has no share name and is its own unshared filter', () => {
    const f = new QMqttTopicFilter('sport/tennis/+');
    expect(f.isSharedSubscription()).toBe(false);
    expect(f.sharedSubscriptionName()).toBe('');
    expect(f.unsharedFilter()).toBe('sport/tennis/+');
  });

  it('an invalid shared filter is not reported as shared', () => {
    const f = new QMqttTopicFilter('$share/g/');
    expect(f.isValid()).toBe(false);
    expect(f.isSharedSubscription()).toBe(false);
  });

  it('matches with the filter part: "$share/consumer1//finance" matches "/finance"', () => {
    expect(matches('$share/consumer1//finance', '/finance')).toBe(true);
    expect(matches('$share/consumer1/sport/tennis/+', 'sport/tennis/player1')).toBe(true);
    expect(matches('$share/consumer1/sport/tennis/+', '$share/consumer1/sport/tennis/player1')).toBe(false);
  });
});

describe('QMqttTopicFilter.match: spec vectors (MQTT 3.1.1 / 5.0 §4.7)', () => {
  it('[MQTT-4.7.1-1] "#" matches the parent level and every level below', () => {
    for (const t of [
      'sport/tennis/player1',
      'sport/tennis/player1/ranking',
      'sport/tennis/player1/score/wimbledon',
    ]) {
      expect(matches('sport/tennis/player1/#', t), t).toBe(true);
    }
    expect(matches('sport/#', 'sport')).toBe(true);
    expect(matches('sport/tennis/player1/#', 'sport/tennis')).toBe(false);
    expect(matches('#', 'anything/at/all')).toBe(true);
    expect(matches('/#', '/')).toBe(true);
    expect(matches('/#', 'finance')).toBe(false);
  });

  it('[MQTT-4.7.1-2] "+" matches exactly one level', () => {
    expect(matches('sport/tennis/+', 'sport/tennis/player1')).toBe(true);
    expect(matches('sport/tennis/+', 'sport/tennis/player2')).toBe(true);
    expect(matches('sport/tennis/+', 'sport/tennis/player1/ranking')).toBe(false);
    expect(matches('sport/+', 'sport')).toBe(false);
    expect(matches('sport/+', 'sport/')).toBe(true);
    expect(matches('+/+', '/finance')).toBe(true);
    expect(matches('/+', '/finance')).toBe(true);
    expect(matches('+', '/finance')).toBe(false);
    expect(matches('+/+', '/')).toBe(true);
    expect(matches('+/tennis/#', 'sport/tennis')).toBe(true);
    expect(matches('+/#', 'a')).toBe(true);
  });

  it('§4.7.3 matching is exact and case-sensitive, no normalisation [MQTT-4.7.3-4]', () => {
    expect(matches('ACCOUNTS', 'Accounts')).toBe(false);
    expect(matches('/finance', 'finance')).toBe(false);
    expect(matches('Accounts payable', 'Accounts payable')).toBe(true);
    expect(matches('a/b', 'a/b/')).toBe(false);
  });

  it('[MQTT-4.7.2-1] with WildcardsDontMatchDollarTopic, "#" and "+/..." skip $ topics', () => {
    expect(matches('#', '$SYS/monitor/Clients', DOLLAR)).toBe(false);
    expect(matches('+/monitor/Clients', '$SYS/monitor/Clients', DOLLAR)).toBe(false);
    expect(matches('+', '$SYS', DOLLAR)).toBe(false);
    expect(matches('$SYS/#', '$SYS/monitor/Clients', DOLLAR)).toBe(true);
    expect(matches('$SYS/monitor/+', '$SYS/monitor/Clients', DOLLAR)).toBe(true);
    expect(matches('$SYS/#', '$SYS', DOLLAR)).toBe(true);
    // only the first level counts: "a/$b" is an ordinary topic
    expect(matches('#', 'a/$b', DOLLAR)).toBe(true);
    expect(matches('a/+', 'a/$b', DOLLAR)).toBe(true);
    expect(matches('$share/g/#', '$SYS/x', DOLLAR)).toBe(false);
  });

  it('without the option (Qt default NoMatchOption) wildcards do match $ topics', () => {
    expect(matches('#', '$SYS/monitor/Clients')).toBe(true);
    expect(matches('+/monitor/Clients', '$SYS/monitor/Clients')).toBe(true);
  });

  it('is false when either side is invalid', () => {
    expect(matches('a/+', 'a/+')).toBe(false);
    expect(matches('a/#', 'a/#')).toBe(false);
    expect(matches('#', '')).toBe(false);
    expect(matches('sport+', 'sport+')).toBe(false);
    expect(new QMqttTopicFilter('a/#').match(new QMqttTopicName('a/\u0000'))).toBe(false);
  });

  it('accepts a QMqttTopicName as well as a string', () => {
    const f = new QMqttTopicFilter('a/+/c');
    expect(f.match(new QMqttTopicName('a/b/c'))).toBe(true);
    expect(f.match(new QMqttTopicName('a/b/d'))).toBe(false);
  });

  it('an exactly equal filter matches (no wildcards)', () => {
    expect(matches('a/b/c', 'a/b/c')).toBe(true);
    expect(matches('$SYS/x', '$SYS/x', DOLLAR)).toBe(true);
  });
});

describe('QMqttTopicFilter value semantics', () => {
  it('setFilter resets the cached parse and match levels', () => {
    const f = new QMqttTopicFilter('a/+');
    expect(f.match('a/b')).toBe(true);
    f.setFilter('$share/g/x/#');
    expect(f.match('a/b')).toBe(false);
    expect(f.match('x/y/z')).toBe(true);
    expect(f.sharedSubscriptionName()).toBe('g');
    f.setFilter('a#');
    expect(f.isValid()).toBe(false);
    expect(f.validationError()).toMatch(/'#'/);
  });

  it('equals / compare / swap / copy', () => {
    const a = new QMqttTopicFilter('a/#');
    const b = new QMqttTopicFilter('b/+');
    expect(a.equals('a/#')).toBe(true);
    expect(a.equals(b)).toBe(false);
    expect(a.compare(b)).toBeLessThan(0);
    const c = a.copy();
    a.swap(b);
    expect(a.filter()).toBe('b/+');
    expect(b.filter()).toBe('a/#');
    expect(c.filter()).toBe('a/#');
    expect(a.match('b/x')).toBe(true);
    expect(b.match('a/x/y')).toBe(true);
    expect(String(c)).toBe('a/#');
  });

  it('rejects a non-string with a TypeError', () => {
    expect(() => new QMqttTopicFilter(1 as unknown as string)).toThrow(TypeError);
    expect(validateTopicFilter(null as unknown as string)).toMatch(/must be a string/);
  });
});

describe('validateTopicFilter', () => {
  it('gives the same answer as QMqttTopicFilter.validationError (plain filters take a shorter path)', () => {
    const filters = [
      'a',
      'a/b/c',
      '#',
      'a/#',
      'a#',
      'a/#/b',
      '+',
      'a/+/b',
      'a+',
      '+a/b',
      'a/\u0000',
      'a/\ud800',
      'x'.repeat(70000),
      '$SYS/#',
      '$share/g/a/+',
      '$share//a',
      '$share/g',
      '$share/g+/a',
      '$share/g/',
      '$share/g/a#',
      '',
    ];
    for (const f of filters) expect(validateTopicFilter(f)).toBe(new QMqttTopicFilter(f).validationError());
  });
});
