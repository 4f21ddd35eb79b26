/**
 * Hostile peer, packets that are well formed but must not arrive (issue 8): anything but CONNACK (or AUTH in an
 * enhanced-authentication exchange) before CONNACK, a second CONNACK, packets only a client may send, reserved
 * packet types, DISCONNECT from a 3.1/3.1.1 server or before CONNACK, AUTH that nobody asked for.
 * Each must close the connection at once as a protocol violation, with the session intact for the next connect.
 */
import type { Packet } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import type { QMqttClient } from '../../lib/client';
import { ClientState } from '../../lib/state';
import { tick } from '../helpers/scripted-client';
import {
  connectWithInflight,
  expectViolation,
  hex,
  installGuards,
  MALFORMED,
  PROTOCOL_ERROR,
  reconnectingWithInflight,
  VERSIONS,
  type Version,
} from './harness';

installGuards();

const PUBLISH: Packet = {
  cmd: 'publish',
  topic: 'early',
  payload: Buffer.from('x'),
  qos: 0,
  retain: false,
  dup: false,
};

/** Server → client packets other than CONNACK, as the broker of `version` encodes them. */
function serverPackets(version: Version): [string, Packet][] {
  const rc = version === 5 ? { reasonCode: 0 } : {};
  const list: [string, Packet][] = [
    ['PUBLISH', PUBLISH],
    ['PUBACK', { cmd: 'puback', messageId: 1, ...rc }],
    ['PUBREC', { cmd: 'pubrec', messageId: 1, ...rc }],
    ['PUBREL', { cmd: 'pubrel', messageId: 1, ...rc }],
    ['PUBCOMP', { cmd: 'pubcomp', messageId: 1, ...rc }],
    ['SUBACK', { cmd: 'suback', messageId: 1, granted: [0] }],
    ['UNSUBACK', { cmd: 'unsuback', messageId: 1, ...(version === 5 ? { granted: [0] } : {}) } as Packet],
    ['PINGRESP', { cmd: 'pingresp' }],
  ];
  return list;
}

/** Packets only a client sends (MQTT 3.1.1 §2.2.1 Table 2.1 / 5.0 §2.1.2 Table 2-1: "Client to Server"). */
function clientOnlyPackets(version: Version): [string, Packet][] {
  return [
    [
      'CONNECT',
      {
        cmd: 'connect',
        protocolId: version === 3 ? 'MQIsdp' : 'MQTT',
        protocolVersion: version,
        clientId: 'evil',
        clean: true,
        keepalive: 0,
      },
    ],
    ['SUBSCRIBE', { cmd: 'subscribe', messageId: 9, subscriptions: [{ topic: 'x', qos: 0 }] }],
    ['UNSUBSCRIBE', { cmd: 'unsubscribe', messageId: 9, unsubscriptions: ['x'] }],
    ['PINGREQ', { cmd: 'pingreq' }],
  ];
}

describe.each(VERSIONS)('before CONNACK, level %i', (version) => {
  const spec = version === 5 ? '[MQTT-3.2.0-1]' : '3.1.1 [MQTT-3.2.0-1]';
  const test = async (packet: Packet): Promise<void> => {
    const { h } = await reconnectingWithInflight(version);
    h.broker.send(packet);
    await expectViolation(h, [PROTOCOL_ERROR]);
  };
  it.each(serverPackets(version))(
    `${spec} %s before CONNACK closes the connection as a protocol violation`,
    async (_name, packet) => test(packet),
  );
  it.each(clientOnlyPackets(version))(
    `${spec} %s before CONNACK closes the connection as a protocol violation`,
    async (_name, packet) => test(packet),
  );
});

/** A client with enhanced authentication (method SCRAM); the broker's CONNACKs carry the method as they must. */
const withMethod = {
  configure: (c: QMqttClient) => {
    const p = c.connectionProperties();
    p.setAuthenticationMethod('SCRAM');
    c.setConnectionProperties(p);
  },
  connack: { authenticationMethod: 'SCRAM' },
  resumeConnack: { authenticationMethod: 'SCRAM' },
};

describe('MQTT 5 before CONNACK', () => {
  it('[MQTT-3.14.0-1] DISCONNECT before CONNACK is a protocol violation', async () => {
    const { h } = await reconnectingWithInflight(5);
    h.broker.send({ cmd: 'disconnect', reasonCode: 0 });
    await expectViolation(h, [PROTOCOL_ERROR]);
  });

  it('[MQTT-4.12.0-6] AUTH before CONNACK when CONNECT had no Authentication Method', async () => {
    const { h } = await reconnectingWithInflight(5);
    h.broker.send({ cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'SCRAM' } });
    await expectViolation(h, [PROTOCOL_ERROR]);
  });

  it('[MQTT-4.12.0-6] AUTH after CONNACK when CONNECT had no Authentication Method', async () => {
    const h = await connectWithInflight(5);
    h.broker.send({ cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'SCRAM' } });
    await expectViolation(h, [PROTOCOL_ERROR]);
  });

  it('§4.12 AUTH Success (0x00) before CONNACK is a protocol violation (success comes in CONNACK)', async () => {
    const { h } = await reconnectingWithInflight(5, withMethod);
    h.broker.send({ cmd: 'auth', reasonCode: 0x00, properties: { authenticationMethod: 'SCRAM' } });
    await expectViolation(h, [PROTOCOL_ERROR]);
  });
});

describe('MQTT 5 enhanced authentication with a method', () => {
  it('[MQTT-4.12.0-2] AUTH 0x18 with the Authentication Method of CONNECT before CONNACK is part of the exchange', async () => {
    const { h, connecting } = await reconnectingWithInflight(5, withMethod);
    let asked = 0;
    h.client.authenticationRequested.connect(() => asked++);
    h.broker.send({ cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'SCRAM' } });
    for (let i = 0; i < 10 && asked === 0; i++) await tick(1);
    expect(asked).toBe(1);
    expect(h.client.state()).toBe(ClientState.Connecting);
    h.broker.send({
      cmd: 'connack',
      sessionPresent: true,
      reasonCode: 0,
      properties: { authenticationMethod: 'SCRAM' },
    });
    await expect(connecting).resolves.toBe(true);
    expect(await h.broker.expect('publish')).toMatchObject({ messageId: 1, dup: true });
  });

  it('[MQTT-4.12.0-5] AUTH with another Authentication Method than CONNECT', async () => {
    const { h } = await reconnectingWithInflight(5, withMethod);
    h.broker.send({ cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'OTHER' } });
    await expectViolation(h, [PROTOCOL_ERROR]);
  });

  it('[MQTT-4.12.0-5] a successful CONNACK without the Authentication Method of CONNECT', async () => {
    const { h } = await reconnectingWithInflight(5, withMethod);
    h.broker.send({ cmd: 'connack', sessionPresent: false, reasonCode: 0 });
    await expectViolation(h, [PROTOCOL_ERROR]);
  });

  it('[MQTT-4.12.0-6] CONNACK with an Authentication Method when CONNECT had none', async () => {
    const { h } = await reconnectingWithInflight(5);
    h.broker.send({
      cmd: 'connack',
      sessionPresent: true,
      reasonCode: 0,
      properties: { authenticationMethod: 'SCRAM' },
    });
    await expectViolation(h, [PROTOCOL_ERROR]);
  });
});

describe.each(VERSIONS)('after CONNACK, level %i', (version) => {
  it(`[MQTT-3.2.0-2] a second CONNACK closes the connection`, async () => {
    const h = await connectWithInflight(version);
    h.broker.send(
      version === 5
        ? { cmd: 'connack', sessionPresent: false, reasonCode: 0 }
        : { cmd: 'connack', sessionPresent: false, returnCode: 0 },
    );
    await expectViolation(h, [PROTOCOL_ERROR]);
  });

  it.each(clientOnlyPackets(version))(
    '§2.1.2 a server may not send %s: the connection is closed',
    async (_name, packet) => {
      const h = await connectWithInflight(version);
      h.broker.send(packet);
      await expectViolation(h, [PROTOCOL_ERROR, MALFORMED]);
    },
  );

  it('§2.1.2 reserved packet type 0 closes the connection as malformed', async () => {
    const h = await connectWithInflight(version);
    h.broker.sendRaw(hex('00 00'));
    await expectViolation(h, [MALFORMED]);
  });
});

describe.each([3, 4] as const)('MQTT 3.x only, level %i', (version) => {
  it('3.1.1 §2.2.1 reserved packet type 15 closes the connection', async () => {
    const h = await connectWithInflight(version);
    h.broker.sendRaw(hex('f0 00'));
    await expectViolation(h, [MALFORMED, PROTOCOL_ERROR]);
  });

  it('3.1.1 §3.14 DISCONNECT from a 3.1/3.1.1 server (client to server only) closes the connection', async () => {
    const h = await connectWithInflight(version);
    h.broker.sendRaw(hex('e0 00'));
    await expectViolation(h, [PROTOCOL_ERROR, MALFORMED]);
  });
});
