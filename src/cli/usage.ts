/** A mistake in how the command was called: exit code 2, with a one-line message. */
export class UsageError extends Error {}

/** What a command needs of the command line it runs in. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Whether standard output is a terminal, for colour. */
  isTTY?: boolean;
}
