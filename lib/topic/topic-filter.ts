/**
 * `QMqttTopicFilter`: what a client subscribes to, possibly with wildcards (Qt: QMqttTopicFilter).
 *
 * Spec IDs: MQTT 5.0 numbers first; where MQTT 3.1.1 numbers the same rule differently it follows in
 * parentheses. 3.1.1 has no shared subscriptions; `$share/...` is MQTT 5.0 §4.8.2.
 */
import { MatchOption } from '../state';
import { QMqttTopicName, compareText, validateTopicName } from './topic-name';
import { utf8StringProblem } from './utf8';

/** The prefix of a shared-subscription filter, `$share/<ShareName>/<filter>` (MQTT 5.0 §4.8.2). */
export const SHARE_PREFIX = '$share/';

/** The parts of a filter text; `shareName` is `''` when the filter is not a (well-formed) shared one. */
interface FilterParts {
  shareName: string;
  unshared: string;
  problem: string | null;
}

const PLUS = 0x2b; // '+'
const HASH = 0x23; // '#'
const SLASH = 0x2f; // '/'

/** Wildcard placement rules for a filter without its `$share/<name>/` prefix. */
function wildcardProblem(f: string): string | null {
  const n = f.length;
  for (let i = 0; i < n; i++) {
    const c = f.charCodeAt(i);
    if (c === HASH) {
      if (i !== n - 1) {
        return `'#' must be the last character of a topic filter (found at index ${i}) [MQTT-4.7.1-1] (v3.1.1 [MQTT-4.7.1-2])`;
      }
      if (i > 0 && f.charCodeAt(i - 1) !== SLASH) {
        return `'#' must be on its own or follow '/' (found at index ${i}) [MQTT-4.7.1-1] (v3.1.1 [MQTT-4.7.1-2])`;
      }
    } else if (c === PLUS) {
      if ((i > 0 && f.charCodeAt(i - 1) !== SLASH) || (i < n - 1 && f.charCodeAt(i + 1) !== SLASH)) {
        return `'+' must occupy an entire topic level (found at index ${i}) [MQTT-4.7.1-2] (v3.1.1 [MQTT-4.7.1-3])`;
      }
    }
  }
  return null;
}

function parseFilter(filter: string): FilterParts {
  const parts: FilterParts = { shareName: '', unshared: filter, problem: null };
  if (typeof filter !== 'string') {
    parts.unshared = '';
    parts.problem = `topic filter must be a string, not ${typeof filter}`;
    return parts;
  }
  if (filter.length === 0) {
    parts.problem = 'topic filter must not be empty [MQTT-4.7.3-1]';
    return parts;
  }
  const nul = filter.indexOf('\u0000');
  if (nul !== -1) {
    parts.problem = `topic filter must not contain U+0000 (at index ${nul}) [MQTT-4.7.3-2]`;
    return parts;
  }
  parts.problem = utf8StringProblem(filter, 'topic filter', '[MQTT-4.7.3-3]');
  if (parts.problem !== null) return parts;

  if (filter.startsWith(SHARE_PREFIX)) {
    const end = filter.indexOf('/', SHARE_PREFIX.length);
    if (end === SHARE_PREFIX.length || filter.length === SHARE_PREFIX.length) {
      parts.problem =
        'shared subscription needs a non-empty share name: $share/<name>/<filter> [MQTT-4.8.2-1]';
      return parts;
    }
    if (end === -1) {
      parts.problem =
        "shared subscription's share name must be followed by '/' and a topic filter [MQTT-4.8.2-2]";
      return parts;
    }
    const shareName = filter.slice(SHARE_PREFIX.length, end);
    parts.shareName = shareName;
    parts.unshared = filter.slice(end + 1);
    if (shareName.includes('+') || shareName.includes('#')) {
      parts.problem = `share name "${shareName}" must not contain '+' or '#' [MQTT-4.8.2-2]`;
      return parts;
    }
    if (parts.unshared.length === 0) {
      parts.problem = `shared subscription "$share/${shareName}/" needs a topic filter after the share name [MQTT-4.8.2-2]`;
      return parts;
    }
  }
  parts.problem = wildcardProblem(parts.unshared);
  return parts;
}

/**
 * Why `filter` is not a valid MQTT topic filter, or `null` when it is. Rules: non-empty [MQTT-4.7.3-1], no
 * U+0000 [MQTT-4.7.3-2], well-formed UTF-8 of at most 65535 bytes [MQTT-4.7.3-3], `#` only alone as the last
 * level [MQTT-4.7.1-1], `+` only as a whole level [MQTT-4.7.1-2], and for `$share/<name>/<filter>` a
 * non-empty share name without `/`, `+`, `#` followed by a non-empty valid filter [MQTT-4.8.2-1], [MQTT-4.8.2-2].
 */
export function validateTopicFilter(filter: string): string | null {
  // the usual case, a filter that is not shared, is checked without building its parts
  if (typeof filter === 'string' && filter.length > 0 && !filter.startsWith(SHARE_PREFIX)) {
    const nul = filter.indexOf('\u0000');
    if (nul !== -1) return `topic filter must not contain U+0000 (at index ${nul}) [MQTT-4.7.3-2]`;
    return utf8StringProblem(filter, 'topic filter', '[MQTT-4.7.3-3]') ?? wildcardProblem(filter);
  }
  return parseFilter(filter).problem;
}

/**
 * Matching on pre-split levels, shared by {@link QMqttTopicFilter.match} and the tests of `TopicMatcher`.
 * `+` matches exactly one level, `#` any number including none (`a/#` matches `a`). With `dollarRule`, a
 * filter whose first level is a wildcard does not match a topic whose first level starts with `$`
 * [MQTT-4.7.2-1]. Both sides are assumed valid.
 */
export function matchTopicLevels(
  filterLevels: readonly string[],
  topicLevels: readonly string[],
  dollarRule: boolean,
): boolean {
  const first = filterLevels[0];
  if (dollarRule && (first === '+' || first === '#') && (topicLevels[0] ?? '').startsWith('$')) return false;
  const n = filterLevels.length;
  for (let i = 0; i < n; i++) {
    const f = filterLevels[i];
    if (f === '#') return true;
    if (i >= topicLevels.length) return false;
    if (f !== '+' && f !== topicLevels[i]) return false;
  }
  return n === topicLevels.length;
}

/**
 * A topic filter: what you subscribe to, possibly with `+` / `#` wildcards, possibly a shared subscription
 * `$share/<name>/<filter>` (MQTT 5). Wraps a string; compare with `equals`.
 */
export class QMqttTopicFilter {
  /** Qt: `QMqttTopicFilter::MatchOption`. */
  static readonly MatchOption = MatchOption;

  private text: string;
  private parts: FilterParts | undefined = undefined;
  private levelCache: string[] | undefined = undefined;

  /** Builds a filter from text, or copies another filter. Default: empty (which is invalid). */
  constructor(filter: string | QMqttTopicFilter = '') {
    if (filter instanceof QMqttTopicFilter) {
      this.text = filter.text;
      this.parts = filter.parts;
      this.levelCache = filter.levelCache;
    } else {
      if (typeof filter !== 'string')
        throw new TypeError(`topic filter must be a string, not ${typeof filter}`);
      this.text = filter;
    }
  }

  private parsed(): FilterParts {
    if (this.parts === undefined) this.parts = parseFilter(this.text);
    return this.parts;
  }

  /** The filter text, including any `$share/<name>/` prefix. */
  filter(): string {
    return this.text;
  }

  /** Replaces the filter text. */
  setFilter(filter: string): void {
    if (typeof filter !== 'string')
      throw new TypeError(`topic filter must be a string, not ${typeof filter}`);
    if (filter === this.text) return;
    this.text = filter;
    this.parts = undefined;
    this.levelCache = undefined;
  }

  /** True when the filter may be subscribed to (see {@link validateTopicFilter}; {@link validationError} says why not). */
  isValid(): boolean {
    return this.parsed().problem === null;
  }

  /** Why the filter is invalid, or `null` when it is valid. */
  validationError(): string | null {
    return this.parsed().problem;
  }

  /** MQTT 5: for `$share/<name>/<filter>`, returns `<name>`; otherwise `''`. */
  sharedSubscriptionName(): string {
    return this.parsed().shareName;
  }

  /** MQTT 5: true for a well-formed `$share/<name>/<filter>`. */
  isSharedSubscription(): boolean {
    const p = this.parsed();
    return p.shareName !== '' && p.problem === null;
  }

  /**
   * The filter without the `$share/<name>/` prefix (what a shared subscription actually matches, and what
   * Qt's `QMqttSubscription::topic()` reports); the filter itself when it is not shared.
   */
  unsharedFilter(): string {
    return this.parsed().unshared;
  }

  /**
   * Does `name` fall under this filter? False if either is invalid. `+` matches exactly one level; `a/#`
   * matches `a` and everything below it. A shared filter matches with its unshared part. With
   * `MatchOption.WildcardsDontMatchDollarTopicMatchOption`, a filter starting with a wildcard does not match
   * a topic starting with `$` (e.g. `$SYS/...`), as brokers must do [MQTT-4.7.2-1]; the default
   * `NoMatchOption` lets it match, as Qt does.
   */
  match(name: QMqttTopicName | string, options: MatchOption = MatchOption.NoMatchOption): boolean {
    let topic: string;
    if (name instanceof QMqttTopicName) {
      if (!name.isValid()) return false;
      topic = name.name();
    } else {
      if (validateTopicName(name) !== null) return false;
      topic = name;
    }
    if (!this.isValid()) return false;
    if (this.levelCache === undefined) this.levelCache = this.parsed().unshared.split('/');
    const dollarRule = (options & MatchOption.WildcardsDontMatchDollarTopicMatchOption) !== 0;
    return matchTopicLevels(this.levelCache, topic.split('/'), dollarRule);
  }

  /** Exchanges the contents of this and `other`. */
  swap(other: QMqttTopicFilter): void {
    const { text, parts, levelCache } = this;
    this.text = other.text;
    this.parts = other.parts;
    this.levelCache = other.levelCache;
    other.text = text;
    other.parts = parts;
    other.levelCache = levelCache;
  }

  /** True when both hold the same text (Qt's `==`). */
  equals(other: QMqttTopicFilter | string): boolean {
    return this.text === (typeof other === 'string' ? other : other.text);
  }

  /** Negative, zero or positive as this sorts before, with or after `other` (Qt's `<`); usable with `sort`. */
  compare(other: QMqttTopicFilter | string): number {
    return compareText(this.text, typeof other === 'string' ? other : other.text);
  }

  /** A copy (value semantics). */
  copy(): QMqttTopicFilter {
    return new QMqttTopicFilter(this);
  }

  /** The filter text. */
  toString(): string {
    return this.text;
  }

  /** The filter text, so that `JSON.stringify` gives the plain string. */
  toJSON(): string {
    return this.text;
  }
}
