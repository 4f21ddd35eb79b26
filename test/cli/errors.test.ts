/**
 * Bad command lines and unreachable brokers: a clear one-line message on stderr, a non-zero exit code that
 * says which kind of failure it was, and never a stack trace.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports';
import { startMosquitto, type MosquittoBroker } from '../helpers/mosquitto';
import { CLI, ROOT, assertBuilt, runCli, runTool, type RunResult } from './helpers';

const USAGE = 2;
const CONNECT = 3;

/** One line on stderr, prefixed with the command, no stack frame, nothing on stdout. */
function expectOneLineError(r: RunResult, code: number, pattern: RegExp): void {
  expect(r.signal).toBeNull();
  expect(r.code, `stderr: ${r.stderr}`).toBe(code);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^qmqtt( pub| sub| bench)?: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at |Error: .*\n|node:internal/);
  expect(r.stdout).toBe('');
}

beforeAll(() => assertBuilt());

describe('bad command lines exit 2 with one line saying what is wrong', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown command', ['frobnicate'], /unknown command "frobnicate"/],
    ['unknown option', ['pub', '-t', 'a', '-m', 'x', '-Z'], /unknown option -Z/],
    ['option of another command', ['pub', '-t', 'a', '-m', 'x', '-C', '3'], /-C does not apply to qmqtt pub/],
    ['missing value', ['pub', '-t', 'a', '-m'], /-m needs a value/],
    ['QoS out of range', ['pub', '-t', 'a', '-m', 'x', '-q', '3'], /-q must be 0, 1 or 2, got "3"/],
    ['port not a number', ['sub', '-t', 'a', '-p', 'abc'], /-p needs a whole number, got "abc"/],
    ['port out of range', ['sub', '-t', 'a', '-p', '70000'], /-p must be 1…65535/],
    ['protocol version', ['pub', '-t', 'a', '-m', 'x', '-V', '6'], /-V must be 31, 311 or 5/],
    ['no topic', ['pub', '-m', 'x'], /a topic is needed/],
    ['no message', ['pub', '-t', 'a'], /a message is needed/],
    ['two message sources', ['pub', '-t', 'a', '-m', 'x', '-n'], /only one of -m, -f, -l, -s and -n/],
    [
      'wildcard in a topic name',
      ['pub', '-t', 'a/+', '-m', 'x'],
      /-t: topic name must not contain the wildcard '\+'/,
    ],
    ['bad filter', ['sub', '-t', 'a/#/b'], /-t: .*#/],
    ['sub without topic', ['sub'], /a topic filter is needed/],
    [
      '-D needs MQTT 5',
      ['pub', '-t', 'a', '-m', 'x', '-D', 'publish', 'content-type', 'c'],
      /MQTT 5 only: add -V 5/,
    ],
    [
      '-D unknown property',
      ['pub', '-V', '5', '-t', 'a', '-m', 'x', '-D', 'publish', 'colour', 'red'],
      /unknown property "colour"/,
    ],
    [
      '-D property of another command',
      ['pub', '-V', '5', '-t', 'a', '-m', 'x', '-D', 'subscribe', 'subscription-identifier', '3'],
      /takes -D connect \| publish \| will properties, not "subscribe"/,
    ],
    [
      '-D value out of range',
      ['pub', '-V', '5', '-t', 'a', '-m', 'x', '-D', 'publish', 'message-expiry-interval', '-5'],
      /message-expiry-interval needs a whole number/,
    ],
    [
      '-D user-property without value',
      ['pub', '-V', '5', '-t', 'a', '-m', 'x', '-D', 'publish', 'user-property', 'k'],
      /-D needs a value/,
    ],
    ['-c without client id', ['sub', '-t', 'a', '-c'], /-c needs a client id/],
    ['-x with 3.1.1', ['sub', '-t', 'a', '-x', '60'], /-x is MQTT 5 only/],
    ['-W zero', ['sub', '-t', 'a', '-W', '0'], /-W must be more than 0 seconds/],
    ['-C zero', ['sub', '-t', 'a', '-C', '0'], /-C must be 1…/],
    ['bad URL', ['pub', '-L', 'http://x/a', '-m', 'x'], /-L: Unsupported scheme "http:"/],
    ['unknown -F specifier', ['sub', '-t', 'a', '-F', '%t %Z'], /-F: unknown format specifier %Z/],
    ['stray argument', ['pub', 'hello'], /unexpected argument "hello"/],
    [
      '--cert without --key',
      ['pub', '-t', 'a', '-m', 'x', '--cert', 'c.pem'],
      /--cert and --key go together/,
    ],
    [
      'missing CA file',
      ['pub', '-t', 'a', '-m', 'x', '--cafile', '/nonexistent/ca.pem'],
      /--cafile: cannot read \/nonexistent\/ca.pem: ENOENT/,
    ],
    [
      'missing message file',
      ['pub', '-t', 'a', '-f', '/nonexistent/file'],
      /-f: cannot read \/nonexistent\/file: ENOENT/,
    ],
    ['subscription option under 3.1.1', ['sub', '-t', 'a', '--no-local'], /MQTT 5 only/],
  ];
  // each case is its own process and touches no broker: run them side by side
  it.concurrent.each(cases)('%s', async (_name, args, pattern) => {
    const r = await runCli(args);
    expectOneLineError(r, USAGE, pattern);
  });

  it('a usage error points at the command help', async () => {
    const r = await runCli(['sub', '-t', 'a', '-q', '9']);
    expect(r.stderr).toMatch(/\(see qmqtt sub --help\)$/m);
  });

  it('--quiet keeps the exit code and drops the message (as mosquitto)', async () => {
    const r = await runCli(['pub', '-t', 'a', '-q', '7', '-m', 'x', '--quiet']);
    expect(r.code).toBe(USAGE);
    expect(r.stderr).toBe('');
  });

  it('without a command it prints the usage on stderr and exits 2', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(USAGE);
    expect(r.stderr).toMatch(/^Usage:/m);
    expect(r.stderr).toMatch(/qmqtt pub/);
  });

  it("--help prints each command's usage on stdout and exits 0", async () => {
    for (const cmd of ['pub', 'sub', 'bench']) {
      const r = await runCli([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: qmqtt ${cmd}`));
      expect(r.stdout).toMatch(/-D <command> <identifier> <value>/);
    }
    const main = await runCli(['--help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/Exit codes: 0 done/);
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`qmqtt ${pkg.version}`);
  });

  it('package.json registers the qmqtt bin; the launcher runs by itself (shebang, executable)', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
      files: string[];
    };
    expect(pkg.bin).toEqual({ qmqtt: 'bin/qmqtt.js' });
    expect(pkg.files).toContain('bin');
    expect(fs.readFileSync(CLI, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    const r = await runTool(CLI, ['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^qmqtt \d+\.\d+\.\d+/);
  });

  it('a bad flag is reported before connecting: nothing reaches the broker', async () => {
    const port = await freePort();
    // nothing listens on `port`: a connect attempt would give exit 3, the usage error must win
    const r = await runCli(['pub', '-p', String(port), '-t', 'a', '-m', 'x', '-q', '5']);
    expect(r.code).toBe(USAGE);
  });
});

describe('unreachable brokers exit 3 with one line naming the broker', () => {
  it('connection refused (nothing listens on the port)', async () => {
    const port = await freePort();
    const r = await runCli(['pub', '-h', '127.0.0.1', '-p', String(port), '-t', 'a', '-m', 'x']);
    expectOneLineError(
      r,
      CONNECT,
      new RegExp(`cannot connect to mqtt://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`),
    );
  });

  it('unknown host name', async () => {
    const r = await runCli(['sub', '-h', 'no-such-host.invalid', '-t', 'a']);
    expectOneLineError(
      r,
      CONNECT,
      /cannot connect to mqtt:\/\/no-such-host\.invalid:1883: .*(ENOTFOUND|EAI_AGAIN)/,
    );
  });

  it('a server that never answers CONNACK: --connect-timeout', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const r = await runCli([
        'pub',
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-t',
        'a',
        '-m',
        'x',
        '--connect-timeout',
        '1',
      ]);
      expectOneLineError(r, CONNECT, /cannot connect to .*(No CONNACK within 1000 ms|no answer within 1 s)/);
      expect(r.ms).toBeLessThan(8000);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  it('WebSocket URL where nothing listens', async () => {
    const port = await freePort();
    const r = await runCli(['sub', '-L', `ws://127.0.0.1:${port}/mqtt`, '-t', 'a']);
    expectOneLineError(r, CONNECT, new RegExp(`cannot connect to ws://127\\.0\\.0\\.1:${port}/mqtt: `));
  });
});

describe('a broker that refuses the connection', () => {
  let m: MosquittoBroker;
  beforeAll(async () => {
    // the last allow_anonymous wins: anonymous clients are refused
    m = await startMosquitto({ extraConfig: `allow_anonymous false\n` });
  });
  afterAll(async () => {
    await m?.stop();
  });

  it.each([
    ['311', /refused the connection.*NotAuthorized/],
    ['5', /refused the connection.*(NotAuthorized|0x87)/],
  ])('CONNACK refusal under -V %s exits 3 with the reason', async (v, pattern) => {
    const r = await runCli(['pub', '-p', String(m.port), '-h', '127.0.0.1', '-V', v, '-t', 'a', '-m', 'x']);
    expectOneLineError(r, CONNECT, pattern);
  });
});
