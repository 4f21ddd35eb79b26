/** Small flow builders and waits shared by the node tests. */
import { ClientState, SubscriptionState, type QMqttClient } from '../../../lib';
import type { BrokerConnection } from '../../../nodes/shared/broker-connection';
import { helper, until } from './node-red';

/** The shared client of broker config node `id` (from the runtime, as the nodes use it). */
export function connectionOf(id: string): BrokerConnection {
  const n = helper.getNode(id);
  const c = n?.connection as BrokerConnection | undefined;
  if (!c) throw new Error(`broker node ${id} has no connection`);
  return c;
}

export function clientOf(id: string): QMqttClient {
  return connectionOf(id).client;
}

export async function connected(brokerId: string): Promise<QMqttClient> {
  const c = clientOf(brokerId);
  await until(() => c.state() === ClientState.Connected, `broker ${brokerId} connected`);
  return c;
}

/** Waits until the client holds an acknowledged subscription for each filter. */
export async function subscribed(brokerId: string, ...filters: string[]): Promise<void> {
  const c = await connected(brokerId);
  await until(
    () =>
      filters.every((f) =>
        c
          .subscriptions()
          .some((s) => s.fullTopic().filter() === f && s.state() === SubscriptionState.Subscribed),
      ),
    `subscriptions ${filters.join(', ')}`,
  );
}

/** Every signal of a client with its listener count. */
export function listenerCounts(c: QMqttClient): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(c)) {
    if (v && typeof v === 'object' && 'listenerCount' in v && typeof v.listenerCount === 'number')
      out[k] = v.listenerCount;
  }
  return out;
}
