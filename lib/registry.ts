/**
 * Access to clients from scripts that live inside a host with a lifecycle (a Node-RED function node): a
 * process-wide registry of named clients, and helpers that undo everything a script made when its host closes.
 * Nothing here knows Node-RED: a host is any object with `on('close', fn)`.
 */
import { QMqttClient, type QMqttClientOptions, type TopicFilterLike } from './client';
import type { QMqttMessage } from './message';
import { Signal, type SignalConnection } from './signal';
import type { QMqttSubscription } from './subscription';
import { QMqttTopicFilter } from './topic/topic-filter';

type Registry = Map<string, QMqttClient>;

// Kept on globalThis so that two copies of the package loaded in one process (e.g. an ESM and a CommonJS
// import resolving to different files) still share one registry.
const REGISTRY_KEY = Symbol.for('node-red-contrib-qmqtt.clientRegistry');

function registry(): Registry {
  const g = globalThis as { [REGISTRY_KEY]?: Registry };
  return (g[REGISTRY_KEY] ??= new Map<string, QMqttClient>());
}

/** Makes `client` reachable through {@link clientOf} under `key` (e.g. a config node's id or name). */
export function registerClient(key: string, client: QMqttClient): void {
  if (key) registry().set(key, client);
}

/** Removes `key`, but only while it still names `client` (a newer registration under the same key stays). */
export function unregisterClient(key: string, client: QMqttClient): void {
  const r = registry();
  if (r.get(key) === client) r.delete(key);
}

/** The client registered under `idOrName`, or undefined. */
export function clientOf(idOrName: string): QMqttClient | undefined {
  return registry().get(idOrName);
}

/**
 * Something with a lifecycle: `on('close', fn)` is called once when it ends. A Node-RED node passes
 * `(removed, done)`; other hosts may call `fn` without arguments.
 */
export interface ScopeHost {
  on(event: 'close', fn: (removed?: boolean, done?: () => void) => void): unknown;
}

/** What {@link scoped} returns: client calls whose effects are undone when the host closes. */
export interface ClientScope {
  /** The client the scope works on. */
  readonly client: QMqttClient;
  /**
   * Subscribes (as `client.subscribe`) and connects `onMessage` to the subscription's own `messageReceived`
   * signal. Returns null when the client refuses (invalid filter or QoS, not connected).
   */
  subscribe(
    filter: TopicFilterLike,
    qos?: number,
    onMessage?: (message: QMqttMessage) => void,
  ): QMqttSubscription | null;
  /** Promise form of {@link ClientScope.subscribe}: resolves on SUBACK. */
  subscribeAsync(
    filter: TopicFilterLike,
    qos?: number,
    onMessage?: (message: QMqttMessage) => void,
  ): Promise<QMqttSubscription>;
  /** Connects `fn` to any signal (of the client or a subscription); disconnected when the scope closes. */
  on<A extends unknown[]>(signal: Signal<A>, fn: (...args: NoInfer<A>) => void): SignalConnection;
  /** `client.publishAsync`, unchanged. */
  publishAsync: QMqttClient['publishAsync'];
  /**
   * Disconnects every listener connected through the scope and unsubscribes the filters it subscribed that
   * nothing else listens to. Called automatically when the host closes; later calls do nothing.
   */
  close(): void;
  /** True once closed. */
  readonly closed: boolean;
}

// Subscriptions made by some scope (not by a node or other code): only these are unsubscribed by a scope.
const madeByScope = new WeakSet<QMqttSubscription>();

function filterText(f: TopicFilterLike): string {
  return f instanceof QMqttTopicFilter ? f.filter() : String(f);
}

function heldSubscription(client: QMqttClient, filter: string): QMqttSubscription | undefined {
  return client.subscriptions().find((s) => s.filter() === filter);
}

/** Calls `fn` once when `host` closes, and Node-RED's `done` afterwards when given. */
function onHostClose(host: ScopeHost, fn: () => Promise<void> | void): void {
  host.on('close', (_removed?: boolean, done?: () => void) => {
    const finish = (): void => {
      if (typeof done === 'function') done();
    };
    Promise.resolve().then(fn).then(finish, finish);
  });
}

/**
 * A scope over `client` tied to `host` (a function node's `node`): listeners connected and subscriptions made
 * through it are removed when the host closes (redeploy, stop), so nothing a script made survives it.
 */
export function scoped(host: ScopeHost, client: QMqttClient): ClientScope {
  // Scripts pass `clientOf(name)` straight in: say what is wrong instead of failing later on `undefined`.
  if (!(client as QMqttClient | undefined))
    throw new TypeError('scoped: no client given (is the qmqtt-broker config node deployed and running?)');
  let connections: SignalConnection[] = [];
  const filters = new Map<string, QMqttSubscription>();
  let closed = false;

  const track = (
    filter: string,
    sub: QMqttSubscription,
    existed: boolean,
    onMessage?: (m: QMqttMessage) => void,
  ): void => {
    if (!existed) madeByScope.add(sub);
    filters.set(filter, sub);
    if (onMessage) connections.push(sub.messageReceived.connect(onMessage));
  };

  const release = (filter: string, sub: QMqttSubscription): void => {
    if (!madeByScope.has(sub) || sub.messageReceived.listenerCount > 0) return;
    if (heldSubscription(client, filter) !== sub) return;
    madeByScope.delete(sub);
    client.unsubscribe(filter);
  };

  const scope: ClientScope = {
    client,
    get closed() {
      return closed;
    },
    subscribe(filter, qos = 0, onMessage) {
      if (closed) return null;
      const text = filterText(filter);
      const existed = heldSubscription(client, text) !== undefined;
      const sub = client.subscribe(filter, qos);
      if (sub) track(text, sub, existed, onMessage);
      return sub;
    },
    async subscribeAsync(filter, qos = 0, onMessage) {
      if (closed) throw new Error('the scope is closed');
      const text = filterText(filter);
      const existed = heldSubscription(client, text) !== undefined;
      const sub = await client.subscribeAsync(filter, qos);
      if (closed) {
        // The host closed while waiting for SUBACK: undo at once.
        if (!existed) madeByScope.add(sub);
        release(text, sub);
        return sub;
      }
      track(text, sub, existed, onMessage);
      return sub;
    },
    on(signal, fn) {
      const c = signal.connect(fn);
      if (closed) c.disconnect();
      else connections.push(c);
      return c;
    },
    publishAsync: client.publishAsync.bind<QMqttClient['publishAsync']>(client),
    close() {
      if (closed) return;
      closed = true;
      for (const c of connections) c.disconnect();
      connections = [];
      for (const [filter, sub] of filters) release(filter, sub);
      filters.clear();
    },
  };
  onHostClose(host, () => scope.close());
  return scope;
}

/**
 * A new client of its own for `host` (a function node's `node`), set up by `configure` (host, port, client id,
 * ...; connecting is left to the caller). When the host closes the client disconnects and all its listeners are
 * removed.
 */
export function standalone(
  host: ScopeHost,
  configure?: (client: QMqttClient) => void,
  options?: QMqttClientOptions,
): QMqttClient {
  const client = new QMqttClient(options);
  configure?.(client);
  onHostClose(host, async () => {
    await client.disconnectFromHostAsync();
    // Nothing the script connected may fire after its host is gone.
    for (const v of Object.values(client) as unknown[]) if (v instanceof Signal) v.disconnect();
  });
  return client;
}
