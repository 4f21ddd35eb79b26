import type { Packet } from '../packet/codec';

/**
 * `const s = await client.subscribeAsync(f); s.messageReceived.connect(h)`: the SUBACK settles the promise, but
 * the code after `await` runs only once the whole chunk of bytes it came in has been dispatched. A retained
 * message in the same chunk (a broker sends it right after the SUBACK) would reach the subscription before `h`
 * is connected, and be lost to it. So once a SUBACK has settled a promise, the next PUBLISH of that chunk and
 * everything after it wait for one macrotask (`setImmediate`), after every promise continuation. Order is kept.
 */
export class InboundHold {
  private armed = false;
  private held: Packet[] | undefined;

  constructor(private readonly dispatch: (p: Packet) => void) {}

  /** A SUBACK has settled a promise: hold from the next PUBLISH of the current chunk on. */
  arm(): void {
    if (this.armed) return;
    this.armed = true;
    // microtasks run between chunks: a PUBLISH in a later chunk comes after the continuations anyway
    queueMicrotask(() => (this.armed = false));
  }

  /** Dispatches `p` now, or holds it behind what is held. */
  accept(p: Packet): void {
    if (this.held) this.held.push(p);
    else if (this.armed && p.cmd === 'publish') {
      this.held = [p];
      setImmediate(this.release);
    } else this.dispatch(p);
  }

  /** Dispatches what is held, in order (also called before the end of a connection is handled). */
  readonly release = (): void => {
    const q = this.held;
    if (!q) return;
    this.held = undefined;
    this.armed = false;
    for (const p of q) this.accept(p);
  };
}
