/**
 * Helpers for the golden-bytes tests (DESIGN §4 layer 1). Expected bytes are always written by hand in the
 * test files with `hex`; nothing here computes an encoding, so a wrong encoder cannot agree with itself.
 */
import { expect } from 'vitest';
import { encodePacket, PacketDecoder, type Packet, type WireProtocolVersion } from '../../lib/packet/codec';
import { QMqttProtocolError } from '../../lib/errors';
import { ClientError } from '../../lib/state';

/**
 * Bytes from a hand-written hex literal. Whitespace is ignored and `#` starts a comment that runs to the end of
 * the line, so every field can be annotated.
 */
export function hex(strings: TemplateStringsArray): Buffer {
  const digits = strings.raw
    .join('')
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join('')
    .replace(/\s+/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`Not a byte-aligned hex literal: ${digits}`);
  return Buffer.from(digits, 'hex');
}

/** Reason codes as `[hex, code]` rows for `it.each`, so that test names read `0x8e`, not `142`. */
export function hexRows(codes: readonly number[]): [string, number][] {
  return codes.map((c) => [c.toString(16).padStart(2, '0'), c]);
}

/** A PINGRESP (d0 00): a packet that is valid in every protocol level, used as a "next packet" probe. */
export const PINGRESP = Buffer.from([0xd0, 0x00]);

export interface DecodeResult {
  packets: Packet[];
  errors: QMqttProtocolError[];
  decoder: PacketDecoder;
}

/** Feeds each chunk through one `push` call of a fresh decoder and collects what comes out. */
export function decode(version: WireProtocolVersion, ...chunks: Buffer[]): DecodeResult {
  const packets: Packet[] = [];
  const errors: QMqttProtocolError[] = [];
  const decoder = new PacketDecoder(
    version,
    (p) => packets.push(p),
    (e) => errors.push(e),
  );
  for (const chunk of chunks) decoder.push(chunk);
  return { packets, errors, decoder };
}

/** Splits a buffer into one-byte chunks. */
export function bytewise(bytes: Buffer): Buffer[] {
  return [...bytes].map((b) => Buffer.from([b]));
}

function asRecord(packet: Packet): Record<string, unknown> {
  return packet as unknown as Record<string, unknown>;
}

/** Decodes `bytes`, which must hold exactly one packet and nothing malformed, and returns it. */
export function decodeOne(version: WireProtocolVersion, bytes: Buffer): Record<string, unknown> {
  const { packets, errors } = decode(version, bytes);
  expect(errors.map((e) => e.message)).toEqual([]);
  expect(packets).toHaveLength(1);
  return asRecord(packets[0]!);
}

/**
 * Decodes one packet and checks the listed fields exactly. A packet expected without `properties` must not
 * carry any (a stray property would otherwise go unnoticed).
 */
export function expectDecoded(
  version: WireProtocolVersion,
  bytes: Buffer,
  expected: Record<string, unknown>,
): Record<string, unknown> {
  const packet = decodeOne(version, bytes);
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(expected)) picked[key] = packet[key];
  expect(picked).toEqual(expected);
  if (!('properties' in expected)) expect(packet['properties']).toBeUndefined();
  return packet;
}

/**
 * The decoder must report `bytes` as malformed: `onError` exactly once with a QMqttProtocolError, no packet,
 * and nothing more delivered afterwards (the connection is to be closed: [MQTT-4.8.0-1] / [MQTT-4.13.1-1]).
 */
export function expectMalformed(version: WireProtocolVersion, bytes: Buffer): void {
  const { packets, errors, decoder } = decode(version, bytes, PINGRESP);
  expect(packets.map((p) => p.cmd)).toEqual([]);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toBeInstanceOf(QMqttProtocolError);
  expect(errors[0]!.clientError).toBe(ClientError.ProtocolViolation);
  expect(decoder.stopped).toBe(true);
  decoder.push(PINGRESP);
  expect(packets).toHaveLength(0);
  expect(errors).toHaveLength(1);
}

/** The encoding must be exactly `bytes` (compared as hex so that a failure shows a readable diff). */
export function expectEncoded(packet: Packet, version: WireProtocolVersion, bytes: Buffer): void {
  expect(encodePacket(packet, version).toString('hex')).toBe(bytes.toString('hex'));
}

/**
 * For the few packets where the specification allows more than one encoding (e.g. a v5 acknowledgement may
 * omit a Success reason code and an empty Property Length), the encoding must be one of the listed ones.
 */
export function expectEncodedOneOf(
  packet: Packet,
  version: WireProtocolVersion,
  ...alternatives: Buffer[]
): void {
  expect(alternatives.map((b) => b.toString('hex'))).toContain(encodePacket(packet, version).toString('hex'));
}

/** Encoding must be refused with a QMqttProtocolError (never a corrupt buffer, never a raw Error). */
export function expectEncodeRefused(packet: Packet, version: WireProtocolVersion): void {
  expect(() => encodePacket(packet, version)).toThrow(QMqttProtocolError);
}

/** A QoS 0 PUBLISH of "x" on topic "a", with `p` over it. */
export function publishPacket(p: Partial<Packet & { cmd: 'publish' }> = {}): Packet {
  return {
    cmd: 'publish',
    topic: 'a',
    payload: Buffer.from('x'),
    qos: 0,
    dup: false,
    retain: false,
    ...p,
  };
}
