/** One model of the repository tree: its config.pbtxt, its files and versions, and its state on the serving server. */
import { useState } from 'react';
import type { RepoModel } from '../../../../shared/contract';

export function ModelTreeItem(props: {
  model: RepoModel;
  /** The model's state on the server that serves this folder; undefined when unknown. */
  state: string | undefined;
  openPath: string | undefined;
  onOpen(path: string): void;
}) {
  const { model: m, state: st } = props;
  const [expanded, setExpanded] = useState(false);
  return (
    <li style={{ display: 'block', padding: 0 }} data-testid={`repo-model-${m.name}`}>
      <div className="row" style={{ padding: '4px 8px', gap: 6 }} onClick={() => setExpanded(!expanded)}>
        <span className="icon">{expanded ? '▾' : '▸'}</span>
        <span className="grow" style={{ fontWeight: 550 }}>
          {m.name}
        </span>
        {st && (
          <span
            className={`dot ${st === 'READY' ? 'ok' : st === 'UNAVAILABLE' ? 'err' : ''}`}
            title={st}
            data-testid="repo-model-state"
            data-state={st}
          />
        )}
      </div>
      {m.configPath && (
        <div
          className={`row ${props.openPath === m.configPath ? 'selected' : ''}`}
          style={{
            padding: '3px 8px 3px 28px',
            gap: 6,
            background: props.openPath === m.configPath ? 'var(--bg2)' : undefined,
          }}
          onClick={() => props.onOpen(m.configPath!)}
          data-testid={`open-config-${m.name}`}
        >
          <span className="icon">⚙</span> config.pbtxt
        </div>
      )}
      {expanded && (
        <>
          {m.files
            .filter((f) => f.path !== m.configPath)
            .map((f) => (
              <div key={f.path} className="muted" style={{ padding: '2px 8px 2px 28px' }}>
                {f.path.split('/').pop()} <span className="small">{fmtSize(f.size)}</span>
              </div>
            ))}
          {m.versions.map((v) => (
            <div key={v.version} style={{ padding: '2px 8px 2px 28px' }}>
              <span className="icon">▸</span> {v.version}/
              {v.files.map((f) => (
                <div key={f.path} className="muted" style={{ paddingLeft: 20 }}>
                  {f.path.split('/').pop()} <span className="small">{fmtSize(f.size)}</span>
                </div>
              ))}
            </div>
          ))}
          {!m.configPath && (
            <div className="muted small" style={{ padding: '2px 8px 2px 28px' }}>
              no config.pbtxt (auto-complete config)
            </div>
          )}
        </>
      )}
    </li>
  );
}

function fmtSize(n: number): string {
  return n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / (1 << 20)).toFixed(1)} MiB`;
}
