import { ClientState } from '../../lib';
import type { NodeStatus } from './node-red-types';

/**
 * The standard status dots. Texts are message keys: the editor translates `node-red:common.status.*` from
 * Node-RED's own catalog and `qmqtt-broker.status.*` from ours.
 */
export const STATUS = {
  connected: { fill: 'green', shape: 'dot', text: 'node-red:common.status.connected' },
  connecting: { fill: 'yellow', shape: 'ring', text: 'node-red:common.status.connecting' },
  disconnected: { fill: 'red', shape: 'ring', text: 'node-red:common.status.disconnected' },
  idle: { fill: 'grey', shape: 'ring', text: 'node-red:common.status.not-connected' },
} as const satisfies Record<string, NodeStatus>;

export function statusForState(state: ClientState, idle: boolean): NodeStatus {
  switch (state) {
    case ClientState.Connected:
      return { ...STATUS.connected };
    case ClientState.Connecting:
      return { ...STATUS.connecting };
    default:
      return idle ? { ...STATUS.idle } : { ...STATUS.disconnected };
  }
}

export function errorStatus(text: string): NodeStatus {
  return { fill: 'red', shape: 'dot', text };
}

export function reconnectingStatus(attempt: number, delayMs: number): NodeStatus {
  return {
    fill: 'yellow',
    shape: 'ring',
    text: `reconnecting #${attempt} in ${Math.round(delayMs / 100) / 10}s`,
  };
}
