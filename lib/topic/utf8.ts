/**
 * Checks for MQTT "UTF-8 Encoded String"s (MQTT 5.0 §1.5.4, MQTT 3.1.1 §1.5.3), shared by the topic
 * types and the property classes. One pass over the UTF-16 code units, no allocation.
 *
 * Spec IDs: MQTT 5.0 numbers first; where MQTT 3.1.1 numbers the same rule differently it follows in
 * parentheses, e.g. `[MQTT-1.5.4-2] (v3.1.1 [MQTT-1.5.3-2])`.
 */

/** Largest number of bytes a length-prefixed UTF-8 string or binary field can carry (a two-byte length). */
export const MAX_UTF8_BYTES = 65535;

/**
 * Number of bytes `s` occupies in UTF-8. A lone surrogate counts 3 bytes, as `Buffer.byteLength` does
 * (it would be encoded as U+FFFD), so the two always agree.
 */
export function utf8ByteLength(s: string): number {
  let bytes = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && isLowSurrogate(s.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * Why `s` cannot be sent as an MQTT UTF-8 Encoded String, or `null` when it can:
 * - it contains U+0000 [MQTT-1.5.4-2] (v3.1.1 [MQTT-1.5.3-2]);
 * - it contains a lone surrogate, which has no well-formed UTF-8 encoding [MQTT-1.5.4-1]
 *   (v3.1.1 [MQTT-1.5.3-1]); Node.js would silently send U+FFFD instead;
 * - it encodes to more than 65535 bytes (the two-byte length prefix, §1.5.4).
 * `what` names the value in the message, e.g. `'content type'`; `lengthRule` is the spec reference quoted
 * for the length limit (topics have their own, [MQTT-4.7.3-3]).
 */
export function utf8StringProblem(s: string, what: string, lengthRule = '(MQTT 5.0 §1.5.4)'): string | null {
  let bytes = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c === 0) return `${what} must not contain U+0000 (at index ${i}) [MQTT-1.5.4-2]`;
      bytes += 1;
    } else if (c < 0x800) {
      bytes += 2;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      if (c <= 0xdbff && i + 1 < n && isLowSurrogate(s.charCodeAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        return `${what} contains a lone surrogate U+${c.toString(16).toUpperCase()} at index ${i}, which is not valid UTF-8 [MQTT-1.5.4-1]`;
      }
    } else {
      bytes += 3;
    }
  }
  if (bytes > MAX_UTF8_BYTES) {
    return `${what} is ${bytes} bytes in UTF-8; at most ${MAX_UTF8_BYTES} are allowed ${lengthRule}`;
  }
  return null;
}
