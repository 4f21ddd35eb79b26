import { startAedes } from './aedes';
import { startMosquitto } from './mosquitto';

export type BrokerName = 'aedes' | 'mosquitto';

export interface RunningBroker {
  readonly name: BrokerName;
  readonly host: string;
  readonly port: number;
  /** Present when started with { websocket: true }. */
  readonly wsPort?: number;
  /** Broker accepts MQTT 5 CONNECT (aedes 1.2 answers CONNACK rc=1 "unacceptable protocol version"). */
  readonly supportsV5: boolean;
  stop(): Promise<void>;
  /** Crash the broker (default SIGKILL). Only for real processes (mosquitto). */
  kill?(signal?: NodeJS.Signals): Promise<void>;
  /** Restart on the same port(s). Only mosquitto. */
  restart?(): Promise<void>;
  /** Broker output, when available (mosquitto). */
  logs?(): string;
}

export interface BrokerTarget {
  readonly name: BrokerName;
  readonly supportsV5: boolean;
  start(opts?: { websocket?: boolean }): Promise<RunningBroker>;
}

/**
 * Brokers for parametrised suites:
 *   describe.each(brokerTargets)('$name', (target) => { let b: RunningBroker; beforeAll(async () => { b = await target.start(); }); ... })
 */
export const brokerTargets: BrokerTarget[] = [
  {
    name: 'aedes',
    supportsV5: false,
    async start(opts) {
      const a = await startAedes({ websocket: !!opts?.websocket });
      return {
        name: 'aedes',
        host: a.host,
        port: a.port,
        wsPort: a.wsPort,
        supportsV5: false,
        stop: () => a.stop(),
      };
    },
  },
  {
    name: 'mosquitto',
    supportsV5: true,
    async start(opts) {
      const m = await startMosquitto({ websockets: !!opts?.websocket });
      return {
        name: 'mosquitto',
        host: m.host,
        get port() {
          return m.port;
        },
        get wsPort() {
          return m.wsPort;
        },
        supportsV5: true,
        stop: () => m.stop(),
        kill: (signal?: NodeJS.Signals) => m.kill(signal),
        restart: () => m.restart(),
        logs: () => m.logs(),
      };
    },
  },
];

/** Convenience: the targets supporting MQTT 5. */
export const v5BrokerTargets: BrokerTarget[] = brokerTargets.filter((t) => t.supportsV5);
