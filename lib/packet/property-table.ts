/**
 * The MQTT 5 properties (§2.2.2.2, Table 2-4): one table for the client's property checks (property-scan.ts),
 * its decoder (property-decode.ts) and its encoder (property-encode.ts). `key` is the name mqtt-packet's
 * objects use, which the rest of the client reads and writes.
 */

/** How a value is written: one byte 0/1 (a flag), one byte, two / four bytes, a Variable Byte Integer, … */
export type PropertyKind = 'flag' | 'u8' | 'u16' | 'u32' | 'varint' | 'string' | 'binary' | 'pair';

export interface PropertyDef {
  readonly id: number;
  readonly key: string;
  /** as the specification names it, for error messages */
  readonly name: string;
  readonly kind: PropertyKind;
  /** the packets a server may send it on */
  readonly fromServer: ReadonlySet<string>;
  /** whether a client may send it (on which packet is checked before encoding, lib/properties/validate.ts) */
  readonly fromClient: boolean;
  /** may appear more than once [MQTT-2.2.2-2] */
  readonly multi: boolean;
  /** the value 0 is a Protocol Error */
  readonly nonZero: boolean;
}

const ACKS = 'puback pubrec pubrel pubcomp suback unsuback';

// id, key, name, kind, packets from the server, sent by a client, flags (m: multi, z: non-zero)
const ROWS: [number, string, string, PropertyKind, string, boolean, string][] = [
  [0x01, 'payloadFormatIndicator', 'Payload Format Indicator', 'flag', 'publish', true, ''],
  [0x02, 'messageExpiryInterval', 'Message Expiry Interval', 'u32', 'publish', true, ''],
  [0x03, 'contentType', 'Content Type', 'string', 'publish', true, ''],
  [0x08, 'responseTopic', 'Response Topic', 'string', 'publish', true, ''],
  [0x09, 'correlationData', 'Correlation Data', 'binary', 'publish', true, ''],
  [0x0b, 'subscriptionIdentifier', 'Subscription Identifier', 'varint', 'publish', true, 'mz'],
  [0x11, 'sessionExpiryInterval', 'Session Expiry Interval', 'u32', 'connack', true, ''],
  [0x12, 'assignedClientIdentifier', 'Assigned Client Identifier', 'string', 'connack', false, ''],
  [0x13, 'serverKeepAlive', 'Server Keep Alive', 'u16', 'connack', false, ''],
  [0x15, 'authenticationMethod', 'Authentication Method', 'string', 'connack auth', true, ''],
  [0x16, 'authenticationData', 'Authentication Data', 'binary', 'connack auth', true, ''],
  [0x17, 'requestProblemInformation', 'Request Problem Information', 'flag', '', true, ''],
  [0x18, 'willDelayInterval', 'Will Delay Interval', 'u32', '', true, ''],
  [0x19, 'requestResponseInformation', 'Request Response Information', 'flag', '', true, ''],
  [0x1a, 'responseInformation', 'Response Information', 'string', 'connack', false, ''],
  [0x1c, 'serverReference', 'Server Reference', 'string', 'connack disconnect', false, ''],
  [0x1f, 'reasonString', 'Reason String', 'string', `connack disconnect auth ${ACKS}`, true, ''],
  [0x21, 'receiveMaximum', 'Receive Maximum', 'u16', 'connack', true, 'z'],
  [0x22, 'topicAliasMaximum', 'Topic Alias Maximum', 'u16', 'connack', true, ''],
  [0x23, 'topicAlias', 'Topic Alias', 'u16', 'publish', true, 'z'],
  [0x24, 'maximumQoS', 'Maximum QoS', 'u8', 'connack', false, ''],
  [0x25, 'retainAvailable', 'Retain Available', 'flag', 'connack', false, ''],
  [0x26, 'userProperties', 'User Property', 'pair', `publish connack disconnect auth ${ACKS}`, true, 'm'],
  [0x27, 'maximumPacketSize', 'Maximum Packet Size', 'u32', 'connack', true, 'z'],
  [0x28, 'wildcardSubscriptionAvailable', 'Wildcard Subscription Available', 'flag', 'connack', false, ''],
  [
    0x29,
    'subscriptionIdentifiersAvailable',
    'Subscription Identifier Available',
    'flag',
    'connack',
    false,
    '',
  ],
  [0x2a, 'sharedSubscriptionAvailable', 'Shared Subscription Available', 'flag', 'connack', false, ''],
];

const DEFS: readonly PropertyDef[] = ROWS.map(([id, key, name, kind, from, fromClient, flags]) => ({
  id,
  key,
  name,
  kind,
  fromServer: new Set(from.split(' ').filter(Boolean)),
  fromClient,
  multi: flags.includes('m'),
  nonZero: flags.includes('z'),
}));

/** Every property by identifier. */
export const PROPERTY_BY_ID: ReadonlyMap<number, PropertyDef> = new Map(DEFS.map((d) => [d.id, d]));

/** The properties a client sends, by mqtt-packet's key. */
export const CLIENT_PROPERTY_BY_KEY: ReadonlyMap<string, PropertyDef> = new Map(
  DEFS.filter((d) => d.fromClient).map((d) => [d.key, d]),
);
