/**
 * `TopicMatcher<T>`: a trie of topic filters for dispatching one incoming topic to every matching
 * subscription. The topic is split once; the walk visits only the trie branches that can match (the literal
 * level, `+` and `#` at each depth), so the cost grows with the topic's depth, not the number of filters.
 * No regexes and no closures are created per message.
 *
 * Entry lists are copy-on-write: `add` / `remove` replace a node's list instead of mutating it, so a visitor
 * may subscribe or unsubscribe while a dispatch is running without disturbing that dispatch.
 */
import { MatchOption } from '../state';
import { QMqttTopicFilter, validateTopicFilter } from './topic-filter';

interface Entry<T> {
  readonly filter: string;
  readonly value: T;
}

interface TrieNode<T> {
  /** Children by literal level text. */
  children: Map<string, TrieNode<T>> | undefined;
  /** The child for a `+` level. */
  plus: TrieNode<T> | undefined;
  /** Entries whose filter ends in `#` right below this node (they match this level and everything below). */
  hash: readonly Entry<T>[] | undefined;
  /** Entries whose filter ends exactly at this node. */
  exact: readonly Entry<T>[] | undefined;
}

function newNode<T>(): TrieNode<T> {
  return { children: undefined, plus: undefined, hash: undefined, exact: undefined };
}

function isEmptyNode<T>(n: TrieNode<T>): boolean {
  return n.children === undefined && n.plus === undefined && n.hash === undefined && n.exact === undefined;
}

/** Receives each match: the value and the filter text it was added under. */
export type TopicMatchVisitor<T> = (value: T, filter: string) => void;

/**
 * Maps topic filters to values and finds the values whose filter matches a topic name.
 *
 * `$share/<name>/<filter>` is stored and matched by its `<filter>` part (a client receives a shared
 * subscription's messages on the plain topic). By default a filter starting with `+` or `#` does not match a
 * topic starting with `$` [MQTT-4.7.2-1]: when a broker delivers `$SYS/x` for a `$SYS/#` subscription, a `#`
 * subscription of the same client must not see it. Pass `MatchOption.NoMatchOption` for Qt's lenient rule.
 *
 * Each (filter, value) pair is held once; a value added under two filters that both match is reported twice.
 */
export class TopicMatcher<T> {
  private readonly root: TrieNode<T> = newNode<T>();
  /**
   * Filters without wildcards (most subscriptions) by their text: one hash lookup per message and far less
   * memory than trie nodes. The trie holds only filters with `+` or `#`.
   */
  private readonly literal = new Map<string, readonly Entry<T>[]>();
  private readonly dollarRule: boolean;
  private count = 0;
  private wildcardCount = 0;

  constructor(options: MatchOption = MatchOption.WildcardsDontMatchDollarTopicMatchOption) {
    this.dollarRule = (options & MatchOption.WildcardsDontMatchDollarTopicMatchOption) !== 0;
  }

  /** Number of (filter, value) pairs held. */
  get size(): number {
    return this.count;
  }

  /**
   * Adds `value` under `filter`. Returns false when that exact pair is already present.
   * @throws TypeError when the filter is invalid (the message says why).
   */
  add(filter: string | QMqttTopicFilter, value: T): boolean {
    const text = checkedFilter(filter);
    const unshared = unsharedText(text);
    if (isLiteral(unshared)) {
      const list = this.literal.get(unshared);
      if (findEntry(list, text, value) !== -1) return false;
      this.literal.set(unshared, [...(list ?? []), { filter: text, value }]);
      this.count++;
      return true;
    }
    const levels = unshared.split('/');
    let node = this.root;
    const last = levels.length - 1;
    for (let i = 0; i < last; i++) node = child(node, levels[i] as string);
    const tail = levels[last] as string;
    if (tail === '#') {
      if (findEntry(node.hash, text, value) !== -1) return false;
      node.hash = [...(node.hash ?? []), { filter: text, value }];
    } else {
      node = child(node, tail);
      if (findEntry(node.exact, text, value) !== -1) return false;
      node.exact = [...(node.exact ?? []), { filter: text, value }];
    }
    this.count++;
    this.wildcardCount++;
    return true;
  }

  /** Removes the pair (filter, value). Returns false when it was not present. Empty branches are pruned. */
  remove(filter: string | QMqttTopicFilter, value: T): boolean {
    const text = typeof filter === 'string' ? filter : filter.filter();
    if (validateTopicFilter(text) !== null) return false;
    const unshared = unsharedText(text);
    if (isLiteral(unshared)) {
      const list = this.literal.get(unshared);
      const at = findEntry(list, text, value);
      if (list === undefined || at === -1) return false;
      const rest = list.filter((_, i) => i !== at);
      if (rest.length > 0) this.literal.set(unshared, rest);
      else this.literal.delete(unshared);
      this.count--;
      return true;
    }
    const levels = unshared.split('/');
    const last = levels.length - 1;
    const tail = levels[last] as string;
    const depth = tail === '#' ? last : levels.length;
    const path: TrieNode<T>[] = [this.root];
    let node: TrieNode<T> | undefined = this.root;
    for (let i = 0; i < depth && node !== undefined; i++) {
      const level = levels[i] as string;
      node = level === '+' ? node.plus : node.children?.get(level);
      if (node !== undefined) path.push(node);
    }
    if (node === undefined) return false;
    const list = tail === '#' ? node.hash : node.exact;
    const at = findEntry(list, text, value);
    if (list === undefined || at === -1) return false;
    const rest = list.filter((_, i) => i !== at);
    if (tail === '#') node.hash = rest.length > 0 ? rest : undefined;
    else node.exact = rest.length > 0 ? rest : undefined;
    this.count--;
    this.wildcardCount--;
    for (let i = depth; i > 0; i--) {
      const n = path[i] as TrieNode<T>;
      if (!isEmptyNode(n)) break;
      const parent = path[i - 1] as TrieNode<T>;
      const level = levels[i - 1] as string;
      if (level === '+') parent.plus = undefined;
      else {
        parent.children?.delete(level);
        if (parent.children?.size === 0) parent.children = undefined;
      }
    }
    return true;
  }

  /** True when the pair (filter, value) is present. */
  has(filter: string | QMqttTopicFilter, value: T): boolean {
    const text = typeof filter === 'string' ? filter : filter.filter();
    if (validateTopicFilter(text) !== null) return false;
    const unshared = unsharedText(text);
    if (isLiteral(unshared)) return findEntry(this.literal.get(unshared), text, value) !== -1;
    const levels = unshared.split('/');
    const last = levels.length - 1;
    const tail = levels[last] as string;
    const depth = tail === '#' ? last : levels.length;
    let node: TrieNode<T> | undefined = this.root;
    for (let i = 0; i < depth && node !== undefined; i++) {
      const level = levels[i] as string;
      node = level === '+' ? node.plus : node.children?.get(level);
    }
    if (node === undefined) return false;
    return findEntry(tail === '#' ? node.hash : node.exact, text, value) !== -1;
  }

  /** Removes everything. */
  clear(): void {
    this.root.children = undefined;
    this.root.plus = undefined;
    this.root.hash = undefined;
    this.root.exact = undefined;
    this.literal.clear();
    this.count = 0;
    this.wildcardCount = 0;
  }

  /**
   * Calls `visitor` for every pair whose filter matches `topic` and returns how many there were. `topic` is
   * taken to be a valid topic name (the caller validated the incoming PUBLISH); an empty topic matches nothing.
   */
  forEachMatch(topic: string, visitor: TopicMatchVisitor<T>): number {
    if (topic.length === 0) return 0;
    let n = 0;
    const lit = this.literal.get(topic);
    if (lit !== undefined) {
      for (let k = 0; k < lit.length; k++) visitor((lit[k] as Entry<T>).value, (lit[k] as Entry<T>).filter);
      n = lit.length;
    }
    if (this.wildcardCount === 0) return n;
    const levels = topic.split('/');
    const root = this.root;
    // [MQTT-4.7.2-1]: wildcards in the first level of a filter do not match a `$` topic.
    if (this.dollarRule && topic.charCodeAt(0) === 0x24) {
      const next = root.children?.get(levels[0] as string);
      return next === undefined ? n : n + visit(next, levels, 1, visitor);
    }
    return n + visit(root, levels, 0, visitor);
  }

  /** The values whose filters match `topic` (see {@link forEachMatch}). */
  match(topic: string): T[] {
    const out: T[] = [];
    if (topic.length === 0) return out;
    const lit = this.literal.get(topic);
    if (lit !== undefined) for (let k = 0; k < lit.length; k++) out.push((lit[k] as Entry<T>).value);
    if (this.wildcardCount === 0) return out;
    const levels = topic.split('/');
    const root = this.root;
    if (this.dollarRule && topic.charCodeAt(0) === 0x24) {
      const next = root.children?.get(levels[0] as string);
      if (next !== undefined) collect(next, levels, 1, out);
      return out;
    }
    collect(root, levels, 0, out);
    return out;
  }
}

function checkedFilter(filter: string | QMqttTopicFilter): string {
  const text = typeof filter === 'string' ? filter : filter.filter();
  const problem = validateTopicFilter(text);
  if (problem !== null) throw new TypeError(`invalid topic filter ${JSON.stringify(text)}: ${problem}`);
  return text;
}

/** A valid filter without its `$share/<name>/` prefix. */
function unsharedText(filter: string): string {
  return filter.startsWith('$share/') ? new QMqttTopicFilter(filter).unsharedFilter() : filter;
}

function isLiteral(filter: string): boolean {
  return !filter.includes('+') && !filter.includes('#');
}

function child<T>(node: TrieNode<T>, level: string): TrieNode<T> {
  if (level === '+') {
    if (node.plus === undefined) node.plus = newNode<T>();
    return node.plus;
  }
  if (node.children === undefined) node.children = new Map();
  let next = node.children.get(level);
  if (next === undefined) {
    next = newNode<T>();
    node.children.set(level, next);
  }
  return next;
}

function findEntry<T>(list: readonly Entry<T>[] | undefined, filter: string, value: T): number {
  if (list === undefined) return -1;
  for (let i = 0; i < list.length; i++) {
    const e = list[i] as Entry<T>;
    if (e.filter === filter && e.value === value) return i;
  }
  return -1;
}

/** Visits `node`, reached after consuming `i` levels of the topic. */
function visit<T>(
  node: TrieNode<T>,
  levels: readonly string[],
  i: number,
  visitor: TopicMatchVisitor<T>,
): number {
  let n = 0;
  const hash = node.hash;
  if (hash !== undefined) {
    // `x/#` matches `x` itself and everything below it [MQTT-4.7.1-1].
    for (let k = 0; k < hash.length; k++) {
      const e = hash[k] as Entry<T>;
      visitor(e.value, e.filter);
    }
    n += hash.length;
  }
  if (i === levels.length) {
    const exact = node.exact;
    if (exact !== undefined) {
      for (let k = 0; k < exact.length; k++) {
        const e = exact[k] as Entry<T>;
        visitor(e.value, e.filter);
      }
      n += exact.length;
    }
    return n;
  }
  const next = node.children?.get(levels[i] as string);
  if (next !== undefined) n += visit(next, levels, i + 1, visitor);
  if (node.plus !== undefined) n += visit(node.plus, levels, i + 1, visitor);
  return n;
}

/** Same walk as {@link visit}, pushing into `out` (no visitor call per match). */
function collect<T>(node: TrieNode<T>, levels: readonly string[], i: number, out: T[]): void {
  const hash = node.hash;
  if (hash !== undefined) for (let k = 0; k < hash.length; k++) out.push((hash[k] as Entry<T>).value);
  if (i === levels.length) {
    const exact = node.exact;
    if (exact !== undefined) for (let k = 0; k < exact.length; k++) out.push((exact[k] as Entry<T>).value);
    return;
  }
  const next = node.children?.get(levels[i] as string);
  if (next !== undefined) collect(next, levels, i + 1, out);
  if (node.plus !== undefined) collect(node.plus, levels, i + 1, out);
}
