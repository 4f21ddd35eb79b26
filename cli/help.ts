/** Usage texts of `qmqtt` and its commands. */
import type { Command } from './options';
import { propertyIdentifiers } from './properties';

const CONNECTION = `Connection (as mosquitto_pub / mosquitto_sub):
  -h host            broker host (default localhost)
  -p port            broker port (default 1883; 8883 with TLS; 80 / 443 for ws / wss)
  -L url             mqtt://, mqtts://, ws:// or wss://[user[:password]@]host[:port][/path]
                     (for mqtt:// and mqtts:// the path is the topic, as mosquitto reads it;
                      for ws:// and wss:// it is the WebSocket path, default /mqtt)
  -V 31|311|5        protocol version (also mqttv31, mqttv311, mqttv5; default 311)
  -i id | -I prefix  client id, or prefix + process id (default: a random id)
  -u user, -P pass   credentials
  -k seconds         keep alive (default 60; 0 = off)
  -c                 persistent session (clean session off; needs -i or -I)
  -x seconds         MQTT 5 session expiry interval (-1 = never; default with -c: never)
  --cafile file      trust this CA (turns TLS on); --cert file --key file: client certificate
  --insecure         do not check the server's host name (the chain is still verified)
  --will-topic t  --will-payload p  --will-qos n  --will-retain
  --connect-timeout s  give up connecting after s seconds (default 30; qmqtt only)
  -d                 debug lines on stderr;  --quiet  no error messages
  --help             this text`;

function propertiesHelp(commands: readonly ('connect' | 'publish' | 'subscribe' | 'will')[]): string {
  return `MQTT 5 properties (-V 5), spelled as mosquitto spells them:
  -D <command> <identifier> <value>      -D <command> user-property <name> <value>
${commands.map((c) => `  ${c.padEnd(10)} ${wrap(propertyIdentifiers(c).join(', '), 13)}`).join('\n')}`;
}

/** Folds a comma-separated list at 110 columns, continuation lines indented. */
function wrap(text: string, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent + line.length + 1 + word.length > 110) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

const EXIT = `Exit codes: 0 done, 1 failed after connecting, 2 bad command line, 3 cannot connect, 4 timed out (-W)`;

const TEXT: Record<Command | 'main', string> = {
  main: `qmqtt — MQTT 3.1 / 3.1.1 / 5.0 from the command line, built on node-red-contrib-qmqtt

Usage:
  qmqtt pub   -t topic (-m message | -f file | -l | -s | -n) [options]
  qmqtt sub   -t filter [-t filter …] [-C count] [-W seconds] [-v] [-F json|format] [options]
  qmqtt bench [-t topic] [-C count] [-s bytes] [-q qos] [--json] [options]
  qmqtt <command> --help        options of a command
  qmqtt --version

Flags are named as mosquitto_pub / mosquitto_sub name them (note: -h is the host; help is --help).
${EXIT}`,
  pub: `Usage: qmqtt pub -t topic (-m message | -f file | -l | -s | -n) [options]

Publishes one message (or one per line of stdin with -l), waits for the broker's acknowledgement
(QoS 1: PUBACK, QoS 2: PUBCOMP) and exits.
  -t topic           topic to publish to
  -m message         the message;  -f file  the file's bytes;  -s  all of stdin;  -n  a zero-length message
  -l                 one message per line of stdin (line endings removed)
  -q 0|1|2           QoS (default 0);  -r  retain
  --repeat n         publish the message n times;  --repeat-delay s  seconds between repeats

${CONNECTION}

${propertiesHelp(['connect', 'publish', 'will'])}

${EXIT}`,
  sub: `Usage: qmqtt sub -t filter [-t filter …] [options]

Subscribes and prints each message: the payload, or "topic payload" with -v.
  -t filter          topic filter (repeatable);  -q 0|1|2  QoS of the subscriptions (default 0)
  -C count           exit after count messages
  -W seconds         exit (code 4, "Timed out") after that many seconds
  -v                 print the topic before the payload;  -N  no newline after each message
  -F json            one JSON object per line: topic, payload, qos, retain, properties
                     (payload as text when it is UTF-8, else base64 with "payloadEncoding")
  -F format          mosquitto_sub format: %t topic  %p payload  %q qos  %r retain  %l length  %m id
                     %x/%X hex payload  %P user properties  %R response topic  %D correlation data
                     %C content type  %E expiry  %F format indicator  %S subscription ids  %I %U time
                     %j JSON as -F json;  \\n \\t \\\\ escapes
  -R                 skip retained messages;  -T filter  skip topics that match (repeatable)
  -E                 exit once the subscriptions are acknowledged
  --no-local  --retain-as-published  --retain-handling 0|1|2   MQTT 5 subscription options (qmqtt only)

${CONNECTION}

${propertiesHelp(['connect', 'subscribe', 'will'])}

${EXIT}`,
  bench: `Usage: qmqtt bench [-t topic] [-C count] [-s bytes] [-q qos] [--json] [options]

Measures throughput and end-to-end latency against a broker: one connection subscribes to the topic,
another publishes count messages of the given size as fast as acknowledgements allow. A progress line
goes to stderr, the summary to stdout.
  -t topic           topic to use (default qmqtt/bench/<random>)
  -C count           messages (default 10000);  -s bytes  payload size (default 64, at least 12)
  -q 0|1|2           QoS (default 0);  -W seconds  give up after (default 60)
  --json             the summary as one JSON object

${CONNECTION}

${propertiesHelp(['connect', 'publish', 'subscribe'])}

Exit codes: 0 done, 1 failed or QoS 1/2 messages lost, 2 bad command line, 3 cannot connect, 4 timed out`,
};

export function helpText(command: Command | 'main'): string {
  return TEXT[command] + '\n';
}
