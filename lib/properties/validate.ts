/**
 * Argument checks shared by the property setters. A value of the wrong JavaScript type throws a `TypeError`;
 * a value of the right type but outside what MQTT 5 allows throws a `RangeError`. Messages name the property
 * and the allowed range so that the caller can fix the input.
 */
import { validateTopicName } from '../topic/topic-name';
import { MAX_UTF8_BYTES, utf8StringProblem } from '../topic/utf8';
import { PayloadFormatIndicator } from '../state';

/** Largest Four Byte Integer (MQTT 5.0 §1.5.3). */
export const MAX_U32 = 0xffffffff;
/** Largest Two Byte Integer (MQTT 5.0 §1.5.2). */
export const MAX_U16 = 0xffff;
/** Largest Variable Byte Integer (MQTT 5.0 §1.5.5), the range of a Subscription Identifier. */
export const MAX_VARIABLE_BYTE_INT = 268435455;

/** An integer in `[min, max]`; `rule` is quoted in the message (e.g. a spec reference for a forbidden 0). */
export function checkInt(value: unknown, what: string, min: number, max: number, rule = ''): number {
  if (typeof value !== 'number') throw new TypeError(`${what} must be a number, not ${typeof value}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    const suffix = rule ? `; ${rule}` : '';
    throw new RangeError(`${what} must be an integer from ${min} to ${max} (got ${value})${suffix}`);
  }
  return value;
}

/** A Four Byte Integer, 0..4294967295. */
export function checkU32(value: unknown, what: string): number {
  return checkInt(value, what, 0, MAX_U32);
}

/** A Two Byte Integer, 0..65535. */
export function checkU16(value: unknown, what: string): number {
  return checkInt(value, what, 0, MAX_U16);
}

export function checkBool(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${what} must be a boolean, not ${typeof value}`);
  return value;
}

/** A UTF-8 Encoded String: no U+0000, no lone surrogate, at most 65535 bytes ([MQTT-1.5.4-1], [MQTT-1.5.4-2]). */
export function checkString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new TypeError(`${what} must be a string, not ${typeof value}`);
  const problem = utf8StringProblem(value, what);
  if (problem !== null) throw new RangeError(problem);
  return value;
}

/**
 * A Response Topic: `''` (none) or a valid topic name without wildcards ([MQTT-3.3.2-13], [MQTT-3.3.2-14]).
 */
export function checkResponseTopic(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new TypeError(`${what} must be a string, not ${typeof value}`);
  if (value === '') return value;
  const problem = validateTopicName(value);
  if (problem !== null)
    throw new RangeError(`${what} must be a valid topic name: ${problem} [MQTT-3.3.2-14]`);
  return value;
}

/**
 * Binary Data (MQTT 5.0 §1.5.6): a Buffer, Uint8Array or string (taken as UTF-8) of at most 65535 bytes.
 * Always returns a fresh Buffer, so later changes to the caller's array have no effect.
 */
export function checkBytes(value: unknown, what: string): Buffer {
  let out: Buffer;
  if (typeof value === 'string') out = Buffer.from(value, 'utf8');
  else if (value instanceof Uint8Array) out = Buffer.from(value);
  else throw new TypeError(`${what} must be a Buffer, Uint8Array or string, not ${typeOf(value)}`);
  if (out.length > MAX_UTF8_BYTES) {
    throw new RangeError(
      `${what} is ${out.length} bytes; binary data holds at most ${MAX_UTF8_BYTES} (MQTT 5.0 §1.5.6)`,
    );
  }
  return out;
}

/** `QMqtt::PayloadFormatIndicator`: 0 (Unspecified) or 1 (UTF8Encoded). */
export function checkPayloadFormat(value: unknown, what: string): PayloadFormatIndicator {
  return checkInt(value, what, PayloadFormatIndicator.Unspecified, PayloadFormatIndicator.UTF8Encoded);
}

function typeOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}
