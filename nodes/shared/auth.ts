import { QMqttAuthenticationProperties } from '../../lib';
import { checkUserProperties, toStr } from './config';
import type { NodeMessage } from './node-red-types';

/** Reads the answer: `msg.payload` is the authentication data, or an object with the AUTH properties. */
export function authPropertiesFrom(msg: NodeMessage, defaultMethod: string): QMqttAuthenticationProperties {
  const p = new QMqttAuthenticationProperties();
  const v = msg.payload;
  const o: Record<string, unknown> =
    typeof v === 'object' && v !== null && !Buffer.isBuffer(v)
      ? (v as Record<string, unknown>)
      : { authenticationData: v };
  const method = o.authenticationMethod ?? defaultMethod;
  if (typeof method !== 'string') throw new Error('msg.payload.authenticationMethod must be a string');
  p.setAuthenticationMethod(method);
  const data = o.authenticationData;
  if (data !== undefined && data !== null) {
    if (typeof data !== 'string' && !Buffer.isBuffer(data))
      throw new Error('the authentication data must be a Buffer or a string');
    p.setAuthenticationData(data);
  }
  if (o.reason !== undefined) p.setReason(toStr(o.reason));
  if (o.userProperties !== undefined)
    p.setUserProperties(checkUserProperties(o.userProperties, 'userProperties'));
  return p;
}
