/**
 * Makes the client of a `qmqtt-broker` config node reachable from function nodes: registered under the node's
 * id and name while the node runs (`require('node-red-contrib-qmqtt').clientOf(idOrName)`). The map itself is
 * in lib/registry.ts so that the package's main export reaches it without importing Node-RED.
 */
import { registerClient, unregisterClient, type QMqttClient } from '../../lib';

/** The keys a broker config node is found by: its id, and its name when it has one. */
function keysOf(node: { id: string; name?: string }): string[] {
  return node.name && node.name !== node.id ? [node.id, node.name] : [node.id];
}

/** Registers `client` under the id and name of `node`; the returned function unregisters it. */
export function registerBrokerClient(node: { id: string; name?: string }, client: QMqttClient): () => void {
  const keys = keysOf(node);
  for (const k of keys) registerClient(k, client);
  return () => {
    for (const k of keys) unregisterClient(k, client);
  };
}
