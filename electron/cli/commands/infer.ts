import { CliError, type CliCommand } from '../types';

// Placeholder until the 'infer' command lands; it fails loudly instead of pretending to work.
export const command: CliCommand = async () => {
  throw new CliError("'infer' is not implemented yet", 2);
};
