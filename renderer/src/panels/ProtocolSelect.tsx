/** The protocol of a connection profile: Triton's gRPC endpoint (8001) or its HTTP/REST one (8000). */
import type { Protocol } from '../../../shared/contract';
import { DEFAULT_PORT, protocolLabel } from '../../../shared/contract/endpoint';

export function ProtocolSelect({ value, onChange }: { value: Protocol; onChange: (p: Protocol) => void }) {
  return (
    <fieldset className="field" data-testid="profile-protocol-select" style={{ border: 0, padding: 0 }}>
      <legend>Protocol</legend>
      <div className="row" style={{ gap: 12 }}>
        {(['grpc', 'http'] as const).map((p) => (
          <label key={p} className="check">
            <input
              type="radio"
              name="protocol"
              value={p}
              checked={value === p}
              onChange={() => onChange(p)}
              data-testid={`profile-protocol-${p}`}
            />{' '}
            {protocolLabel(p)} <span className="muted small">(Triton port {DEFAULT_PORT[p]})</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
