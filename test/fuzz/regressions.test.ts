/**
 * Every crash the fuzzers found, kept as a test (issue 8). Each input is replayed through the same target that
 * found it (test/fuzz/targets.js, on the TypeScript sources), and where the crash pointed at a behaviour, that
 * behaviour is pinned with the scripted broker too.
 *
 * Input format of the targets: byte 0 selects the protocol level and mode, byte 1 how the rest is cut into reads,
 * the rest is what the broker sends (see targets.js).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as lib from '../../lib/index';
import { QMqttProtocolError } from '../../lib/errors';
import { encodePacket, PacketDecoder, type Packet } from '../../lib/packet/codec';
import {
  connectWithInflight,
  expectViolation,
  hex,
  installGuards,
  MALFORMED,
  PROTOCOL_ERROR,
} from '../hostile/harness';

interface Targets {
  decoder(data: Buffer): void;
  inboundClient(data: Buffer): Promise<void>;
}
const require = createRequire(import.meta.url);
const { createTargets } = require('./targets.js') as { createTargets: (lib: unknown) => Targets };
const targets = createTargets({ ...lib, PacketDecoder, encodePacket });

installGuards();

describe('fuzz regressions: inbound-client target', () => {
  // Found by Jazzer.js (inbound-client, MQTT 3.1.1, 48 s): a run of PUBACK/PUBREC packets with Remaining Length 0.
  // mqtt-packet read each Packet Identifier from the bytes of the following packet (or got -1 at the end of the
  // stream) and the client answered PUBREL with that id; the encoder wrote `62 02` and no identifier, so the
  // client corrupted its own output stream. Fixed in lib/packet (framing by Remaining Length, strict frame check).
  const found = Buffer.from(
    'QAhAAFAAQABQAEAAUABAAEAAUABAAFAxNgBAAQAAAABAQAEAaW50MwgB////////////////////////////////////////////AA==',
    'base64',
  );

  it('[MQTT-2.2.1-5] PUBREC runs with Remaining Length 0 (the input Jazzer.js found)', async () => {
    await targets.inboundClient(found);
  });

  it('[MQTT-2.2.1-5] one PUBREC with Remaining Length 0, MQTT 3.1.1 and 5.0 (minimised)', async () => {
    await targets.inboundClient(hex('00 00 50 00'));
    await targets.inboundClient(hex('01 00 50 00'));
  });

  const pubrecWithoutId = async (version: 4 | 5): Promise<void> => {
    const h = await connectWithInflight(version);
    const before = h.broker.chunks.length;
    h.broker.sendRaw(hex('50 00'));
    await expectViolation(h, [MALFORMED], false);
    // what the client wrote after the hostile packet: whole frames only
    const after = Buffer.concat(h.broker.chunks.slice(before));
    let i = 0;
    while (i < after.length) {
      expect(i + 1, `truncated frame at ${i}: ${after.toString('hex')}`).toBeLessThan(after.length);
      i += 2 + after[i + 1]!;
    }
    expect(i).toBe(after.length);
  };
  it.each([4, 5] as const)(
    'PUBREC with Remaining Length 0 closes the connection as malformed, the client writes nothing corrupt (level %i)',
    (version) => pubrecWithoutId(version),
  );

  // Found by the hostile suite (v5-properties.test.ts) and reachable by the target: a DISCONNECT 0x9c with two
  // Server Reference properties reached applyServerRedirect as an array and `reference.split` threw inside the
  // handler (reported as 0x83 "Cannot handle DISCONNECT"). Now a Protocol Error before any handler runs.
  it('§3.14.2.2.4 DISCONNECT 0x9c with a repeated Server Reference: no handler throws', async () => {
    await targets.inboundClient(hex('01 00 e0 0a 9c 08 1c 00 01 61 1c 00 01 62'));
  });
});

describe('fuzz regressions: the target itself', () => {
  // Found by Jazzer.js (inbound-client, MQTT 5 before CONNACK, 102 s): a CONNACK with Maximum Packet Size 1 (and
  // Receive Maximum 2, Topic Alias Maximum 150, Maximum QoS 1). The client rightly refused the probe publish with
  // 0x95 (Packet too large) and wrote nothing; the target had taken any refusal for a broken connection. Kept:
  // the client connects, and refuses every publish with 0x95 without writing it.
  it('§3.2.2.3.6 CONNACK Maximum Packet Size 1: every publish is refused with 0x95, nothing is written', async () => {
    await targets.inboundClient(Buffer.from('AzsgEAEADSEAAiIAlicAAAABJAE=', 'base64'));
  });
});

describe('fuzz regressions: decoder target', () => {
  // Found by Jazzer.js (decoder, 10 s): a v5 PUBLISH with Topic Alias 0 is refused with 0x82 (Protocol Error),
  // which the target first wrongly took for a contract breach (it expected 0x81 only). Kept: the decoder reports
  // a rule broken by a well-formed packet as a Protocol Error, once, and delivers nothing.
  it('[MQTT-3.3.2-8] v5 PUBLISH with Topic Alias 0: one QMqttProtocolError (0x82), no packet', () => {
    targets.decoder(hex('02 00 30 06 00 00 03 23 00 00'));
    const packets: Packet[] = [];
    const errors: QMqttProtocolError[] = [];
    const d = new PacketDecoder(
      5,
      (p) => packets.push(p),
      (e) => errors.push(e),
    );
    d.push(hex('30 06 00 00 03 23 00 00'));
    expect(packets).toEqual([]);
    expect(errors).toHaveLength(1);
    expect([MALFORMED, PROTOCOL_ERROR]).toContain(errors[0]!.reasonCode);
  });
});

describe('fuzz regressions: the encoder never writes a corrupt packet', () => {
  // Found while minimising the inbound-client crash above: mqtt-packet writes `62 02` (a PUBREL announcing two
  // bytes that never follow) for a Packet Identifier of -1 or 70000, and the codec's fast path now writes -1 as
  // `62 02 ff ff` (id 65535). Whatever reaches encodePacket with such an id is a client defect: it must be refused
  // with a QMqttProtocolError, never put on the wire as another id or as a truncated packet.
  // DEFECT: encodePacket accepts Packet Identifiers outside 1…65535 for PUBACK/PUBREC/PUBREL/PUBCOMP.
  it.each([-1, 65536, 70000, 1.5, Number.NaN])(
    '§2.2.1 an acknowledgement with Packet Identifier %s is refused by encodePacket',
    (id) => {
      for (const cmd of ['puback', 'pubrec', 'pubrel', 'pubcomp'] as const)
        for (const level of [4, 5] as const)
          expect(() => encodePacket({ cmd, messageId: id }, level)).toThrow(QMqttProtocolError);
    },
  );
});
