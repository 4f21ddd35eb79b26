/**
 * mqtt-packet's property object types (types only: the codec in `lib/packet` stays the one module that loads
 * mqtt-packet) and the user-property conversion every packet shares.
 */
import type {
  AuthPacket,
  ConnackPacket,
  ConnectPacket,
  PubackPacket,
  PublishPacket,
  Subscription,
  SubscribePacket,
  UnsubscribePacket,
  WireUserProperties,
} from '../packet/codec';
import { QMqttUserProperties } from './user-properties';
import { ORDERED_USER_PROPERTIES } from '../packet/property-scan';

export type { WireUserProperties };
export type ConnectWireProperties = NonNullable<ConnectPacket['properties']>;
export type WillWireProperties = NonNullable<NonNullable<ConnectPacket['will']>['properties']>;
export type ConnackWireProperties = NonNullable<ConnackPacket['properties']>;
export type PublishWireProperties = NonNullable<PublishPacket['properties']>;
export type SubscribeWireProperties = NonNullable<SubscribePacket['properties']>;
export type UnsubscribeWireProperties = NonNullable<UnsubscribePacket['properties']>;
export type AuthWireProperties = NonNullable<AuthPacket['properties']>;
/** Reason string and user properties, the properties of PUBACK/PUBREC/PUBREL/PUBCOMP/SUBACK/UNSUBACK. */
export type AckWireProperties = NonNullable<PubackPacket['properties']>;
/** The per-filter subscription options of SUBSCRIBE (MQTT 5.0 §3.8.3.1). */
export type WireSubscriptionOptions = Required<Pick<Subscription, 'nl' | 'rap' | 'rh'>>;

/**
 * User properties in mqtt-packet's shape, `{ name: value | value[] }`, or `undefined` when there are none.
 * A repeated name becomes an array holding its values in order. When the pairs interleave names (`a=1, b=2,
 * a=3`) the object also carries them in order under `ORDERED_USER_PROPERTIES`: the client's own encoder sends
 * them so [MQTT-3.3.2-18]; mqtt-packet would write the names in key order (`a=1, a=3, b=2`; names that look like
 * array indexes, `"1"`, first).
 * The object has no prototype, so a name like `__proto__` is kept as a property.
 */
export function userPropertiesToWire(up: QMqttUserProperties): WireUserProperties | undefined {
  const pairs = up.pairs();
  if (pairs.length === 0) return undefined;
  const out = Object.create(null) as WireUserProperties;
  const names: string[] = [];
  let interleaved = false;
  for (const p of pairs) {
    const name = p.name();
    const prev = out[name];
    if (prev === undefined) {
      out[name] = p.value();
      names.push(name);
    } else {
      if (name !== names[names.length - 1]) interleaved = true;
      if (Array.isArray(prev)) prev.push(p.value());
      else out[name] = [prev, p.value()];
    }
  }
  // the object puts integer-like names (`"1"`) first: then only the list keeps the order
  if (interleaved || !sameOrder(Object.keys(out), names))
    Object.defineProperty(out, ORDERED_USER_PROPERTIES, {
      value: pairs.map((p) => [p.name(), p.value()] as [string, string]),
    });
  return out;
}

function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * User properties from mqtt-packet's shape, in wire order when the decoder recorded it; otherwise each array
 * becomes consecutive pairs with that name.
 */
export function userPropertiesFromWire(wire: WireUserProperties | undefined): QMqttUserProperties {
  const up = new QMqttUserProperties();
  if (wire === undefined || wire === null) return up;
  const ordered = (wire as { [ORDERED_USER_PROPERTIES]?: [string, string][] })[ORDERED_USER_PROPERTIES];
  if (ordered) {
    for (const [name, value] of ordered) up.appendFromWire(name, value);
    return up;
  }
  for (const name of Object.keys(wire)) {
    const value = wire[name];
    if (Array.isArray(value)) for (const v of value) up.appendFromWire(name, v);
    else if (value !== undefined) up.appendFromWire(name, value);
  }
  return up;
}
