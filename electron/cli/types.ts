/** A sub-command receives the arguments after its name and resolves to the process exit code. */
export type CliCommand = (argv: string[]) => Promise<number>;

/** An expected failure: printed as one line, without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
