import type { Duplex } from 'node:stream';
import { TransportType } from '../state';
import { openTcp, openTls, type SslConfiguration } from '../transport/open';
import { openWebSocket, webSocketUrl, type WebSocketOptions } from '../transport/websocket';
import { parseServerUrl } from '../transport/url';

/** How the next connection is opened: what the application asked for with the last connectToHost… call. */
export type ConnectPlan =
  | { kind: TransportType.AbstractSocket }
  | { kind: TransportType.SecureSocket; ssl: SslConfiguration }
  | { kind: TransportType.WebSocket; ws: WebSocketOptions }
  | { kind: TransportType.SecureWebSocket; ws: WebSocketOptions };

/** A broker to connect to: from hostname()/port() or from one entry of the fail-over list. */
export interface Target {
  host: string;
  port: number;
  plan: ConnectPlan;
}

/** Default port of each transport when port() is 0. */
export function defaultPort(kind: TransportType): number {
  switch (kind) {
    case TransportType.SecureSocket:
      return 8883;
    case TransportType.WebSocket:
      return 80;
    case TransportType.SecureWebSocket:
      return 443;
    default:
      return 1883;
  }
}

/** The target for a fail-over list entry (a URL); TLS/WebSocket options come from the current plan. */
export function targetFromUrl(url: string, current: ConnectPlan): Target {
  const a = parseServerUrl(url);
  const ssl = current.kind === TransportType.SecureSocket ? current.ssl : {};
  const ws =
    current.kind === TransportType.WebSocket || current.kind === TransportType.SecureWebSocket
      ? current.ws
      : {};
  let plan: ConnectPlan;
  switch (a.transport) {
    case TransportType.SecureSocket:
      plan = { kind: a.transport, ssl };
      break;
    case TransportType.WebSocket:
    case TransportType.SecureWebSocket:
      plan = { kind: a.transport, ws: { ...ws, path: a.path } };
      break;
    default:
      plan = { kind: TransportType.AbstractSocket };
  }
  return { host: a.host, port: a.port, plan };
}

/** Returns the function that opens the byte stream for `target`. */
export function opener(target: Target, protocolLevel: number): () => Promise<Duplex> {
  const { host, plan } = target;
  const port = target.port || defaultPort(plan.kind);
  switch (plan.kind) {
    case TransportType.SecureSocket:
      return () => openTls(host, port, plan.ssl);
    case TransportType.WebSocket:
      return () => openWebSocket(webSocketUrl(false, host, port, plan.ws.path), plan.ws, protocolLevel);
    case TransportType.SecureWebSocket:
      return () => openWebSocket(webSocketUrl(true, host, port, plan.ws.path), plan.ws, protocolLevel);
    default:
      return () => openTcp(host, port);
  }
}
