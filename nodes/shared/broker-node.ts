/** How user nodes find the connection of their `qmqtt-broker` config node. */
import type { BrokerConnection, ConnectionUser } from './broker-connection';
import type { BrokerCredentials } from './config';
import type { Node, NodeAPI, NodeDone, NodeMessage } from './node-red-types';
import { errorStatus } from './status';

/** The `qmqtt-broker` config node instance. */
export interface BrokerNode extends Node<BrokerCredentials> {
  connection?: BrokerConnection;
  configError?: string;
}

/**
 * The connection of the config node `brokerId`, or undefined after reporting why there is none (missing or
 * invalid configuration) through `node.error` and a red status.
 */
export function connectionOf(RED: NodeAPI, node: Node, brokerId: string): BrokerConnection | undefined {
  const b: BrokerNode | null = brokerId ? RED.nodes.getNode(brokerId) : null;
  if (!b) {
    node.status(errorStatus(RED._(`${node.type}.errors.missing-config`)));
    node.error(RED._(`${node.type}.errors.missing-config`));
    return undefined;
  }
  if (!b.connection) {
    node.status(errorStatus(RED._(`${node.type}.errors.invalid-broker`, { error: '' })));
    node.error(RED._(`${node.type}.errors.invalid-broker`, { error: b.configError ?? '' }));
    return undefined;
  }
  return b.connection;
}

/** A ConnectionUser that shows the connection state on `node`. */
export function userFor(node: Node): ConnectionUser {
  return { id: node.id, status: (s) => node.status(s) };
}

/**
 * Handles `msg.action` "connect" / "disconnect" (as core's MQTT nodes do). Returns false for any other action
 * so the caller can handle it.
 */
export function handleConnectionAction(conn: BrokerConnection, msg: NodeMessage, done: NodeDone): boolean {
  if (msg.action === 'connect') {
    conn.connect();
    done();
    return true;
  }
  if (msg.action === 'disconnect') {
    conn.disconnect().then(
      () => done(),
      (e: unknown) => done(e instanceof Error ? e : new Error(String(e))),
    );
    return true;
  }
  return false;
}

/** Runs `close` and then Node-RED's `done`, whatever happens. */
export function closeThen(close: () => Promise<void>, done: () => void): void {
  close().then(done, done);
}

export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
