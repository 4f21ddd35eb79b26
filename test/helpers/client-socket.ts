import * as net from 'node:net';
import { expect } from 'vitest';

/**
 * The one open TCP socket of this process to `port`: the socket the library opened for the client connected
 * last. Sockets of earlier tests that are still closing (ended, or destroyed and not yet released) do not count.
 */
export function clientSocket(port: number): net.Socket {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  const mine = handles.filter(
    (h): h is net.Socket =>
      h instanceof net.Socket && h.remotePort === port && !h.destroyed && !h.writableEnded,
  );
  expect(mine).toHaveLength(1);
  return mine[0]!;
}
