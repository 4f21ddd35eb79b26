/**
 * Every signal of `QMqttClient` as a flow message for `qmqtt-status`: `msg.topic` is the signal name and
 * `msg.payload` its arguments by name (enums also by their Qt name). Passwords are never put in a message.
 */
import { ClientError, ClientState, MessageStatus, ProtocolVersion, reasonCodeName } from '../../lib';
import type { QMqttAuthenticationProperties, QMqttClient } from '../../lib';
import { toStr } from './config';
import type { Listeners } from './listeners';
import { userPropertiesToObject } from './message-mapping';

export type SignalPayload = Record<string, unknown>;
export type SignalEmit = (signal: string, payload: SignalPayload) => void;
type Binder = (c: QMqttClient, l: Listeners, emit: SignalEmit) => void;

function auth(p: QMqttAuthenticationProperties): SignalPayload {
  return {
    authenticationMethod: p.authenticationMethod(),
    authenticationData: p.authenticationData(),
    reason: p.reason(),
    userProperties: userPropertiesToObject(p.userProperties()),
  };
}

function value<K extends string>(name: K): (v: unknown) => SignalPayload {
  return (v) => ({ [name]: v });
}

const BINDERS = {
  connected: (c, l, e) => l.on(c.connected, () => e('connected', {})),
  disconnected: (c, l, e) => l.on(c.disconnected, () => e('disconnected', {})),
  stateChanged: (c, l, e) =>
    l.on(c.stateChanged, (state) => e('stateChanged', { state, stateName: ClientState[state] })),
  errorChanged: (c, l, e) =>
    l.on(c.errorChanged, (error) => e('errorChanged', { error, errorName: ClientError[error] })),
  errorOccurred: (c, l, e) =>
    l.on(c.errorOccurred, (err) =>
      e('errorOccurred', {
        message: err.message,
        clientError: err.clientError,
        clientErrorName: ClientError[err.clientError],
        reasonCode: err.reasonCode,
        reasonString: err.reasonString,
      }),
    ),
  brokerSessionRestored: (c, l, e) => l.on(c.brokerSessionRestored, () => e('brokerSessionRestored', {})),
  pingResponseReceived: (c, l, e) => l.on(c.pingResponseReceived, () => e('pingResponseReceived', {})),
  messageSent: (c, l, e) => l.on(c.messageSent, (id) => e('messageSent', { id })),
  messageStatusChanged: (c, l, e) =>
    l.on(c.messageStatusChanged, (id, status, p) =>
      e('messageStatusChanged', {
        id,
        status,
        statusName: MessageStatus[status],
        reasonCode: p.reasonCode(),
        reasonCodeName: reasonCodeName(p.reasonCode()),
        reason: p.reason(),
        userProperties: userPropertiesToObject(p.userProperties()),
      }),
    ),
  messageReceived: (c, l, e) =>
    l.on(c.messageReceived, (message, topic) => e('messageReceived', { message, topic: topic.name() })),
  messageArrived: (c, l, e) =>
    l.on(c.messageArrived, (m) =>
      e('messageArrived', {
        topic: m.topic().name(),
        payload: m.payload(),
        qos: m.qos(),
        retain: m.retain(),
        duplicate: m.duplicate(),
        id: m.id(),
      }),
    ),
  authenticationRequested: (c, l, e) =>
    l.on(c.authenticationRequested, (p) => e('authenticationRequested', auth(p))),
  authenticationFinished: (c, l, e) =>
    l.on(c.authenticationFinished, (p) => e('authenticationFinished', auth(p))),
  reconnecting: (c, l, e) =>
    l.on(c.reconnecting, (attempt, delayMs) => e('reconnecting', { attempt, delayMs })),
  hostnameChanged: (c, l, e) => l.on(c.hostnameChanged, (v) => e('hostnameChanged', value('hostname')(v))),
  portChanged: (c, l, e) => l.on(c.portChanged, (v) => e('portChanged', value('port')(v))),
  clientIdChanged: (c, l, e) => l.on(c.clientIdChanged, (v) => e('clientIdChanged', value('clientId')(v))),
  usernameChanged: (c, l, e) => l.on(c.usernameChanged, (v) => e('usernameChanged', value('username')(v))),
  // the value stays out of the flow: only whether one is set
  passwordChanged: (c, l, e) =>
    l.on(c.passwordChanged, (v) => e('passwordChanged', { passwordSet: v.length > 0 })),
  keepAliveChanged: (c, l, e) =>
    l.on(c.keepAliveChanged, (v) => e('keepAliveChanged', value('keepAlive')(v))),
  autoKeepAliveChanged: (c, l, e) =>
    l.on(c.autoKeepAliveChanged, (v) => e('autoKeepAliveChanged', value('autoKeepAlive')(v))),
  cleanSessionChanged: (c, l, e) =>
    l.on(c.cleanSessionChanged, (v) => e('cleanSessionChanged', value('cleanSession')(v))),
  protocolVersionChanged: (c, l, e) =>
    l.on(c.protocolVersionChanged, (v) =>
      e('protocolVersionChanged', { protocolVersion: v, protocolVersionName: ProtocolVersion[v] }),
    ),
  willTopicChanged: (c, l, e) =>
    l.on(c.willTopicChanged, (v) => e('willTopicChanged', value('willTopic')(v))),
  willMessageChanged: (c, l, e) =>
    l.on(c.willMessageChanged, (v) => e('willMessageChanged', value('willMessage')(v))),
  willQoSChanged: (c, l, e) => l.on(c.willQoSChanged, (v) => e('willQoSChanged', value('willQoS')(v))),
  willRetainChanged: (c, l, e) =>
    l.on(c.willRetainChanged, (v) => e('willRetainChanged', value('willRetain')(v))),
} satisfies Record<string, Binder>;

export type SignalName = keyof typeof BINDERS;

/** Every signal name, in the order the editor lists them. */
export const SIGNAL_NAMES = Object.keys(BINDERS) as SignalName[];

/** Per received message: off unless chosen (`qmqtt-in` is the node for messages). */
const PER_MESSAGE: readonly string[] = ['messageReceived', 'messageArrived'];

/** Passed on when the node's filter is empty: all but the per-message signals. */
export const DEFAULT_SIGNALS: readonly SignalName[] = SIGNAL_NAMES.filter((n) => !PER_MESSAGE.includes(n));

export function isSignalName(n: string): n is SignalName {
  return Object.prototype.hasOwnProperty.call(BINDERS, n);
}

/** Connects `emit` to each named signal of `client` through `listeners`. */
export function bindSignals(
  client: QMqttClient,
  names: readonly SignalName[],
  listeners: Listeners,
  emit: SignalEmit,
): void {
  for (const n of names) (BINDERS[n] as Binder)(client, listeners, emit);
}

/** The configured signal filter: a list (or comma-separated text) of names; empty means the default set. */
export function signalFilter(v: unknown): SignalName[] {
  const list = Array.isArray(v) ? v.map(toStr) : toStr(v).split(',');
  const names = list.map((s) => s.trim()).filter(Boolean);
  const bad = names.filter((n) => !isSignalName(n));
  if (bad.length) throw new Error(`unknown signal name(s): ${bad.join(', ')}`);
  return names.length ? (names as SignalName[]) : [...DEFAULT_SIGNALS];
}
