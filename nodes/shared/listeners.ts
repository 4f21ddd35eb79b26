import type { Signal, SignalConnection } from '../../lib';

/**
 * Listener bookkeeping: every signal connection a node makes goes through one `Listeners`, and `clear()` on
 * close removes them all, so a redeploy leaves nothing connected to the shared client.
 */
export class Listeners {
  private connections: SignalConnection[] = [];

  /** Connects `fn` to `signal` and remembers the connection. */
  on<A extends unknown[]>(signal: Signal<A>, fn: (...args: A) => void): SignalConnection {
    const c = signal.connect(fn);
    this.connections.push(c);
    return c;
  }

  /** Remembers a connection made elsewhere. */
  add(c: SignalConnection): void {
    this.connections.push(c);
  }

  get size(): number {
    return this.connections.filter((c) => c.connected).length;
  }

  /** Disconnects everything connected through this object. */
  clear(): void {
    for (const c of this.connections) c.disconnect();
    this.connections = [];
  }
}
