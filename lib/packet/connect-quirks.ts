import type { ConnectPacket } from './codec';
import { varIntBytes } from './size';

/**
 * mqtt-packet applies two MQTT 3.1.1-only rules to an MQTT 5 CONNECT. This encodes a stand-in that it accepts and
 * patches the bytes into what MQTT 5 allows:
 * - 5.0 §3.1.3.1: a zero-length Client Identifier with Clean Start 0 (the server assigns an identifier and keeps
 *   the session); 3.1.1 [MQTT-3.1.3-7] forbade it. Encoded with Clean Start 1, then the flag is cleared.
 * - 5.0 §3.1.2.9: a Password without a User Name; 3.1.1 [MQTT-3.1.2-22] forbade it. Encoded with an empty
 *   stand-in User Name, whose two length bytes (right before the Password, the last field, §3.1.3.5) are then
 *   removed together with the User Name Flag.
 */
export function encodeV5Connect(packet: ConnectPacket, generate: (packet: ConnectPacket) => Buffer): Buffer {
  const keepWithoutId = packet.clientId === '' && packet.clean === false;
  const passwordOnly = packet.password != null && packet.username == null;
  if (!keepWithoutId && !passwordOnly) return generate(packet);
  const buf = generate({
    ...packet,
    clean: keepWithoutId ? true : packet.clean,
    ...(passwordOnly ? { username: '' } : {}),
  });
  let start = 1;
  while ((buf[start]! & 0x80) !== 0) start++;
  start++;
  const body = Buffer.from(buf.subarray(start));
  const flagsAt = 2 + 4 + 1; // Protocol Name "MQTT", Protocol Version (§3.1.2.1, §3.1.2.2)
  let flags = body[flagsAt]!;
  if (keepWithoutId) flags &= ~0x02; // Clean Start (§3.1.2.4)
  if (passwordOnly) flags &= ~0x80; // User Name Flag (§3.1.2.8)
  body[flagsAt] = flags;
  if (!passwordOnly) return Buffer.concat([buf.subarray(0, start), body]);
  const password = packet.password!;
  const passwordBytes = typeof password === 'string' ? Buffer.byteLength(password) : password.length;
  const cut = body.length - 2 - passwordBytes - 2;
  const trimmed = Buffer.concat([body.subarray(0, cut), body.subarray(cut + 2)]);
  return Buffer.concat([Buffer.from([buf[0]!, ...varIntBytes(trimmed.length)]), trimmed]);
}
