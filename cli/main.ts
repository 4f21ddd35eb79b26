/**
 * Entry point of the `qmqtt` executable (bin/qmqtt.js): dispatches to pub, sub or bench and turns every
 * failure into one line on stderr and an exit code (see {@link ExitCode}). No stack trace reaches the user
 * unless QMQTT_DEBUG is set.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBench } from './bench';
import { CliError, ExitCode, UsageError, oneLine, type ExitCodeValue } from './errors';
import { helpText } from './help';
import { parseOptions, type Command } from './options';
import { runPub } from './pub';
import { runSub } from './sub';

export { ExitCode } from './errors';

const COMMANDS: Record<Command, (o: ReturnType<typeof parseOptions>) => Promise<ExitCodeValue>> = {
  pub: runPub,
  sub: runSub,
  bench: runBench,
};

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function isCommand(word: string | undefined): word is Command {
  return word === 'pub' || word === 'sub' || word === 'bench';
}

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. Never throws. */
export async function main(argv: readonly string[]): Promise<ExitCodeValue> {
  const [first, ...rest] = argv;
  let command: Command | undefined;
  let quiet = false;
  try {
    if (first === undefined) {
      process.stderr.write(helpText('main'));
      return ExitCode.Usage;
    }
    if (first === '--help' || first === 'help') {
      const topic = rest[0];
      if (topic !== undefined && !isCommand(topic)) throw new UsageError(`unknown command "${topic}"`);
      process.stdout.write(helpText(topic ?? 'main'));
      return ExitCode.Ok;
    }
    if (first === '--version') {
      process.stdout.write(`qmqtt ${version()}\n`);
      return ExitCode.Ok;
    }
    if (!isCommand(first))
      throw new UsageError(`unknown command "${first}": use pub, sub or bench (qmqtt --help)`);
    command = first;
    quiet = rest.includes('--quiet');
    const options = parseOptions(command, rest);
    if (options.help) {
      process.stdout.write(helpText(command));
      return ExitCode.Ok;
    }
    return await COMMANDS[command](options);
  } catch (err) {
    const code = err instanceof CliError ? err.exitCode : ExitCode.Failed;
    if (!quiet) {
      const where = command ? `qmqtt ${command}` : 'qmqtt';
      const hint = err instanceof UsageError ? ` (see qmqtt ${command ? `${command} ` : ''}--help)` : '';
      const kind = err instanceof CliError ? '' : 'internal error: ';
      process.stderr.write(`${where}: ${kind}${oneLine(err)}${hint}\n`);
      if (process.env.QMQTT_DEBUG && err instanceof Error && err.stack)
        process.stderr.write(`${err.stack}\n`);
    }
    return code;
  }
}

/** Flushes stdout, then exits with `code` (open sockets or timers must not keep the process alive). */
function exit(code: number): void {
  process.exitCode = code;
  if (process.stdout.writableLength === 0) process.exit(code);
  process.stdout.write('', () => process.exit(code));
}

/** What bin/qmqtt.js calls. */
export function run(): void {
  // `qmqtt sub … | head -1`: a closed pipe ends the program quietly, as for other Unix tools
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(ExitCode.Ok);
    process.stderr.write(`qmqtt: cannot write to stdout: ${oneLine(err)}\n`);
    process.exit(ExitCode.Failed);
  });
  const fatal = (err: unknown): void => {
    process.stderr.write(`qmqtt: internal error: ${oneLine(err)}\n`);
    if (process.env.QMQTT_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    process.exit(ExitCode.Failed);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  void main(process.argv.slice(2)).then(exit, fatal);
}
