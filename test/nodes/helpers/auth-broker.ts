/**
 * A minimal MQTT 5 server for enhanced authentication tests (mosquitto needs a plugin for it, Aedes 1.2 has no
 * MQTT 5): CONNECT with `method` → AUTH 0x18 "challenge" → the client's AUTH must carry `expected` → CONNACK
 * success with "welcome", else CONNACK 0x87 Not authorized. PINGREQ and DISCONNECT are answered; nothing else.
 */
import net from 'node:net';
import * as mqtt from 'mqtt-packet';

export interface AuthBroker {
  port: number;
  /** Authentication data the clients sent in AUTH packets. */
  received: string[];
  stop(): Promise<void>;
}

export async function startAuthBroker(method: string, expected: string): Promise<AuthBroker> {
  const received: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    const parser = mqtt.parser({ protocolVersion: 5 });
    const send = (p: mqtt.Packet): void => {
      sock.write(mqtt.generate(p, { protocolVersion: 5 }));
    };
    parser.on('packet', (p: mqtt.Packet) => {
      if (p.cmd === 'connect') {
        if (p.properties?.authenticationMethod !== method) {
          send({ cmd: 'connack', sessionPresent: false, reasonCode: 0x8c });
          return;
        }
        send({
          cmd: 'auth',
          reasonCode: 0x18,
          properties: { authenticationMethod: method, authenticationData: Buffer.from('challenge') },
        });
      } else if (p.cmd === 'auth') {
        const data = p.properties?.authenticationData?.toString() ?? '';
        received.push(data);
        if (data === expected)
          send({
            cmd: 'connack',
            sessionPresent: false,
            reasonCode: 0,
            properties: { authenticationMethod: method, authenticationData: Buffer.from('welcome') },
          });
        else send({ cmd: 'connack', sessionPresent: false, reasonCode: 0x87 });
      } else if (p.cmd === 'pingreq') send({ cmd: 'pingresp' });
      else if (p.cmd === 'disconnect') sock.end();
    });
    sock.on('data', (c: Buffer) => parser.parse(c));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    received,
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
