import { ClientError } from './state';
import { reasonCodeName } from './reason-codes';

/**
 * The one error type the library rejects promises with and reports through `errorOccurred`-style paths.
 * `clientError` is Qt's classification; `reasonCode` is the MQTT reason/return code when the broker gave one.
 */
export class QMqttError extends Error {
  override name = 'QMqttError';
  constructor(
    message: string,
    readonly clientError: ClientError = ClientError.UnknownError,
    readonly reasonCode?: number,
    readonly reasonString?: string,
  ) {
    super(
      reasonCode === undefined
        ? message
        : `${message}: ${reasonCodeName(reasonCode)}${reasonString ? ` "${reasonString}"` : ''}`,
    );
  }
}

/** Invalid arguments given by the application (topic, QoS, sizes, properties). Nothing was sent. */
export class QMqttInvalidArgumentError extends QMqttError {
  override name = 'QMqttInvalidArgumentError';
  constructor(message: string) {
    super(message, ClientError.NoError);
  }
}

/** The operation could not complete because the connection is not (or no longer) open. */
export class QMqttNotConnectedError extends QMqttError {
  override name = 'QMqttNotConnectedError';
  constructor(message = 'The client is not connected') {
    super(message, ClientError.TransportInvalid);
  }
}

/** A malformed or unexpected packet from the broker. */
export class QMqttProtocolError extends QMqttError {
  override name = 'QMqttProtocolError';
  constructor(message: string, reasonCode?: number) {
    super(message, ClientError.ProtocolViolation, reasonCode);
  }
}
