/**
 * Golden bytes, MQTT 5.0, packets a server sends. Every byte sequence is written by hand from the OASIS
 * MQTT 5.0 specification §2–3 and must decode to exactly the listed fields.
 */
import { describe, it } from 'vitest';
import { expectDecoded, hex, hexRows } from './helpers';

/** Reason String "r" + User Property a=b: 11 bytes behind a Property Length of 0x0b. */
const RS_UP = { reasonString: 'r', userProperties: { a: 'b' } };

describe('CONNACK', () => {
  it('§3.2.2.3 every CONNACK property, session present', () => {
    expectDecoded(
      5,
      hex`
        20 4c                     # CONNACK, remaining length 76
        01                        # acknowledge flags: session present
        00                        # reason code success
        49                        # property length 73
        11 00 00 0e 10            #   session expiry interval 3600
        21 00 0a                  #   receive maximum 10
        24 01                     #   maximum QoS 1
        25 00                     #   retain available 0
        27 00 00 40 00            #   maximum packet size 16384
        12 00 03 61 62 63         #   assigned client identifier "abc"
        22 00 05                  #   topic alias maximum 5
        1f 00 02 6f 6b            #   reason string "ok"
        26 00 01 6b 00 01 76      #   user property k=v
        28 01                     #   wildcard subscription available 1
        29 00                     #   subscription identifiers available 0
        2a 01                     #   shared subscription available 1
        13 00 3c                  #   server keep alive 60
        1a 00 04 69 6e 66 6f      #   response information "info"
        1c 00 03 73 72 76         #   server reference "srv"
        15 00 05 53 43 52 41 4d   #   authentication method "SCRAM"
        16 00 02 01 02            #   authentication data 01 02
      `,
      {
        cmd: 'connack',
        sessionPresent: true,
        reasonCode: 0,
        properties: {
          sessionExpiryInterval: 3600,
          receiveMaximum: 10,
          maximumQoS: 1,
          retainAvailable: false,
          maximumPacketSize: 16384,
          assignedClientIdentifier: 'abc',
          topicAliasMaximum: 5,
          reasonString: 'ok',
          userProperties: { k: 'v' },
          wildcardSubscriptionAvailable: true,
          subscriptionIdentifiersAvailable: false,
          sharedSubscriptionAvailable: true,
          serverKeepAlive: 60,
          responseInformation: 'info',
          serverReference: 'srv',
          authenticationMethod: 'SCRAM',
          authenticationData: Buffer.from([1, 2]),
        },
      },
    );
  });

  it.each(
    hexRows([
      0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x90, 0x95, 0x97, 0x99,
      0x9a, 0x9b, 0x9c, 0x9d, 0x9f,
    ]),
  )('[MQTT-3.2.2-8] CONNACK reason code 0x%s without properties', (_hex, code) => {
    expectDecoded(5, Buffer.from([0x20, 0x03, 0x00, code, 0x00]), {
      cmd: 'connack',
      sessionPresent: false,
      reasonCode: code,
    });
  });
});

describe('PUBLISH', () => {
  it('§3.3.2.3 every property, incl. Topic Alias and two Subscription Identifiers [MQTT-3.3.4-4]', () => {
    expectDecoded(
      5,
      hex`
        33 30                     # PUBLISH | QoS 1 | RETAIN, remaining length 48
        00 03 61 2f 62            # topic "a/b"
        00 07                     # packet id 7
        26                        # property length 38
        01 01                     #   payload format indicator 1
        02 00 00 00 0a            #   message expiry interval 10
        23 00 02                  #   topic alias 2
        08 00 01 72               #   response topic "r"
        09 00 02 01 02            #   correlation data 01 02
        26 00 01 6b 00 01 76      #   user property k=v
        0b 05                     #   subscription identifier 5
        0b ac 02                  #   subscription identifier 300
        03 00 04 6a 73 6f 6e      #   content type "json"
        7b 7d                     # payload "{}"
      `,
      {
        cmd: 'publish',
        topic: 'a/b',
        qos: 1,
        dup: false,
        retain: true,
        messageId: 7,
        payload: Buffer.from('{}'),
        properties: {
          payloadFormatIndicator: true,
          messageExpiryInterval: 10,
          topicAlias: 2,
          responseTopic: 'r',
          correlationData: Buffer.from([1, 2]),
          userProperties: { k: 'v' },
          subscriptionIdentifier: [5, 300],
          contentType: 'json',
        },
      },
    );
  });

  it('[MQTT-2.2.2-1] QoS 0 with Property Length 0', () => {
    expectDecoded(5, hex`30 05 00 01 61 00 78`, { topic: 'a', qos: 0, payload: Buffer.from('x') });
  });

  it('§1.5.5 Subscription Identifier as a 2-byte variable byte integer (128)', () => {
    expectDecoded(5, hex`30 07 00 01 61 03 0b 80 01`, {
      topic: 'a',
      payload: Buffer.alloc(0),
      properties: { subscriptionIdentifier: 128 },
    });
  });

  it('§1.5.5 Subscription Identifier as a 4-byte variable byte integer (268435455)', () => {
    expectDecoded(5, hex`30 09 00 01 61 05 0b ff ff ff 7f`, {
      topic: 'a',
      payload: Buffer.alloc(0),
      properties: { subscriptionIdentifier: 268435455 },
    });
  });

  it('§3.3.2.3.4 Topic Alias with a zero-length Topic Name', () => {
    expectDecoded(5, hex`30 07 00 00 03 23 00 01 78`, {
      topic: '',
      payload: Buffer.from('x'),
      properties: { topicAlias: 1 },
    });
  });

  it('[MQTT-3.3.1-1] QoS 2 with DUP', () => {
    expectDecoded(5, hex`3c 07 00 01 61 12 34 00 78`, {
      topic: 'a',
      qos: 2,
      dup: true,
      retain: false,
      messageId: 0x1234,
      payload: Buffer.from('x'),
    });
  });
});

describe('acknowledgements', () => {
  it('§3.4.2.1 PUBACK with remaining length 2 means Success, no properties', () => {
    expectDecoded(5, hex`40 02 00 01`, { cmd: 'puback', messageId: 1, reasonCode: 0 });
  });

  it('§3.4.2.2.1 PUBACK with remaining length 3: reason code, no Property Length', () => {
    expectDecoded(5, hex`40 03 00 01 10`, { cmd: 'puback', messageId: 1, reasonCode: 0x10 });
  });

  it('§3.4.2.2.1 PUBACK with reason code and Property Length 0', () => {
    expectDecoded(5, hex`40 04 00 01 10 00`, { cmd: 'puback', messageId: 1, reasonCode: 0x10 });
  });

  it('[MQTT-3.4.2-1] PUBACK with Reason String and repeated User Properties', () => {
    expectDecoded(
      5,
      hex`
        40 20 00 01
        97                        # reason code 0x97 quota exceeded
        1c                        # property length 28
        1f 00 04 62 75 73 79      #   reason string "busy"
        26 00 01 61 00 01 31      #   user property a=1
        26 00 01 61 00 01 32      #   user property a=2
        26 00 01 62 00 01 33      #   user property b=3
      `,
      {
        cmd: 'puback',
        messageId: 1,
        reasonCode: 0x97,
        properties: { reasonString: 'busy', userProperties: { a: ['1', '2'], b: '3' } },
      },
    );
  });

  it.each(hexRows([0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99]))(
    '[MQTT-3.4.2-1][MQTT-3.5.2-1] PUBACK and PUBREC reason code 0x%s',
    (_hex, code) => {
      expectDecoded(5, Buffer.from([0x40, 0x03, 0x00, 0x09, code]), { cmd: 'puback', reasonCode: code });
      expectDecoded(5, Buffer.from([0x50, 0x03, 0x00, 0x09, code]), { cmd: 'pubrec', reasonCode: code });
    },
  );

  it.each(hexRows([0x00, 0x92]))(
    '[MQTT-3.6.2-1][MQTT-3.7.2-1] PUBREL and PUBCOMP reason code 0x%s',
    (_hex, code) => {
      expectDecoded(5, Buffer.from([0x62, 0x03, 0x00, 0x09, code]), { cmd: 'pubrel', reasonCode: code });
      expectDecoded(5, Buffer.from([0x70, 0x03, 0x00, 0x09, code]), { cmd: 'pubcomp', reasonCode: code });
    },
  );

  it('[MQTT-3.5.2-1] PUBREC with reason code, Reason String, User Property', () => {
    expectDecoded(5, hex`50 0f 00 02 91 0b 1f 00 01 72 26 00 01 61 00 01 62`, {
      cmd: 'pubrec',
      messageId: 2,
      reasonCode: 0x91,
      properties: RS_UP,
    });
  });

  it('[MQTT-3.6.1-1] PUBREL flags 0010 with reason code, Reason String, User Property', () => {
    expectDecoded(5, hex`62 0f 00 03 92 0b 1f 00 01 72 26 00 01 61 00 01 62`, {
      cmd: 'pubrel',
      messageId: 3,
      reasonCode: 0x92,
      properties: RS_UP,
    });
  });

  it('§3.6.2.1 PUBREL with remaining length 2 means Success', () => {
    expectDecoded(5, hex`62 02 00 03`, { cmd: 'pubrel', messageId: 3, reasonCode: 0 });
  });

  it('[MQTT-3.7.2-1] PUBCOMP with reason code, Reason String, User Property', () => {
    expectDecoded(5, hex`70 0f 00 04 92 0b 1f 00 01 72 26 00 01 61 00 01 62`, {
      cmd: 'pubcomp',
      messageId: 4,
      reasonCode: 0x92,
      properties: RS_UP,
    });
  });

  it('[MQTT-3.9.3-2] SUBACK with Reason String, User Property and every SUBACK reason code', () => {
    expectDecoded(
      5,
      hex`
        90 1a 00 01
        0b 1f 00 01 72 26 00 01 61 00 01 62   # properties: reason string "r", user property a=b
        00 01 02 80 83 87 8f 91 97 9e a1 a2   # granted QoS 0/1/2 and every failure code
      `,
      {
        cmd: 'suback',
        messageId: 1,
        properties: RS_UP,
        granted: [0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8f, 0x91, 0x97, 0x9e, 0xa1, 0xa2],
      },
    );
  });

  it('[MQTT-3.11.3-2] UNSUBACK with Reason String, User Property and every UNSUBACK reason code', () => {
    expectDecoded(
      5,
      hex`
        b0 15 00 02
        0b 1f 00 01 72 26 00 01 61 00 01 62   # properties: reason string "r", user property a=b
        00 11 80 83 87 8f 91                  # success, no subscription existed, and the failure codes
      `,
      {
        cmd: 'unsuback',
        messageId: 2,
        properties: RS_UP,
        granted: [0x00, 0x11, 0x80, 0x83, 0x87, 0x8f, 0x91],
      },
    );
  });
});

describe('PINGRESP, DISCONNECT, AUTH', () => {
  it('§3.13 PINGRESP', () => expectDecoded(5, hex`d0 00`, { cmd: 'pingresp' }));

  it('§3.14.2.1 DISCONNECT with remaining length 0 means Normal disconnection', () => {
    expectDecoded(5, hex`e0 00`, { cmd: 'disconnect', reasonCode: 0 });
  });

  it('§3.14.2.2.1 DISCONNECT with remaining length 1: reason code, no Property Length', () => {
    expectDecoded(5, hex`e0 01 8e`, { cmd: 'disconnect', reasonCode: 0x8e });
  });

  it('[MQTT-3.14.2-1] DISCONNECT Use another server with Reason String, Server Reference, User Property', () => {
    expectDecoded(
      5,
      hex`
        e0 15                     # DISCONNECT, remaining length 21
        9c                        # reason code 0x9c use another server
        13                        # property length 19
        1f 00 04 6d 6f 76 65      #   reason string "move"
        1c 00 02 62 32            #   server reference "b2"
        26 00 01 61 00 01 62      #   user property a=b
      `,
      {
        cmd: 'disconnect',
        reasonCode: 0x9c,
        properties: { reasonString: 'move', serverReference: 'b2', userProperties: { a: 'b' } },
      },
    );
  });

  it.each(
    hexRows([
      0x00, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8d, 0x8e, 0x8f, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97,
      0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2,
    ]),
  )('[MQTT-3.14.2-1] DISCONNECT reason code 0x%s from the server', (_hex, code) => {
    expectDecoded(5, Buffer.from([0xe0, 0x02, code, 0x00]), { cmd: 'disconnect', reasonCode: code });
  });

  it('[MQTT-3.15.1-1][MQTT-3.15.2-1] AUTH Continue authentication with method, data, Reason String, User Property', () => {
    expectDecoded(
      5,
      hex`
        f0 1a                     # AUTH, remaining length 26
        18                        # reason code 0x18 continue authentication
        18                        # property length 24
        15 00 05 53 43 52 41 4d   #   authentication method "SCRAM"
        16 00 02 0a 0b            #   authentication data 0a 0b
        1f 00 01 72               #   reason string "r"
        26 00 01 61 00 01 62      #   user property a=b
      `,
      {
        cmd: 'auth',
        reasonCode: 0x18,
        properties: {
          authenticationMethod: 'SCRAM',
          authenticationData: Buffer.from([0x0a, 0x0b]),
          ...RS_UP,
        },
      },
    );
  });

  it('[MQTT-3.15.2-1] AUTH Success with method', () => {
    expectDecoded(5, hex`f0 0a 00 08 15 00 05 53 43 52 41 4d`, {
      cmd: 'auth',
      reasonCode: 0,
      properties: { authenticationMethod: 'SCRAM' },
    });
  });
});
