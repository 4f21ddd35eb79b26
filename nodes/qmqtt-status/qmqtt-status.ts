/**
 * `qmqtt-status`: every signal of the shared client as an output msg (`msg.topic` = signal name,
 * `msg.payload` = its arguments by name), filtered by the editor's choice. Input `msg.action`: connect,
 * disconnect, ping, set (client properties in `msg.payload`, applied on the next connect).
 */
import { asError, closeThen, connectionOf, handleConnectionAction, userFor } from '../shared/broker-node';
import { toStr, type StatusConfigRaw } from '../shared/config';
import { Listeners } from '../shared/listeners';
import { migrateSimpleConfig } from '../shared/migrations';
import type { Node, NodeAPI } from '../shared/node-red-types';
import { validateProperties } from '../shared/properties';
import { bindSignals, signalFilter, type SignalName } from '../shared/signals';

export = function (RED: NodeAPI): void {
  function QMqttStatusNode(this: Node, raw: StatusConfigRaw): void {
    RED.nodes.createNode(this, raw);
    setup(this, raw);
  }

  function setup(node: Node, raw: StatusConfigRaw): void {
    const cfg = migrateSimpleConfig(raw);
    let names: SignalName[];
    try {
      names = signalFilter(cfg.signals);
    } catch (e) {
      node.error(e);
      return;
    }
    const conn = connectionOf(RED, node, toStr(cfg.broker));
    if (!conn) return;
    const user = userFor(node);
    const listeners = new Listeners();
    bindSignals(conn.client, names, listeners, (signal, payload) => node.send({ topic: signal, payload }));
    conn.register(user);

    node.on('input', (msg, _send, done) => {
      if (handleConnectionAction(conn, msg, done)) return;
      try {
        if (msg.action === 'ping') {
          if (!conn.client.requestPing()) throw new Error(RED._('qmqtt-status.errors.ping'));
        } else if (msg.action === 'set') {
          conn.setProperties(validateProperties(msg.payload));
        } else {
          throw new Error(
            RED._('qmqtt-status.errors.invalid-action', {
              action: JSON.stringify(msg.action) ?? 'undefined',
            }),
          );
        }
        done();
      } catch (e) {
        done(asError(e));
      }
    });

    node.on('close', (_removed, done) => {
      listeners.clear();
      closeThen(() => conn.deregister(user), done);
    });
  }
  RED.nodes.registerType('qmqtt-status', QMqttStatusNode);
};
