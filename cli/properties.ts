/**
 * `-D <command> <identifier> <value>`: MQTT 5 properties spelled as mosquitto spells them
 * (`-D publish user-property name value`, `-D connect session-expiry-interval 3600`, …). Each one is set through
 * the library's property classes, whose setters check the value.
 */
import { PayloadFormatIndicator } from '../lib';
import { UsageError } from './errors';
import type { Options } from './options';

export type PropertyCommand = 'connect' | 'publish' | 'subscribe' | 'will';

type Setter = (o: Options, value: string) => void;

function uint(name: string, min: number, max: number): (text: string) => number {
  return (text) => {
    if (!/^\d+$/.test(text)) throw new UsageError(`${name} needs a whole number, got "${text}"`);
    const n = Number(text);
    if (n < min || n > max) throw new UsageError(`${name} must be ${min}…${max}, got ${text}`);
    return n;
  };
}

function bool(name: string): (text: string) => boolean {
  return (text) => {
    if (text !== '0' && text !== '1') throw new UsageError(`${name} must be 0 or 1, got "${text}"`);
    return text === '1';
  };
}

const u16 = (name: string, min = 0) => uint(name, min, 0xffff);
const u32 = (name: string, min = 0) => uint(name, min, 0xffffffff);
const pfi = (text: string): PayloadFormatIndicator =>
  bool('payload-format-indicator')(text)
    ? PayloadFormatIndicator.UTF8Encoded
    : PayloadFormatIndicator.Unspecified;

/** The identifiers each command accepts (mosquitto's names) and what they set. */
const SETTERS: Record<PropertyCommand, Record<string, Setter>> = {
  connect: {
    // the same as -x
    'session-expiry-interval': (o, v) => (o.sessionExpiry = u32('session-expiry-interval')(v)),
    'receive-maximum': (o, v) => o.connectProps.setMaximumReceive(u16('receive-maximum', 1)(v)),
    'maximum-packet-size': (o, v) => o.connectProps.setMaximumPacketSize(u32('maximum-packet-size', 1)(v)),
    'topic-alias-maximum': (o, v) => o.connectProps.setMaximumTopicAlias(u16('topic-alias-maximum')(v)),
    'request-response-information': (o, v) =>
      o.connectProps.setRequestResponseInformation(bool('request-response-information')(v)),
    'request-problem-information': (o, v) =>
      o.connectProps.setRequestProblemInformation(bool('request-problem-information')(v)),
    'authentication-method': (o, v) => o.connectProps.setAuthenticationMethod(v),
    'authentication-data': (o, v) => o.connectProps.setAuthenticationData(v),
  },
  publish: {
    'payload-format-indicator': (o, v) => o.publishProps.setPayloadFormatIndicator(pfi(v)),
    'message-expiry-interval': (o, v) =>
      o.publishProps.setMessageExpiryInterval(u32('message-expiry-interval')(v)),
    'content-type': (o, v) => o.publishProps.setContentType(v),
    'response-topic': (o, v) => o.publishProps.setResponseTopic(v),
    'correlation-data': (o, v) => o.publishProps.setCorrelationData(v),
    'topic-alias': (o, v) => o.publishProps.setTopicAlias(u16('topic-alias', 1)(v)),
  },
  subscribe: {
    'subscription-identifier': (o, v) =>
      o.subscribeProps.setSubscriptionIdentifier(uint('subscription-identifier', 1, 268_435_455)(v)),
  },
  will: {
    'will-delay-interval': (o, v) => o.willProps.setWillDelayInterval(u32('will-delay-interval')(v)),
    'payload-format-indicator': (o, v) => o.willProps.setPayloadFormatIndicator(pfi(v)),
    'message-expiry-interval': (o, v) =>
      o.willProps.setMessageExpiryInterval(u32('message-expiry-interval')(v)),
    'content-type': (o, v) => o.willProps.setContentType(v),
    'response-topic': (o, v) => o.willProps.setResponseTopic(v),
    'correlation-data': (o, v) => o.willProps.setCorrelationData(v),
  },
};

function userProperties(o: Options, command: PropertyCommand) {
  switch (command) {
    case 'connect':
      return o.connectProps.userProperties();
    case 'publish':
      return o.publishProps.userProperties();
    case 'subscribe':
      return o.subscribeProps.userProperties();
    case 'will':
      return o.willProps.userProperties();
  }
}

/** The identifiers `-D <command>` accepts, for the help text and error messages. */
export function propertyIdentifiers(command: PropertyCommand): string[] {
  return [...Object.keys(SETTERS[command]), 'user-property'];
}

/**
 * Applies one `-D command identifier value…`. `take` returns the next argument (user-property takes two:
 * name and value). Throws a usage error naming what is wrong.
 */
export function applyProperty(
  o: Options,
  command: PropertyCommand,
  identifier: string,
  take: () => string,
): void {
  if (identifier === 'user-property') {
    const name = take();
    const value = take();
    userProperties(o, command).append(name, value);
    return;
  }
  const setter = SETTERS[command][identifier];
  if (!setter)
    throw new UsageError(
      `-D ${command}: unknown property "${identifier}" (known: ${propertyIdentifiers(command).join(', ')})`,
    );
  setter(o, take());
}
