/**
 * Conversions between the property classes and mqtt-packet's property objects (types only: the codec in
 * `lib/packet` stays the one module that loads mqtt-packet).
 *
 * `…ToWire` writes only values that differ from what an absent property means, so an untouched property
 * object costs no bytes (and returns `undefined`). `…FromWire` functions never throw: they take the
 * decoded values as they are; the spec violations a broker can commit are reported by the `…Problem`
 * functions in `checks.ts`, which the connection should call first to close with a protocol error.
 */
export * from './wire-common';
export * from './wire-connect';
export * from './wire-publish';
