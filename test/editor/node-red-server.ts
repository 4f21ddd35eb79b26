/**
 * Node-RED 4.1 embedded in the test process with this package installed (a symlink in a temp userDir's
 * node_modules, as `npm install` would), on a free port, for the browser tests.
 */
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../..');

export interface RuntimeNode {
  connection?: { client: import('../../lib').QMqttClient };
  receive(msg: Record<string, unknown>): void;
}

interface RedApi {
  init(server: http.Server, settings: Record<string, unknown>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  httpAdmin: http.RequestListener;
  nodes: { getNode(id: string): RuntimeNode | null };
}

export interface EditorServer {
  url: string;
  userDir: string;
  RED: RedApi;
  stop(): Promise<void>;
}

export async function startNodeRed(flows: object[]): Promise<EditorServer> {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qmqtt-editor-'));
  fs.mkdirSync(path.join(userDir, 'node_modules'));
  fs.symlinkSync(root, path.join(userDir, 'node_modules', 'node-red-contrib-qmqtt'), 'dir');
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows));
  const RED = require('node-red') as RedApi;
  const server = http.createServer();
  RED.init(server, {
    userDir,
    flowFile: 'flows.json',
    credentialSecret: false,
    httpAdminRoot: '/',
    uiHost: '127.0.0.1',
    logging: { console: { level: 'warn' } },
    editorTheme: { tours: false, projects: { enabled: false } },
    telemetry: { enabled: false },
    diagnostics: { enabled: false },
  });
  server.on('request', RED.httpAdmin);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  await RED.start();
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    userDir,
    RED,
    async stop() {
      await RED.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      fs.rmSync(userDir, { recursive: true, force: true });
    },
  };
}
