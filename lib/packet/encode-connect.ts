/**
 * CONNECT (§3.1) written by the client itself, MQTT 5 properties and Will Properties included, with the bytes
 * mqtt-packet writes. This keeps mqtt-packet's `generate` off every connect, and with it the cache of 65,536
 * two-byte buffers it builds on its first call (6 MB of heap in every process). It also writes what MQTT 5
 * allows and mqtt-packet, applying 3.1.1's rules, refuses:
 * - 5.0 §3.1.3.1: a zero-length Client Identifier with Clean Start 0 (3.1.1 [MQTT-3.1.3-7] forbade it);
 * - 5.0 §3.1.2.9: a Password without a User Name (3.1.1 [MQTT-3.1.2-22] forbade it).
 * Anything else it does not cover or that is not valid: undefined, and mqtt-packet encodes or refuses it.
 */
import type { Packet } from './codec';
import { noProperties, propertiesLength, writeProperties } from './property-encode';
import { fieldSize, fixedHeader, MAX_REMAINING, varIntSize, writeField } from './wire-write';

type ConnectPacket = Extract<Packet, { cmd: 'connect' }>;

export function encodeConnect(packet: ConnectPacket): Buffer[] | undefined {
  const version = packet.protocolVersion ?? 4;
  if (version !== 3 && version !== 4 && version !== 5) return undefined;
  if ((packet as { bridgeMode?: boolean }).bridgeMode) return undefined;
  const v5 = version === 5;
  const protocolId: unknown = packet.protocolId || 'MQTT';
  const clean = packet.clean ?? true;
  const keepalive = packet.keepalive ?? 0;
  const { clientId, username, password, will } = packet;
  if (typeof protocolId !== 'string') return undefined;
  if (typeof clientId !== 'string' || (clientId === '' && (version === 3 || (!v5 && !clean))))
    return undefined;
  if (!Number.isInteger(keepalive) || keepalive < 0 || keepalive > 0xffff) return undefined;
  if (username !== undefined && typeof username !== 'string') return undefined;
  if (password !== undefined && ((!v5 && username === undefined) || !Buffer.isBuffer(password)))
    return undefined;
  const props = packet.properties as Record<string, unknown> | undefined;
  const propLength = v5 ? propertiesLength(props) : noProperties(props) ? 0 : -1;
  if (propLength < 0) return undefined;
  let willPropLength = 0;
  if (will) {
    if (typeof will.topic !== 'string' || will.topic === '' || !Buffer.isBuffer(will.payload))
      return undefined;
    const wp = will.properties as Record<string, unknown> | undefined;
    willPropLength = v5 ? propertiesLength(wp) : noProperties(wp) ? 0 : -1;
    if (willPropLength < 0) return undefined;
  }
  const fields: (string | Buffer)[] = [protocolId, clientId];
  if (will) fields.push(will.topic, will.payload);
  if (username !== undefined) fields.push(username);
  if (password !== undefined) fields.push(password);
  let remaining = 1 + 1 + 2 + (v5 ? varIntSize(propLength) + propLength : 0);
  if (will && v5) remaining += varIntSize(willPropLength) + willPropLength;
  for (const f of fields) {
    const n = fieldSize(f);
    if (n < 0) return undefined;
    remaining += n;
  }
  if (remaining > MAX_REMAINING) return undefined;
  const buf = fixedHeader(0x10, remaining, 0);
  let pos = buf.length - remaining;
  pos = writeField(buf, pos, protocolId);
  buf[pos++] = version;
  // §3.1.2.3 Connect Flags
  buf[pos++] =
    (username !== undefined ? 0x80 : 0) |
    (password !== undefined ? 0x40 : 0) |
    (will?.retain ? 0x20 : 0) |
    ((will?.qos ?? 0) << 3) |
    (will ? 0x04 : 0) |
    (clean ? 0x02 : 0);
  buf.writeUInt16BE(keepalive, pos);
  pos += 2;
  if (v5) pos = writeProperties(buf, pos, props, propLength);
  pos = writeField(buf, pos, clientId);
  if (will) {
    if (v5) pos = writeProperties(buf, pos, will.properties, willPropLength);
    pos = writeField(buf, pos, will.topic);
    pos = writeField(buf, pos, will.payload);
  }
  if (username !== undefined) pos = writeField(buf, pos, username);
  if (password !== undefined) writeField(buf, pos, password);
  return [buf];
}
