/**
 * `qmqtt sub`: subscribes to one or more filters and prints each message as it arrives, until -C messages were
 * printed, -W seconds passed, -E (all subscriptions acknowledged), Ctrl-C, or the connection is lost.
 */
import {
  ClientState,
  ProtocolVersion,
  QMqttTopicFilter,
  SubscriptionState,
  reasonCodeName,
  validateTopicFilter,
  type QMqttClient,
  type QMqttMessage,
} from '../lib';
import { checkCommon, connect, createClient, debugLog, resolveTarget } from './connect';
import { CliError, ExitCode, UsageError, oneLine, type ExitCodeValue } from './errors';
import { makeFormatter } from './format';
import type { Options } from './options';

function checkSub(o: Options): QMqttTopicFilter[] {
  checkCommon(o);
  if (o.topics.length === 0) throw new UsageError('a topic filter is needed: -t filter (may be repeated)');
  for (const t of o.topics) {
    const problem = validateTopicFilter(t);
    if (problem) throw new UsageError(`-t: ${problem}`);
  }
  if (usesSubscriptionOptions(o) && o.protocol !== ProtocolVersion.MQTT_5_0)
    throw new UsageError('--no-local, --retain-as-published and --retain-handling are MQTT 5 only: add -V 5');
  return o.filterOut.map((t) => {
    const problem = validateTopicFilter(t);
    if (problem) throw new UsageError(`-T: ${problem}`);
    return new QMqttTopicFilter(t);
  });
}

function usesSubscriptionOptions(o: Options): boolean {
  return ['--no-local', '--retain-as-published', '--retain-handling'].some((f) => o.given.has(f));
}

/**
 * Subscribes with Qt's synchronous form so that the message listener is in place before SUBACK (a retained
 * message can arrive in the same read as the SUBACK), then waits for the broker's answer.
 */
function subscribe(
  o: Options,
  client: QMqttClient,
  filter: string,
  onMessage: (m: QMqttMessage) => void,
): Promise<void> {
  const props =
    o.propertyCommands.has('subscribe') || usesSubscriptionOptions(o) ? o.subscribeProps : undefined;
  const sub = props ? client.subscribe(filter, props, o.qos) : client.subscribe(filter, o.qos);
  if (!sub) return Promise.reject(new CliError(`cannot subscribe to "${filter}"`, ExitCode.Failed));
  sub.messageReceived.connect(onMessage);
  return new Promise((resolve, reject) => {
    const settle = (state: SubscriptionState): void => {
      if (state === SubscriptionState.Subscribed) {
        debugLog(o, `subscribed to "${filter}" (granted QoS ${sub.qos()})`);
        resolve();
      } else if (state === SubscriptionState.Error) {
        const reason = sub.reason() ? ` "${sub.reason()}"` : '';
        reject(
          new CliError(
            `the broker refused the subscription to "${filter}": ${reasonCodeName(sub.reasonCode())}${reason}`,
            ExitCode.Failed,
          ),
        );
      } else return;
      connection.disconnect();
    };
    const connection = sub.stateChanged.connect(settle);
    settle(sub.state());
  });
}

export async function runSub(o: Options): Promise<ExitCodeValue> {
  const target = resolveTarget(o);
  const filterOut = checkSub(o);
  const format = makeFormatter(o);
  const client = createClient(o, target);

  return new Promise<ExitCodeValue>((resolve, reject) => {
    let finished = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: ExitCodeValue | CliError): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      const done = (): void => (result instanceof CliError ? reject(result) : resolve(result));
      if (client.state() === ClientState.Disconnected) done();
      else client.disconnectFromHostAsync().then(done, done);
    };
    const onSignal = (): void => finish(ExitCode.Ok);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    if (o.timeout !== undefined)
      timer = setTimeout(
        () => finish(new CliError(`Timed out after ${o.timeout} s`, ExitCode.Timeout)),
        o.timeout * 1000,
      );

    let printed = 0;
    let last: QMqttMessage | undefined;
    const onMessage = (m: QMqttMessage): void => {
      // one PUBLISH matching several of our filters reaches each subscription: print it once
      if (m === last || finished) return;
      last = m;
      if (o.skipRetained && m.retain()) return;
      const topic = m.topic();
      if (filterOut.some((f) => f.match(topic))) return;
      // stdout to a pipe or a file is synchronous in Node.js on POSIX: the line is out before the next message
      process.stdout.write(format(m));
      printed++;
      if (o.count !== undefined && printed >= o.count) finish(ExitCode.Ok);
    };

    const run = async (): Promise<void> => {
      const connecting = connect(o, client, target);
      // Subscribed while Connecting: the subscriptions exist before CONNACK, so that messages the broker
      // delivers right after it (queued in a persistent session, -c) find them.
      const acknowledged = o.topics.map((filter) => subscribe(o, client, filter, onMessage));
      for (const a of acknowledged) a.catch(() => undefined); // reported through Promise.all below
      await connecting;
      client.disconnected.connect(() => {
        if (!finished)
          finish(
            new CliError(
              `connection lost: ${oneLine(client.lastErrorDetail() ?? 'closed')}`,
              ExitCode.Failed,
            ),
          );
      });
      await Promise.all(acknowledged);
      if (o.exitAfterSubscribe) finish(ExitCode.Ok);
    };
    run().catch((err: unknown) =>
      finish(err instanceof CliError ? err : new CliError(oneLine(err), ExitCode.Failed)),
    );
  });
}
