/**
 * The small part of Node-RED's runtime API these nodes use, typed here so that the nodes need no `any` and no
 * dependency on @types/node-red (which lags behind Node-RED 4/5). Shapes follow Node-RED 4.1 and 5.
 */

/** A flow message: any properties; `_msgid` is set by the runtime. */
export interface NodeMessage {
  _msgid?: string;
  topic?: unknown;
  payload?: unknown;
  [key: string]: unknown;
}

/** The standard status indicator under a node. */
export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export type NodeSend = (msg: NodeMessage | null | (NodeMessage | null)[]) => void;
export type NodeDone = (err?: Error) => void;

/** The properties every node configuration has. */
export interface NodeDef {
  id: string;
  type: string;
  name?: string;
  z?: string;
  /** Node ids wired to each output. */
  wires?: string[][];
}

/** A node instance as the runtime builds it with `RED.nodes.createNode`. */
export interface Node<TCreds extends object = object> {
  readonly id: string;
  readonly type: string;
  name?: string;
  credentials: Partial<TCreds>;
  on(event: 'input', listener: (msg: NodeMessage, send: NodeSend, done: NodeDone) => void): void;
  on(event: 'close', listener: (removed: boolean, done: () => void) => void): void;
  send(msg: NodeMessage | null | (NodeMessage | null)[]): void;
  status(status: NodeStatus | Record<string, never>): void;
  error(err: unknown, msg?: NodeMessage): void;
  warn(message: unknown): void;
  log(message: unknown): void;
  debug(message: unknown): void;
}

/** The standard `tls-config` node (core 05-tls.js): fills Node.js TLS options. */
export interface TlsConfigNode extends Node {
  addTLSOptions(opts: Record<string, unknown>): Record<string, unknown>;
}

export interface NodeConstructor<TNode, TConfig> {
  (this: TNode, config: TConfig): void;
}

export interface RegisterOptions {
  credentials?: Record<string, { type: 'text' | 'password' }>;
}

/** `RED` as given to a node module. */
export interface NodeAPI {
  nodes: {
    createNode(node: object, config: NodeDef): void;
    registerType<TNode, TConfig>(
      type: string,
      ctor: NodeConstructor<TNode, TConfig>,
      opts?: RegisterOptions,
    ): void;
    getNode(id: string): Node | null;
  };
  /** The runtime settings; `userDir` holds flows, credentials and (here) session files. */
  settings: { userDir?: string };
  /** Translates a message key in the calling node's catalog. */
  _(key: string, substitutions?: Record<string, string | number>): string;
  log: {
    info(msg: unknown): void;
    warn(msg: unknown): void;
    error(msg: unknown): void;
    debug(msg: unknown): void;
  };
}
