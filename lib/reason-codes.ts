import { ClientError } from './state';

/**
 * MQTT 5 reason codes (MQTT 5.0 §2.4). Qt's `QMqtt::ReasonCode` names where Qt has them; the codes Qt
 * leaves unnamed (0x04, 0x8B, 0x8D, 0x8E, 0x93, 0x94, 0x96, 0x98, 0xA0) get the spec's names.
 */
export enum ReasonCode {
  Success = 0x00,
  SubscriptionQoSLevel0 = 0x00,
  SubscriptionQoSLevel1 = 0x01,
  SubscriptionQoSLevel2 = 0x02,
  DisconnectWithWillMessage = 0x04,
  NoMatchingSubscriber = 0x10,
  NoSubscriptionExisted = 0x11,
  ContinueAuthentication = 0x18,
  ReAuthenticate = 0x19,
  UnspecifiedError = 0x80,
  MalformedPacket = 0x81,
  ProtocolError = 0x82,
  ImplementationSpecificError = 0x83,
  UnsupportedProtocolVersion = 0x84,
  InvalidClientId = 0x85,
  InvalidUserNameOrPassword = 0x86,
  NotAuthorized = 0x87,
  ServerNotAvailable = 0x88,
  ServerBusy = 0x89,
  ClientBanned = 0x8a,
  ServerShuttingDown = 0x8b,
  InvalidAuthenticationMethod = 0x8c,
  KeepAliveTimeout = 0x8d,
  SessionTakenOver = 0x8e,
  InvalidTopicFilter = 0x8f,
  InvalidTopicName = 0x90,
  MessageIdInUse = 0x91,
  MessageIdNotFound = 0x92,
  ReceiveMaximumExceeded = 0x93,
  TopicAliasInvalid = 0x94,
  PacketTooLarge = 0x95,
  MessageRateTooHigh = 0x96,
  QuotaExceeded = 0x97,
  AdministrativeAction = 0x98,
  InvalidPayloadFormat = 0x99,
  RetainNotSupported = 0x9a,
  QoSNotSupported = 0x9b,
  UseAnotherServer = 0x9c,
  ServerMoved = 0x9d,
  SharedSubscriptionsNotSupported = 0x9e,
  ExceededConnectionRate = 0x9f,
  MaximumConnectTime = 0xa0,
  SubscriptionIdsNotSupported = 0xa1,
  WildCardSubscriptionsNotSupported = 0xa2,
}

const names = new Map<number, string>();
for (const [k, v] of Object.entries(ReasonCode)) {
  if (typeof v === 'number' && !names.has(v)) names.set(v, k);
}

/** Human-readable name of a reason code, e.g. `QuotaExceeded (0x97)`. */
export function reasonCodeName(code: number): string {
  const hex = `0x${code.toString(16).padStart(2, '0')}`;
  const name = names.get(code);
  return name ? `${name} (${hex})` : `reason ${hex}`;
}

const V3_RETURN_CODES = [
  'accepted',
  'unacceptable protocol version',
  'identifier rejected',
  'server unavailable',
  'bad user name or password',
  'not authorized',
];

/** An MQTT 3.1 / 3.1.1 CONNACK return code in words (§3.2.2.3), e.g. `not authorized (return code 5)`. */
export function v3ReturnCodeName(code: number): string {
  return `${V3_RETURN_CODES[code] ?? 'reserved'} (return code ${code})`;
}

/** MQTT 3.1.1 CONNACK return codes (§3.2.2.3) are the first ClientError values. */
export function clientErrorFromV3ReturnCode(code: number): ClientError {
  switch (code) {
    case 1:
      return ClientError.InvalidProtocolVersion;
    case 2:
      return ClientError.IdRejected;
    case 3:
      return ClientError.ServerUnavailable;
    case 4:
      return ClientError.BadUsernameOrPassword;
    case 5:
      return ClientError.NotAuthorized;
    default:
      // [MQTT-3.2.2-6] return codes 6–255 are reserved: a server sending one is in violation.
      return ClientError.ProtocolViolation;
  }
}

/** MQTT 5 CONNACK reason code → ClientError, as Qt maps it (qtmqtt-classes.md §14). */
export function clientErrorFromV5ConnackReason(code: number): ClientError {
  switch (code) {
    case ReasonCode.MalformedPacket:
    case ReasonCode.ProtocolError:
      return ClientError.ProtocolViolation;
    case ReasonCode.UnsupportedProtocolVersion:
      return ClientError.InvalidProtocolVersion;
    case ReasonCode.InvalidClientId:
      return ClientError.IdRejected;
    case ReasonCode.ServerNotAvailable:
    case ReasonCode.ServerBusy:
    case ReasonCode.UseAnotherServer:
    case ReasonCode.ServerMoved:
      return ClientError.ServerUnavailable;
    case ReasonCode.InvalidUserNameOrPassword:
      return ClientError.BadUsernameOrPassword;
    case ReasonCode.NotAuthorized:
      return ClientError.NotAuthorized;
    case ReasonCode.UnspecifiedError:
      return ClientError.UnknownError;
    case ReasonCode.ImplementationSpecificError:
    case ReasonCode.ClientBanned:
    case ReasonCode.InvalidAuthenticationMethod:
    case ReasonCode.InvalidTopicName:
    case ReasonCode.PacketTooLarge:
    case ReasonCode.QuotaExceeded:
    case ReasonCode.InvalidPayloadFormat:
    case ReasonCode.RetainNotSupported:
    case ReasonCode.QoSNotSupported:
    case ReasonCode.ExceededConnectionRate:
      return ClientError.Mqtt5SpecificError;
    default:
      return ClientError.ProtocolViolation;
  }
}
