import { isUtf8 } from 'node:buffer';
import type { Datatype } from './config';

/** Media types whose payload is text (MQTT 5 Content Type), as core's `mqtt in` treats them. */
const JSON_TYPES = /^application\/(.+\+)?json(;.*)?$/i;
const TEXT_TYPES = /^(text\/.*|application\/(xml|javascript|x-www-form-urlencoded)(;.*)?)$/i;

export interface PayloadHints {
  /** MQTT 5 Payload Format Indicator says UTF-8. */
  utf8?: boolean;
  /** MQTT 5 Content Type. */
  contentType?: string;
}

/**
 * Converts a received payload as the `datatype` option says. `auto-detect`: UTF-8 text becomes a string, and a
 * string that is JSON becomes the parsed value; other bytes stay a Buffer. `auto`: string or Buffer, no JSON.
 * `json` throws when the payload is not JSON.
 */
export function decodePayload(data: Buffer, datatype: Datatype, hints: PayloadHints = {}): unknown {
  switch (datatype) {
    case 'buffer':
      return data;
    case 'base64':
      return data.toString('base64');
    case 'utf8':
      return data.toString('utf8');
    case 'json':
      if (!(hints.utf8 || isUtf8(data))) throw new Error('the payload is not UTF-8 text, so not JSON');
      try {
        return JSON.parse(data.toString('utf8')) as unknown;
      } catch (e) {
        throw new Error(`the payload is not valid JSON: ${(e as Error).message}`);
      }
    default: {
      const ct = hints.contentType ?? '';
      if (ct && datatype === 'auto-detect' && JSON_TYPES.test(ct)) {
        try {
          return JSON.parse(data.toString('utf8')) as unknown;
        } catch (e) {
          throw new Error(
            `the payload's content type is ${ct} but it is not valid JSON: ${(e as Error).message}`,
          );
        }
      }
      if (ct === 'application/octet-stream') return data;
      // a declared text type stays text: "42" sent as text/plain is not the number 42
      if (TEXT_TYPES.test(ct)) return data.toString('utf8');
      if (!(hints.utf8 || isUtf8(data))) return data;
      const text = data.toString('utf8');
      if (datatype === 'auto-detect') {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return text;
        }
      }
      return text;
    }
  }
}

/**
 * Serialises a flow payload for publishing: Buffer as is, string as UTF-8, number / boolean as their text,
 * objects and arrays as JSON, null / undefined as an empty payload. Throws for what cannot be serialised.
 */
export function encodePayload(payload: unknown): Buffer {
  if (payload === undefined || payload === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(payload)) return payload;
  if (payload instanceof Uint8Array)
    return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  switch (typeof payload) {
    case 'string':
      return Buffer.from(payload, 'utf8');
    case 'number':
    case 'boolean':
      return Buffer.from(String(payload), 'utf8');
    case 'object': {
      let text: string | undefined;
      try {
        text = JSON.stringify(payload);
      } catch (e) {
        throw new Error(`msg.payload cannot be serialised to JSON: ${(e as Error).message}`);
      }
      return Buffer.from(text ?? '', 'utf8');
    }
    default:
      throw new Error(`msg.payload of type ${typeof payload} cannot be published`);
  }
}
