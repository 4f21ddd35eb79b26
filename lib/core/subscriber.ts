import { QMqttError, QMqttNotConnectedError } from '../errors';
import type { SubackPacket, UnsubackPacket, UnsubscribePacket, WireUserProperties } from '../packet/codec';
import { QMqttSubscription } from '../subscription';
import { ReasonCode } from '../reason-codes';
import { ClientError, ProtocolVersion, SubscriptionState } from '../state';
import { QMqttTopicFilter } from '../topic/topic-filter';
import type { QMqttSubscriptionProperties } from '../properties';
import { QMqttUserProperties, type QMqttUnsubscriptionProperties } from '../properties';
import { unsubscribePropertiesToWire, userPropertiesFromWire } from '../properties';
import type { ClientCore } from './client-core';
import type { Deferred } from './pending';
import { SUBSCRIBE_OVERHEAD_MAX, subscriptionEntrySize } from '../packet/size';
import { Gathering } from './gathering';
import { subscribePacket } from './subscribe-packet';

interface PendingSubscribe {
  subs: QMqttSubscription[];
  /** The waiters of each subscription, by its index in `subs`. */
  waiters: Deferred<QMqttSubscription>[][];
}

/** A subscription to request, at this QoS, with who waits for it. */
interface SubscribeRequest {
  sub: QMqttSubscription;
  qos: 0 | 1 | 2;
  waiters: Deferred<QMqttSubscription>[];
}

/** At most this many filters in one shared SUBSCRIBE (as MQTT.js sends for an array of filters). */
export const FILTERS_PER_SUBSCRIBE = 1000;
/** …and at most this many bytes (a server's smaller Maximum Packet Size wins). */
export const BYTES_PER_SUBSCRIBE = 64 * 1024;

interface PendingUnsubscribe {
  subs: QMqttSubscription[];
  waiters: Deferred<void>[];
}

/** A subscription to end, with who waits for its UNSUBACK and the state to go back to if it cannot be sent. */
interface UnsubscribeRequest {
  sub: QMqttSubscription;
  waiter: Deferred<void> | undefined;
  previous: SubscriptionState;
}

/** No user properties: shared, never stored (QMqttSubscription.setAck keeps only a non-empty set). */
const NO_USER_PROPERTIES = new QMqttUserProperties();

/** The user properties of a SUBACK / UNSUBACK; none (the usual case) makes no object per acknowledgement. */
function ackUserProperties(wire: WireUserProperties | undefined): QMqttUserProperties {
  return wire === undefined ? NO_USER_PROPERTIES : userPropertiesFromWire(wire);
}

/** SUBSCRIBE / UNSUBSCRIBE exchanges and the subscriptions they change (MQTT §3.8–3.11). */
export class Subscriber {
  private readonly pendingSub = new Map<number, PendingSubscribe>();
  private readonly pendingUnsub = new Map<number, PendingUnsubscribe>();
  /** Subscriptions requested while connecting / reconnecting: sent, and their waiters settled, after CONNACK. */
  private readonly awaitingConnection = new Map<QMqttSubscription, Deferred<QMqttSubscription>[]>();
  /** Plain requests made while connected in this turn of the event loop, to share a SUBSCRIBE / UNSUBSCRIBE. */
  private readonly gathering: Gathering<SubscribeRequest, UnsubscribeRequest>;

  constructor(private readonly core: ClientCore) {
    this.gathering = new Gathering(
      {
        connection: () => core.conn,
        maxBytes: () => Math.min(BYTES_PER_SUBSCRIBE, core.serverMaximumPacketSize() || Infinity),
        sendSubscribes: (requests) => this.send(requests),
        sendUnsubscribes: (requests) => this.sendUnsubscribe(requests),
      },
      FILTERS_PER_SUBSCRIBE,
      SUBSCRIBE_OVERHEAD_MAX,
    );
  }

  /** A SUBSCRIBE or UNSUBSCRIBE is waiting for the broker's answer. */
  get awaitingAck(): boolean {
    return this.pendingSub.size > 0 || this.pendingUnsub.size > 0;
  }

  /**
   * Subscribes (Qt: returns the subscription, the same object for the same filter while it is active).
   * The caller has validated filter and QoS.
   */
  subscribe(
    filter: QMqttTopicFilter,
    qos: 0 | 1 | 2,
    properties: QMqttSubscriptionProperties | undefined,
    waiter?: Deferred<QMqttSubscription>,
  ): QMqttSubscription {
    const core = this.core;
    const existing = core.subscriptions.get(filter.filter());
    if (
      existing &&
      (existing.state() === SubscriptionState.Subscribed ||
        existing.state() === SubscriptionState.SubscriptionPending)
    ) {
      if (waiter) {
        if (existing.state() === SubscriptionState.Subscribed) waiter.resolve(existing);
        else this.addWaiter(existing, waiter);
      }
      return existing;
    }
    const sub = existing ?? new QMqttSubscription(core, filter, qos, properties?.copy());
    if (!existing) core.subscriptions.add(sub);
    else sub.properties = properties?.copy();
    const request: SubscribeRequest = { sub, qos, waiters: waiter ? [waiter] : [] };
    if (!properties && core.conn && core.isConnected) this.gather(request);
    else this.send([request]);
    return sub;
  }

  /**
   * Ends `sub` with an UNSUBSCRIBE; `waiter` settles on UNSUBACK. Those without MQTT 5 properties made in one turn
   * share an UNSUBSCRIBE, as subscribes share a SUBSCRIBE ([MQTT-3.10.3-2]: one or more filters).
   */
  unsubscribe(
    sub: QMqttSubscription,
    properties: QMqttUnsubscriptionProperties | undefined,
    waiter?: Deferred<void>,
  ): void {
    const core = this.core;
    const conn = core.conn;
    if (!conn || !core.isConnected) {
      waiter?.reject(new QMqttNotConnectedError());
      return;
    }
    const request: UnsubscribeRequest = { sub, waiter, previous: sub.state() };
    const wire =
      core.protocolVersion === ProtocolVersion.MQTT_5_0 && properties
        ? unsubscribePropertiesToWire(properties)
        : undefined;
    if (wire) this.sendUnsubscribe([request], wire);
    else this.gatherUnsubscribe(request);
  }

  /** One UNSUBSCRIBE for these subscriptions. */
  private sendUnsubscribe(
    requests: UnsubscribeRequest[],
    properties?: UnsubscribePacket['properties'],
  ): void {
    const core = this.core;
    const conn = core.conn;
    const fail = (err: Error) => {
      for (const r of requests) {
        r.sub.setState(r.previous);
        r.waiter?.reject(err);
      }
    };
    if (!conn || !core.isConnected) return fail(new QMqttNotConnectedError());
    const id = core.session.ids.allocate();
    if (id === 0) return fail(new QMqttError('No free packet identifier', ClientError.UnknownError));
    const packet: UnsubscribePacket = {
      cmd: 'unsubscribe',
      messageId: id,
      unsubscriptions: requests.map((r) => r.sub.filter()),
    };
    if (properties) packet.properties = properties;
    const waiters: Deferred<void>[] = [];
    for (const r of requests) if (r.waiter) waiters.push(r.waiter);
    this.pendingUnsub.set(id, { subs: requests.map((r) => r.sub), waiters });
    for (const r of requests) r.sub.setState(SubscriptionState.UnsubscriptionPending);
    conn.send(packet);
  }

  /**
   * After CONNACK: subscribe again what the broker does not hold (session not present) or never acknowledged;
   * the waiters of requests made while connecting settle with it. Under MQTT 5 a request this CONNACK's limits
   * forbid is not sent: the subscription ends in `Error` with the reason code a server would have given.
   */
  restore(sessionPresent: boolean): void {
    // those without properties share SUBSCRIBE packets (a client with 10,000 subscriptions, or a Node-RED flow
    // whose nodes subscribed while connecting, sends a few packets, not one each); one with MQTT 5 properties
    // goes alone, as a packet has one property block
    const plain: SubscribeRequest[] = [];
    for (const sub of this.core.subscriptions.all()) {
      const st = sub.state();
      if (
        st === SubscriptionState.SubscriptionPending ||
        (!sessionPresent && st === SubscriptionState.Subscribed)
      ) {
        const waiters = this.awaitingConnection.get(sub) ?? [];
        this.awaitingConnection.delete(sub);
        const refused = this.core.recheckSubscription(sub);
        const qos = sub.qos() as 0 | 1 | 2;
        if (refused) this.refuse(sub, refused, waiters);
        else if (sub.properties) this.send([{ sub, qos, waiters }]);
        else plain.push({ sub, qos, waiters });
      } else if (st === SubscriptionState.UnsubscriptionPending) {
        if (sessionPresent) this.unsubscribe(sub, undefined);
        else this.drop(sub);
      }
    }
    for (const r of plain) this.gather(r);
    this.gathering.flush();
  }

  /**
   * Adds a plain request (no MQTT 5 properties) to the SUBSCRIBE being gathered: it leaves at the end of this
   * turn (a microtask), before any other packet (Connection.beforeNextSend), or when full: FILTERS_PER_SUBSCRIBE
   * filters or BYTES_PER_SUBSCRIBE bytes (the server's smaller Maximum Packet Size wins).
   */
  private gather(request: SubscribeRequest): void {
    if (!this.core.conn) return this.send([request]);
    request.sub.setState(SubscriptionState.SubscriptionPending);
    this.gathering.subscribe(request, subscriptionEntrySize(request.sub.filter()));
  }

  /** As {@link gather}, for an UNSUBSCRIBE (its entries have no options byte, §3.10.3). */
  private gatherUnsubscribe(request: UnsubscribeRequest): void {
    request.sub.setState(SubscriptionState.UnsubscriptionPending);
    this.gathering.unsubscribe(request, subscriptionEntrySize(request.sub.filter()) - 1);
  }

  /** The connection ended: waiters fail; subscriptions stay for {@link restore}. */
  connectionLost(error: Error): void {
    // gathered, never sent: their waiters fail like those of a SUBSCRIBE on the wire; the subscriptions stay
    // pending for restore()
    const { subscribes: gathered, unsubscribes: gatheredUnsubscribes } = this.gathering.take();
    if (gathered) for (const r of gathered) for (const w of r.waiters) w.reject(error);
    // unsubscribes stay pending too: restore() sends them again (session kept) or drops them (session lost)
    if (gatheredUnsubscribes) for (const r of gatheredUnsubscribes) r.waiter?.reject(error);
    for (const p of this.pendingSub.values())
      for (const list of p.waiters) for (const w of list) w.reject(error);
    for (const p of this.pendingUnsub.values()) for (const w of p.waiters) w.reject(error);
    for (const id of this.pendingSub.keys()) this.core.session.ids.release(id);
    for (const id of this.pendingUnsub.keys()) this.core.session.ids.release(id);
    this.pendingSub.clear();
    this.pendingUnsub.clear();
  }

  /** The application gave up the session: every subscription ends. */
  dropAll(): void {
    for (const sub of this.core.subscriptions.all()) this.drop(sub);
  }

  /** [MQTT-3.9.3] one return code per filter, in order. */
  onSuback(packet: SubackPacket): void {
    const id = packet.messageId!;
    const pending = this.pendingSub.get(id);
    if (!pending) return;
    if (packet.granted.length !== pending.subs.length) {
      // [MQTT-3.9.3-1] one return code per topic filter of the SUBSCRIBE
      return this.core.protocolViolation(
        `SUBACK with ${packet.granted.length} return codes for ${pending.subs.length} filters`,
        ReasonCode.ProtocolError,
      );
    }
    this.pendingSub.delete(id);
    this.core.session.ids.release(id);
    const reason = packet.properties?.reasonString ?? '';
    const userProps = ackUserProperties(packet.properties?.userProperties);
    pending.subs.forEach((sub, i) => {
      const code = packet.granted[i];
      const rc = typeof code === 'number' ? code : 0x80;
      const waiters = pending.waiters[i]!;
      sub.setAck(rc, reason, userProps);
      // unsubscribed again before this SUBACK: it stays UnsubscriptionPending until the UNSUBACK ends it
      const leaving = sub.state() === SubscriptionState.UnsubscriptionPending;
      if (rc >= 0x80) {
        if (!leaving) sub.setState(SubscriptionState.Error);
        const err = new QMqttError(
          `The broker refused the subscription to "${sub.filter()}"`,
          ClientError.NoError,
          rc,
          reason || undefined,
        );
        for (const w of waiters) w.reject(err);
      } else {
        if (!leaving) sub.setState(SubscriptionState.Subscribed);
        for (const w of waiters) w.resolve(sub);
        // the code after `await subscribeAsync()` connects its handlers before a retained message is dispatched
        if (waiters.length > 0) this.core.inbound.arm();
      }
    });
  }

  /** [MQTT-3.11] */
  onUnsuback(packet: UnsubackPacket): void {
    const id = packet.messageId!;
    const pending = this.pendingUnsub.get(id);
    if (!pending) return;
    const count = (packet.granted as unknown[] | undefined)?.length ?? 0;
    if (this.core.protocolVersion === ProtocolVersion.MQTT_5_0 && count !== pending.subs.length) {
      // [MQTT-3.11.3-1] one reason code per topic filter of the UNSUBSCRIBE
      return this.core.protocolViolation(
        `UNSUBACK with ${count} reason codes for ${pending.subs.length} filters`,
        ReasonCode.ProtocolError,
      );
    }
    this.pendingUnsub.delete(id);
    this.core.session.ids.release(id);
    const reason = packet.properties?.reasonString ?? '';
    const userProps = ackUserProperties(packet.properties?.userProperties);
    const codes = packet.granted as unknown;
    pending.subs.forEach((sub, i) => {
      const rc = Array.isArray(codes) && typeof codes[i] === 'number' ? codes[i] : 0;
      sub.setAck(rc, reason, userProps);
      // subscribed again since this UNSUBSCRIBE left (its SUBSCRIBE follows it): that subscription stays
      if (sub.state() === SubscriptionState.UnsubscriptionPending) this.drop(sub);
    });
    for (const w of pending.waiters) w.resolve();
  }

  private refuse(sub: QMqttSubscription, error: QMqttError, waiters: Deferred<QMqttSubscription>[]): void {
    sub.setAck(error.reasonCode ?? ReasonCode.UnspecifiedError, error.message, new QMqttUserProperties());
    sub.setState(SubscriptionState.Error);
    for (const w of waiters) w.reject(error);
  }

  private drop(sub: QMqttSubscription): void {
    this.core.subscriptions.remove(sub);
    sub.setState(SubscriptionState.Unsubscribed);
  }

  private addWaiter(sub: QMqttSubscription, waiter: Deferred<QMqttSubscription>): void {
    const gathered = this.gathering.findSubscribe((r) => r.sub === sub);
    if (gathered) {
      gathered.waiters.push(waiter);
      return;
    }
    for (const p of this.pendingSub.values()) {
      const i = p.subs.indexOf(sub);
      if (i >= 0) {
        p.waiters[i]!.push(waiter);
        return;
      }
    }
    // pending but not on the wire (waiting for a connection): it will be sent by restore()
    this.awaitLater(sub, waiter);
  }

  private awaitLater(sub: QMqttSubscription, waiter: Deferred<QMqttSubscription>): void {
    const list = this.awaitingConnection.get(sub);
    if (list) list.push(waiter);
    else this.awaitingConnection.set(sub, [waiter]);
  }

  /** The application gave up (disconnectFromHost without reconnect): waiters for a connection fail. */
  rejectAwaiting(error: Error): void {
    for (const list of this.awaitingConnection.values()) for (const w of list) w.reject(error);
    this.awaitingConnection.clear();
  }

  /** One SUBSCRIBE for these subscriptions (at their requested QoS), or kept for after CONNACK. */
  private send(requests: SubscribeRequest[]): void {
    const core = this.core;
    for (const r of requests) r.sub.setState(SubscriptionState.SubscriptionPending);
    const conn = core.conn;
    if (!conn || !core.isConnected) {
      // requested while connecting or waiting to reconnect: sent by restore() after CONNACK
      for (const r of requests) for (const w of r.waiters) this.awaitLater(r.sub, w);
      return;
    }
    const id = core.session.ids.allocate();
    if (id === 0) {
      const err = new QMqttError('No free packet identifier', ClientError.UnknownError);
      for (const r of requests) for (const w of r.waiters) w.reject(err);
      return;
    }
    const subs = requests.map((r) => r.sub);
    const packet = subscribePacket(
      id,
      subs.map((s) => s.filter()),
      requests.map((r) => r.qos),
      subs.map((s) => s.properties),
      core.protocolVersion === ProtocolVersion.MQTT_5_0,
    );
    this.pendingSub.set(id, { subs, waiters: requests.map((r) => r.waiters) });
    conn.send(packet);
  }
}
