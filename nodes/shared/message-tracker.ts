/**
 * Collects `messageStatusChanged` / `messageSent` for the messages one `qmqtt-out` node publishes, so that
 * its second output can carry them per message. `publishAsync` tells the packet id only when it settles, and
 * by then every signal of that exchange has fired (the settle callback runs after them), so the events are
 * recorded by id while the node has publishes in flight and claimed when the publish settles. A packet id is
 * reused only after its exchange ended, so a new event after a final one starts a new record.
 */
import { MessageStatus, reasonCodeName, type QMqttClient } from '../../lib';
import { Listeners } from './listeners';
import { userPropertiesToObject } from './message-mapping';
import type { SignalPayload } from './signals';

export interface TrackedEvent {
  signal: 'messageStatusChanged' | 'messageSent';
  payload: SignalPayload;
}

interface Record {
  events: TrackedEvent[];
  final: boolean;
}

export class MessageTracker {
  private readonly records = new Map<number, Record>();
  private readonly listeners = new Listeners();
  private inFlight = 0;

  constructor(private readonly client: QMqttClient) {}

  /** A publish starts; listening begins with the first one. */
  begin(): void {
    if (this.inFlight++ === 0) {
      this.listeners.on(this.client.messageStatusChanged, (id, status, p) => {
        const rc = p.reasonCode();
        this.record(
          id,
          rc >= 0x80 || status === MessageStatus.Acknowledged || status === MessageStatus.Completed,
          {
            signal: 'messageStatusChanged',
            payload: {
              id,
              status,
              statusName: MessageStatus[status],
              reasonCode: rc,
              reasonCodeName: reasonCodeName(rc),
              reason: p.reason(),
              userProperties: userPropertiesToObject(p.userProperties()),
            },
          },
        );
      });
      this.listeners.on(this.client.messageSent, (id) =>
        this.record(id, true, { signal: 'messageSent', payload: { id } }),
      );
    }
  }

  /** A publish settled; returns the events recorded for its packet id (none for QoS 0 or a failed send). */
  end(id: number | undefined): TrackedEvent[] {
    const r = id ? this.records.get(id) : undefined;
    if (id) this.records.delete(id);
    if (--this.inFlight === 0) {
      this.listeners.clear();
      this.records.clear();
    }
    return r?.events ?? [];
  }

  /** Stops listening (node closed). */
  clear(): void {
    this.listeners.clear();
    this.records.clear();
    this.inFlight = 0;
  }

  private record(id: number, final: boolean, ev: TrackedEvent): void {
    let r = this.records.get(id);
    if (!r || (r.final && ev.signal === 'messageStatusChanged')) {
      r = { events: [], final: false };
      this.records.set(id, r);
    }
    r.events.push(ev);
    r.final ||= final;
  }
}
