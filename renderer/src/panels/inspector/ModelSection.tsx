/** The model section: A (and B) model and server, A/B mode, the input/output summary, in-flight limit. */
import { memo, useEffect, useMemo, useState } from 'react';
import { useApp } from '../../state/store';
import { Alert, fmtShape } from '../../components/ui';
import { ModelPicker } from '../../components/ModelPicker';
import { getApi } from '../../../api';
import type { ModelMetadata } from '../../../../shared/contract';
import { errorText } from '../../lib/errors';
import { imageInputOf } from '../../../../shared/inference';
import { slotTarget } from './controller';
import { metadataFor, useMetadataEpoch } from './modelMetadata';

/**
 * Memoised (it takes no props and reads the store itself): the inference panel re-renders with sampled
 * results during playback, and React re-applies an input's attributes on every re-render.
 */
export const ModelSection = memo(function ModelSection() {
  const index = useApp((s) => s.index);
  const slots = useApp((s) => s.slots);
  const setSlot = useApp((s) => s.setSlot);
  const abMode = useApp((s) => s.abMode);
  const setAbMode = useApp((s) => s.setAbMode);
  const profiles = useApp((s) => s.profiles);
  const statuses = useApp((s) => s.statuses);
  const autoInfer = useApp((s) => s.autoInfer);
  const setAutoInfer = useApp((s) => s.setAutoInfer);
  const maxInFlight = useApp((s) => s.maxInFlight);
  const setMaxInFlight = useApp((s) => s.setMaxInFlight);
  const readyNames = useMemo(() => [...new Set(index.filter((m) => m.state === 'READY').map((m) => m.name))], [index]);
  const connected = profiles.filter((p) => statuses[p.id] && statuses[p.id].state !== 'disconnected');
  const [remoteModels, setRemoteModels] = useState<string[] | null>(null);
  const [remoteError, setRemoteError] = useState<string | null>(null);
  const bConn = slots.b.connectionId;
  useEffect(() => {
    setRemoteError(null);
    if (!bConn) {
      setRemoteModels(null);
      return;
    }
    // The list of the server B is on now: an answer for a server picked before is dropped.
    let live = true;
    getApi()
      .repositoryIndex({ connectionId: bConn })
      .then(({ models: m }) => live && setRemoteModels(m.filter((x) => x.state === 'READY').map((x) => x.name)))
      .catch((e: unknown) => {
        if (!live) return;
        setRemoteModels([]);
        // An empty picker needs its reason beside it.
        setRemoteError(`B's server did not list its models: ${errorText(e)}`);
      });
    return () => {
      live = false;
    };
  }, [bConn]);

  return (
    <div className="section">
      <div className="section-title">Model</div>
      <label className="field">
        {abMode === 'off' ? 'Model' : 'A'}
        <ModelPicker
          value={slots.a.model}
          options={readyNames}
          onChange={(model) => setSlot('a', { model })}
          testId="model-select-a"
          label={abMode === 'off' ? 'Model' : 'Model A'}
        />
      </label>
      <label className="field" title="A/B: compare two models (or servers) on the same frame">
        A/B
        <div className="btn-group fill">
          {(['off', 'side', 'overlay'] as const).map((m) => (
            <button
              key={m}
              className={`btn small ${abMode === m ? 'active' : ''}`}
              onClick={() => setAbMode(m)}
              data-testid={`ab-${m}`}
              title={m === 'off' ? 'One model' : m === 'side' ? 'A and B side by side' : 'B drawn dashed over A'}
            >
              {m === 'off' ? 'Off' : m === 'side' ? 'Side' : 'Overlay'}
            </button>
          ))}
        </div>
      </label>
      {abMode !== 'off' && (
        <>
          <label className="field">
            B server
            <select
              value={slots.b.connectionId ?? ''}
              onChange={(e) => setSlot('b', { connectionId: e.target.value || null, model: null })}
            >
              <option value="">same as A</option>
              {connected.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            B
            <ModelPicker
              value={slots.b.model}
              options={remoteModels ?? readyNames}
              onChange={(model) => setSlot('b', { model })}
              testId="model-select-b"
              label="Model B"
            />
          </label>
          {remoteError && (
            <Alert kind="err" testId="model-b-list-error">
              {remoteError}
            </Alert>
          )}
        </>
      )}
      <ModelInputInfo />
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <label className="check">
          <input
            type="checkbox"
            checked={autoInfer}
            onChange={(e) => setAutoInfer(e.target.checked)}
            data-testid="auto-infer"
          />{' '}
          Infer on frame change
        </label>
        <label
          className="check"
          title="Requests in flight per model, never more: a playing video skips frames beyond this, and fast steps wait for the newest frame"
        >
          in flight
          <input
            type="number"
            min={1}
            max={8}
            value={maxInFlight}
            onChange={(e) => setMaxInFlight(Number(e.target.value))}
            data-testid="max-in-flight"
            style={{ width: 44 }}
          />
        </label>
      </div>
    </div>
  );
});

function ModelInputInfo() {
  // Select a string (a fresh object per call would re-render forever).
  const key = useApp(() => {
    const t = slotTarget('a');
    return t ? `${t.connectionId}|${t.model}` : '';
  });
  const target = key ? { connectionId: key.slice(0, key.indexOf('|')), model: key.slice(key.indexOf('|') + 1) } : null;
  // Read again whenever the controller invalidates metadata (load, unload, apply, reconnect).
  const epoch = useMetadataEpoch((s) => s.epoch);
  const [meta, setMeta] = useState<ModelMetadata | null>(null);
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => {
    setMeta(null);
    setErr(null);
    if (!target) return;
    let cancelled = false;
    metadataFor(target.connectionId, target.model).then(
      (m) => !cancelled && setMeta(m),
      (e) => !cancelled && setErr(errorText(e)),
    );
    return () => {
      cancelled = true;
    };
    // `key` names the target's connection and model (the target object is rebuilt on every render);
    // `epoch` moves when the metadata cache is invalidated (load, unload, apply, reconnect).
  }, [key, epoch]); // eslint-disable-line react-hooks/exhaustive-deps
  if (err) return <Alert kind="err">{err}</Alert>;
  if (!meta) return null;
  let spec: ReturnType<typeof imageInputOf> | null = null;
  let specErr: string | null = null;
  try {
    spec = imageInputOf(meta);
  } catch (e) {
    specErr = errorText(e);
  }
  return (
    <div className="small muted" style={{ margin: '2px 0 8px' }} data-testid="model-io">
      {spec ? (
        <>
          in <span className="mono">{spec.name}</span> {spec.datatype}{' '}
          {fmtShape(meta.inputs.find((i) => i.name === spec.name)!.shape)} → out{' '}
          {meta.outputs.map((o) => (
            <span key={o.name} className="mono">
              {o.name} {fmtShape(o.shape)}{' '}
            </span>
          ))}
        </>
      ) : (
        <span style={{ color: 'var(--err)' }}>{specErr}</span>
      )}
    </div>
  );
}
