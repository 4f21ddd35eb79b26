/**
 * fast-check arbitraries for valid MQTT packets at protocol levels 3, 4 and 5, in the object shape of the codec
 * (`lib/packet/codec.ts`), per direction: what a client may send (`toServer`: CONNECT, SUBSCRIBE, PINGREQ, a
 * DISCONNECT with Session Expiry, AUTH 0x19, no Subscription Identifier in PUBLISH, …) and what a server may send
 * (`toClient`: CONNACK, SUBACK, PINGRESP, Subscription Identifiers in PUBLISH, Server Reference, …). Every
 * generated packet is one the specification allows on the wire in that direction.
 *
 * Shapes are canonical where the codec has two spellings of one thing: a user property repeated once is a
 * string, more often an array; a lone Subscription Identifier is a number. MQTT 5 acknowledgements always carry
 * their reason code (the decoder fills in 0 when it is absent, so both spellings decode the same).
 */
import fc from 'fast-check';
import * as mqtt from 'mqtt-packet';
import type { Packet, WireProtocolVersion } from '../../lib/packet/codec';

export type Level = WireProtocolVersion;
export const LEVELS: readonly Level[] = [3, 4, 5];

// ---- scalars -------------------------------------------------------------------------------------------------

const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
/** A Packet Identifier: never 0 [MQTT-2.3.1-1], [MQTT-2.2.1-3]. */
export const packetId = fc.integer({ min: 1, max: 0xffff });
const varInt = fc.integer({ min: 1, max: 268_435_455 });

/**
 * A UTF-8 Encoded String as MQTT allows it: well-formed (no lone surrogates), no U+0000 ([MQTT-1.5.4-1/2]).
 * Mostly short ASCII, sometimes any code point, so that multi-byte sequences are exercised.
 */
export const mqttString = (maxLength = 12): fc.Arbitrary<string> =>
  fc
    .oneof(
      { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength }) },
    )
    .map((s) => s.replaceAll('\u0000', '_'));

export const nonEmptyString = (maxLength = 12): fc.Arbitrary<string> =>
  mqttString(maxLength).map((s) => (s.length === 0 ? 'x' : s));

const bytes = (maxLength = 16): fc.Arbitrary<Buffer> =>
  fc.uint8Array({ maxLength }).map((a) => Buffer.from(a));

/** One topic level of a topic name: no `+`, `#`, `/`. */
const nameLevel = fc.oneof(
  fc.constantFrom('', 'a', 'b', 'sensor', '$SYS', 'ü', '日本'),
  mqttString(6).map((s) => s.replace(/[+#/]/g, '')),
);

/** A valid Topic Name: at least one character, no wildcards [MQTT-4.7.3-1], [MQTT-4.7.0-1]. */
export const topicName: fc.Arbitrary<string> = fc
  .array(nameLevel, { minLength: 1, maxLength: 5 })
  .map((levels) => levels.join('/'))
  .filter((t) => t.length > 0);

/** A valid Topic Filter (wildcards in legal places). */
export const topicFilter: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.oneof({ weight: 3, arbitrary: nameLevel }, { weight: 1, arbitrary: fc.constant('+') }), {
      minLength: 1,
      maxLength: 4,
    }),
    fc.boolean(),
  )
  .map(([levels, hash]) => (hash ? [...levels, '#'] : levels).join('/'))
  .filter((f) => f.length > 0);

/**
 * User properties in the codec's shape: a name once → string, repeated → array of ≥ 2 values. A repeated name
 * whose first value is empty is left out here: mqtt-packet loses that pair when decoding (DEFECT test in
 * codec-roundtrip.property.test.ts).
 */
export const userProperties: fc.Arbitrary<Record<string, string | string[]>> = fc
  .uniqueArray(
    fc.tuple(
      nonEmptyString(6).filter((k) => k !== '__proto__'),
      fc.oneof(
        mqttString(8),
        fc.array(mqttString(8), { minLength: 2, maxLength: 3 }).filter((v) => v[0] !== ''),
      ),
    ),
    { minLength: 1, maxLength: 3, selector: ([k]) => k },
  )
  .map((pairs) => Object.fromEntries(pairs));

/** Optional fields: each key present or absent. */
function optional<T extends Record<string, unknown>>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }) {
  return fc.record(model, { requiredKeys: [] });
}

/** `properties` key present only when the set is not empty (the decoder omits an empty set). */
function withProps<P extends object, T extends Record<string, unknown>>(
  base: P,
  props: T,
): P & { properties?: T } {
  return Object.keys(props).length > 0 ? { ...base, properties: props } : base;
}

// ---- reason codes (MQTT 5.0 §2.4, per packet) ------------------------------------------------------------

export const CONNACK_V5_CODES = [
  0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x90, 0x95, 0x97, 0x99, 0x9a,
  0x9b, 0x9c, 0x9d, 0x9f,
];
export const PUBACK_CODES = [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99];
export const PUBREL_CODES = [0x00, 0x92];
export const SUBACK_V5_CODES = [0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8f, 0x91, 0x97, 0x9e, 0xa1, 0xa2];
export const UNSUBACK_V5_CODES = [0x00, 0x11, 0x80, 0x83, 0x87, 0x8f, 0x91];
/** DISCONNECT reason codes a client may send (Table 3-10, "Sent by: Client" or both). */
export const DISCONNECT_CODES_C2S = [
  0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99,
];
/** DISCONNECT reason codes a server may send. */
export const DISCONNECT_CODES_S2C = [
  0x00, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8d, 0x8e, 0x8f, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98,
  0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2,
];
/** AUTH reason codes: 0x19 (Re-authenticate) only from a client, 0x00 (Success) only from a server. */
export const AUTH_CODES_C2S = [0x18, 0x19];
export const AUTH_CODES_S2C = [0x00, 0x18];

export type Direction = 'toServer' | 'toClient';

// ---- property sets (MQTT 5.0 §2.2.2.2: which property may appear on which packet) ------------------------

const ackProps = optional({ reasonString: mqttString(), userProperties });

const connectProps = optional({
  sessionExpiryInterval: u32,
  receiveMaximum: fc.integer({ min: 1, max: 0xffff }),
  maximumPacketSize: fc.integer({ min: 1, max: 0xffffffff }),
  topicAliasMaximum: u16,
  requestResponseInformation: fc.boolean(),
  requestProblemInformation: fc.boolean(),
  userProperties,
}).chain((p) =>
  // Authentication Data only with an Authentication Method (§3.1.2.11.10)
  fc
    .option(
      fc.tuple(
        nonEmptyString(),
        fc.option(
          bytes(8).filter((b) => b.length > 0),
          { nil: undefined },
        ),
      ),
      {
        nil: undefined,
      },
    )
    .map((auth) => {
      if (!auth) return p;
      const [authenticationMethod, authenticationData] = auth;
      return authenticationData === undefined
        ? { ...p, authenticationMethod }
        : { ...p, authenticationMethod, authenticationData };
    }),
);

const willProps = optional({
  willDelayInterval: u32,
  payloadFormatIndicator: fc.boolean(),
  messageExpiryInterval: u32,
  contentType: mqttString(),
  responseTopic: topicName,
  correlationData: bytes(8).filter((b) => b.length > 0),
  userProperties,
});

const connackProps = optional({
  sessionExpiryInterval: u32,
  receiveMaximum: fc.integer({ min: 1, max: 0xffff }),
  maximumQoS: fc.constantFrom(0 as const, 1 as const),
  retainAvailable: fc.boolean(),
  maximumPacketSize: fc.integer({ min: 1, max: 0xffffffff }),
  assignedClientIdentifier: nonEmptyString(),
  topicAliasMaximum: u16,
  reasonString: mqttString(),
  userProperties,
  wildcardSubscriptionAvailable: fc.boolean(),
  subscriptionIdentifiersAvailable: fc.boolean(),
  sharedSubscriptionAvailable: fc.boolean(),
  serverKeepAlive: u16,
  responseInformation: mqttString(),
  serverReference: nonEmptyString(),
});

const publishPropsToServer = optional({
  payloadFormatIndicator: fc.boolean(),
  messageExpiryInterval: u32,
  topicAlias: fc.integer({ min: 1, max: 0xffff }),
  responseTopic: topicName,
  correlationData: bytes(8).filter((b) => b.length > 0),
  userProperties,
  contentType: mqttString(),
});

/** A server adds Subscription Identifiers [MQTT-3.3.4-3]; a client must not send them [MQTT-3.3.4-6]. */
const publishPropsToClient = publishPropsToServer.chain((p) =>
  fc
    .option(fc.oneof(varInt, fc.array(varInt, { minLength: 2, maxLength: 3 })), { nil: undefined })
    .map((ids) => (ids === undefined ? p : { ...p, subscriptionIdentifier: ids })),
);

/** Session Expiry Interval only from a client [MQTT-3.14.2-2]; Server Reference only from a server. */
const disconnectProps = (direction: Direction) =>
  direction === 'toServer'
    ? optional({ sessionExpiryInterval: u32, reasonString: mqttString(), userProperties })
    : optional({ reasonString: mqttString(), userProperties, serverReference: nonEmptyString() });

/** AUTH always carries the Authentication Method (§3.15.2.2.2). */
const authProps = fc
  .tuple(
    nonEmptyString(),
    optional({
      authenticationData: bytes(8).filter((b) => b.length > 0),
      reasonString: mqttString(),
      userProperties,
    }),
  )
  .map(([authenticationMethod, rest]) => ({ authenticationMethod, ...rest }));

// ---- packets -------------------------------------------------------------------------------------------------

function connect(level: Level): fc.Arbitrary<Packet> {
  const v5 = level === 5;
  const will = fc.record({
    topic: topicName,
    payload: bytes(),
    qos: fc.constantFrom(0 as const, 1 as const, 2 as const),
    retain: fc.boolean(),
    properties: v5 ? willProps : fc.constant({}),
  });
  return (
    fc
      .record({
        // MQTT 3.1: 1–23 characters; later levels allow an empty id (the server assigns one)
        clientId:
          level === 3 ? fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 23 }) : mqttString(23),
        clean: fc.boolean(),
        keepalive: u16,
        will: fc.option(will, { nil: undefined }),
        // a password only with a user name in 3.1.1 [MQTT-3.1.2-22]; MQTT 5 allows a password alone (§3.1.2.9)
        credentials: fc.option(
          fc.tuple(
            v5 ? fc.option(mqttString(), { nil: undefined }) : mqttString(),
            fc.option(bytes(8), { nil: undefined }),
          ),
          { nil: undefined },
        ),
        properties: v5 ? connectProps : fc.constant({}),
      })
      // 3.1.1 [MQTT-3.1.3-7]: a zero-byte Client Identifier needs Clean Session 1 (MQTT 5 has no such rule)
      .filter((r) => v5 || r.clientId.length > 0 || r.clean)
      .map((r) => {
        const packet: Record<string, unknown> = {
          cmd: 'connect',
          protocolId: level === 3 ? 'MQIsdp' : 'MQTT',
          protocolVersion: level,
          clientId: r.clientId,
          clean: r.clean,
          keepalive: r.keepalive,
        };
        if (r.will) {
          const { properties, ...w } = r.will;
          packet.will = withProps(w, properties);
        }
        if (r.credentials) {
          if (r.credentials[0] !== undefined) packet.username = r.credentials[0];
          if (r.credentials[1] !== undefined) packet.password = r.credentials[1];
        }
        return withProps(packet, r.properties) as unknown as Packet;
      })
  );
}

function connack(level: Level): fc.Arbitrary<Packet> {
  if (level !== 5) {
    return fc
      .record({ sessionPresent: fc.boolean(), returnCode: fc.integer({ min: 0, max: 5 }) })
      .map((r) => ({ cmd: 'connack', ...r, sessionPresent: r.returnCode === 0 && r.sessionPresent }));
  }
  return fc
    .record({
      sessionPresent: fc.boolean(),
      reasonCode: fc.constantFrom(...CONNACK_V5_CODES),
      properties: connackProps,
    })
    .map(({ properties, ...r }) =>
      withProps(
        // [MQTT-3.2.2-6] a refusal carries Session Present 0
        { cmd: 'connack' as const, ...r, sessionPresent: r.reasonCode === 0 && r.sessionPresent },
        properties,
      ),
    );
}

function publish(level: Level, direction: Direction): fc.Arbitrary<Packet> {
  return fc
    .record({
      topic: topicName,
      payload: bytes(32),
      qos: fc.constantFrom(0 as const, 1 as const, 2 as const),
      retain: fc.boolean(),
      dup: fc.boolean(),
      messageId: packetId,
      properties:
        level !== 5
          ? fc.constant({})
          : direction === 'toServer'
            ? publishPropsToServer
            : publishPropsToClient,
    })
    .map(({ properties, messageId, ...r }) =>
      withProps(
        r.qos === 0
          ? // [MQTT-2.2.1-2] no Packet Identifier and [MQTT-3.3.1-2] DUP 0 at QoS 0
            { cmd: 'publish' as const, ...r, dup: false }
          : { cmd: 'publish' as const, ...r, messageId },
        properties,
      ),
    );
}

function ack(cmd: 'puback' | 'pubrec' | 'pubrel' | 'pubcomp', level: Level): fc.Arbitrary<Packet> {
  if (level !== 5) return packetId.map((messageId) => ({ cmd, messageId }));
  const codes = cmd === 'puback' || cmd === 'pubrec' ? PUBACK_CODES : PUBREL_CODES;
  return fc
    .record({ messageId: packetId, reasonCode: fc.constantFrom(...codes), properties: ackProps })
    .map(({ properties, ...r }) => withProps({ cmd, ...r }, properties) as Packet);
}

function subscribe(level: Level): fc.Arbitrary<Packet> {
  const entry =
    level === 5
      ? fc.record({
          topic: topicFilter,
          qos: fc.constantFrom(0 as const, 1 as const, 2 as const),
          nl: fc.boolean(),
          rap: fc.boolean(),
          rh: fc.constantFrom(0, 1, 2),
        })
      : fc.record({ topic: topicFilter, qos: fc.constantFrom(0 as const, 1 as const, 2 as const) });
  return fc
    .record({
      messageId: packetId,
      subscriptions: fc.array(entry, { minLength: 1, maxLength: 3 }),
      properties:
        level === 5 ? optional({ subscriptionIdentifier: varInt, userProperties }) : fc.constant({}),
    })
    .map(({ properties, ...r }) => withProps({ cmd: 'subscribe', ...r }, properties) as Packet);
}

function suback(level: Level): fc.Arbitrary<Packet> {
  const codes = level === 5 ? SUBACK_V5_CODES : [0, 1, 2, 0x80];
  return fc
    .record({
      messageId: packetId,
      granted: fc.array(fc.constantFrom(...codes), { minLength: 1, maxLength: 4 }),
      properties: level === 5 ? ackProps : fc.constant({}),
    })
    .map(({ properties, ...r }) => withProps({ cmd: 'suback', ...r }, properties) as Packet);
}

function unsubscribe(level: Level): fc.Arbitrary<Packet> {
  return fc
    .record({
      messageId: packetId,
      unsubscriptions: fc.array(topicFilter, { minLength: 1, maxLength: 3 }),
      properties: level === 5 ? optional({ userProperties }) : fc.constant({}),
    })
    .map(({ properties, ...r }) => withProps({ cmd: 'unsubscribe', ...r }, properties) as Packet);
}

function unsuback(level: Level): fc.Arbitrary<Packet> {
  if (level !== 5) return packetId.map((messageId) => ({ cmd: 'unsuback', messageId }) as Packet);
  return fc
    .record({
      messageId: packetId,
      granted: fc.array(fc.constantFrom(...UNSUBACK_V5_CODES), { minLength: 1, maxLength: 4 }),
      properties: ackProps,
    })
    .map(({ properties, ...r }) => withProps({ cmd: 'unsuback', ...r }, properties) as Packet);
}

function disconnect(level: Level, direction: Direction): fc.Arbitrary<Packet> {
  if (level !== 5) return fc.constant({ cmd: 'disconnect' });
  const codes = direction === 'toServer' ? DISCONNECT_CODES_C2S : DISCONNECT_CODES_S2C;
  return fc
    .record({ reasonCode: fc.constantFrom(...codes), properties: disconnectProps(direction) })
    .map(({ properties, ...r }) => withProps({ cmd: 'disconnect', ...r }, properties) as Packet);
}

function auth(direction: Direction): fc.Arbitrary<Packet> {
  const codes = direction === 'toServer' ? AUTH_CODES_C2S : AUTH_CODES_S2C;
  return fc
    .record({ reasonCode: fc.constantFrom(...codes), properties: authProps })
    .map((r) => ({ cmd: 'auth', ...r }));
}

/**
 * Every packet type valid at `level` in `direction`, by name. A client sends CONNECT, SUBSCRIBE, UNSUBSCRIBE,
 * PINGREQ; a server CONNACK, SUBACK, UNSUBACK, PINGRESP; both PUBLISH, the four acknowledgements, and under MQTT 5
 * DISCONNECT and AUTH (under 3.x DISCONNECT only from a client).
 */
export function packetArbitraries(level: Level, direction: Direction): Record<string, fc.Arbitrary<Packet>> {
  const both: Record<string, fc.Arbitrary<Packet>> = {
    publish: publish(level, direction),
    puback: ack('puback', level),
    pubrec: ack('pubrec', level),
    pubrel: ack('pubrel', level),
    pubcomp: ack('pubcomp', level),
  };
  const all: Record<string, fc.Arbitrary<Packet>> = direction === 'toServer'
    ? {
        connect: connect(level),
        ...both,
        subscribe: subscribe(level),
        unsubscribe: unsubscribe(level),
        pingreq: fc.constant({ cmd: 'pingreq' }),
        disconnect: disconnect(level, direction),
      }
    : {
        connack: connack(level),
        ...both,
        suback: suback(level),
        unsuback: unsuback(level),
        pingresp: fc.constant({ cmd: 'pingresp' }),
        ...(level === 5 ? { disconnect: disconnect(level, direction) } : {}),
      };
  if (level === 5) all.auth = auth(direction);
  return all;
}

/** Any packet valid at `level` in `direction`. */
export function anyPacket(level: Level, direction: Direction): fc.Arbitrary<Packet> {
  return fc.oneof(...Object.values(packetArbitraries(level, direction)));
}

/** How a (reference) broker encodes `packet`: mqtt-packet's generator, which knows no direction. */
export function serverEncode(packet: Packet, level: Level): Buffer {
  return mqtt.generate(packet, { protocolVersion: level });
}

/** Packets a server sends to a client (what the client's inbound path must accept). */
export function serverPacket(level: Level): fc.Arbitrary<Packet> {
  return anyPacket(level, 'toClient');
}

// ---- hostile byte strings -----------------------------------------------------------------------------------

export type Mutation =
  | { op: 'flip'; at: number; value: number }
  | { op: 'cut'; at: number }
  | { op: 'insert'; at: number; value: number }
  | { op: 'delete'; at: number }
  | { op: 'repeat' };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('repeat' as const) }),
);

export function mutate(bytes: Buffer, ms: Mutation[]): Buffer {
  let b = Buffer.from(bytes);
  for (const m of ms) {
    const at = b.length === 0 ? 0 : ((m as { at?: number }).at ?? 0);
    const i = b.length === 0 ? 0 : at % b.length;
    switch (m.op) {
      case 'flip':
        if (b.length > 0) b[i] = m.value;
        break;
      case 'cut':
        b = b.subarray(0, i);
        break;
      case 'insert':
        b = Buffer.concat([b.subarray(0, i), Buffer.from([m.value]), b.subarray(i)]);
        break;
      case 'delete':
        b = Buffer.concat([b.subarray(0, i), b.subarray(i + 1)]);
        break;
      case 'repeat':
        b = Buffer.concat([b, b]);
        break;
    }
  }
  return b;
}

/** Byte strings worth decoding at `level`: random, or mutated valid packets followed by more valid ones. */
export function brokerBytes(level: Level): fc.Arbitrary<Buffer> {
  const encoded = serverPacket(level).map((p) => serverEncode(p, level));
  return fc.oneof(
    fc.uint8Array({ maxLength: 48 }).map((a) => Buffer.from(a)),
    fc
      .tuple(
        fc.array(encoded, { maxLength: 2 }),
        encoded,
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.array(encoded, { maxLength: 2 }),
      )
      .map(([before, victim, ms, after]) => Buffer.concat([...before, mutate(victim, ms), ...after])),
  );
}

/** `bytes` cut at `points` (taken modulo its length + 1), as the reads of a stream would deliver it. */
export function cut(bytes: Buffer, points: number[]): Buffer[] {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of at) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
}
