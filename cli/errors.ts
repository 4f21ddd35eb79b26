/**
 * Exit codes and the errors that carry them. Every failure of the CLI ends in one line on stderr and one of
 * these codes; no stack trace reaches the user.
 */
export const ExitCode = {
  /** Done: published, or received the messages asked for (`-C`), or stopped by Ctrl-C. */
  Ok: 0,
  /** Connected, then an operation failed: a publish or subscription refused, the connection lost. */
  Failed: 1,
  /** Bad command line: unknown option, missing or invalid value, unreadable file. Nothing was sent. */
  Usage: 2,
  /** Could not connect: unreachable broker, TLS failure, CONNACK refusal, no answer in time. */
  Connect: 3,
  /** `-W` elapsed before `-C` messages arrived (mosquitto_sub says "Timed out" too). */
  Timeout: 4,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the CLI reports as one line and turns into an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
  ) {
    super(message);
  }
}

/** A bad command line (exit 2). */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.Usage);
  }
}

/** One line out of any thrown value: the message with newlines folded, never a stack. */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s*\n\s*/g, ' ').trim() || 'unknown error';
}
