import http from 'node:http';
import net from 'node:net';
import { Aedes, type AedesOptions } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';

export interface AedesStartOptions {
  /** Also serve MQTT over WebSockets (any path, e.g. ws://127.0.0.1:wsPort/mqtt) on wsPort. */
  websocket?: boolean;
  /** Passed to Aedes.createBroker (authenticate, authorizePublish, keepaliveLimit, ...). */
  aedes?: AedesOptions;
}

export interface AedesBroker {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly wsPort?: number;
  readonly broker: Aedes;
  /** Closes the broker (disconnecting all clients) and the listeners. Idempotent. */
  stop(): Promise<void>;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      server.off('error', reject);
      const addr = server.address();
      if (addr === null || typeof addr === 'string')
        reject(new Error('aedes: could not read the bound port'));
      else resolve(addr.port);
    });
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
  });
}

/** Starts an in-process Aedes broker on a free 127.0.0.1 port (plus a WebSocket front when asked). */
export async function startAedes(opts: AedesStartOptions = {}): Promise<AedesBroker> {
  const broker = await Aedes.createBroker(opts.aedes);
  const sockets = new Set<net.Socket>();

  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.once('close', () => sockets.delete(sock));
    broker.handle(sock);
  });
  const port = await listen(server);

  let httpServer: http.Server | undefined;
  let wss: WebSocketServer | undefined;
  let wsPort: number | undefined;
  if (opts.websocket) {
    httpServer = http.createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' });
      res.end('MQTT over WebSocket only\n');
    });
    wss = new WebSocketServer({ server: httpServer });
    wss.on('connection', (ws, req) => {
      const stream = createWebSocketStream(ws);
      stream.on('error', () => {});
      broker.handle(stream, req);
    });
    wsPort = await listen(httpServer);
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const closing = Promise.all([
        closeServer(server),
        httpServer ? closeServer(httpServer) : Promise.resolve(),
      ]);
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      for (const s of sockets) s.destroy();
      if (wss) {
        for (const ws of wss.clients) ws.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
      }
      httpServer?.closeAllConnections();
      await closing;
    })();
    return stopping;
  };

  return { host: '127.0.0.1', port, wsPort, broker, stop };
}
