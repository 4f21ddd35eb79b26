/**
 * `QMqttStringPair` and `QMqttUserProperties` (MQTT 5 User Property, 0x26; MQTT 5.0 §1.5.7, §2.2.2.2).
 */
import { checkString } from './validate';

/** One UTF-8 name/value pair [MQTT-1.5.7-1]. Both parts are checked on every set. */
export class QMqttStringPair {
  private n: string;
  private v: string;

  /** Builds a pair (both empty by default) or copies another pair. */
  constructor(name: string | QMqttStringPair = '', value = '') {
    if (name instanceof QMqttStringPair) {
      this.n = name.n;
      this.v = name.v;
    } else {
      this.n = checkString(name, 'user property name');
      this.v = checkString(value, 'user property value');
    }
  }

  /** @internal A pair from decoded packet data, taken as is (the broker's strings are not re-validated). */
  static fromWire(name: string, value: string): QMqttStringPair {
    const p = new QMqttStringPair();
    p.n = String(name);
    p.v = String(value);
    return p;
  }

  name(): string {
    return this.n;
  }

  setName(name: string): void {
    this.n = checkString(name, 'user property name');
  }

  value(): string {
    return this.v;
  }

  setValue(value: string): void {
    this.v = checkString(value, 'user property value');
  }

  /** Same name and same value (Qt's `==`). */
  equals(other: QMqttStringPair): boolean {
    return this.n === other.n && this.v === other.v;
  }

  copy(): QMqttStringPair {
    return new QMqttStringPair(this);
  }

  /** `[name, value]`. */
  toJSON(): [string, string] {
    return [this.n, this.v];
  }

  toString(): string {
    return `${this.n}=${this.v}`;
  }
}

/** What the {@link QMqttUserProperties} constructor accepts. */
export type UserPropertiesInit =
  | QMqttUserProperties
  | Iterable<QMqttStringPair | readonly [string, string]>
  | Readonly<Record<string, string | readonly string[]>>;

/**
 * An ordered list of name/value pairs; names may repeat (Qt: `QList<QMqttStringPair>`). The order is kept
 * as given; servers must forward it unchanged [MQTT-3.3.2-18].
 */
export class QMqttUserProperties implements Iterable<QMqttStringPair> {
  private list: QMqttStringPair[] = [];

  /**
   * Empty, or filled from another list, from pairs (`QMqttStringPair` or `[name, value]`), or from an object
   * `{ name: value | value[] }` (the shape Node-RED's MQTT nodes and mqtt-packet use).
   * @throws TypeError / RangeError when a name or value is not a valid UTF-8 string.
   */
  constructor(init?: UserPropertiesInit) {
    if (init === undefined) return;
    if (init instanceof QMqttUserProperties) {
      for (const p of init.list) this.list.push(p.copy());
    } else if (isIterable(init)) {
      for (const item of init) {
        if (item instanceof QMqttStringPair) this.list.push(item.copy());
        else if (Array.isArray(item)) this.list.push(new QMqttStringPair(item[0], item[1]));
        else throw new TypeError('user properties must be given as QMqttStringPair or [name, value] items');
      }
    } else if (typeof init === 'object' && init !== null) {
      for (const name of Object.keys(init)) {
        const value = init[name];
        if (Array.isArray(value)) for (const v of value as readonly string[]) this.append(name, v);
        else this.append(name, value as string);
      }
    } else {
      throw new TypeError(`user properties must be a list or an object, not ${typeof init}`);
    }
  }

  /** Adds a pair at the end (duplicates allowed); returns `this` for chaining. */
  append(name: string, value: string): this;
  append(pair: QMqttStringPair): this;
  append(nameOrPair: string | QMqttStringPair, value?: string): this {
    if (nameOrPair instanceof QMqttStringPair) this.list.push(nameOrPair.copy());
    else this.list.push(new QMqttStringPair(nameOrPair, value ?? ''));
    return this;
  }

  /** @internal Appends a pair from decoded packet data without re-validating it. */
  appendFromWire(name: string, value: string): void {
    this.list.push(QMqttStringPair.fromWire(name, value));
  }

  /** The pairs in order. The array is read-only; change the list through its methods. */
  pairs(): readonly QMqttStringPair[] {
    return this.list;
  }

  /** Number of pairs. */
  get length(): number {
    return this.list.length;
  }

  isEmpty(): boolean {
    return this.list.length === 0;
  }

  /** The pair at `index` (negative counts from the end), or `undefined`. */
  at(index: number): QMqttStringPair | undefined {
    return this.list.at(index);
  }

  /** The value of the first pair called `name`, or `undefined`. */
  value(name: string): string | undefined {
    for (const p of this.list) if (p.name() === name) return p.value();
    return undefined;
  }

  /** The values of every pair called `name`, in order. */
  values(name: string): string[] {
    const out: string[] = [];
    for (const p of this.list) if (p.name() === name) out.push(p.value());
    return out;
  }

  /** Removes every pair called `name`; returns how many were removed. */
  remove(name: string): number {
    const before = this.list.length;
    this.list = this.list.filter((p) => p.name() !== name);
    return before - this.list.length;
  }

  clear(): void {
    this.list = [];
  }

  [Symbol.iterator](): Iterator<QMqttStringPair> {
    return this.list[Symbol.iterator]();
  }

  /** Same pairs in the same order. */
  equals(other: QMqttUserProperties): boolean {
    if (other.list.length !== this.list.length) return false;
    for (let i = 0; i < this.list.length; i++) {
      if (!(this.list[i] as QMqttStringPair).equals(other.list[i] as QMqttStringPair)) return false;
    }
    return true;
  }

  /** A deep copy. */
  copy(): QMqttUserProperties {
    return new QMqttUserProperties(this);
  }

  /** `[[name, value], ...]` in order. */
  toArray(): [string, string][] {
    return this.list.map((p) => p.toJSON());
  }

  /** Same as {@link toArray}: JSON keeps order and duplicates. */
  toJSON(): [string, string][] {
    return this.toArray();
  }
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.iterator in value;
}
