/**
 * Property: `PacketDecoder` on arbitrary bytes, pushed in arbitrary pieces, never throws; it reports a problem only
 * through `onError`, once, with a `QMqttProtocolError` (ProtocolViolation, 0x81 Malformed Packet or 0x82 Protocol
 * Error), and delivers
 * no packet after it ([MQTT-4.8.0-1] 3.1.1, [MQTT-4.13.1-1] 5.0: the connection is to be closed).
 *
 * Inputs are random bytes and, more usefully, valid server packets that were mutated (bytes flipped, cut,
 * inserted, duplicated), so that most inputs get past the fixed header into the variable header and properties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QMqttProtocolError } from '../../lib/errors';
import { PacketDecoder } from '../../lib/packet/codec';
import { ReasonCode } from '../../lib/reason-codes';
import { ClientError } from '../../lib/state';
import { brokerBytes as hostileBytes, LEVELS, type Level, cut } from './arbitraries';

const RUNS = 200;

type Event = { kind: 'packet'; cmd: string } | { kind: 'error'; error: unknown };

const COMMANDS: Record<Level, string[]> = {
  3: [
    'connect',
    'connack',
    'publish',
    'puback',
    'pubrec',
    'pubrel',
    'pubcomp',
    'subscribe',
    'suback',
    'unsubscribe',
    'unsuback',
    'pingreq',
    'pingresp',
    'disconnect',
  ],
  4: [],
  5: [],
};
COMMANDS[4] = COMMANDS[3];
COMMANDS[5] = [...COMMANDS[3], 'auth'];

function run(level: Level, chunks: Buffer[]): { events: Event[]; stopped: boolean } {
  const events: Event[] = [];
  const d = new PacketDecoder(
    level,
    (p) => events.push({ kind: 'packet', cmd: p.cmd }),
    (error) => events.push({ kind: 'error', error }),
  );
  for (const c of chunks) d.push(c); // a throw fails the property
  return { events, stopped: d.stopped };
}

function checkContract(level: Level, events: Event[], stopped: boolean): void {
  const errors = events.filter((e) => e.kind === 'error');
  expect(errors.length).toBeLessThanOrEqual(1);
  expect(stopped).toBe(errors.length === 1);
  const at = events.findIndex((e) => e.kind === 'error');
  if (at !== -1) {
    const error = (events[at] as { error: unknown }).error;
    expect(error).toBeInstanceOf(QMqttProtocolError);
    expect((error as QMqttProtocolError).clientError).toBe(ClientError.ProtocolViolation);
    // 0x81 Malformed Packet; 0x82 Protocol Error where the packet is well formed but breaks a rule
    expect([ReasonCode.MalformedPacket, ReasonCode.ProtocolError]).toContain(
      (error as QMqttProtocolError).reasonCode,
    );
    // nothing is delivered after the error
    expect(events.slice(at + 1)).toEqual([]);
  }
  for (const e of events) if (e.kind === 'packet') expect(COMMANDS[level]).toContain(e.cmd);
}

describe.each(LEVELS)('decoding hostile bytes, level %i', (level) => {
  it('never throws; one QMqttProtocolError (0x81/0x82) at most; no packet after it', () => {
    fc.assert(
      fc.property(hostileBytes(level), fc.array(fc.nat(), { maxLength: 6 }), (bytes, points) => {
        const { events, stopped } = run(level, cut(bytes, points));
        checkContract(level, events, stopped);
      }),
      { numRuns: RUNS },
    );
  });

  it('byte by byte: the same contract', () => {
    fc.assert(
      fc.property(hostileBytes(level), (bytes) => {
        const { events, stopped } = run(
          level,
          [...bytes].map((b) => Buffer.from([b])),
        );
        checkContract(level, events, stopped);
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });

  // mqtt-packet alone decided some fields from the bytes buffered so far instead of the packet's Remaining Length
  // (a receiver must not depend on read boundaries, cf. 5.0 [MQTT-6.0.0-2]); the codec now frames first.
  it('§2.1.4 the result does not depend on where the bytes were cut', () => {
    fc.assert(
      fc.property(
        hostileBytes(level),
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        (bytes, points) => {
          const whole = run(level, [bytes]);
          const pieces = run(level, cut(bytes, points));
          const shape = (r: { events: Event[] }) =>
            r.events.map((e) => (e.kind === 'packet' ? e.cmd : 'error'));
          expect(shape(pieces)).toEqual(shape(whole));
        },
      ),
      {
        numRuns: RUNS,
        // once found by this property: a CONNACK with Remaining Length 0 followed by more packets, cut after it
        examples: [
          [Buffer.from([0x20, 0x00, 0x02, 0x00, 0x70, 0x02, 0x00, 0x01]), [2]],
          [Buffer.from([0x20, 0x00, 0x02, 0xd0, 0x00]), [2]],
        ],
      },
    );
  });
});
