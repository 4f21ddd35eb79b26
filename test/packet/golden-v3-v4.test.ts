/**
 * Golden bytes for MQTT 3.1 (protocol name "MQIsdp", level 3) and MQTT 3.1.1 (OASIS, level 4).
 * Every expected byte sequence is written by hand from the specification; spec IDs are the 3.1.1 ones.
 */
import { describe, it } from 'vitest';
import type { Packet } from '../../lib/packet/codec';
import { expectDecoded, expectEncoded, expectEncodeRefused, hex } from './helpers';

const LEVELS = [3, 4] as const;

describe('CONNECT, MQTT 3.1.1 (level 4)', () => {
  it('[MQTT-3.1.2-1][MQTT-3.1.2-2] minimal: name "MQTT", level 4, clean session, keep alive 60', () => {
    expectEncoded(
      { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c', clean: true, keepalive: 60 },
      4,
      hex`
        10 0d               # CONNECT, remaining length 13
        00 04 4d 51 54 54   # protocol name "MQTT"
        04                  # protocol level 4
        02                  # flags: clean session
        00 3c               # keep alive 60
        00 01 63            # client id "c"
      `,
    );
  });

  it('[MQTT-3.1.2-9][MQTT-3.1.2-17][MQTT-3.1.2-19][MQTT-3.1.2-21][MQTT-3.1.3-1] will QoS 1 + retain, user name, password, clean 0', () => {
    expectEncoded(
      {
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 4,
        clientId: 'cid',
        clean: false,
        keepalive: 10,
        will: { topic: 'w/t', payload: Buffer.from('bye'), qos: 1, retain: true },
        username: 'u',
        password: Buffer.from('pw'),
      },
      4,
      hex`
        10 20               # CONNECT, remaining length 32
        00 04 4d 51 54 54   # "MQTT"
        04                  # level 4
        ec                  # flags: user name 80 | password 40 | will retain 20 | will QoS 1 08 | will 04
        00 0a               # keep alive 10
        00 03 63 69 64      # client id "cid"
        00 03 77 2f 74      # will topic "w/t"
        00 03 62 79 65      # will message "bye"
        00 01 75            # user name "u"
        00 02 70 77         # password "pw"
      `,
    );
  });

  it('[MQTT-3.1.2-14] will QoS 2, empty will message, keep alive 65535, no credentials', () => {
    expectEncoded(
      {
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 4,
        clientId: 'c',
        clean: true,
        keepalive: 65535,
        will: { topic: 't', payload: Buffer.alloc(0), qos: 2, retain: false },
      },
      4,
      hex`
        10 12 00 04 4d 51 54 54 04
        16                  # flags: will QoS 2 10 | will 04 | clean 02
        ff ff               # keep alive 65535
        00 01 63            # client id "c"
        00 01 74            # will topic "t"
        00 00               # zero-length will message
      `,
    );
  });

  it('[MQTT-3.1.2-19][MQTT-3.1.2-20] user name without password', () => {
    expectEncoded(
      {
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 4,
        clientId: 'c',
        clean: true,
        username: 'user',
      },
      4,
      hex`
        10 13 00 04 4d 51 54 54 04
        82                  # flags: user name 80 | clean 02
        00 00               # keep alive 0
        00 01 63            # client id "c"
        00 04 75 73 65 72   # user name "user"
      `,
    );
  });

  it('[MQTT-3.1.3-7] zero-length client id with clean session 1', () => {
    expectEncoded(
      { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: '', clean: true, keepalive: 60 },
      4,
      hex`10 0c 00 04 4d 51 54 54 04 02 00 3c 00 00`,
    );
  });

  it('[MQTT-3.1.2-22] a password without a user name is refused', () => {
    expectEncodeRefused(
      { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'c', password: Buffer.from('pw') },
      4,
    );
  });
});

describe('CONNECT, MQTT 3.1 (level 3, "MQIsdp")', () => {
  it('MQTT 3.1 §3.1 minimal: name "MQIsdp", level 3, clean session, keep alive 60', () => {
    expectEncoded(
      { cmd: 'connect', protocolId: 'MQIsdp', protocolVersion: 3, clientId: 'c', clean: true, keepalive: 60 },
      3,
      hex`
        10 0f                     # CONNECT, remaining length 15
        00 06 4d 51 49 73 64 70   # protocol name "MQIsdp"
        03                        # protocol version 3
        02                        # flags: clean session
        00 3c                     # keep alive 60
        00 01 63                  # client id "c"
      `,
    );
  });

  it('MQTT 3.1 §3.1 will QoS 1 + retain, user name, password, clean 0', () => {
    expectEncoded(
      {
        cmd: 'connect',
        protocolId: 'MQIsdp',
        protocolVersion: 3,
        clientId: 'cid',
        clean: false,
        keepalive: 10,
        will: { topic: 'w/t', payload: Buffer.from('bye'), qos: 1, retain: true },
        username: 'u',
        password: Buffer.from('pw'),
      },
      3,
      hex`
        10 22 00 06 4d 51 49 73 64 70 03
        ec 00 0a
        00 03 63 69 64 00 03 77 2f 74 00 03 62 79 65 00 01 75 00 02 70 77
      `,
    );
  });

  it('MQTT 3.1 §3.1 the client id must be 1 to 23 characters: an empty one is refused', () => {
    expectEncodeRefused(
      { cmd: 'connect', protocolId: 'MQIsdp', protocolVersion: 3, clientId: '', clean: true },
      3,
    );
  });
});

describe.each(LEVELS)('client → server packets, level %i', (version) => {
  const publish = (p: Partial<Packet & { cmd: 'publish' }>): Packet => ({
    cmd: 'publish',
    topic: 'a/b',
    payload: Buffer.from('hi'),
    qos: 0,
    dup: false,
    retain: false,
    ...p,
  });

  it('[MQTT-3.3.2-1] PUBLISH QoS 0: no packet identifier', () => {
    expectEncoded(publish({}), version, hex`30 07 00 03 61 2f 62 68 69`);
  });

  it('[MQTT-2.3.1-5] PUBLISH QoS 0 never carries a packet identifier, even if one is given', () => {
    expectEncoded(publish({ messageId: 5 }), version, hex`30 07 00 03 61 2f 62 68 69`);
  });

  it('[MQTT-3.3.1-5] PUBLISH QoS 1 retained, packet id 1', () => {
    expectEncoded(
      publish({ qos: 1, retain: true, messageId: 1 }),
      version,
      hex`
        33                  # PUBLISH | QoS 1 02 | RETAIN 01
        09 00 03 61 2f 62   # topic "a/b"
        00 01               # packet id 1
        68 69               # payload "hi"
      `,
    );
  });

  it('[MQTT-3.3.1-1] PUBLISH QoS 2 with DUP, packet id 0x1234', () => {
    expectEncoded(
      publish({ qos: 2, dup: true, messageId: 0x1234 }),
      version,
      hex`3c 09 00 03 61 2f 62 12 34 68 69   # PUBLISH | DUP 08 | QoS 2 04`,
    );
  });

  it('§3.3.3 PUBLISH with a zero-length payload (retained: clears the retained message)', () => {
    expectEncoded(publish({ retain: true, payload: Buffer.alloc(0) }), version, hex`31 05 00 03 61 2f 62`);
    expectEncoded(publish({ payload: '' }), version, hex`30 05 00 03 61 2f 62`);
  });

  it('§3.3.3 PUBLISH payload is opaque binary', () => {
    expectEncoded(publish({ payload: Buffer.from([0x00, 0xff]) }), version, hex`30 07 00 03 61 2f 62 00 ff`);
  });

  it('§1.5.3 topic length counts UTF-8 bytes, not characters', () => {
    expectEncoded(publish({ topic: 'ü', payload: '' }), version, hex`30 04 00 02 c3 bc`);
  });

  it('§3.4 PUBACK', () => expectEncoded({ cmd: 'puback', messageId: 1 }, version, hex`40 02 00 01`));
  it('§3.5 PUBREC', () => expectEncoded({ cmd: 'pubrec', messageId: 0x0102 }, version, hex`50 02 01 02`));
  it('[MQTT-3.6.1-1] PUBREL fixed header flags 0010', () =>
    expectEncoded({ cmd: 'pubrel', messageId: 0xffff }, version, hex`62 02 ff ff`));
  it('§3.7 PUBCOMP', () => expectEncoded({ cmd: 'pubcomp', messageId: 2 }, version, hex`70 02 00 02`));

  it('[MQTT-3.8.1-1][MQTT-3.8.3-1] SUBSCRIBE fixed header flags 0010, several filters with QoS 0/1/2', () => {
    expectEncoded(
      {
        cmd: 'subscribe',
        messageId: 10,
        subscriptions: [
          { topic: 'a/+', qos: 0 },
          { topic: 'b/#', qos: 1 },
          { topic: 'c', qos: 2 },
        ],
      },
      version,
      hex`
        82 12               # SUBSCRIBE | 0010, remaining length 18
        00 0a               # packet id 10
        00 03 61 2f 2b 00   # "a/+" QoS 0
        00 03 62 2f 23 01   # "b/#" QoS 1
        00 01 63 02         # "c"   QoS 2
      `,
    );
  });

  it('[MQTT-3.8.3-3] SUBSCRIBE without any filter is refused', () => {
    expectEncodeRefused({ cmd: 'subscribe', messageId: 1, subscriptions: [] }, version);
  });

  it('[MQTT-3.10.1-1] UNSUBSCRIBE fixed header flags 0010, several filters', () => {
    expectEncoded(
      { cmd: 'unsubscribe', messageId: 11, unsubscriptions: ['a/+', 'c'] },
      version,
      hex`a2 0a 00 0b 00 03 61 2f 2b 00 01 63`,
    );
  });

  it('[MQTT-3.10.3-2] UNSUBSCRIBE without any filter is refused', () => {
    expectEncodeRefused({ cmd: 'unsubscribe', messageId: 1, unsubscriptions: [] }, version);
  });

  it('§3.12 PINGREQ', () => expectEncoded({ cmd: 'pingreq' }, version, hex`c0 00`));
  it('[MQTT-3.14.1-1] DISCONNECT', () => expectEncoded({ cmd: 'disconnect' }, version, hex`e0 00`));

  it('§2.2.1 AUTH (type 15) is reserved before MQTT 5 and is refused', () => {
    expectEncodeRefused({ cmd: 'auth', reasonCode: 0x18 }, version);
  });
});

describe.each(LEVELS)('server → client packets, level %i', (version) => {
  it('§3.2.2.3 CONNACK accepted', () => {
    expectDecoded(version, hex`20 02 00 00`, { cmd: 'connack', sessionPresent: false, returnCode: 0 });
  });

  it.each([1, 2, 3, 4, 5])('§3.2.2.3 CONNACK refused with return code %i', (code) => {
    expectDecoded(version, Buffer.from([0x20, 0x02, 0x00, code]), { cmd: 'connack', returnCode: code });
  });

  it('§3.3 PUBLISH QoS 0', () => {
    expectDecoded(version, hex`30 07 00 03 61 2f 62 68 69`, {
      cmd: 'publish',
      topic: 'a/b',
      qos: 0,
      dup: false,
      retain: false,
      payload: Buffer.from('hi'),
    });
  });

  it('§3.3 PUBLISH QoS 1 retained, packet id 1', () => {
    expectDecoded(version, hex`33 09 00 03 61 2f 62 00 01 68 69`, {
      cmd: 'publish',
      topic: 'a/b',
      qos: 1,
      dup: false,
      retain: true,
      messageId: 1,
      payload: Buffer.from('hi'),
    });
  });

  it('[MQTT-3.3.1-1] PUBLISH QoS 2 with DUP, packet id 0x1234', () => {
    expectDecoded(version, hex`3c 09 00 03 61 2f 62 12 34 68 69`, {
      cmd: 'publish',
      topic: 'a/b',
      qos: 2,
      dup: true,
      retain: false,
      messageId: 0x1234,
      payload: Buffer.from('hi'),
    });
  });

  it('§3.3.3 PUBLISH with a zero-length payload', () => {
    expectDecoded(version, hex`31 05 00 03 61 2f 62`, {
      cmd: 'publish',
      topic: 'a/b',
      retain: true,
      payload: Buffer.alloc(0),
    });
  });

  it('§1.5.3 PUBLISH topic in UTF-8', () => {
    expectDecoded(version, hex`30 05 00 02 c3 bc 21`, { topic: 'ü', payload: Buffer.from('!') });
  });

  it('§3.4 PUBACK', () => expectDecoded(version, hex`40 02 00 01`, { cmd: 'puback', messageId: 1 }));
  it('§3.5 PUBREC', () => expectDecoded(version, hex`50 02 01 02`, { cmd: 'pubrec', messageId: 0x0102 }));
  it('[MQTT-3.6.1-1] PUBREL fixed header flags 0010', () =>
    expectDecoded(version, hex`62 02 ff ff`, { cmd: 'pubrel', messageId: 0xffff }));
  it('§3.7 PUBCOMP', () => expectDecoded(version, hex`70 02 00 04`, { cmd: 'pubcomp', messageId: 4 }));

  it('[MQTT-3.9.3-2] SUBACK with every allowed return code: 0, 1, 2, 0x80', () => {
    expectDecoded(version, hex`90 06 00 0a 00 01 02 80`, {
      cmd: 'suback',
      messageId: 10,
      granted: [0, 1, 2, 0x80],
    });
  });

  it('§3.11 UNSUBACK', () => expectDecoded(version, hex`b0 02 00 0b`, { cmd: 'unsuback', messageId: 11 }));
  it('§3.13 PINGRESP', () => expectDecoded(version, hex`d0 00`, { cmd: 'pingresp' }));
});

describe('server → client packets, level 4 only', () => {
  it('§3.2.2.2 CONNACK session present', () => {
    expectDecoded(4, hex`20 02 01 00`, { cmd: 'connack', sessionPresent: true, returnCode: 0 });
  });
});
