/**
 * Strict checks of every packet a server sends, on the raw frame (MQTT 3.1.1 §2–3, MQTT 5.0 §2–3), and a
 * fast decoder for the packets of the hot path (PUBLISH without properties, two-byte acknowledgements, PINGRESP,
 * SUBACK / UNSUBACK without properties).
 * mqtt-packet decodes the rest (see codec.ts); what it lets through (ids of 0, invalid UTF-8, wildcards in topic
 * names, duplicated or misplaced v5 properties, lengths that do not add up) is refused here first.
 */
import { ReasonCode } from '../reason-codes';
import type {
  AuthPacket,
  ConnackPacket,
  DisconnectPacket,
  Packet,
  PubackPacket,
  PublishPacket,
  SubackPacket,
  UnsubackPacket,
} from './codec';
import { decodeProperties } from './property-decode';
import { scanProperties, utf8Problem } from './property-scan';

export interface FrameProblem {
  message: string;
  reasonCode: number;
}

const NAMES = [
  'reserved (0)',
  'CONNECT',
  'CONNACK',
  'PUBLISH',
  'PUBACK',
  'PUBREC',
  'PUBREL',
  'PUBCOMP',
  'SUBSCRIBE',
  'SUBACK',
  'UNSUBSCRIBE',
  'UNSUBACK',
  'PINGREQ',
  'PINGRESP',
  'DISCONNECT',
  'AUTH',
];
const SUBACK_V3 = new Set([0, 1, 2, 0x80]);
/** MQTT 5.0 Table 3-1: the CONNACK reason codes. */
const CONNACK_V5 = new Set([
  0, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x90, 0x95, 0x97, 0x99, 0x9a,
  0x9b, 0x9c, 0x9d, 0x9f,
]);
const SUBACK_V5 = new Set([0, 1, 2, 0x80, 0x83, 0x87, 0x8f, 0x91, 0x97, 0x9e, 0xa1, 0xa2]);
const UNSUBACK_V5 = new Set([0, 0x11, 0x80, 0x83, 0x87, 0x8f, 0x91]);
/** MQTT 5.0 §3.4.2.1 / §3.5.2.1 (PUBACK, PUBREC) and §3.6.2.1 / §3.7.2.1 (PUBREL, PUBCOMP) reason codes. */
const PUBACK_V5 = new Set([0, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99]);
const PUBREL_V5 = new Set([0, 0x92]);
/** §3.14.2.1 DISCONNECT and §3.15.2.1 AUTH reason codes. */
const DISCONNECT_V5 = new Set([
  0, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8d, 0x8e, 0x8f, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97,
  0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2,
]);
const AUTH_V5 = new Set([0, 0x18, 0x19]);

const malformed = (message: string): FrameProblem => ({ message, reasonCode: ReasonCode.MalformedPacket });
const protocol = (message: string): FrameProblem => ({ message, reasonCode: ReasonCode.ProtocolError });

/** Why this frame from the server is not acceptable, or null. */
export function checkFrame(header: number, body: Buffer, version: number): FrameProblem | null {
  const type = header >> 4;
  const flags = header & 0x0f;
  const name = NAMES[type]!;
  const v5 = version === 5;
  if (type === 0 || (type === 15 && !v5)) return malformed(`reserved packet type ${type} [MQTT-2.1.3-1]`);
  if (type === 1 || type === 8 || type === 10 || type === 12)
    return protocol(`a server may not send ${name} [MQTT-3.${type}]`);
  if (type === 3) {
    if ((flags & 0x06) === 0x06) return malformed('PUBLISH with both QoS bits set [MQTT-3.3.1-4]');
  } else if (flags !== (type === 6 ? 2 : 0))
    return malformed(
      `${name} with reserved fixed-header flags ${flags.toString(2).padStart(4, '0')} [MQTT-2.2.2-2]`,
    );
  const n = body.length;
  switch (type) {
    case 2: // CONNACK §3.2
      if (n < 2 || (!v5 && n !== 2)) return malformed(`CONNACK with Remaining Length ${n}`);
      if ((body[0]! & 0xfe) !== 0) return malformed('CONNACK acknowledge flags bits 7–1 set [MQTT-3.2.2-1]');
      if (v5) {
        if (n < 3) return malformed('CONNACK without property length');
        if (!CONNACK_V5.has(body[1]!))
          return malformed(`CONNACK with reason code 0x${body[1]!.toString(16)} (not in Table 3-1)`);
        return propsToEnd(body, 2, 'connack', name);
      }
      return null;
    case 3:
      return checkPublish(body, flags, v5);
    case 4:
    case 5:
    case 6:
    case 7: {
      if (!v5 && n !== 2) return malformed(`${name} with Remaining Length ${n} (must be 2)`);
      const id = idProblem(body, name);
      if (id) return id;
      if (v5 && n >= 3 && !(type <= 5 ? PUBACK_V5 : PUBREL_V5).has(body[2]!))
        return malformed(`${name} with invalid reason code 0x${body[2]!.toString(16)}`);
      if (v5 && n >= 4) return propsToEnd(body, 3, name.toLowerCase(), name);
      return null;
    }
    case 9:
    case 11: {
      const id = idProblem(body, name);
      if (id) return id;
      let pos = 2;
      if (v5) {
        const r = scanProperties(body, 2, name.toLowerCase());
        if ('error' in r) return (r.protocolError ? protocol : malformed)(`${name}: ${r.error}`);
        pos = r.end;
      } else if (type === 11)
        return n === 2 ? null : malformed(`UNSUBACK with Remaining Length ${n} (must be 2)`);
      if (pos >= n) return malformed(`${name} without return codes [MQTT-3.9.3-1]`);
      const allowed = type === 9 ? (v5 ? SUBACK_V5 : SUBACK_V3) : UNSUBACK_V5;
      for (let i = pos; i < n; i++)
        if (!allowed.has(body[i]!)) return malformed(`${name} with invalid code 0x${body[i]!.toString(16)}`);
      return null;
    }
    case 13:
      return n === 0 ? null : malformed(`PINGRESP with Remaining Length ${n} (must be 0)`);
    case 14:
      if (!v5) return null; // the dispatcher refuses a 3.1.1 DISCONNECT as a protocol violation
      if (n >= 1 && !DISCONNECT_V5.has(body[0]!))
        return malformed(`DISCONNECT with invalid reason code 0x${body[0]!.toString(16)}`);
      return n >= 2 ? propsToEnd(body, 1, 'disconnect', name) : null;
    case 15: {
      // §3.15.2.1 would allow a Remaining Length of 0 (Success, no properties), but §3.15.2.2.2 makes a missing
      // Authentication Method a Protocol Error: the AUTH is refused either way
      if (n === 0) return protocol('AUTH without Authentication Method (MQTT 5.0 §3.15.2.2.2)');
      if (!AUTH_V5.has(body[0]!))
        return malformed(`AUTH with invalid reason code 0x${body[0]!.toString(16)}`);
      if (n < 2) return malformed('AUTH without property length');
      const bad = propsToEnd(body, 1, 'auth', name);
      if (bad) return bad;
      // the block is valid now: read it
      return decodeProperties(body, 1).properties?.authenticationMethod !== undefined
        ? null
        : protocol('AUTH without Authentication Method (MQTT 5.0 §3.15.2.2.2)');
    }
    default:
      return null;
  }
}

/**
 * The packet identifier at the start of `body`: present and not 0 [MQTT-2.2.1-3]. A function, not a closure in
 * checkFrame: that closure was allocated for every packet, PUBLISH included.
 */
function idProblem(body: Buffer, name: string): FrameProblem | null {
  if (body.length < 2) return malformed(`${name} too short for its packet identifier`);
  return body.readUInt16BE(0) === 0 ? protocol(`${name} with packet identifier 0 [MQTT-2.2.1-3]`) : null;
}

function propsToEnd(body: Buffer, pos: number, cmd: string, name: string): FrameProblem | null {
  const r = scanProperties(body, pos, cmd);
  if ('error' in r) return (r.protocolError ? protocol : malformed)(`${name}: ${r.error}`);
  return r.end === body.length ? null : malformed(`${name} has bytes after its properties`);
}

function checkPublish(body: Buffer, flags: number, v5: boolean): FrameProblem | null {
  const n = body.length;
  if (n < 2) return malformed('PUBLISH too short for its topic');
  const tlen = body.readUInt16BE(0);
  if (2 + tlen > n) return malformed('PUBLISH topic runs past the end of the packet');
  const topicProblem = topicBytesProblem(body, 2 + tlen);
  if (topicProblem) return topicProblem;
  let pos = 2 + tlen;
  const qos = (flags >> 1) & 3;
  if (qos > 0) {
    if (pos + 2 > n) return malformed('PUBLISH too short for its packet identifier');
    if (body.readUInt16BE(pos) === 0)
      return protocol('PUBLISH QoS > 0 with packet identifier 0 [MQTT-2.2.1-3]');
    pos += 2;
  } else if (flags & 0x08) return malformed('PUBLISH QoS 0 with DUP set [MQTT-3.3.1-2]');
  if (v5) {
    const r = scanProperties(body, pos, 'publish');
    if ('error' in r) return (r.protocolError ? protocol : malformed)(`PUBLISH: ${r.error}`);
  } else if (tlen === 0) return malformed('PUBLISH with an empty topic name [MQTT-4.7.3-1]');
  return null;
}

/**
 * Why the topic name in `body[2, end)` is not acceptable: not well-formed UTF-8 or U+0000 [MQTT-1.5.4-1/2],
 * a wildcard [MQTT-3.3.2-2]. One pass over the bytes when they are ASCII (the usual case).
 */
function topicBytesProblem(body: Buffer, end: number): FrameProblem | null {
  let wildcard = false;
  for (let i = 2; i < end; i++) {
    const b = body[i]!;
    if (b === 0x23 || b === 0x2b) wildcard = true;
    else if (b === 0 || b >= 0x80) {
      const topic = body.subarray(2, end);
      const problem = utf8Problem(topic);
      if (problem) return malformed(`PUBLISH topic: ${problem}`);
      wildcard = topic.includes(0x23) || topic.includes(0x2b);
      break;
    }
  }
  return wildcard ? malformed('PUBLISH topic name contains a wildcard [MQTT-3.3.2-2]') : null;
}

/** The last topic decoded, as bytes and as text: a subscriber mostly receives the same few topics again. */
let lastTopicBytes = Buffer.alloc(0);
let lastTopic = '';

function topicText(body: Buffer, end: number): string {
  const n = end - 2;
  if (n === lastTopicBytes.length && n <= 256) {
    let same = true;
    for (let i = 0; i < n; i++)
      if (body[2 + i] !== lastTopicBytes[i]) {
        same = false;
        break;
      }
    if (same) return lastTopic;
  }
  lastTopic = body.toString('utf8', 2, end);
  lastTopicBytes = n <= 256 ? Buffer.from(body.subarray(2, end)) : Buffer.alloc(0);
  return lastTopic;
}

/**
 * Decodes the hot-path packets directly (they were checked by {@link checkFrame}); returns undefined for
 * everything else, which then goes through mqtt-packet.
 */
export function fastDecode(header: number, body: Buffer, version: number): Packet | undefined {
  const type = header >> 4;
  if (type === 3) {
    const tlen = body.readUInt16BE(0);
    const qos = ((header >> 1) & 3) as 0 | 1 | 2;
    let pos = 2 + tlen;
    let messageId: number | undefined;
    if (qos > 0) {
      messageId = body.readUInt16BE(pos);
      pos += 2;
    }
    let properties: Record<string, unknown> | undefined;
    if (version === 5) {
      if (body[pos] === 0) pos += 1;
      else ({ properties, end: pos } = decodeProperties(body, pos));
    }
    const packet: PublishPacket = {
      cmd: 'publish',
      topic: topicText(body, 2 + tlen),
      payload: body.subarray(pos),
      qos,
      dup: (header & 0x08) !== 0,
      retain: (header & 0x01) !== 0,
      length: body.length,
    };
    if (messageId !== undefined) packet.messageId = messageId;
    if (properties) packet.properties = properties;
    return packet;
  }
  if (type >= 4 && type <= 7) {
    const cmd = type === 4 ? 'puback' : type === 5 ? 'pubrec' : type === 6 ? 'pubrel' : 'pubcomp';
    const id = (body[0]! << 8) | body[1]!;
    const n = body.length;
    if (version !== 5) return { cmd, messageId: id, length: 2 };
    // §3.4.2.1: no Reason Code means 0x00; no Property Length means no properties
    const packet = { cmd, messageId: id, length: n, reasonCode: n > 2 ? body[2]! : 0 } as PubackPacket;
    if (n > 3) {
      const { properties } = decodeProperties(body, 3);
      if (properties) packet.properties = properties;
    }
    return packet;
  }
  if ((type === 14 || type === 15) && version === 5) {
    // §3.14.2 DISCONNECT, §3.15.2 AUTH: Reason Code and properties may be omitted (0x00, none)
    const n = body.length;
    const packet = {
      cmd: type === 14 ? 'disconnect' : 'auth',
      length: n,
      reasonCode: n > 0 ? body[0]! : 0,
    } as DisconnectPacket | AuthPacket;
    if (n > 1) {
      const { properties } = decodeProperties(body, 1);
      if (properties) packet.properties = properties;
    }
    return packet;
  }
  if (type === 13) return { cmd: 'pingresp', length: 0 };
  if (type === 9 || type === 11) return decodeSubscribeAck(type, body, version);
  if (type === 2) return decodeConnack(body, version);
  return undefined;
}

/**
 * SUBACK / UNSUBACK without properties (a client subscribing 10,000 filters gets 10,000 of them; mqtt-packet
 * would build a parser with a stream per packet). Same fields as mqtt-packet: `granted` holds the return codes
 * [MQTT-3.9.3-1] (a 3.1.1 UNSUBACK has none, and no `granted`). v5 with properties: undefined (mqtt-packet).
 */
function decodeSubscribeAck(type: number, body: Buffer, version: number): Packet | undefined {
  let pos = 2;
  let properties: Record<string, unknown> | undefined;
  if (version === 5) {
    if (body[2] === 0) pos = 3;
    else ({ properties, end: pos } = decodeProperties(body, 2));
  }
  const messageId = body.readUInt16BE(0);
  const n = body.length;
  if (type === 11 && version !== 5) return { cmd: 'unsuback', messageId, length: n } as Packet;
  // exact size (pushing into [] reserves room for 17); a SUBACK usually carries one code
  const granted: number[] = n - pos === 1 ? [body[pos]!] : Array.from(body.subarray(pos));
  const packet: SubackPacket | UnsubackPacket =
    type === 9
      ? { cmd: 'suback', messageId, granted, length: n }
      : { cmd: 'unsuback', messageId, granted, length: n };
  if (properties) packet.properties = properties;
  return packet;
}

/**
 * CONNACK without properties (every 3.1 / 3.1.1 CONNACK; a v5 one with an empty property block): one per
 * connection, but decoding it directly means a 3.1.1 client never loads mqtt-packet (codec.ts). checkFrame has
 * already held it to §3.2; the fields are the ones mqtt-packet gives.
 */
function decodeConnack(body: Buffer, version: number): Packet | undefined {
  const sessionPresent = (body[0]! & 1) !== 0;
  if (version !== 5) return { cmd: 'connack', sessionPresent, returnCode: body[1]!, length: 2 };
  const packet: ConnackPacket = { cmd: 'connack', sessionPresent, reasonCode: body[1]!, length: body.length };
  const { properties } = decodeProperties(body, 2);
  if (properties) packet.properties = properties;
  return packet;
}
