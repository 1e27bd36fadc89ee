import { CliError, type CliCommand } from '../types';

// Placeholder until the 'load' command lands; it fails loudly instead of pretending to work.
export const command: CliCommand = async () => {
  throw new CliError("'load' is not implemented yet", 2);
};
