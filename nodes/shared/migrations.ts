/**
 * Config migrations. Every node saves `configVersion`; a flow saved by an older version (or a configuration
 * copied from Node-RED's core MQTT nodes, which has none) is upgraded here, step by step, before it is parsed.
 * Saved flows live forever: never change what a past step does, add a new step instead.
 */
import type { BrokerConfigRaw, InConfigRaw, OutConfigRaw } from './config';

/** The version written by the current editor for every node type. */
export const CONFIG_VERSION = 1;

type Step<T> = (raw: T) => T;

function run<T extends { configVersion?: number }>(raw: T, steps: Record<number, Step<T>>): T {
  let cfg: T = { ...raw };
  let v = typeof cfg.configVersion === 'number' ? cfg.configVersion : 0;
  if (v > CONFIG_VERSION)
    throw new Error(
      `configVersion ${v} is newer than this version of node-red-contrib-qmqtt understands (${CONFIG_VERSION}); update the package`,
    );
  while (v < CONFIG_VERSION) {
    const step = steps[v];
    if (step) cfg = step(cfg);
    v += 1;
    cfg.configVersion = v;
  }
  return cfg;
}

const URL_TRANSPORTS: Record<string, string> = {
  'mqtt:': 'tcp',
  'tcp:': 'tcp',
  'mqtts:': 'tls',
  'ssl:': 'tls',
  'tls:': 'tls',
  'ws:': 'ws',
  'wss:': 'wss',
};

/** 0 → 1: core `mqtt-broker` shape (broker URL, `usetls`, `compatmode`) to host / port / transport. */
function brokerV0(raw: BrokerConfigRaw): BrokerConfigRaw {
  const out: BrokerConfigRaw = { ...raw };
  const b = typeof raw.broker === 'string' ? raw.broker.trim() : '';
  if (b.includes('://')) {
    try {
      const u = new URL(b);
      const t = URL_TRANSPORTS[u.protocol];
      if (t) {
        out.transport = t;
        out.broker = u.hostname.replace(/^\[|\]$/g, '');
        if (u.port) out.port = Number(u.port);
        else delete out.port;
        if ((t === 'ws' || t === 'wss') && u.pathname && u.pathname !== '/') out.wsPath = u.pathname;
      }
    } catch {
      // not a URL after all: leave it for parseBrokerConfig to report
    }
  }
  if (!out.transport) out.transport = raw.usetls === true || raw.usetls === 'true' ? 'tls' : 'tcp';
  if (raw.compatmode === true || raw.compatmode === 'true') out.protocolVersion = 4; // as core's editor does
  delete out.usetls;
  delete out.compatmode;
  return out;
}

/** 0 → 1: core `mqtt in` used "utf8" at runtime when no datatype was saved. */
function inV0(raw: InConfigRaw): InConfigRaw {
  return { ...raw, datatype: raw.datatype || 'utf8' };
}

export function migrateBrokerConfig(raw: BrokerConfigRaw): BrokerConfigRaw {
  return run(raw, { 0: brokerV0 });
}

export function migrateInConfig(raw: InConfigRaw): InConfigRaw {
  return run(raw, { 0: inV0 });
}

export function migrateOutConfig(raw: OutConfigRaw): OutConfigRaw {
  return run(raw, {});
}

/** For node types whose configuration has not changed since version 1. */
export function migrateSimpleConfig<T extends { configVersion?: number }>(raw: T): T {
  return run(raw, {});
}
