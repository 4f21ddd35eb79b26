/**
 * `QMqttTopicName`: a concrete topic, as used when publishing (Qt: QMqttTopicName).
 *
 * Spec IDs: MQTT 5.0 numbers first; where MQTT 3.1.1 numbers the same rule differently it follows in
 * parentheses.
 */
import { utf8StringProblem } from './utf8';

/**
 * Why `name` is not a valid MQTT topic name, or `null` when it is. Use it to give a clear error where
 * {@link QMqttTopicName.isValid} only says no. A valid name:
 * - is at least one character long [MQTT-4.7.3-1];
 * - has no wildcard `+` or `#` [MQTT-4.7.0-1] (v3.1.1 [MQTT-4.7.1-1]), [MQTT-3.3.2-2];
 * - has no U+0000 [MQTT-4.7.3-2] and no lone surrogate [MQTT-1.5.4-1] (v3.1.1 [MQTT-1.5.3-1]);
 * - is at most 65535 bytes in UTF-8 [MQTT-4.7.3-3] (bytes, not characters as Qt counts).
 */
export function validateTopicName(name: string): string | null {
  if (validNames.has(name)) return null;
  const problem = topicNameProblem(name);
  // publishers reuse few topics: remember the valid ones (bounded) so the hot path checks each once
  if (problem === null) {
    if (validNames.size >= 4096) validNames.clear();
    validNames.add(name);
  }
  return problem;
}

const validNames = new Set<string>();

function topicNameProblem(name: string): string | null {
  if (typeof name !== 'string') return `topic name must be a string, not ${typeof name}`;
  if (name.length === 0) return 'topic name must not be empty [MQTT-4.7.3-1]';
  const plus = name.indexOf('+');
  if (plus !== -1) {
    return `topic name must not contain the wildcard '+' (at index ${plus}); wildcards belong in topic filters [MQTT-4.7.0-1]`;
  }
  const hash = name.indexOf('#');
  if (hash !== -1) {
    return `topic name must not contain the wildcard '#' (at index ${hash}); wildcards belong in topic filters [MQTT-4.7.0-1]`;
  }
  const nul = name.indexOf('\u0000');
  if (nul !== -1) return `topic name must not contain U+0000 (at index ${nul}) [MQTT-4.7.3-2]`;
  return utf8StringProblem(name, 'topic name', '[MQTT-4.7.3-3]');
}

/** Compares two strings by UTF-16 code units, as QString's `<` does. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A topic name: the concrete topic a message is published on. Wraps a string; compare with `equals`. */
export class QMqttTopicName {
  private text: string;
  /** Cached result of {@link validateTopicName}; `undefined` until first asked. */
  private problem: string | null | undefined = undefined;

  /** Builds a topic name from text, or copies another topic name. Default: empty (which is invalid). */
  constructor(name: string | QMqttTopicName = '') {
    if (name instanceof QMqttTopicName) {
      this.text = name.text;
      this.problem = name.problem;
    } else {
      if (typeof name !== 'string') throw new TypeError(`topic name must be a string, not ${typeof name}`);
      this.text = name;
    }
  }

  /** The topic text. */
  name(): string {
    return this.text;
  }

  /** Replaces the topic text. */
  setName(name: string): void {
    if (typeof name !== 'string') throw new TypeError(`topic name must be a string, not ${typeof name}`);
    if (name === this.text) return;
    this.text = name;
    this.problem = undefined;
  }

  /**
   * True when the name may be published to: non-empty, no `+`, `#` or U+0000, well-formed UTF-8 and at
   * most 65535 bytes ([MQTT-4.7.3-1..3], [MQTT-4.7.0-1]). {@link validationError} says why not.
   */
  isValid(): boolean {
    return this.validationError() === null;
  }

  /** Why the name is invalid, or `null` when it is valid (see {@link validateTopicName}). */
  validationError(): string | null {
    if (this.problem === undefined) this.problem = validateTopicName(this.text);
    return this.problem;
  }

  /** Number of `/`-separated levels; 0 for an empty name (`"a//b"` has 3). */
  levelCount(): number {
    if (this.text.length === 0) return 0;
    let count = 1;
    for (let i = this.text.indexOf('/'); i !== -1; i = this.text.indexOf('/', i + 1)) count++;
    return count;
  }

  /**
   * The levels, keeping empty ones: `"/a//b"` gives `["", "a", "", "b"]`. An empty name gives `[]`, to agree
   * with {@link levelCount} (Qt returns `[""]` there).
   */
  levels(): string[] {
    return this.text.length === 0 ? [] : this.text.split('/');
  }

  /** Exchanges the contents of this and `other`. */
  swap(other: QMqttTopicName): void {
    const text = this.text;
    const problem = this.problem;
    this.text = other.text;
    this.problem = other.problem;
    other.text = text;
    other.problem = problem;
  }

  /** True when both hold the same text (Qt's `==`). */
  equals(other: QMqttTopicName | string): boolean {
    return this.text === (typeof other === 'string' ? other : other.text);
  }

  /** Negative, zero or positive as this sorts before, with or after `other` (Qt's `<`); usable with `sort`. */
  compare(other: QMqttTopicName | string): number {
    return compareText(this.text, typeof other === 'string' ? other : other.text);
  }

  /** A copy (value semantics, like Qt's implicitly shared copy). */
  copy(): QMqttTopicName {
    return new QMqttTopicName(this);
  }

  /** The topic text. */
  toString(): string {
    return this.text;
  }

  /** The topic text, so that `JSON.stringify` gives the plain string. */
  toJSON(): string {
    return this.text;
  }
}
