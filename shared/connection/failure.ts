/**
 * Connection failures in words a user can act on. gRPC and OpenSSL report a TLS client talking to a
 * plain server as "ssl3_get_record:wrong version number", a plain client talking to a TLS server as
 * "Failed to connect", and Triton's HTTP port as "Protocol error". Those texts say what broke, not
 * what to change. This module reads them (plus, where the text is ambiguous, what a probe of the
 * port found) and names the likely cause and the fix; the raw text always stays available.
 * Pure: the services attach the explanation to a connection status, the UI shows it.
 */

export const FAILURE_KINDS = [
  'tls-to-plain-server',
  'plain-to-tls-server',
  'http-port',
  'https-port',
  'untrusted-certificate',
  'certificate-expired',
  'name-mismatch',
  'client-certificate-required',
  'client-certificate-rejected',
  'connection-refused',
  'host-not-found',
  'unreachable',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** What a probe of host:port found out (see electron/services/endpointProbe). */
export interface ProbeFindings {
  /** A TLS handshake succeeded (true), was refused by a non-TLS peer (false), or could not tell (null). */
  tls: boolean | null;
  /** ALPN protocol the TLS server chose ('h2' for gRPC, 'http/1.1' for HTTPS), when it spoke TLS. */
  alpn?: string | null;
  /** A plain-text HTTP/1.1 request got an HTTP/1.x answer (its status code), or null. */
  http1Status?: number | null;
}

export interface FailureContext {
  /** host:port as the profile stores it. */
  address: string;
  /** Whether the client used TLS. */
  tls: boolean;
  /** The client's protocol (default gRPC). */
  protocol?: 'grpc' | 'http';
  probe?: ProbeFindings | null;
}

export interface FailureExplanation {
  kind: FailureKind;
  /** One short sentence: what is probably wrong. */
  summary: string;
  /** What to change. */
  advice: string;
}

/** Texts that need a probe to tell apart (the handshake never got far enough to say why). */
export function needsProbe(detail: string): boolean {
  return /Failed to connect|Protocol error|Connection dropped|ECONNRESET|socket hang up|wrong version number|no application protocol|packet length too long|unexpected eof/i.test(
    detail,
  );
}

function portOf(address: string): number | null {
  const m = /:(\d+)$/.exec(address);
  return m ? Number(m[1]) : null;
}

function altNamesOf(detail: string): string | null {
  const m = /cert's altnames: ([^\n]*?)(?:\. Resolution note|$)/.exec(detail);
  return m ? m[1].replace(/\.$/, '').trim() : null;
}

export function explainConnectionFailure(detail: string, ctx: FailureContext): FailureExplanation | null {
  const probe = ctx.probe ?? null;
  const port = portOf(ctx.address);
  const http = ctx.protocol === 'http';
  const schemes = http ? { plain: 'http://', tls: 'https://' } : { plain: 'grpc://', tls: 'grpcs://' };
  const portName = http ? 'its HTTP/REST port (default 8000)' : 'its gRPC port (default 8001)';
  const grpcPortAdvice =
    port === 8000
      ? 'Triton serves gRPC on port 8001 by default (8000 is its HTTP/REST port): try port 8001.'
      : "Use the server's gRPC port (Triton's default is 8001; HTTP/REST is 8000).";

  // Certificate problems: the text is specific, no probe needed.
  if (/ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames|altnames/i.test(detail)) {
    const names = altNamesOf(detail);
    return {
      kind: 'name-mismatch',
      summary: "The server's certificate is for a different host name.",
      advice: `Set "Server name (SNI)" to a name the certificate lists${names ? ` (${names})` : ''}, or connect by that name.`,
    };
  }
  if (/certificate has expired|CERT_HAS_EXPIRED|certificate is not yet valid/i.test(detail)) {
    return {
      kind: 'certificate-expired',
      summary: "The server's certificate has expired or is not valid yet.",
      advice: "Renew the server's certificate, or check this computer's clock.",
    };
  }
  if (
    /unable to verify the first certificate|self[- ]signed certificate|unable to get local issuer|UNABLE_TO_VERIFY|DEPTH_ZERO_SELF_SIGNED/i.test(
      detail,
    )
  ) {
    return {
      kind: 'untrusted-certificate',
      summary: "The server's certificate is not signed by a CA this profile trusts.",
      advice:
        'Choose the CA certificate that signed it in "CA certificate" (for a test server, "Skip certificate verification" also works).',
    };
  }
  if (/certificate required|alert number 116/i.test(detail)) {
    return {
      kind: 'client-certificate-required',
      summary: 'The server requires a client certificate (mutual TLS).',
      advice: 'Choose a client certificate and its key in the TLS section.',
    };
  }
  if (/unknown ca|bad certificate|alert number 4[28]|certificate unknown|alert number 46/i.test(detail)) {
    return {
      kind: 'client-certificate-rejected',
      summary: 'The server rejected the client certificate.',
      advice: 'Use a client certificate signed by a CA the server trusts (its --tls-ca / ssl root certificate).',
    };
  }

  // Nothing listening, DNS, routing.
  if (/ECONNREFUSED|connection refused/i.test(detail)) {
    return {
      kind: 'connection-refused',
      summary: `Nothing is listening at ${ctx.address}.`,
      advice: `Check that Triton is running and that the port is ${portName}.`,
    };
  }
  if (/ENOTFOUND|EAI_AGAIN|Name resolution failed|DNS resolution failed/i.test(detail)) {
    return {
      kind: 'host-not-found',
      summary: `The host name of ${ctx.address} could not be resolved.`,
      advice: 'Check the spelling, or use the IP address.',
    };
  }
  if (/ETIMEDOUT|EHOSTUNREACH|ENETUNREACH/.test(detail)) {
    return {
      kind: 'unreachable',
      summary: `${ctx.address} cannot be reached from this computer.`,
      advice: 'Check the network path (VPN, firewall, the device being on).',
    };
  }

  // Protocol mismatches: what the probe found decides; the text alone where it is specific.
  if (ctx.tls) {
    if (probe?.tls === false || /wrong version number|packet length too long|http request/i.test(detail)) {
      if (!http && probe?.http1Status != null) {
        return {
          kind: 'http-port',
          summary: `${ctx.address} answers plain HTTP/1.1, not TLS: it is probably Triton's HTTP/REST port.`,
          advice: `Turn TLS off only if the gRPC port is plain too; ${grpcPortAdvice}`,
        };
      }
      return {
        kind: 'tls-to-plain-server',
        summary: 'The server does not use TLS.',
        advice: `Turn "Use TLS" off for this profile (${schemes.plain}), or enable TLS on the server.`,
      };
    }
    if (
      !http &&
      ((probe?.tls && probe.alpn && probe.alpn !== 'h2') || /no application protocol|alert number 120/i.test(detail))
    ) {
      return {
        kind: 'https-port',
        summary: `${ctx.address} speaks TLS but not HTTP/2: it is probably an HTTPS (REST) port, not gRPC.`,
        advice: grpcPortAdvice,
      };
    }
    return null;
  }
  if (probe?.tls === true) {
    return {
      kind: 'plain-to-tls-server',
      summary: 'The server requires TLS.',
      advice: `Turn on "Use TLS" (${schemes.tls}) and choose the CA certificate that signed the server's certificate.`,
    };
  }
  if (!http && (probe?.http1Status != null || /Protocol error/i.test(detail))) {
    return {
      kind: 'http-port',
      summary: `${ctx.address} answers HTTP/1.1, not gRPC: it is probably Triton's HTTP/REST port.`,
      advice: grpcPortAdvice,
    };
  }
  return null;
}
