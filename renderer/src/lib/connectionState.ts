import type { ConnectionStatus } from '../../../shared/contract';

export type ShownConnectionState = ConnectionStatus['state'] | 'checking' | 'starting';

/**
 * The state a server row or the top bar shows. Before the services have answered: "checking". A
 * built-in demo server being started: "starting" — also while its profile already exists but is not
 * yet connected (the services register the profile, open its repository, then connect, and a status
 * fetched in between says "disconnected", which is not true of a server about to be connected).
 */
export function shownConnectionState(
  status: ConnectionStatus | undefined,
  statusesKnown: boolean,
  demoPending: boolean,
): ShownConnectionState {
  if (demoPending && (!status || status.state === 'disconnected')) return 'starting';
  return status?.state ?? (statusesKnown ? 'disconnected' : 'checking');
}
