import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from './cleanup';

/** Absolute paths of the PEM files produced by {@link makeCerts}. All keys are EC P-256. */
export interface CertPaths {
  dir: string;
  /** Test CA that signs serverCert, clientCert and wrongHostCert. */
  caCert: string;
  caKey: string;
  /** Server certificate: CN=localhost, SAN DNS:localhost, IP:127.0.0.1 (serverAuth), signed by caCert. */
  serverCert: string;
  serverKey: string;
  /** Client certificate: CN=qmqtt-test-client (clientAuth), signed by caCert. */
  clientCert: string;
  clientKey: string;
  /** A second, unrelated CA ("wrong CA" tests). */
  otherCaCert: string;
  otherCaKey: string;
  /** Client certificate signed by otherCaCert (untrusted by a broker that trusts caCert). */
  otherClientCert: string;
  otherClientKey: string;
  /** Server certificate for the wrong host name: CN/SAN DNS:wrong.example only, signed by caCert. */
  wrongHostCert: string;
  wrongHostKey: string;
}

const OPENSSL_CNF = `
[req]
distinguished_name = dn
prompt = no

[dn]
CN = placeholder

[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[server_localhost]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[server_wrong_host]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong.example
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

const DAYS = '3650';

const cache = new Map<string, CertPaths>();
let defaultDir: string | undefined;

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT') {
      throw new Error(
        'makeCerts: the `openssl` CLI was not found on PATH. Install it: apt-get install openssl',
      );
    }
    const stderr = e.stderr ? e.stderr.toString() : '';
    throw new Error(`makeCerts: openssl ${args.join(' ')} failed: ${e.message}\n${stderr}`);
  }
}

function genKey(file: string, cwd: string): void {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file], cwd);
  fs.chmodSync(path.join(cwd, file), 0o600);
}

function makeCa(name: string, cn: string, cwd: string): void {
  genKey(`${name}.key`, cwd);
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-sha256',
      '-days',
      DAYS,
      '-config',
      'openssl.cnf',
      '-extensions',
      'v3_ca',
      '-key',
      `${name}.key`,
      '-subj',
      `/CN=${cn}`,
      '-out',
      `${name}.crt`,
    ],
    cwd,
  );
}

function makeLeaf(name: string, cn: string, ca: string, extensions: string, cwd: string): void {
  genKey(`${name}.key`, cwd);
  openssl(
    [
      'req',
      '-new',
      '-config',
      'openssl.cnf',
      '-key',
      `${name}.key`,
      '-subj',
      `/CN=${cn}`,
      '-out',
      `${name}.csr`,
    ],
    cwd,
  );
  openssl(
    [
      'x509',
      '-req',
      '-sha256',
      '-days',
      DAYS,
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.crt`,
      '-CAkey',
      `${ca}.key`,
      '-set_serial',
      `0x${randomBytes(8).toString('hex')}`,
      '-extfile',
      'openssl.cnf',
      '-extensions',
      extensions,
      '-out',
      `${name}.crt`,
    ],
    cwd,
  );
  fs.rmSync(path.join(cwd, `${name}.csr`), { force: true });
}

/**
 * Generates (synchronously, with the `openssl` CLI) a test PKI into `dir` and returns the file paths.
 * Without `dir`, a per-process temporary directory is used (removed when the process exits).
 * Results are cached per process and directory, so repeated calls are free.
 */
export function makeCerts(dir?: string): CertPaths {
  if (dir === undefined) {
    if (defaultDir === undefined) {
      defaultDir = makeTempDir('qmqtt-certs-');
    }
    dir = defaultDir;
  }
  const abs = path.resolve(dir);
  const cached = cache.get(abs);
  if (cached) return cached;

  fs.mkdirSync(abs, { recursive: true });
  fs.writeFileSync(path.join(abs, 'openssl.cnf'), OPENSSL_CNF);

  makeCa('ca', 'qmqtt-test-ca', abs);
  makeLeaf('server', 'localhost', 'ca', 'server_localhost', abs);
  makeLeaf('client', 'qmqtt-test-client', 'ca', 'client', abs);
  makeLeaf('wrong-host', 'wrong.example', 'ca', 'server_wrong_host', abs);
  makeCa('other-ca', 'qmqtt-unrelated-ca', abs);
  makeLeaf('other-client', 'qmqtt-untrusted-client', 'other-ca', 'client', abs);

  const p = (f: string): string => path.join(abs, f);
  const paths: CertPaths = {
    dir: abs,
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    serverCert: p('server.crt'),
    serverKey: p('server.key'),
    clientCert: p('client.crt'),
    clientKey: p('client.key'),
    otherCaCert: p('other-ca.crt'),
    otherCaKey: p('other-ca.key'),
    otherClientCert: p('other-client.crt'),
    otherClientKey: p('other-client.key'),
    wrongHostCert: p('wrong-host.crt'),
    wrongHostKey: p('wrong-host.key'),
  };
  cache.set(abs, paths);
  return paths;
}
