/**
 * How `qmqtt sub` prints a message: the payload (mosquitto_sub's default), `topic payload` (-v), JSON lines
 * (`-F json`) or a mosquitto_sub format string (`-F '%t %p'`).
 */
import { isUtf8 } from 'node:buffer';
import type { QMqttMessage, QMqttPublishProperties } from '../lib';
import { UsageError } from './errors';

/** Turns one received message into the bytes to write. */
export type Formatter = (message: QMqttMessage) => Buffer;

/** Text when the bytes are valid UTF-8, else base64 with a marker key. */
function bytesField(out: Record<string, unknown>, key: string, bytes: Buffer): void {
  if (isUtf8(bytes)) out[key] = bytes.toString('utf8');
  else {
    out[key] = bytes.toString('base64');
    out[`${key}Encoding`] = 'base64';
  }
}

/**
 * The MQTT 5 properties of a message with the names Node-RED's MQTT nodes use. User properties become an object;
 * a name that occurs more than once maps to the array of its values, in order (as MQTT.js does).
 */
export function propertiesToJson(p: QMqttPublishProperties): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const user: Record<string, string | string[]> = {};
  let anyUser = false;
  for (const pair of p.userProperties()) {
    anyUser = true;
    const prev = user[pair.name()];
    if (prev === undefined) user[pair.name()] = pair.value();
    else if (Array.isArray(prev)) prev.push(pair.value());
    else user[pair.name()] = [prev, pair.value()];
  }
  if (anyUser) out.userProperties = user;
  if (p.responseTopic()) out.responseTopic = p.responseTopic();
  if (p.correlationData().length > 0) bytesField(out, 'correlationData', p.correlationData());
  if (p.contentType()) out.contentType = p.contentType();
  if (p.messageExpiryInterval() > 0) out.messageExpiryInterval = p.messageExpiryInterval();
  if (p.payloadFormatIndicator() !== 0) out.payloadFormatIndicator = p.payloadFormatIndicator();
  if (p.subscriptionIdentifiers().length > 0) out.subscriptionIdentifiers = [...p.subscriptionIdentifiers()];
  if (p.topicAlias() > 0) out.topicAlias = p.topicAlias();
  return out;
}

/** One JSON object per line: topic, payload, qos, retain, properties. */
export function messageToJson(m: QMqttMessage): Record<string, unknown> {
  const out: Record<string, unknown> = { topic: m.topic().name() };
  bytesField(out, 'payload', m.payload());
  out.qos = m.qos();
  out.retain = m.retain();
  out.properties = propertiesToJson(m.publishProperties());
  return out;
}

const ESCAPES: Record<string, string> = {
  '\\': '\\',
  '0': '\0',
  a: '\x07',
  e: '\x1b',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

type Piece = string | ((m: QMqttMessage) => string | Buffer);

function userPropertiesText(p: QMqttPublishProperties): string {
  return p
    .userProperties()
    .pairs()
    .map((pair) => `${pair.name()}:${pair.value()}`)
    .join(' ');
}

/** mosquitto_sub's `-F` specifiers (the ones that make sense here). */
const SPECIFIERS: Record<string, (m: QMqttMessage) => string | Buffer> = {
  t: (m) => m.topic().name(),
  p: (m) => m.payload(),
  q: (m) => String(m.qos()),
  r: (m) => (m.retain() ? '1' : '0'),
  l: (m) => String(m.payload().length),
  m: (m) => String(m.id()),
  x: (m) => m.payload().toString('hex'),
  X: (m) => m.payload().toString('hex').toUpperCase(),
  j: (m) => JSON.stringify(messageToJson(m)),
  I: () => new Date().toISOString(),
  U: () => (Date.now() / 1000).toFixed(3),
  C: (m) => m.publishProperties().contentType(),
  D: (m) => m.publishProperties().correlationData(),
  E: (m) => {
    const e = m.publishProperties().messageExpiryInterval();
    return e > 0 ? String(e) : '';
  },
  F: (m) => (m.publishProperties().payloadFormatIndicator() ? '1' : ''),
  P: (m) => userPropertiesText(m.publishProperties()),
  R: (m) => m.publishProperties().responseTopic(),
  S: (m) => m.publishProperties().subscriptionIdentifiers().join(','),
  A: (m) => {
    const a = m.publishProperties().topicAlias();
    return a > 0 ? String(a) : '';
  },
};

/** Compiles a mosquitto_sub format string; unknown specifiers are a usage error. */
export function compileFormat(format: string): Piece[] {
  const pieces: Piece[] = [];
  let text = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === '%' || c === '\\') {
      const next = format[i + 1];
      if (next === undefined) throw new UsageError(`-F: "${c}" at the end of the format`);
      i++;
      if (c === '\\') {
        const esc = ESCAPES[next];
        if (esc === undefined) throw new UsageError(`-F: unknown escape \\${next}`);
        text += esc;
      } else if (next === '%') text += '%';
      else {
        const spec = SPECIFIERS[next];
        if (!spec) throw new UsageError(`-F: unknown format specifier %${next}`);
        if (text) pieces.push(text);
        text = '';
        pieces.push(spec);
      }
    } else text += c;
  }
  if (text) pieces.push(text);
  return pieces;
}

export interface OutputOptions {
  format: string | undefined;
  verbose: boolean;
  noEol: boolean;
}

/** The formatter for `-F`, `-v` and `-N`. `-F json` is JSON lines; any other `-F` is a mosquitto format string. */
export function makeFormatter(o: OutputOptions): Formatter {
  const eol = o.noEol ? '' : '\n';
  if (o.format === 'json' || o.format === 'jsonl')
    return (m) => Buffer.from(JSON.stringify(messageToJson(m)) + '\n', 'utf8');
  if (o.format !== undefined) {
    const pieces = compileFormat(o.format);
    return (m) =>
      Buffer.concat([
        ...pieces.map((p) => {
          const v = typeof p === 'string' ? p : p(m);
          return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
        }),
        Buffer.from(eol),
      ]);
  }
  if (o.verbose)
    // mosquitto_sub -v prints "(null)" for an empty payload
    return (m) =>
      Buffer.concat([
        Buffer.from(`${m.topic().name()} `, 'utf8'),
        m.payload().length > 0 ? m.payload() : Buffer.from('(null)'),
        Buffer.from(eol),
      ]);
  return (m) => Buffer.concat([m.payload(), Buffer.from(eol)]);
}
