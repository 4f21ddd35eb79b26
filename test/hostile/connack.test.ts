/**
 * Hostile peer, CONNACK and server DISCONNECT that break the rules (issue 8): Session Present where there can
 * be no session, reason / return codes a CONNACK may not carry, and — for contrast — a server DISCONNECT that is
 * legal: the client closes with the server's reason and keeps its session.
 */
import { describe, expect, it } from 'vitest';
import { ClientError, ClientState } from '../../lib/state';
import { tick } from '../helpers/scripted-client';
import {
  connecting,
  connectWithInflight,
  expectSessionResumes,
  expectViolation,
  hex,
  installGuards,
  MALFORMED,
  PROTOCOL_ERROR,
  reconnectingWithInflight,
} from './harness';

installGuards();

describe('Session Present where the client asked for a clean session', () => {
  it('3.1.1 [MQTT-3.2.2-1] CONNACK Session Present 1 in answer to Clean Session 1', async () => {
    const h = await connecting(4, true);
    h.broker.send({ cmd: 'connack', sessionPresent: true, returnCode: 0 });
    await expectViolation(h, [PROTOCOL_ERROR], false);
  });

  it('[MQTT-3.2.2-2] [MQTT-3.2.2-4] MQTT 5 CONNACK Session Present 1 in answer to Clean Start 1', async () => {
    const h = await connecting(5, true);
    h.broker.send({ cmd: 'connack', sessionPresent: true, reasonCode: 0 });
    await expectViolation(h, [PROTOCOL_ERROR], false);
  });
});

describe('codes a CONNACK may not carry', () => {
  it.each([
    ['0x04 (Disconnect with Will Message)', 0x04],
    ['0x18 (Continue authentication)', 0x18],
    ['0x8e (Session taken over, DISCONNECT only)', 0x8e],
    ['0xff', 0xff],
  ])('[MQTT-3.2.2-8] MQTT 5 CONNACK reason code %s', async (_name, code) => {
    const { h } = await reconnectingWithInflight(5);
    h.broker.sendRaw(Buffer.from([0x20, 0x03, 0x00, code, 0x00]));
    await expectViolation(h, [MALFORMED, PROTOCOL_ERROR]);
  });

  it.each([3, 4] as const)('3.1.1 §3.2.2.3 CONNACK return code 6 (reserved), level %i', async (version) => {
    const { h } = await reconnectingWithInflight(version);
    h.broker.sendRaw(hex('20 02 00 06'));
    await expectViolation(h, [PROTOCOL_ERROR, MALFORMED, 6]);
  });

  it.each([4, 5] as const)(
    '[MQTT-3.2.2-6] CONNACK refusing the connection with Session Present 1, level %i',
    async (version) => {
      const { h } = await reconnectingWithInflight(version);
      h.broker.sendRaw(version === 5 ? hex('20 03 01 87 00') : hex('20 02 01 05'));
      await expectViolation(h, [PROTOCOL_ERROR, MALFORMED]);
    },
  );
});

describe('a legal server DISCONNECT (MQTT 5 §3.14): closed with the server reason, session kept', () => {
  it('§3.14.2.1 DISCONNECT 0x8b (Server shutting down) with a Reason String', async () => {
    const h = await connectWithInflight(5);
    h.broker.send({
      cmd: 'disconnect',
      reasonCode: 0x8b,
      properties: { reasonString: 'maintenance' },
    });
    for (let i = 0; i < 30 && h.client.state() !== ClientState.Disconnected; i++) await tick(1);
    expect(h.client.state()).toBe(ClientState.Disconnected);
    expect(h.client.error()).toBe(ClientError.Mqtt5SpecificError);
    expect(h.client.lastErrorDetail()).toMatchObject({ reasonCode: 0x8b, reasonString: 'maintenance' });
    await tick(2);
    // [MQTT-3.14.4-1]: the server's DISCONNECT ends the connection; the client sends nothing after it
    expect(h.broker.pending()).toEqual([]);
    await expectSessionResumes(h);
  });

  const bad = [
    ['0x01 (not a DISCONNECT code)', 'e0 02 01 00'],
    ['0x92 (not a DISCONNECT code)', 'e0 02 92 00'],
  ];
  for (const [name, bytes] of bad) {
    it(`[MQTT-3.14.2-1] DISCONNECT with reason code ${name} is malformed`, async () => {
      const h = await connectWithInflight(5);
      h.broker.sendRaw(hex(bytes!));
      await expectViolation(h, [MALFORMED]);
    });
  }
});
