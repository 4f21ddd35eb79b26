/**
 * `qmqtt-in`: subscribes to a topic filter (or, with `msg.action`, to filters chosen at run time) and sends
 * each message as a msg with core's field names.
 */
import type { QMqttMessage } from '../../lib';
import { asError, closeThen, connectionOf, handleConnectionAction, userFor } from '../shared/broker-node';
import { parseInConfig, type Datatype, type InConfigRaw } from '../shared/config';
import { parseSubscriptionList, type DynamicSubscription } from '../shared/dynamic-subscriptions';
import { messageToMsg } from '../shared/message-mapping';
import { migrateInConfig } from '../shared/migrations';
import type { Node, NodeAPI } from '../shared/node-red-types';
import { errorStatus } from '../shared/status';

export = function (RED: NodeAPI): void {
  function QMqttInNode(this: Node, raw: InConfigRaw): void {
    RED.nodes.createNode(this, raw);
    setup(this, raw);
  }

  function setup(node: Node, raw: InConfigRaw): void {
    let cfg;
    try {
      cfg = parseInConfig(migrateInConfig(raw));
    } catch (e) {
      node.status(errorStatus(asError(e).message));
      node.error(e);
      return;
    }
    const conn = connectionOf(RED, node, cfg.brokerId);
    if (!conn) return;
    const user = userFor(node);
    const dynamic = new Map<string, DynamicSubscription>();
    const owned = new Set<string>();

    const handler = (datatype: Datatype) => (m: QMqttMessage) => {
      try {
        node.send(messageToMsg(m, datatype, conn.v5()));
      } catch (e) {
        node.error(asError(e), {
          topic: m.topic().name(),
          payload: m.payload(),
          qos: m.qos(),
          retain: m.retain(),
        });
      }
    };

    if (!cfg.dynamic) {
      if (!cfg.topic) node.error(RED._('qmqtt-in.errors.not-defined'));
      else {
        try {
          conn.subscriptions.add(cfg.topic, cfg, node.id, handler(cfg.datatype));
          owned.add(cfg.topic);
        } catch (e) {
          node.error(e);
        }
      }
    }
    conn.register(user);

    node.on('input', (msg, send, done) => {
      if (handleConnectionAction(conn, msg, done)) return;
      try {
        switch (msg.action) {
          case 'subscribe':
            for (const s of parseSubscriptionList(msg.topic, cfg.datatype)) {
              if (owned.has(s.topic)) conn.subscriptions.remove(s.topic, node.id);
              conn.subscriptions.add(s.topic, s, node.id, handler(s.datatype));
              owned.add(s.topic);
              dynamic.set(s.topic, s);
            }
            msg.subscriptions = [...dynamic.values()];
            done();
            return;
          case 'unsubscribe': {
            const list =
              msg.topic === true ? [...dynamic.values()] : parseSubscriptionList(msg.topic, cfg.datatype);
            for (const s of list) {
              conn.subscriptions.remove(s.topic, node.id);
              owned.delete(s.topic);
              dynamic.delete(s.topic);
            }
            msg.subscriptions = [...dynamic.values()];
            done();
            return;
          }
          case 'getSubscriptions':
            msg.topic = 'subscriptions';
            msg.payload = [...dynamic.values()];
            send(msg);
            done();
            return;
          default:
            done(
              new Error(
                RED._('qmqtt-in.errors.invalid-action', {
                  action: JSON.stringify(msg.action) ?? 'undefined',
                }),
              ),
            );
        }
      } catch (e) {
        done(asError(e));
      }
    });

    node.on('close', (_removed, done) => {
      for (const t of owned) conn.subscriptions.remove(t, node.id);
      owned.clear();
      dynamic.clear();
      closeThen(() => conn.deregister(user), done);
    });
  }
  RED.nodes.registerType('qmqtt-in', QMqttInNode);
};
