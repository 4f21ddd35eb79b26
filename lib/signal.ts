/**
 * A typed signal in the spirit of Qt's signals: each signal owns its listener list (no EventEmitter,
 * no MaxListeners warnings), `connect` returns a handle that disconnects exactly that listener, and a
 * listener that throws is reported through {@link Signal.onListenerError} without stopping the emitter
 * or the other listeners.
 */

/** Returned by {@link Signal.connect}; `disconnect()` removes that one listener. */
export interface SignalConnection {
  disconnect(): void;
  readonly connected: boolean;
}

type Listener<A extends unknown[]> = (...args: A) => void;

/** One registration; it is also the handle `connect` returns (no extra object or closure per listener). */
class Slot<A extends unknown[]> implements SignalConnection {
  live = true;
  constructor(
    readonly fn: Listener<A>,
    readonly once: boolean,
    private readonly signal: Signal<A>,
  ) {}

  disconnect(): void {
    this.signal.removeSlot(this);
  }

  get connected(): boolean {
    return this.live;
  }
}

/** Called when a listener throws; replace to route errors elsewhere (the default prints a warning). */
export type ListenerErrorHandler = (error: unknown, signalName: string) => void;

let listenerErrorHandler: ListenerErrorHandler = (error, name) => {
  process.emitWarning(
    `A listener of signal "${name}" threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    'QMqttListenerError',
  );
};

export class Signal<A extends unknown[] = []> {
  // None, one slot, or an array of them. The array is copied on write so that emit can iterate without being
  // disturbed by listeners that connect or disconnect during the emission; a single listener (the usual case:
  // a client may hold 10,000 subscriptions with one each) needs no array at all.
  private slots: Slot<A> | Slot<A>[] | undefined = undefined;

  /** @param name used in error reports, e.g. "connected" */
  constructor(readonly name: string) {}

  /** Sets the process-wide handler for listeners that throw. Returns the previous handler. */
  static onListenerError(handler: ListenerErrorHandler): ListenerErrorHandler {
    const previous = listenerErrorHandler;
    listenerErrorHandler = handler;
    return previous;
  }

  /** Adds a listener; the returned handle removes it again. */
  connect(fn: Listener<A>): SignalConnection {
    return this.add(fn, false);
  }

  /** Adds a listener that is removed after its first call. */
  once(fn: Listener<A>): SignalConnection {
    return this.add(fn, true);
  }

  /** Removes every registration of `fn`, or every listener when called without an argument. */
  disconnect(fn?: Listener<A>): void {
    const slots = this.slots;
    if (slots === undefined) return;
    if (!Array.isArray(slots)) {
      if (fn && slots.fn !== fn) return;
      slots.live = false;
      this.slots = undefined;
      return;
    }
    const kept: Slot<A>[] = [];
    for (const s of slots) {
      if (!fn || s.fn === fn) s.live = false;
      else kept.push(s);
    }
    this.slots = pack(kept);
  }

  /** Number of connected listeners. */
  get listenerCount(): number {
    const slots = this.slots;
    return slots === undefined ? 0 : Array.isArray(slots) ? slots.length : 1;
  }

  /** Calls every listener with `args`. Meant for the owner of the signal. */
  emit(...args: A): void {
    const slots = this.slots;
    if (slots === undefined) return;
    if (!Array.isArray(slots)) {
      this.call(slots, args);
      return;
    }
    for (let i = 0; i < slots.length; i++) this.call(slots[i]!, args);
  }

  /** @internal used by the connection handle */
  removeSlot(slot: Slot<A>): void {
    this.remove(slot);
  }

  private call(s: Slot<A>, args: A): void {
    if (!s.live) return;
    if (s.once) this.remove(s);
    try {
      s.fn(...args);
    } catch (error) {
      listenerErrorHandler(error, this.name);
    }
  }

  private add(fn: Listener<A>, once: boolean): SignalConnection {
    const slot = new Slot(fn, once, this);
    const slots = this.slots;
    this.slots = slots === undefined ? slot : Array.isArray(slots) ? slots.concat(slot) : [slots, slot];
    return slot;
  }

  private remove(slot: Slot<A>): void {
    if (!slot.live) return;
    slot.live = false;
    const slots = this.slots;
    if (slots === slot) this.slots = undefined;
    else if (Array.isArray(slots)) this.slots = pack(slots.filter((s) => s !== slot));
  }
}

function pack<A extends unknown[]>(slots: Slot<A>[]): Slot<A> | Slot<A>[] | undefined {
  return slots.length === 0 ? undefined : slots.length === 1 ? slots[0] : slots;
}
