/**
 * The command line of `qmqtt pub | sub | bench`: one options record and the table of flags that fill it. Flags
 * are spelled as mosquitto_pub / mosquitto_sub spell them so that habits carry over; a few long options go
 * beyond them (marked "qmqtt only" in the help).
 */
import {
  ProtocolVersion,
  QMqttConnectionProperties,
  QMqttLastWillProperties,
  QMqttPublishProperties,
  QMqttSubscriptionProperties,
} from '../lib';
import { UsageError } from './errors';
import { applyProperty, type PropertyCommand } from './properties';

export type Command = 'pub' | 'sub' | 'bench';

/** Where `qmqtt pub` takes its message from (exactly one of -m, -f, -l, -s, -n). */
export type MessageSource =
  | { kind: 'message'; data: Buffer }
  | { kind: 'file'; path: string }
  | { kind: 'lines' }
  | { kind: 'stdin' }
  | { kind: 'null' };

export interface Options {
  command: Command;
  help: boolean;
  // connection
  host: string | undefined;
  port: number | undefined;
  url: string | undefined;
  clientId: string | undefined;
  clientIdPrefix: string | undefined;
  username: string | undefined;
  password: string | undefined;
  keepAlive: number;
  cleanSession: boolean;
  sessionExpiry: number | undefined;
  protocol: ProtocolVersion;
  connectTimeout: number;
  cafile: string | undefined;
  cert: string | undefined;
  key: string | undefined;
  insecure: boolean;
  willTopic: string | undefined;
  willPayload: string | undefined;
  willQos: number;
  willRetain: boolean;
  debug: boolean;
  quiet: boolean;
  /** MQTT 5 properties given with -D, and which of the property groups were used. */
  connectProps: QMqttConnectionProperties;
  publishProps: QMqttPublishProperties;
  subscribeProps: QMqttSubscriptionProperties;
  willProps: QMqttLastWillProperties;
  propertyCommands: Set<PropertyCommand>;
  // pub, sub, bench
  topics: string[];
  qos: 0 | 1 | 2;
  // pub
  source: MessageSource | undefined;
  retain: boolean;
  repeat: number;
  repeatDelay: number;
  // sub
  count: number | undefined;
  timeout: number | undefined;
  verbose: boolean;
  noEol: boolean;
  skipRetained: boolean;
  exitAfterSubscribe: boolean;
  format: string | undefined;
  filterOut: string[];
  // bench
  size: number;
  json: boolean;
  /** Flags given, for checks such as "-x needs -V 5". */
  given: Set<string>;
}

export function defaultOptions(command: Command): Options {
  return {
    command,
    help: false,
    host: undefined,
    port: undefined,
    url: undefined,
    clientId: undefined,
    clientIdPrefix: undefined,
    username: undefined,
    password: undefined,
    keepAlive: 60,
    cleanSession: true,
    sessionExpiry: undefined,
    protocol: ProtocolVersion.MQTT_3_1_1,
    connectTimeout: 30,
    cafile: undefined,
    cert: undefined,
    key: undefined,
    insecure: false,
    willTopic: undefined,
    willPayload: undefined,
    willQos: 0,
    willRetain: false,
    debug: false,
    quiet: false,
    connectProps: new QMqttConnectionProperties(),
    publishProps: new QMqttPublishProperties(),
    subscribeProps: new QMqttSubscriptionProperties(),
    willProps: new QMqttLastWillProperties(),
    propertyCommands: new Set(),
    topics: [],
    qos: 0,
    source: undefined,
    retain: false,
    repeat: 1,
    repeatDelay: 0,
    count: command === 'bench' ? 10_000 : undefined,
    timeout: command === 'bench' ? 60 : undefined,
    verbose: false,
    noEol: false,
    skipRetained: false,
    exitAfterSubscribe: false,
    format: undefined,
    filterOut: [],
    size: 64,
    json: false,
    given: new Set(),
  };
}

/** Parses a decimal integer in [min, max] or throws a usage error naming the flag. */
export function integer(flag: string, text: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`${flag} needs a whole number, got "${text}"`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${flag} must be ${min}…${max}, got ${text}`);
  return n;
}

/** Parses a non-negative number of seconds (fractions allowed). */
function seconds(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new UsageError(`${flag} needs a number of seconds ≥ 0, got "${text}"`);
  return n;
}

function qos(flag: string, text: string): 0 | 1 | 2 {
  if (text !== '0' && text !== '1' && text !== '2')
    throw new UsageError(`${flag} must be 0, 1 or 2, got "${text}"`);
  return Number(text) as 0 | 1 | 2;
}

/** mosquitto's spellings (mqttv5, mqttv311, mqttv31) and the short ones (5, 311, 31). */
function protocol(text: string): ProtocolVersion {
  switch (text.toLowerCase()) {
    case '31':
    case '3.1':
    case 'mqttv31':
      return ProtocolVersion.MQTT_3_1;
    case '311':
    case '3.1.1':
    case 'mqttv311':
      return ProtocolVersion.MQTT_3_1_1;
    case '5':
    case '5.0':
    case 'mqttv5':
      return ProtocolVersion.MQTT_5_0;
    default:
      throw new UsageError(`-V must be 31, 311 or 5 (or mqttv31, mqttv311, mqttv5), got "${text}"`);
  }
}

function setSource(o: Options, flag: string, source: MessageSource): void {
  if (o.source) throw new UsageError(`${flag}: give only one of -m, -f, -l, -s and -n (one message source)`);
  o.source = source;
}

type Take = () => string;

interface Flag {
  names: readonly string[];
  commands: readonly Command[];
  apply(o: Options, take: Take, flag: string): void;
}

const ALL: readonly Command[] = ['pub', 'sub', 'bench'];
const PUB: readonly Command[] = ['pub'];
const SUB: readonly Command[] = ['sub'];
const BENCH: readonly Command[] = ['bench'];

/** Which `-D <command>` groups each tool accepts. */
const PROPERTY_COMMANDS: Record<Command, readonly PropertyCommand[]> = {
  pub: ['connect', 'publish', 'will'],
  sub: ['connect', 'subscribe', 'will'],
  bench: ['connect', 'publish', 'subscribe'],
};

const FLAGS: readonly Flag[] = [
  { names: ['--help'], commands: ALL, apply: (o) => (o.help = true) },
  { names: ['-h', '--host'], commands: ALL, apply: (o, t) => (o.host = t()) },
  { names: ['-p', '--port'], commands: ALL, apply: (o, t, f) => (o.port = integer(f, t(), 1, 65535)) },
  { names: ['-L', '--url'], commands: ALL, apply: (o, t) => (o.url = t()) },
  { names: ['-i', '--id'], commands: ALL, apply: (o, t) => (o.clientId = t()) },
  { names: ['-I', '--id-prefix'], commands: ALL, apply: (o, t) => (o.clientIdPrefix = t()) },
  { names: ['-u', '--username'], commands: ALL, apply: (o, t) => (o.username = t()) },
  { names: ['-P', '--pw'], commands: ALL, apply: (o, t) => (o.password = t()) },
  {
    names: ['-k', '--keepalive'],
    commands: ALL,
    apply: (o, t, f) => (o.keepAlive = integer(f, t(), 0, 65535)),
  },
  { names: ['-c', '--disable-clean-session'], commands: ALL, apply: (o) => (o.cleanSession = false) },
  {
    names: ['-x', '--session-expiry-interval'],
    commands: ALL,
    apply: (o, t, f) => {
      const v = t();
      // mosquitto: -1 and ∞ mean "never expires"
      o.sessionExpiry = v === '-1' || v === '∞' ? 0xffffffff : integer(f, v, 0, 0xffffffff);
    },
  },
  { names: ['-V', '--protocol-version'], commands: ALL, apply: (o, t) => (o.protocol = protocol(t())) },
  { names: ['-q', '--qos'], commands: ALL, apply: (o, t, f) => (o.qos = qos(f, t())) },
  { names: ['-t', '--topic'], commands: ALL, apply: (o, t) => o.topics.push(t()) },
  { names: ['--cafile'], commands: ALL, apply: (o, t) => (o.cafile = t()) },
  { names: ['--cert'], commands: ALL, apply: (o, t) => (o.cert = t()) },
  { names: ['--key'], commands: ALL, apply: (o, t) => (o.key = t()) },
  { names: ['--insecure'], commands: ALL, apply: (o) => (o.insecure = true) },
  {
    names: ['--connect-timeout'],
    commands: ALL,
    apply: (o, t, f) => {
      o.connectTimeout = seconds(f, t());
      if (o.connectTimeout === 0) throw new UsageError(`${f} must be more than 0 seconds`);
    },
  },
  { names: ['--will-topic'], commands: ['pub', 'sub'], apply: (o, t) => (o.willTopic = t()) },
  { names: ['--will-payload'], commands: ['pub', 'sub'], apply: (o, t) => (o.willPayload = t()) },
  { names: ['--will-qos'], commands: ['pub', 'sub'], apply: (o, t, f) => (o.willQos = qos(f, t())) },
  { names: ['--will-retain'], commands: ['pub', 'sub'], apply: (o) => (o.willRetain = true) },
  { names: ['-d', '--debug'], commands: ALL, apply: (o) => (o.debug = true) },
  { names: ['--quiet'], commands: ALL, apply: (o) => (o.quiet = true) },
  {
    names: ['-D', '--property'],
    commands: ALL,
    apply: (o, t, f) => {
      const command = t() as PropertyCommand;
      const allowed = PROPERTY_COMMANDS[o.command];
      if (!allowed.includes(command))
        throw new UsageError(
          `${f} ${command}: qmqtt ${o.command} takes -D ${allowed.join(' | ')} properties, not "${command}"`,
        );
      applyProperty(o, command, t(), t);
      o.propertyCommands.add(command);
    },
  },
  // pub
  {
    names: ['-m', '--message'],
    commands: PUB,
    apply: (o, t, f) => setSource(o, f, { kind: 'message', data: Buffer.from(t(), 'utf8') }),
  },
  {
    names: ['-f', '--file'],
    commands: PUB,
    apply: (o, t, f) => setSource(o, f, { kind: 'file', path: t() }),
  },
  { names: ['-l', '--stdin-line'], commands: PUB, apply: (o, _t, f) => setSource(o, f, { kind: 'lines' }) },
  { names: ['-s', '--stdin-file'], commands: PUB, apply: (o, _t, f) => setSource(o, f, { kind: 'stdin' }) },
  { names: ['-n', '--null-message'], commands: PUB, apply: (o, _t, f) => setSource(o, f, { kind: 'null' }) },
  { names: ['-r', '--retain'], commands: PUB, apply: (o) => (o.retain = true) },
  { names: ['--repeat'], commands: PUB, apply: (o, t, f) => (o.repeat = integer(f, t(), 1, 1_000_000_000)) },
  { names: ['--repeat-delay'], commands: PUB, apply: (o, t, f) => (o.repeatDelay = seconds(f, t())) },
  // sub
  {
    names: ['-C', '--count'],
    commands: ['sub', 'bench'],
    apply: (o, t, f) => (o.count = integer(f, t(), 1, 1e9)),
  },
  {
    names: ['-W', '--timeout'],
    commands: ['sub', 'bench'],
    apply: (o, t, f) => {
      o.timeout = seconds(f, t());
      if (o.timeout === 0) throw new UsageError(`${f} must be more than 0 seconds`);
    },
  },
  { names: ['-v', '--verbose'], commands: SUB, apply: (o) => (o.verbose = true) },
  { names: ['-N'], commands: SUB, apply: (o) => (o.noEol = true) },
  { names: ['-R'], commands: SUB, apply: (o) => (o.skipRetained = true) },
  { names: ['-E'], commands: SUB, apply: (o) => (o.exitAfterSubscribe = true) },
  { names: ['-F', '--format'], commands: SUB, apply: (o, t) => (o.format = t()) },
  { names: ['-T', '--filter-out'], commands: SUB, apply: (o, t) => o.filterOut.push(t()) },
  { names: ['--no-local'], commands: SUB, apply: (o) => o.subscribeProps.setNoLocal(true) },
  {
    names: ['--retain-as-published'],
    commands: SUB,
    apply: (o) => o.subscribeProps.setRetainAsPublished(true),
  },
  {
    names: ['--retain-handling'],
    commands: SUB,
    apply: (o, t, f) => o.subscribeProps.setRetainHandling(integer(f, t(), 0, 2)),
  },
  // bench
  {
    names: ['-s', '--size'],
    commands: BENCH,
    apply: (o, t, f) => (o.size = integer(f, t(), 0, 256 * 1024 * 1024)),
  },
  { names: ['--json'], commands: BENCH, apply: (o) => (o.json = true) },
];

/** Parses the arguments after the command name. Throws {@link UsageError} with a one-line reason. */
export function parseOptions(command: Command, argv: readonly string[]): Options {
  const o = defaultOptions(command);
  for (let i = 0; i < argv.length; i++) {
    let token = argv[i]!;
    let inline: string | undefined;
    if (token.startsWith('--') && token.includes('=')) {
      inline = token.slice(token.indexOf('=') + 1);
      token = token.slice(0, token.indexOf('='));
    }
    const flag = FLAGS.find((f) => f.names.includes(token) && f.commands.includes(command));
    if (!flag) {
      if (FLAGS.some((f) => f.names.includes(token)))
        throw new UsageError(`option ${token} does not apply to qmqtt ${command}`);
      if (token.startsWith('-')) throw new UsageError(`unknown option ${token}`);
      throw new UsageError(`unexpected argument "${token}" (options start with -)`);
    }
    const take: Take = () => {
      if (inline !== undefined) {
        const v = inline;
        inline = undefined;
        return v;
      }
      if (i + 1 >= argv.length) throw new UsageError(`${token} needs a value`);
      return argv[++i]!;
    };
    try {
      flag.apply(o, take, token);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      // the library's setters throw RangeError / TypeError with the reason
      throw new UsageError(`${token}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (inline !== undefined) throw new UsageError(`${token} takes no value`);
    o.given.add(flag.names[0]!);
  }
  return o;
}
