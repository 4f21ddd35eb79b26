/**
 * Malformed input from the server: the decoder calls `onError` exactly once with a QMqttProtocolError, delivers
 * nothing from the bad packet on, and ignores every later byte ([MQTT-4.8.0-1] in 3.1.1, [MQTT-4.13.1-1] in 5.0).
 */
import { describe, it, expect } from 'vitest';
import type { WireProtocolVersion } from '../../lib/packet/codec';
import { QMqttProtocolError } from '../../lib/errors';
import { bytewise, decode, expectMalformed, hex, PINGRESP } from './helpers';

const LEVELS = [3, 4, 5] as const;

describe.each(LEVELS)('fixed header, level %i', (version: WireProtocolVersion) => {
  it('[MQTT-3.6.1-1] PUBREL with flags 0000', () => expectMalformed(version, hex`60 02 00 01`));
  it('[MQTT-3.6.1-1] PUBREL with flags 0011', () => expectMalformed(version, hex`63 02 00 01`));

  // 3.1.1 [MQTT-2.2.2-1]/[MQTT-2.2.2-2], 5.0 [MQTT-2.1.3-1]: reserved flag bits must hold the listed value.
  it.each([
    ['CONNACK', hex`21 02 00 00`],
    ['PUBACK', hex`48 02 00 01`],
    ['PUBREC', hex`51 02 00 01`],
    ['PUBCOMP', hex`74 02 00 01`],
    ['SUBACK', hex`92 03 00 01 00`],
    ['UNSUBACK', hex`b2 02 00 01`],
    ['PINGRESP', hex`d8 00`],
  ])('[MQTT-2.2.2-2][MQTT-2.1.3-1] %s with reserved flag bits set', (_name, bytes) => {
    expectMalformed(version, bytes);
  });

  it.each([
    ['QoS bits 11', hex`36 07 00 01 61 00 01 00 78`],
    ['QoS bits 11 + RETAIN', hex`37 07 00 01 61 00 01 00 78`],
    ['QoS bits 11 + DUP', hex`3e 07 00 01 61 00 01 00 78`],
  ])('[MQTT-3.3.1-4] PUBLISH with %s (QoS 3)', (_name, bytes) => {
    expectMalformed(version, bytes);
  });

  it('§2.2.1 reserved packet type 0', () => expectMalformed(version, hex`00 00`));

  it('§2.2.3 / §1.5.5 Remaining Length with five bytes (4 continuation bits set)', () => {
    expectMalformed(version, hex`30 ff ff ff ff 7f`);
    expectMalformed(version, hex`30 80 80 80 80 01`);
  });

  it('§2.2.3 / §1.5.5 five-byte Remaining Length pushed byte by byte still reports one error', () => {
    const { packets, errors, decoder } = decode(
      version,
      ...bytewise(hex`30 ff ff ff ff 7f 00 01 61`),
      PINGRESP,
    );
    expect(packets).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(QMqttProtocolError);
    expect(decoder.stopped).toBe(true);
  });

  it('packets before the malformed one are delivered, none after it', () => {
    const { packets, errors } = decode(
      version,
      Buffer.concat([PINGRESP, hex`60 02 00 01`, PINGRESP]),
      PINGRESP,
    );
    expect(packets.map((p) => p.cmd)).toEqual(['pingresp']);
    expect(errors).toHaveLength(1);
  });

  it('a malformed packet whose bytes arrive in several pushes', () => {
    const { packets, errors } = decode(version, hex`36`, hex`07 00 01`, hex`61 00 01 00 78`, PINGRESP);
    expect(packets).toEqual([]);
    expect(errors).toHaveLength(1);
  });

  it('stop() ends decoding without an error', () => {
    const { packets, errors, decoder } = decode(version, PINGRESP);
    decoder.stop();
    decoder.push(PINGRESP);
    expect(packets.map((p) => p.cmd)).toEqual(['pingresp']);
    expect(errors).toEqual([]);
    expect(decoder.stopped).toBe(true);
  });
});

describe.each([4, 5] as const)('CONNACK, level %i', (version) => {
  it('3.1.1 §3.2.2.1 / 5.0 [MQTT-3.2.2-1] CONNACK acknowledge flags bits 7-1 set', () => {
    expectMalformed(version, hex`20 02 02 00`);
    expectMalformed(version, hex`20 02 80 00`);
  });
});

describe.each([3, 4] as const)('MQTT 3.x only, level %i', (version) => {
  it('§2.2.1 packet type 15 is reserved before MQTT 5', () => expectMalformed(version, hex`f0 00`));

  it('[MQTT-3.9.3-2] SUBACK return code other than 0x00, 0x01, 0x02, 0x80', () => {
    expectMalformed(version, hex`90 03 00 01 03`);
    expectMalformed(version, hex`90 03 00 01 81`);
  });

  it('§3.11.1 UNSUBACK remaining length must be 2', () => expectMalformed(version, hex`b0 03 00 01 00`));
});

describe('MQTT 5.0 only', () => {
  it('[MQTT-3.14.1-1] DISCONNECT with reserved flag bits set', () => expectMalformed(5, hex`e1 00`));
  it('[MQTT-3.15.1-1] AUTH with reserved flag bits set', () => expectMalformed(5, hex`f1 02 18 00`));

  it.each([
    ['[MQTT-3.4.2-1] PUBACK', hex`40 03 00 01 05`],
    ['[MQTT-3.5.2-1] PUBREC', hex`50 03 00 01 92`],
    ['[MQTT-3.6.2-1] PUBREL', hex`62 03 00 01 10`],
    ['[MQTT-3.7.2-1] PUBCOMP', hex`70 03 00 01 80`],
    ['[MQTT-3.9.3-2] SUBACK', hex`90 04 00 01 00 03`],
    ['[MQTT-3.11.3-2] UNSUBACK', hex`b0 04 00 01 00 05`],
    ['[MQTT-3.14.2-1] DISCONNECT', hex`e0 02 05 00`],
    ['[MQTT-3.15.2-1] AUTH', hex`f0 02 05 00`],
  ])('%s with a reason code that packet does not define', (_name, bytes) => {
    expectMalformed(5, bytes);
  });

  it('§2.2.2.2 unknown property identifier', () => {
    expectMalformed(5, hex`40 06 00 01 00 02 7f 00`);
    expectMalformed(5, hex`30 06 00 01 61 02 00 00`);
  });

  it('§2.2.2.1 Property Length running past the end of the packet', () => {
    expectMalformed(5, hex`40 04 00 01 00 05`);
  });

  it('§3.15.2.2.2 AUTH with remaining length 0 has no Authentication Method (Protocol Error)', () => {
    expectMalformed(5, hex`f0 00`);
  });
});
