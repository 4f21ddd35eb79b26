/**
 * Golden bytes, MQTT 5.0, packets a client sends. Every expected byte sequence is written by hand from the
 * OASIS MQTT 5.0 specification §2–3. Properties may appear in any order (§2.2.2.2); these tests expect them in
 * the order the packet object lists them.
 */
import { describe, it } from 'vitest';
import { expectEncoded, expectEncodedOneOf, hex, publishPacket } from './helpers';

describe('CONNECT', () => {
  it('[MQTT-3.1.2-1][MQTT-2.2.2-1] minimal: name "MQTT", level 5, clean start, keep alive 60, Property Length 0', () => {
    expectEncoded(
      { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'c', clean: true, keepalive: 60 },
      5,
      hex`
        10 0e               # CONNECT, remaining length 14
        00 04 4d 51 54 54   # protocol name "MQTT"
        05                  # protocol version 5
        02                  # flags: clean start
        00 3c               # keep alive 60
        00                  # property length 0
        00 01 63            # client id "c"
      `,
    );
  });

  it('§3.1.2.11 every CONNECT property, §3.1.3.2 every will property, user name and password', () => {
    expectEncoded(
      {
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 5,
        clientId: 'c',
        clean: true,
        keepalive: 30,
        properties: {
          sessionExpiryInterval: 3600,
          receiveMaximum: 20,
          maximumPacketSize: 1048576,
          topicAliasMaximum: 10,
          requestResponseInformation: true,
          requestProblemInformation: false,
          userProperties: { k: 'v' },
          authenticationMethod: 'SCRAM',
          authenticationData: Buffer.from([0x01, 0x02]),
        },
        will: {
          topic: 'w',
          payload: Buffer.from('x'),
          qos: 1,
          retain: false,
          properties: {
            willDelayInterval: 5,
            payloadFormatIndicator: true,
            messageExpiryInterval: 60,
            contentType: 'text/plain',
            responseTopic: 'r',
            correlationData: Buffer.from([0xab, 0xcd]),
            userProperties: { a: 'b' },
          },
        },
        username: 'u',
        password: Buffer.from('p'),
      },
      5,
      hex`
        10 6c                     # CONNECT, remaining length 108
        00 04 4d 51 54 54 05      # "MQTT", version 5
        ce                        # flags: user name 80 | password 40 | will QoS 1 08 | will 04 | clean start 02
        00 1e                     # keep alive 30
        28                        # property length 40
        11 00 00 0e 10            #   session expiry interval 3600
        21 00 14                  #   receive maximum 20
        27 00 10 00 00            #   maximum packet size 1048576
        22 00 0a                  #   topic alias maximum 10
        19 01                     #   request response information 1
        17 00                     #   request problem information 0
        26 00 01 6b 00 01 76      #   user property k=v
        15 00 05 53 43 52 41 4d   #   authentication method "SCRAM"
        16 00 02 01 02            #   authentication data 01 02
        00 01 63                  # client id "c"
        29                        # will property length 41
        18 00 00 00 05            #   will delay interval 5
        01 01                     #   payload format indicator 1 (UTF-8)
        02 00 00 00 3c            #   message expiry interval 60
        03 00 0a 74 65 78 74 2f 70 6c 61 69 6e   # content type "text/plain"
        08 00 01 72               #   response topic "r"
        09 00 02 ab cd            #   correlation data ab cd
        26 00 01 61 00 01 62      #   user property a=b
        00 01 77                  # will topic "w"
        00 01 78                  # will payload "x"
        00 01 75                  # user name "u"
        00 01 70                  # password "p"
      `,
    );
  });

  it('[MQTT-3.1.2-14][MQTT-2.2.2-1] clean start 0, will QoS 2 + retain without will properties (Property Length 0)', () => {
    expectEncoded(
      {
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 5,
        clientId: 'c',
        clean: false,
        keepalive: 0,
        will: { topic: 't', payload: Buffer.alloc(0), qos: 2, retain: true },
      },
      5,
      hex`
        10 14 00 04 4d 51 54 54 05
        34                        # flags: will retain 20 | will QoS 2 10 | will 04
        00 00                     # keep alive 0
        00                        # property length 0
        00 01 63                  # client id "c"
        00                        # will property length 0
        00 01 74                  # will topic "t"
        00 00                     # zero-length will payload
      `,
    );
  });
});

describe('PUBLISH', () => {
  const publish = publishPacket;

  it('[MQTT-2.2.2-1] QoS 0 without properties: Property Length 0', () => {
    expectEncoded(publish({}), 5, hex`30 05 00 01 61 00 78`);
  });

  it('§3.3.2.3 every property a client may send, incl. Topic Alias and a repeated User Property', () => {
    expectEncoded(
      publish({
        qos: 1,
        messageId: 1,
        properties: {
          payloadFormatIndicator: true,
          messageExpiryInterval: 120,
          topicAlias: 3,
          responseTopic: 're',
          correlationData: Buffer.from([0x01]),
          userProperties: { k: ['1', '2'] },
          contentType: 'json',
        },
      }),
      5,
      hex`
        32 2f                     # PUBLISH | QoS 1, remaining length 47
        00 01 61                  # topic "a"
        00 01                     # packet id 1
        28                        # property length 40
        01 01                     #   payload format indicator 1
        02 00 00 00 78            #   message expiry interval 120
        23 00 03                  #   topic alias 3
        08 00 02 72 65            #   response topic "re"
        09 00 01 01               #   correlation data 01
        26 00 01 6b 00 01 31      #   user property k=1
        26 00 01 6b 00 01 32      #   user property k=2
        03 00 04 6a 73 6f 6e      #   content type "json"
        78                        # payload "x"
      `,
    );
  });

  it('§3.3.2.3.4 a Topic Alias with a zero-length Topic Name', () => {
    expectEncoded(
      publish({ topic: '', properties: { topicAlias: 3 } }),
      5,
      hex`30 07 00 00 03 23 00 03 78   # empty topic, properties: topic alias 3, payload "x"`,
    );
  });

  it('[MQTT-3.3.1-1] QoS 2 + DUP + RETAIN, packet id 2', () => {
    expectEncoded(
      publish({ qos: 2, dup: true, retain: true, messageId: 2 }),
      5,
      hex`3d 07 00 01 61 00 02 00 78   # PUBLISH | DUP 08 | QoS 2 04 | RETAIN 01`,
    );
  });

  it('§3.3.3 zero-length payload', () => {
    expectEncoded(publish({ payload: Buffer.alloc(0), retain: true }), 5, hex`31 04 00 01 61 00`);
  });
});

describe('acknowledgements', () => {
  const props = { reasonString: 'busy', userProperties: { a: 'b' } };

  it('§3.4.2.1 PUBACK Success without properties: reason code and Property Length may be omitted', () => {
    expectEncodedOneOf(
      { cmd: 'puback', messageId: 1, reasonCode: 0 },
      5,
      hex`40 02 00 01`,
      hex`40 03 00 01 00`,
      hex`40 04 00 01 00 00`,
    );
  });

  it('§3.4.2.2.1 PUBACK with a reason code and no properties: Property Length may be omitted', () => {
    expectEncodedOneOf(
      { cmd: 'puback', messageId: 1, reasonCode: 0x80 },
      5,
      hex`40 03 00 01 80`,
      hex`40 04 00 01 80 00`,
    );
  });

  it('[MQTT-3.4.2-1] PUBACK with reason code, Reason String and User Property', () => {
    expectEncoded(
      { cmd: 'puback', messageId: 5, reasonCode: 0x83, properties: props },
      5,
      hex`
        40 12                     # PUBACK, remaining length 18
        00 05                     # packet id 5
        83                        # reason code 0x83 implementation specific error
        0e                        # property length 14
        1f 00 04 62 75 73 79      #   reason string "busy"
        26 00 01 61 00 01 62      #   user property a=b
      `,
    );
  });

  it('[MQTT-3.5.2-1] PUBREC with reason code, Reason String and User Property', () => {
    expectEncoded(
      { cmd: 'pubrec', messageId: 6, reasonCode: 0x80, properties: props },
      5,
      hex`50 12 00 06 80 0e 1f 00 04 62 75 73 79 26 00 01 61 00 01 62`,
    );
  });

  it('[MQTT-3.6.1-1][MQTT-3.6.2-1] PUBREL flags 0010 with reason code, Reason String and User Property', () => {
    expectEncoded(
      {
        cmd: 'pubrel',
        messageId: 7,
        reasonCode: 0x92,
        properties: { reasonString: 'gone', userProperties: { a: 'b' } },
      },
      5,
      hex`
        62 12 00 07
        92                        # reason code 0x92 packet identifier not found
        0e 1f 00 04 67 6f 6e 65 26 00 01 61 00 01 62
      `,
    );
  });

  it('[MQTT-3.6.1-1] PUBREL Success without properties', () => {
    expectEncodedOneOf(
      { cmd: 'pubrel', messageId: 7, reasonCode: 0 },
      5,
      hex`62 02 00 07`,
      hex`62 03 00 07 00`,
      hex`62 04 00 07 00 00`,
    );
  });

  it('[MQTT-3.7.2-1] PUBCOMP with reason code, Reason String and User Property', () => {
    expectEncoded(
      {
        cmd: 'pubcomp',
        messageId: 8,
        reasonCode: 0x92,
        properties: { reasonString: 'gone', userProperties: { a: 'b' } },
      },
      5,
      hex`70 12 00 08 92 0e 1f 00 04 67 6f 6e 65 26 00 01 61 00 01 62`,
    );
  });
});

describe('SUBSCRIBE / UNSUBSCRIBE', () => {
  it('[MQTT-3.8.1-1][MQTT-3.8.3-5] flags 0010, Subscription Identifier, User Property, every subscription option', () => {
    expectEncoded(
      {
        cmd: 'subscribe',
        messageId: 1,
        properties: { subscriptionIdentifier: 300, userProperties: { a: 'b' } },
        subscriptions: [
          { topic: 'a/+', qos: 1, nl: true, rap: false, rh: 0 },
          { topic: 'b', qos: 2, nl: false, rap: true, rh: 1 },
          { topic: 'c/#', qos: 2, nl: true, rap: true, rh: 2 },
        ],
      },
      5,
      hex`
        82 1d                     # SUBSCRIBE | 0010, remaining length 29
        00 01                     # packet id 1
        0a                        # property length 10
        0b ac 02                  #   subscription identifier 300 (variable byte integer)
        26 00 01 61 00 01 62      #   user property a=b
        00 03 61 2f 2b 05         # "a/+": QoS 1 | no local 04
        00 01 62 1a               # "b":   QoS 2 | retain as published 08 | retain handling 1 (10)
        00 03 63 2f 23 2e         # "c/#": QoS 2 | no local 04 | retain as published 08 | retain handling 2 (20)
      `,
    );
  });

  it('[MQTT-2.2.2-1] without properties and with default options', () => {
    expectEncoded(
      { cmd: 'subscribe', messageId: 2, subscriptions: [{ topic: 'a', qos: 0 }] },
      5,
      hex`82 07 00 02 00 00 01 61 00`,
    );
  });

  it('§3.8.2.1.2 largest Subscription Identifier 268435455 is a 4-byte variable byte integer', () => {
    expectEncoded(
      {
        cmd: 'subscribe',
        messageId: 3,
        properties: { subscriptionIdentifier: 268435455 },
        subscriptions: [{ topic: 'a', qos: 0 }],
      },
      5,
      hex`82 0c 00 03 05 0b ff ff ff 7f 00 01 61 00`,
    );
  });

  it('[MQTT-3.10.1-1] UNSUBSCRIBE flags 0010, User Property, several filters', () => {
    expectEncoded(
      {
        cmd: 'unsubscribe',
        messageId: 3,
        properties: { userProperties: { a: 'b' } },
        unsubscriptions: ['a/+', 'c'],
      },
      5,
      hex`
        a2 12 00 03
        07 26 00 01 61 00 01 62   # property length 7: user property a=b
        00 03 61 2f 2b            # "a/+"
        00 01 63                  # "c"
      `,
    );
  });

  it('[MQTT-2.2.2-1] UNSUBSCRIBE without properties', () => {
    expectEncoded(
      { cmd: 'unsubscribe', messageId: 4, unsubscriptions: ['a'] },
      5,
      hex`a2 06 00 04 00 00 01 61`,
    );
  });
});

describe('PINGREQ, DISCONNECT, AUTH', () => {
  it('§3.12 PINGREQ', () => expectEncoded({ cmd: 'pingreq' }, 5, hex`c0 00`));

  it('§3.14.2.1 DISCONNECT Normal disconnection: reason code and Property Length may be omitted', () => {
    expectEncodedOneOf({ cmd: 'disconnect', reasonCode: 0 }, 5, hex`e0 00`, hex`e0 01 00`, hex`e0 02 00 00`);
  });

  it('[MQTT-3.14.1-1][MQTT-3.14.2-1] DISCONNECT with Will Message, Session Expiry, Reason String, User Property', () => {
    expectEncoded(
      {
        cmd: 'disconnect',
        reasonCode: 0x04,
        properties: { sessionExpiryInterval: 0, reasonString: 'bye', userProperties: { a: 'b' } },
      },
      5,
      hex`
        e0 14                     # DISCONNECT, remaining length 20
        04                        # reason code 0x04 disconnect with will message
        12                        # property length 18
        11 00 00 00 00            #   session expiry interval 0
        1f 00 03 62 79 65         #   reason string "bye"
        26 00 01 61 00 01 62      #   user property a=b
      `,
    );
  });

  it('[MQTT-3.15.1-1][MQTT-3.15.2-1] AUTH Re-authenticate with method, data, Reason String, User Property', () => {
    expectEncoded(
      {
        cmd: 'auth',
        reasonCode: 0x19,
        properties: {
          authenticationMethod: 'SCRAM',
          authenticationData: Buffer.from([1, 2, 3]),
          reasonString: 'r',
          userProperties: { a: 'b' },
        },
      },
      5,
      hex`
        f0 1b                     # AUTH, remaining length 27
        19                        # reason code 0x19 re-authenticate
        19                        # property length 25
        15 00 05 53 43 52 41 4d   #   authentication method "SCRAM"
        16 00 03 01 02 03         #   authentication data 01 02 03
        1f 00 01 72               #   reason string "r"
        26 00 01 61 00 01 62      #   user property a=b
      `,
    );
  });

  it('[MQTT-3.15.2-1] AUTH Continue authentication with method and data', () => {
    expectEncoded(
      {
        cmd: 'auth',
        reasonCode: 0x18,
        properties: { authenticationMethod: 'SCRAM', authenticationData: Buffer.from([0x0a, 0x0b]) },
      },
      5,
      hex`f0 0f 18 0d 15 00 05 53 43 52 41 4d 16 00 02 0a 0b`,
    );
  });
});
