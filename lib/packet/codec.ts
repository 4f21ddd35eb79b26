/**
 * The only module that imports mqtt-packet. Everything else speaks in the types exported here.
 */
import type * as MqttPacket from 'mqtt-packet';
import { QMqttProtocolError } from '../errors';
import { ReasonCode } from '../reason-codes';
import { validateTopicName } from '../topic/topic-name';
import { Framer } from './framer';
import { varIntBytes } from './size';
import { fastEncodeParts } from './fast-encode';
import { checkFrame, fastDecode } from './inbound';
import { ORDERED_USER_PROPERTIES } from './property-scan';

export { ORDERED_USER_PROPERTIES };

let mqttPacket: typeof MqttPacket | undefined;
/**
 * mqtt-packet, loaded when a packet first needs it: every valid client packet is encoded without it
 * (fast-encode.ts), and received packets are decoded without it (inbound.ts, property-decode.ts) except a
 * DISCONNECT from a 3.1.1 server (which the client then refuses); it also refuses what the client's encoder
 * leaves to it as invalid. Loading it costs about 10 MB of RSS
 * (its parser brings in readable-stream).
 */
function mqtt(): typeof MqttPacket {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (mqttPacket ??= require('mqtt-packet') as typeof MqttPacket);
}

export type Packet = MqttPacket.Packet;
export type ConnectPacket = MqttPacket.IConnectPacket;
export type ConnackPacket = MqttPacket.IConnackPacket;
export type PublishPacket = MqttPacket.IPublishPacket;
export type PubackPacket = MqttPacket.IPubackPacket;
export type PubrecPacket = MqttPacket.IPubrecPacket;
export type PubrelPacket = MqttPacket.IPubrelPacket;
export type PubcompPacket = MqttPacket.IPubcompPacket;
export type SubscribePacket = MqttPacket.ISubscribePacket;
export type SubackPacket = MqttPacket.ISubackPacket;
export type UnsubscribePacket = MqttPacket.IUnsubscribePacket;
export type UnsubackPacket = MqttPacket.IUnsubackPacket;
export type DisconnectPacket = MqttPacket.IDisconnectPacket;
export type AuthPacket = MqttPacket.IAuthPacket;
export type Subscription = MqttPacket.ISubscription;
export type QoS = MqttPacket.QoS;
export type WireUserProperties = MqttPacket.UserProperties;
export type WireProtocolVersion = 3 | 4 | 5;

/**
 * Encodes one packet (the client's own encoder; mqtt-packet for what it leaves as invalid). Throws
 * {@link QMqttProtocolError} when mqtt-packet refuses it, or when its output does not add up (mqtt-packet writes a
 * corrupt packet for a string over 65535 bytes instead of refusing it).
 */
export function encodePacket(packet: Packet, protocolVersion: WireProtocolVersion): Buffer {
  const parts = encodePacketParts(packet, protocolVersion, Infinity);
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/**
 * {@link encodePacket} in parts: a PUBLISH payload of `splitAt` bytes or more comes back as its own part, so the
 * writer can send it without copying it behind the header.
 */
export function encodePacketParts(
  packet: Packet,
  protocolVersion: WireProtocolVersion,
  splitAt: number,
): Buffer[] {
  const refused = outboundProblem(packet);
  if (refused) throw new QMqttProtocolError(`Cannot encode ${packet.cmd}: ${refused}`);
  const fast = fastEncodeParts(packet, protocolVersion, splitAt);
  if (fast) return fast;
  return [generate(packet, protocolVersion)];
}

function generate(packet: Packet, protocolVersion: WireProtocolVersion): Buffer {
  let buf: Buffer;
  try {
    buf = mqtt().generate(packet, { protocolVersion });
  } catch (e) {
    throw new QMqttProtocolError(
      `Cannot encode ${packet.cmd}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (!lengthAddsUp(buf))
    throw new QMqttProtocolError(`Cannot encode ${packet.cmd}: a field is longer than MQTT allows`);
  return buf;
}

/**
 * The last line of defence of "what the client sends is always legal": rules mqtt-packet does not enforce
 * (the client's own validation normally stops these before).
 */
function outboundProblem(packet: Packet): string | null {
  switch (packet.cmd) {
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp':
      return validId(packet.messageId)
        ? null
        : `packet identifier ${String(packet.messageId)} (§2.2.1: 1…65535)`;
    case 'publish': {
      if (packet.qos > 0 && !validId(packet.messageId))
        return `packet identifier ${String(packet.messageId)} [MQTT-2.2.1-3]`;
      if (packet.qos === 0 && packet.dup) return 'DUP set on a QoS 0 PUBLISH [MQTT-3.3.1-2]';
      const props = packet.properties;
      if (props?.subscriptionIdentifier !== undefined)
        return 'a client must not send Subscription Identifiers [MQTT-3.3.4-6]';
      if (props?.topicAlias === 0) return 'Topic Alias 0 [MQTT-3.3.2-8]';
      if (packet.topic === '' && props?.topicAlias !== undefined) return null;
      return validateTopicName(packet.topic);
    }
    case 'subscribe':
    case 'unsubscribe':
      return validId(packet.messageId)
        ? null
        : `packet identifier ${String(packet.messageId)} [MQTT-2.2.1-3]`;
    default:
      return null;
  }
}

function validId(id: number | undefined): boolean {
  return id !== undefined && Number.isInteger(id) && id >= 1 && id <= 65535;
}

function lengthAddsUp(buf: Buffer): boolean {
  let length = 0;
  let mul = 1;
  for (let i = 1; i < 5 && i < buf.length; i++) {
    const b = buf[i]!;
    length += (b & 0x7f) * mul;
    mul *= 128;
    if ((b & 0x80) === 0) return i + 1 + length === buf.length;
  }
  return false;
}

/**
 * Incremental decoder for the byte stream from the broker. `push` feeds bytes and calls `onPacket` for each
 * complete packet in order. Every frame is checked strictly first (inbound.ts); the hot-path packets are decoded
 * directly and the rest by mqtt-packet, one exact frame at a time (so a short field can never read into the next
 * packet). The first malformed packet calls `onError` once and the decoder stops for good: the connection must
 * be closed ([MQTT-4.8.0-1] / v5 §4.13).
 */
export class PacketDecoder {
  private readonly framer = new Framer();
  private failed = false;

  constructor(
    private readonly protocolVersion: WireProtocolVersion,
    private readonly onPacket: (packet: Packet) => void,
    private readonly onError: (error: QMqttProtocolError) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.failed) return;
    const problem = this.framer.push(chunk, this.onFrame);
    if (problem) this.fail(problem, ReasonCode.MalformedPacket);
  }

  /** See {@link Framer.target}: undefined once stopped. */
  target(min: number): Buffer | undefined {
    return this.failed ? undefined : this.framer.target(min);
  }

  /** `n` bytes were read into the buffer {@link target} gave. */
  filled(n: number): void {
    if (!this.failed) this.framer.filled(n, this.onFrame);
  }

  get stopped(): boolean {
    return this.failed;
  }

  /** Stops decoding; bytes pushed later are ignored. */
  stop(): void {
    this.failed = true;
  }

  private readonly onFrame = (header: number, body: Buffer): boolean => {
    if (this.failed) return false;
    const problem = checkFrame(header, body, this.protocolVersion);
    if (problem) {
      this.fail(problem.message, problem.reasonCode);
      return false;
    }
    const packet = fastDecode(header, body, this.protocolVersion) ?? this.slowDecode(header, body);
    if (!packet) return false;
    this.onPacket(packet);
    return !this.failed;
  };

  private slowDecode(header: number, body: Buffer): Packet | undefined {
    const head = [header, ...varIntBytes(body.length)];
    const parser = mqtt().parser({ protocolVersion: this.protocolVersion });
    let out: Packet | undefined;
    let error: Error | undefined;
    parser.on('packet', (p: Packet) => (out ??= p));
    parser.on('error', (e: Error) => (error ??= e));
    try {
      parser.parse(Buffer.concat([Buffer.from(head), body]));
    } catch (e) {
      error = e instanceof Error ? e : new Error(String(e));
    }
    if (error || !out) {
      this.fail(
        error ? error.message : 'a field runs past the end of the packet',
        ReasonCode.MalformedPacket,
      );
      return undefined;
    }
    return out;
  }

  private fail(message: string, reasonCode: number): void {
    if (this.failed) return;
    this.failed = true;
    const kind = reasonCode === ReasonCode.MalformedPacket ? 'Malformed packet' : 'Protocol error';
    this.onError(new QMqttProtocolError(`${kind} from the broker: ${message}`, reasonCode));
  }
}
