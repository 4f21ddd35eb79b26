/**
 * msg ↔ MQTT message. Field names are those of Node-RED's core MQTT nodes: `topic`, `payload`, `qos`,
 * `retain`, and under MQTT 5 `responseTopic`, `correlationData`, `contentType`, `userProperties`,
 * `messageExpiryInterval`, `payloadFormatIndicator`, `subscriptionIdentifier`.
 */
import { PayloadFormatIndicator, PublishPropertyDetail, QMqttPublishProperties } from '../../lib';
import type { QMqttMessage, QMqttUserProperties } from '../../lib';
import { checkUserProperties, type Datatype, type OutConfig, type QoS, type UserPropertyMap } from './config';
import type { NodeMessage } from './node-red-types';
import { nextMsgId } from './msg-id';
import { decodePayload, encodePayload } from './payload';

/** Ordered user properties to core's object form: a repeated name becomes an array of its values. */
export function userPropertiesToObject(props: QMqttUserProperties): UserPropertyMap {
  const out: UserPropertyMap = {};
  for (const p of props) {
    const prev = out[p.name()];
    if (prev === undefined) out[p.name()] = p.value();
    else if (Array.isArray(prev)) prev.push(p.value());
    else out[p.name()] = [prev, p.value()];
  }
  return out;
}

/** MQTT 3.1/3.1.1 messages carry no payload hints (one shared object, not one per message). */
const NO_HINTS = Object.freeze({ utf8: false, contentType: undefined });

/** Builds the output msg for a received message; throws when the payload does not fit `datatype`. */
export function messageToMsg(m: QMqttMessage, datatype: Datatype, v5: boolean): NodeMessage {
  if (!v5)
    return {
      _msgid: nextMsgId(),
      topic: m.topic().name(),
      payload: decodePayload(m.payload(), datatype, NO_HINTS),
      qos: m.qos(),
      retain: m.retain(),
    };
  const msg: NodeMessage = {
    _msgid: nextMsgId(),
    topic: m.topic().name(),
    payload: undefined,
    qos: m.qos(),
    retain: m.retain(),
  };
  const props = m.publishProperties();
  const avail = props.availableProperties();
  const has = (d: PublishPropertyDetail): boolean => (avail & d) !== 0;
  if (has(PublishPropertyDetail.ResponseTopic)) msg.responseTopic = props.responseTopic();
  if (has(PublishPropertyDetail.CorrelationData)) msg.correlationData = props.correlationData();
  if (has(PublishPropertyDetail.ContentType)) msg.contentType = props.contentType();
  if (has(PublishPropertyDetail.UserProperty))
    msg.userProperties = userPropertiesToObject(props.userProperties());
  if (has(PublishPropertyDetail.MessageExpiryInterval))
    msg.messageExpiryInterval = props.messageExpiryInterval();
  if (has(PublishPropertyDetail.PayloadFormatIndicator))
    msg.payloadFormatIndicator = props.payloadFormatIndicator() === PayloadFormatIndicator.UTF8Encoded;
  if (has(PublishPropertyDetail.SubscriptionIdentifier)) {
    const ids = props.subscriptionIdentifiers();
    msg.subscriptionIdentifier = ids.length === 1 ? ids[0] : [...ids];
  }
  msg.payload = decodePayload(m.payload(), datatype, {
    utf8: msg.payloadFormatIndicator === true,
    contentType: typeof msg.contentType === 'string' ? msg.contentType : undefined,
  });
  return msg;
}

/** What to publish, validated. */
export interface PublishRequest {
  topic: string;
  payload: Buffer;
  qos: QoS;
  retain: boolean;
  properties: QMqttPublishProperties | undefined;
}

function qosFrom(v: unknown): QoS {
  if (v === undefined || v === null || v === '') return 0;
  const n = typeof v === 'string' ? Number(v) : v;
  if (n !== 0 && n !== 1 && n !== 2) throw new Error(`msg.qos must be 0, 1 or 2, got ${JSON.stringify(v)}`);
  return n;
}

function retainFrom(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return false;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw new Error(`msg.retain must be true or false, got ${JSON.stringify(v)}`);
}

function str(v: unknown, field: string): string {
  if (typeof v !== 'string') throw new Error(`msg.${field} must be a string, got ${typeof v}`);
  return v;
}

/**
 * Reads a publish request from a msg and the node's settings (a value set on the node wins, as in core).
 * Throws an Error naming the field for anything invalid; the lib validates topic syntax and property ranges.
 */
export function msgToPublish(msg: NodeMessage, node: OutConfig, v5: boolean): PublishRequest {
  const topic = node.topic || msg.topic;
  if (typeof topic !== 'string' || topic === '')
    throw new Error('no topic: set the node topic or msg.topic to a non-empty string');
  const req: PublishRequest = {
    topic,
    payload: encodePayload(msg.payload),
    qos: node.qos ?? qosFrom(msg.qos),
    retain: node.retain ?? retainFrom(msg.retain),
    properties: undefined,
  };
  if (!v5) return req;
  const p = new QMqttPublishProperties();
  let any = false;
  const set = (fn: () => void, field: string): void => {
    try {
      fn();
      any = true;
    } catch (e) {
      throw new Error(`msg.${field}: ${(e as Error).message}`);
    }
  };
  const responseTopic = node.responseTopic || msg.responseTopic;
  if (responseTopic !== undefined && responseTopic !== '')
    set(() => p.setResponseTopic(str(responseTopic, 'responseTopic')), 'responseTopic');
  const correl = node.correlationData || msg.correlationData;
  if (correl !== undefined && correl !== '') {
    if (!Buffer.isBuffer(correl) && typeof correl !== 'string')
      throw new Error(`msg.correlationData must be a Buffer or a string, got ${typeof correl}`);
    set(() => p.setCorrelationData(correl), 'correlationData');
  }
  const contentType = node.contentType || msg.contentType;
  if (contentType !== undefined && contentType !== '')
    set(() => p.setContentType(str(contentType, 'contentType')), 'contentType');
  const user = node.userProperties ?? msg.userProperties;
  if (user !== undefined && user !== null)
    set(() => p.setUserProperties(checkUserProperties(user, 'msg.userProperties')), 'userProperties');
  const expiry = node.messageExpiryInterval ?? msg.messageExpiryInterval;
  if (expiry !== undefined && expiry !== null && expiry !== '') {
    const n = typeof expiry === 'string' ? Number(expiry) : expiry;
    if (typeof n !== 'number')
      throw new Error(`msg.messageExpiryInterval must be a number, got ${typeof expiry}`);
    set(() => p.setMessageExpiryInterval(n), 'messageExpiryInterval');
  }
  if (msg.payloadFormatIndicator !== undefined) {
    if (typeof msg.payloadFormatIndicator !== 'boolean')
      throw new Error(
        `msg.payloadFormatIndicator must be a boolean, got ${typeof msg.payloadFormatIndicator}`,
      );
    const utf8 = msg.payloadFormatIndicator;
    set(
      () =>
        p.setPayloadFormatIndicator(
          utf8 ? PayloadFormatIndicator.UTF8Encoded : PayloadFormatIndicator.Unspecified,
        ),
      'payloadFormatIndicator',
    );
  }
  req.properties = any ? p : undefined;
  return req;
}
