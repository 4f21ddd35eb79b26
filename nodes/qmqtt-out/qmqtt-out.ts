/**
 * `qmqtt-out`: publishes each msg. `done()` is called only when the broker has acknowledged the message
 * (QoS 1: PUBACK, QoS 2: PUBCOMP, QoS 0: written), so Complete and Catch nodes see the real outcome. Output 1
 * passes the msg on with the acknowledgement; output 2 carries the client's messageStatusChanged / messageSent
 * for that message.
 */
import type { PublishResult } from '../../lib';
import { asError, closeThen, connectionOf, handleConnectionAction, userFor } from '../shared/broker-node';
import { parseOutConfig, type OutConfigRaw } from '../shared/config';
import { msgToPublish } from '../shared/message-mapping';
import { MessageTracker } from '../shared/message-tracker';
import { migrateOutConfig } from '../shared/migrations';
import type { Node, NodeAPI } from '../shared/node-red-types';
import { errorStatus } from '../shared/status';

export = function (RED: NodeAPI): void {
  function QMqttOutNode(this: Node, raw: OutConfigRaw): void {
    RED.nodes.createNode(this, raw);
    setup(this, raw);
  }

  function setup(node: Node, raw: OutConfigRaw): void {
    let cfg;
    try {
      cfg = parseOutConfig(migrateOutConfig(raw));
    } catch (e) {
      node.status(errorStatus(asError(e).message));
      node.error(e);
      return;
    }
    const conn = connectionOf(RED, node, cfg.brokerId);
    if (!conn) return;
    const user = userFor(node);
    const tracker = new MessageTracker(conn.client);
    // Wiring is fixed until the next deploy (which recreates the node). An output with nothing wired is not
    // sent to: Node-RED would still make a message id, a metric event and the onSend hooks for each message.
    // Output 2 also costs a record per message: track only when something is wired to it (the relay hot path)
    const ackWired = (raw.wires?.[0]?.length ?? 0) > 0;
    const statusWired = (raw.wires?.[1]?.length ?? 0) > 0;
    let closed = false;
    conn.register(user);

    node.on('input', (msg, send, done) => {
      if (msg.action !== undefined && handleConnectionAction(conn, msg, done)) return;
      if (msg.action !== undefined) {
        done(
          new Error(
            RED._('qmqtt-out.errors.invalid-action', { action: JSON.stringify(msg.action) ?? 'undefined' }),
          ),
        );
        return;
      }
      let req;
      try {
        req = msgToPublish(msg, cfg, conn.v5());
      } catch (e) {
        done(asError(e));
        return;
      }
      // the broker's answer; a callback rather than publishAsync: a message awaiting its PUBACK then holds
      // one closure instead of two promises and their handlers (see publishWithCallback)
      const settled = (err: Error | null, outcome?: PublishResult): void => {
        try {
          if (err || !outcome) {
            if (statusWired) tracker.end(undefined);
            done(asError(err));
            return;
          }
          const events = statusWired ? tracker.end(outcome.id) : undefined;
          if (closed) return done();
          // set also when output 1 is unwired: Complete nodes see this msg
          msg.messageId = outcome.id;
          msg.reasonCode = outcome.reasonCode;
          if (outcome.reasonString !== undefined) msg.reasonString = outcome.reasonString;
          if (ackWired) send([msg, null]);
          if (events) {
            for (const ev of events)
              send([null, { topic: ev.signal, payload: ev.payload, _msgid: msg._msgid }]);
            if (req.qos === 0) send([null, { topic: 'messageSent', payload: { id: 0 }, _msgid: msg._msgid }]);
          }
          done();
        } catch (e) {
          // called from the client's packet handling: a failure here must not reach the connection
          node.error(asError(e), msg);
        }
      };
      if (statusWired) tracker.begin();
      conn.client.publishWithCallback(req.topic, req.properties, req.payload, req.qos, req.retain, settled);
    });

    node.on('close', (_removed, done) => {
      closed = true;
      tracker.clear();
      closeThen(() => conn.deregister(user), done);
    });
  }
  RED.nodes.registerType('qmqtt-out', QMqttOutNode);
};
