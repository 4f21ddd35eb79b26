/**
 * Requests made in one turn of the event loop, gathered into shared packets: subscribes into one SUBSCRIBE,
 * unsubscribes into one UNSUBSCRIBE ([MQTT-3.8.3-1] [MQTT-3.10.3-2]: a packet carries one or more filters). One
 * kind at a time: a request of the other kind sends what was gathered first, so packets keep the order of the
 * calls. What is gathered leaves at the end of the turn (a microtask), before any other packet
 * (Connection.beforeNextSend), or when full: `maxCount` entries or `maxBytes()` bytes.
 */
import type { Connection } from '../connection/connection';

export interface GatherTarget<S, U> {
  /** The connection the packets go to (its next send flushes first). */
  connection(): Connection | undefined;
  /** The most bytes one packet may take now (a server's Maximum Packet Size included). */
  maxBytes(): number;
  sendSubscribes(requests: S[]): void;
  sendUnsubscribes(requests: U[]): void;
}

export class Gathering<S, U> {
  private kind: 'subscribe' | 'unsubscribe' = 'subscribe';
  private list: (S | U)[] | undefined;
  private bytes = 0;

  /** `overhead`: the most bytes a packet adds around its entries. */
  constructor(
    private readonly target: GatherTarget<S, U>,
    private readonly maxCount: number,
    private readonly overhead: number,
  ) {}

  /** Adds a subscribe whose entry takes `size` bytes. */
  subscribe(request: S, size: number): void {
    this.add('subscribe', request, size);
  }

  /** Adds an unsubscribe whose entry takes `size` bytes. */
  unsubscribe(request: U, size: number): void {
    this.add('unsubscribe', request, size);
  }

  /** A gathered subscribe matching `test`, if any. */
  findSubscribe(test: (r: S) => boolean): S | undefined {
    return this.take(false).subscribes?.find(test);
  }

  /** Sends what is gathered now. */
  readonly flush = (): void => {
    const { subscribes, unsubscribes } = this.take();
    if (subscribes) this.target.sendSubscribes(subscribes);
    if (unsubscribes) this.target.sendUnsubscribes(unsubscribes);
  };

  /** What is gathered, by kind; taken away unless `remove` is false (the connection was lost: not sent). */
  take(remove = true): { subscribes: S[] | undefined; unsubscribes: U[] | undefined } {
    const list = this.list;
    if (remove) this.list = undefined;
    return this.kind === 'subscribe'
      ? { subscribes: list as S[] | undefined, unsubscribes: undefined }
      : { subscribes: undefined, unsubscribes: list as U[] | undefined };
  }

  private add(kind: 'subscribe' | 'unsubscribe', request: S | U, size: number): void {
    if (this.list && (this.kind !== kind || this.full(this.list.length, size))) this.flush();
    if (!this.list) {
      this.list = [];
      this.kind = kind;
      this.bytes = 0;
      this.target.connection()?.beforeNextSend(this.flush);
      queueMicrotask(this.flush);
    }
    this.list.push(request);
    this.bytes += size;
  }

  private full(count: number, size: number): boolean {
    return count === this.maxCount || this.overhead + this.bytes + size > this.target.maxBytes();
  }
}
