/**
 * node-red-node-test-helper, typed for our tests and pointed at the Node-RED runtime under test: `node-red`
 * (4.1) by default, `node-red-5` when QMQTT_NODE_RED=node-red-5 (the Node 22 pass, `npm run test:node-red-5`).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../../..');

export const NODE_RED_PACKAGE = process.env.QMQTT_NODE_RED ?? 'node-red';
const nrRequire = createRequire(require.resolve(`${NODE_RED_PACKAGE}/package.json`));
export const NODE_RED_VERSION = (nrRequire('./package.json') as { version: string }).version;

export interface FlowNode {
  id: string;
  type: string;
  wires?: string[][];
  [key: string]: unknown;
}

export type Msg = Record<string, unknown>;

export interface TestNode {
  id: string;
  type: string;
  receive(msg: Msg): void;
  on(event: 'input', fn: (msg: Msg) => void): void;
  on(event: string, fn: (call: { args: unknown[] }) => void): void;
  [key: string]: unknown;
}

type NodeModule = (RED: unknown) => void;

interface Helper {
  init(runtimePath: string, settings?: Record<string, unknown>): void;
  load(nodes: NodeModule[], flow: FlowNode[], creds?: Record<string, unknown>): Promise<void>;
  setFlows(
    flow: FlowNode[],
    type: 'full' | 'flows' | 'nodes',
    creds?: Record<string, unknown>,
  ): Promise<void>;
  unload(): Promise<void>;
  /** Runtime settings merged over the defaults, e.g. `functionGlobalContext`. */
  settings(userSettings: Record<string, unknown>): Record<string, unknown>;
  getNode(id: string): TestNode | null;
  startServer(): Promise<void>;
  stopServer(): Promise<void>;
}

export const helper = require('node-red-node-test-helper') as Helper;
helper.init(require.resolve(NODE_RED_PACKAGE));

const TYPES = ['qmqtt-broker', 'qmqtt-in', 'qmqtt-out', 'qmqtt-auth', 'qmqtt-status'] as const;

function loadBuilt(type: string): NodeModule {
  const file = path.join(root, 'dist/nodes', type, `${type}.js`);
  if (!fs.existsSync(file))
    throw new Error(`${file} is missing: run \`npm run build\` before the node tests`);
  return require(file) as NodeModule;
}

/** Our five node modules (from dist/, as Node-RED loads them). */
export const qmqttNodes: NodeModule[] = TYPES.map(loadBuilt);

/** A core node module of the runtime under test, e.g. `common/20-inject.js`. */
export function coreNode(rel: string): NodeModule {
  return nrRequire(`@node-red/nodes/core/${rel}`) as NodeModule;
}

/** Collects what a (helper) node receives. */
export function collect(node: TestNode | null): Msg[] {
  if (!node) throw new Error('node not found');
  const got: Msg[] = [];
  node.on('input', (msg: Msg) => got.push(msg));
  return got;
}

/** Collects the errors a node reports with `node.error(err, msg)`: [message, msg]. */
export function errorsOf(node: TestNode | null): { message: string; msg: unknown }[] {
  if (!node) throw new Error('node not found');
  const got: { message: string; msg: unknown }[] = [];
  node.on('call:error', (call: { args: unknown[] }) => {
    const e = call.args[0];
    got.push({ message: e instanceof Error ? e.message : String(e), msg: call.args[1] });
  });
  return got;
}

/** Polls until `cond` holds (fails after `ms` with `what`). */
export async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let seq = 0;
/** A unique topic prefix per test, so retained messages of one test never reach another. */
export function uniqueTopic(name: string): string {
  return `qmqtt-test/${process.pid}/${++seq}/${name}`;
}

/** A broker config node for the flow. */
export function brokerNode(
  id: string,
  host: string,
  port: number,
  extra: Record<string, unknown> = {},
): FlowNode {
  return {
    id,
    type: 'qmqtt-broker',
    name: 'test broker',
    broker: host,
    port,
    protocolVersion: '4',
    autoReconnect: false,
    configVersion: 1,
    ...extra,
  };
}
