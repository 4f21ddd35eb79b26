/**
 * The only module that imports mqtt-packet. Everything else speaks in the types exported here.
 */
import * as mqtt from 'mqtt-packet';
import { QMqttProtocolError } from '../errors';
import { ReasonCode } from '../reason-codes';

export type Packet = mqtt.Packet;
export type ConnectPacket = mqtt.IConnectPacket;
export type ConnackPacket = mqtt.IConnackPacket;
export type PublishPacket = mqtt.IPublishPacket;
export type PubackPacket = mqtt.IPubackPacket;
export type PubrecPacket = mqtt.IPubrecPacket;
export type PubrelPacket = mqtt.IPubrelPacket;
export type PubcompPacket = mqtt.IPubcompPacket;
export type SubscribePacket = mqtt.ISubscribePacket;
export type SubackPacket = mqtt.ISubackPacket;
export type UnsubscribePacket = mqtt.IUnsubscribePacket;
export type UnsubackPacket = mqtt.IUnsubackPacket;
export type DisconnectPacket = mqtt.IDisconnectPacket;
export type AuthPacket = mqtt.IAuthPacket;
export type Subscription = mqtt.ISubscription;
export type QoS = mqtt.QoS;
export type WireUserProperties = mqtt.UserProperties;
export type WireProtocolVersion = 3 | 4 | 5;

/**
 * Encodes one packet. Throws {@link QMqttProtocolError} when mqtt-packet refuses it (the caller validated the
 * application's input before, so this is a library defect or an exotic property value).
 */
export function encodePacket(packet: Packet, protocolVersion: WireProtocolVersion): Buffer {
  try {
    return mqtt.generate(packet, { protocolVersion });
  } catch (e) {
    throw new QMqttProtocolError(
      `Cannot encode ${packet.cmd}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/**
 * Incremental decoder for the byte stream from the broker. `push` feeds bytes and calls `onPacket` for each
 * complete packet in order; the first malformed packet calls `onError` once and the decoder stops for good
 * (the connection must be closed: [MQTT-4.8.0-1] / [MQTT-4.13.1-1]).
 */
export class PacketDecoder {
  private readonly parser: ReturnType<typeof mqtt.parser>;
  private failed = false;

  constructor(
    protocolVersion: WireProtocolVersion,
    onPacket: (packet: Packet) => void,
    private readonly onError: (error: QMqttProtocolError) => void,
  ) {
    this.parser = mqtt.parser({ protocolVersion });
    this.parser.on('packet', (p: Packet) => {
      if (!this.failed) onPacket(p);
    });
    this.parser.on('error', (e: Error) => this.fail(e.message));
  }

  push(chunk: Buffer): void {
    if (this.failed) return;
    try {
      this.parser.parse(chunk);
    } catch (e) {
      this.fail(e instanceof Error ? e.message : String(e));
    }
  }

  get stopped(): boolean {
    return this.failed;
  }

  /** Stops decoding; bytes pushed later are ignored. */
  stop(): void {
    this.failed = true;
    this.parser.removeAllListeners();
  }

  private fail(message: string): void {
    if (this.failed) return;
    this.stop();
    this.onError(
      new QMqttProtocolError(`Malformed packet from the broker: ${message}`, ReasonCode.MalformedPacket),
    );
  }
}
