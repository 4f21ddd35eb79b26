/**
 * `qmqtt-broker`: the config node. It owns one QMqttClient (through a BrokerConnection) shared by every
 * `qmqtt-in`, `qmqtt-out`, `qmqtt-auth` and `qmqtt-status` node that uses it.
 */
import { BrokerConnection } from '../shared/broker-connection';
import { closeThen, type BrokerNode } from '../shared/broker-node';
import { openSessionFile, tlsOptionsFrom } from '../shared/client-setup';
import { registerBrokerClient } from '../shared/client-registry';
import { parseBrokerConfig, type BrokerConfigRaw } from '../shared/config';
import { migrateBrokerConfig } from '../shared/migrations';
import type { NodeAPI, TlsConfigNode } from '../shared/node-red-types';

export = function (RED: NodeAPI): void {
  function QMqttBrokerNode(this: BrokerNode, raw: BrokerConfigRaw): void {
    RED.nodes.createNode(this, raw);
    setup(this, raw);
  }

  function setup(node: BrokerNode, raw: BrokerConfigRaw): void {
    let unregister: (() => void) | undefined;
    try {
      const cfg = parseBrokerConfig(migrateBrokerConfig(raw));
      const secure = cfg.transport === 'tls' || cfg.transport === 'wss';
      const tlsNode =
        secure && cfg.tlsConfigId ? (RED.nodes.getNode(cfg.tlsConfigId) as TlsConfigNode | null) : null;
      node.connection = new BrokerConnection(
        cfg,
        node.credentials,
        tlsOptionsFrom(tlsNode),
        {
          log: (m) => node.log(m),
          error: (e) => node.error(e),
          t: (k, s) => RED._(k, s),
        },
        cfg.persistSession ? openSessionFile(RED.settings.userDir, node.id) : undefined,
      );
      // Function nodes reach the live client by id or name (clientOf in the package's main export).
      unregister = registerBrokerClient(node, node.connection.client);
    } catch (e) {
      node.configError = e instanceof Error ? e.message : String(e);
      node.error(RED._('qmqtt-broker.errors.invalid-config', { error: node.configError }));
    }
    node.on('close', (_removed, done) => {
      const c = node.connection;
      node.connection = undefined;
      unregister?.();
      closeThen(() => c?.close() ?? Promise.resolve(), done);
    });
  }
  RED.nodes.registerType('qmqtt-broker', QMqttBrokerNode, {
    credentials: { user: { type: 'text' }, password: { type: 'password' } },
  });
};
