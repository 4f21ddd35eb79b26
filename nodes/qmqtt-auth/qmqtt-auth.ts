/**
 * `qmqtt-auth`: MQTT 5 enhanced authentication from a flow. The broker's AUTH challenges
 * (`authenticationRequested`) and the end of the exchange (`authenticationFinished`) become output msgs; a msg
 * sent in answers a challenge, or starts re-authentication while connected, through `client.authenticate`.
 */
import { ClientState } from '../../lib';
import { authPropertiesFrom } from '../shared/auth';
import { asError, closeThen, connectionOf, userFor } from '../shared/broker-node';
import { toStr, type AuthConfigRaw } from '../shared/config';
import { Listeners } from '../shared/listeners';
import { migrateSimpleConfig } from '../shared/migrations';
import type { Node, NodeAPI } from '../shared/node-red-types';
import { bindSignals } from '../shared/signals';

export = function (RED: NodeAPI): void {
  function QMqttAuthNode(this: Node, raw: AuthConfigRaw): void {
    RED.nodes.createNode(this, raw);
    setup(this, raw);
  }

  function setup(node: Node, raw: AuthConfigRaw): void {
    const cfg = migrateSimpleConfig(raw);
    const conn = connectionOf(RED, node, toStr(cfg.broker));
    if (!conn) return;
    const user = userFor(node);
    const listeners = new Listeners();
    bindSignals(
      conn.client,
      ['authenticationRequested', 'authenticationFinished'],
      listeners,
      (signal, payload) => node.send({ topic: signal, payload }),
    );
    conn.register(user);

    node.on('input', (msg, _send, done) => {
      if (!conn.v5()) return done(new Error(RED._('qmqtt-auth.errors.needs-v5')));
      if (conn.client.state() === ClientState.Disconnected)
        return done(new Error(RED._('qmqtt-auth.errors.not-connected')));
      try {
        conn.client.authenticate(authPropertiesFrom(msg, conn.config.authMethod));
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
  RED.nodes.registerType('qmqtt-auth', QMqttAuthNode);
};
