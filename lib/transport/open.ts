import * as tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { openTcp } from './tcp';

/** Options for `connectToHostEncrypted` (Qt: QSslConfiguration), a subset of Node's `tls.ConnectionOptions`. */
export type SslConfiguration = Pick<
  tls.ConnectionOptions,
  | 'ca'
  | 'cert'
  | 'key'
  | 'passphrase'
  | 'pfx'
  | 'servername'
  | 'ALPNProtocols'
  | 'minVersion'
  | 'maxVersion'
  | 'ciphers'
  | 'rejectUnauthorized'
  | 'checkServerIdentity'
>;

/** Opens a TLS connection; certificate verification stays on unless `rejectUnauthorized: false` is given. */
export function openTls(host: string, port: number, conf: SslConfiguration): Promise<Duplex> {
  if (conf.rejectUnauthorized === false) warnInsecure(host, port);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, servername: isIp(host) ? undefined : host, ...conf });
    socket.setNoDelay(true);
    const onError = (err: Error): void => {
      socket.destroy();
      reject(err);
    };
    socket.once('error', onError);
    socket.once('secureConnect', () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

/** Turning certificate verification off is the application's explicit choice, and it is said out loud. */
export function warnInsecure(host: string, port: number): void {
  process.emitWarning(
    `TLS certificate verification is disabled for ${host}:${port} (rejectUnauthorized: false): the connection is not protected against impersonation`,
    'QMqttInsecureTLS',
  );
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

export { openTcp };
