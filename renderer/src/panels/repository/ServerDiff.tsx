/**
 * The editor buffer against the config the server has loaded, both in canonical form. By default
 * the fields the server filled in by itself (present only on the server's side) are hidden
 * (lib/serverDiff), so the diff shows what differs in what was written.
 */
import { useState } from 'react';
import { useApp } from '../../state/store';
import { Alert, Progress } from '../../components/ui';
import { DiffView } from '../../components/DiffView';
import { analyzeConfig } from '../../lib/pbtxt';
import { onlyAuthoredFields } from '../../lib/serverDiff';
import { printModelConfig } from '../../../../shared/pbtxt';

export function ServerDiff({ buffer, model, connected }: { buffer: string; model: string; connected: boolean }) {
  const serverConfig = useApp((s) => s.serverConfig);
  const loading = useApp((s) => s.serverConfigLoading);
  const [hideFilled, setHideFilled] = useState(true);
  const analysis = analyzeConfig(buffer);
  const bufferText = analysis.canonical ?? buffer;

  let left: string | null = null;
  let hidden = 0;
  if (serverConfig?.json && hideFilled && analysis.json) {
    const pruned = onlyAuthoredFields(serverConfig.json, analysis.json);
    try {
      left = printModelConfig(pruned.value);
      hidden = pruned.hidden;
    } catch {
      left = null; // fields our schema does not know: fall back to the full text below
    }
  }
  left ??= serverConfig?.pbtxt ?? null;
  // Without any pbtxt of the server's config (unknown fields), both sides are compared as JSON.
  const asJson = left === null && !!serverConfig?.json;
  if (asJson) left = JSON.stringify(serverConfig.json, null, 2);
  const right = asJson ? JSON.stringify(analysis.json ?? {}, null, 2) : bufferText;

  return (
    <div style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
      {loading && <Progress />}
      {!connected && <Alert kind="warn">Connect to a server to compare with its loaded config.</Alert>}
      {serverConfig?.error && (
        <div style={{ padding: 8 }}>
          <Alert kind="warn" title={`The server has no loaded config for ${model}`}>
            {serverConfig.error.code}: {serverConfig.error.message}
          </Alert>
        </div>
      )}
      {left !== null && (
        <>
          <label className="check small diff-options">
            <input
              type="checkbox"
              checked={hideFilled}
              onChange={(e) => setHideFilled(e.target.checked)}
              data-testid="diff-hide-filled"
            />{' '}
            Hide fields the server filled in
            {hideFilled && hidden > 0 && (
              <span className="muted" data-testid="diff-hidden-count" data-count={hidden}>
                {' '}
                ({hidden} hidden: set only on the server)
              </span>
            )}
          </label>
          <DiffView
            left={left}
            right={right}
            leftLabel={`Loaded on the server (${model}), canonical form${hideFilled && hidden ? ', fields the buffer sets' : ''}`}
            rightLabel="Editor buffer, canonical form"
            testId="diff-server"
          />
        </>
      )}
    </div>
  );
}
