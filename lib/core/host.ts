import type { Signal } from '../signal';
import type { QMqttError } from '../errors';
import type { QMqttMessage } from '../message';
import type { ClientError, ClientState, MessageStatus } from '../state';
import type { QMqttTopicName } from '../topic/topic-name';
import type { QMqttMessageStatusProperties } from '../properties';
import type { QMqttAuthenticationProperties } from '../properties';
import type { QMqttServerConnectionProperties } from '../properties';

/** What the protocol core needs from the `QMqttClient` facade: its signals and its state setters. */
export interface CoreHost {
  readonly connected: Signal<[]>;
  readonly disconnected: Signal<[]>;
  readonly messageReceived: Signal<[message: Buffer, topic: QMqttTopicName]>;
  readonly messageArrived: Signal<[message: QMqttMessage]>;
  readonly messageSent: Signal<[id: number]>;
  readonly messageStatusChanged: Signal<
    [id: number, status: MessageStatus, properties: QMqttMessageStatusProperties]
  >;
  readonly pingResponseReceived: Signal<[]>;
  readonly brokerSessionRestored: Signal<[]>;
  readonly authenticationRequested: Signal<[properties: QMqttAuthenticationProperties]>;
  readonly authenticationFinished: Signal<[properties: QMqttAuthenticationProperties]>;
  readonly errorOccurred: Signal<[error: QMqttError]>;
  /** Sets state and error together: error first, so `stateChanged` / `disconnected` listeners see it. */
  setStateAndError(state: ClientState, error?: ClientError, detail?: QMqttError): void;
  /** MQTT 5 server redirect (Server Reference with 0x9C / 0x9D): the next attempt goes there. */
  applyServerRedirect(reference: string): void;
  /** The broker assigned a client identifier (v5) */
  applyAssignedClientId(id: string): void;
  applyServerConnectionProperties(props: QMqttServerConnectionProperties): void;
}
