/**
 * A failed status check as the UI shows it: the error's code and one-line message, the transport's
 * raw text (for "show details"), and, when recognised, what is probably wrong and what to change
 * (shared/connection explainConnectionFailure). Ambiguous texts are settled by probing the port
 * (./endpointProbe) — only for transport failures, never for an answer the server gave.
 */
import { explainConnectionFailure, needsProbe, type ProbeFindings } from '../../shared/connection';
import type { ConnectionStatus, SerializedError } from '../../shared/contract';
import { probeEndpoint } from './endpointProbe';

export type Prober = (address: string) => Promise<ProbeFindings | null>;

export async function explainFailure(
  e: SerializedError,
  detail: string,
  address: string,
  tls: boolean,
  protocol: 'grpc' | 'http' = 'grpc',
  probe: Prober = probeEndpoint,
): Promise<NonNullable<ConnectionStatus['error']>> {
  const base = { code: e.code, message: e.message, ...(detail !== e.message ? { detail } : {}) };
  // Only the transport's own failures: a server that answered (NOT_FOUND, …) needs no guessing.
  if (e.code !== 'UNAVAILABLE' && e.code !== 'INTERNAL' && e.code !== 'UNKNOWN') return base;
  const findings = needsProbe(detail) ? await probe(address).catch(() => null) : null;
  const explanation = explainConnectionFailure(detail, { address, tls, protocol, probe: findings });
  return explanation ? { ...base, explanation } : base;
}
