/** Decoder choice and its live options (a pure re-decode of the cached output), and preprocessing. */
import { memo, useMemo, useState } from 'react';
import { useApp } from '../../state/store';
import { Kbd, fmtShape } from '../../components/ui';
import { DECODERS, IMAGENET, resolveDecoder, suggestedDecoder, suggestionReason } from '../../../../shared/inference';
import { invalidateMetadata } from './controller';
import type { Decoded } from './model';

export function DecoderSection({ a }: { a: Decoded }) {
  const decoder = useApp((s) => s.decoder);
  const setDecoderId = useApp((s) => s.setDecoderId);
  const setOption = useApp((s) => s.setDecoderOption);
  const output = useOutputOfModelA(a);
  const suggested = suggestedDecoder(output?.shape);
  const active = resolveDecoder(decoder, output?.shape);
  return (
    <div className="section" data-testid="decoder-section">
      <div className="section-title">Decoder</div>
      <label className="field">
        Decoder
        <select value={decoder.id} onChange={(e) => setDecoderId(e.target.value)} data-testid="decoder-select">
          <option value="auto">Auto{suggested ? ` (${suggested.id})` : ''}</option>
          {DECODERS.map((d) => (
            <option key={d.id} value={d.id}>
              {d.label}
            </option>
          ))}
        </select>
      </label>
      {output && (
        <div className="small muted" style={{ marginBottom: 6 }}>
          output <span className="mono">{output.name}</span> {fmtShape(output.shape)}
          {suggested ? ` — ${suggestionReason(output.shape)}` : ' — no decoder recognises this shape'}
        </div>
      )}
      {active && Object.keys(active.presets).length > 0 && (
        <div className="row" style={{ marginBottom: 6 }}>
          <span className="small muted">Preset</span>
          {Object.entries(active.presets).map(([name, values]) => (
            <button
              key={name}
              className="btn small"
              onClick={() => Object.entries(values).forEach(([k, v]) => setOption(active.id, k, v))}
              title={JSON.stringify(values)}
            >
              {name}
            </button>
          ))}
        </div>
      )}
      {active?.options.map((o) => {
        const cur = decoder.options[active.id]?.[o.key] ?? active.defaults[o.key];
        if (o.kind === 'boolean') {
          return (
            <label className="check" key={o.key} title={o.description} style={{ marginBottom: 4 }}>
              <input
                type="checkbox"
                checked={cur === true}
                onChange={(e) => setOption(active.id, o.key, e.target.checked)}
                data-testid={`opt-${o.key}`}
              />{' '}
              {o.label}
            </label>
          );
        }
        if (o.kind === 'choice') {
          return (
            <label className="field" key={o.key} title={o.description}>
              {o.label}
              <select
                value={cur === undefined ? '' : String(cur)}
                onChange={(e) => setOption(active.id, o.key, e.target.value)}
                data-testid={`opt-${o.key}`}
              >
                <option value="">auto</option>
                {o.choices?.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
          );
        }
        const v = Number(cur);
        return (
          <div className="slider-row" key={o.key} title={o.description}>
            <span>{o.label}</span>
            <input
              type="range"
              min={o.min}
              max={o.max}
              step={o.step ?? (o.kind === 'integer' ? 1 : 0.01)}
              value={v}
              onChange={(e) => setOption(active.id, o.key, Number(e.target.value))}
              data-testid={`opt-${o.key}`}
              aria-label={o.label}
            />
            <output data-testid={`opt-${o.key}-value`}>
              {o.kind === 'integer' || (o.step ?? 0) >= 1 ? v.toFixed(0) : v.toFixed(2)}
            </output>
          </div>
        );
      })}
      {a.decoded && (
        <div className="small muted mono">
          {Object.entries(a.decoded.info)
            .map(([k, v]) => `${k} ${v}`)
            .join(' · ')}
        </div>
      )}
      <div className="small muted" style={{ marginTop: 4 }}>
        Sliders re-decode the cached output — no new request. <Kbd>[</Kbd> <Kbd>]</Kbd> confidence.
      </div>
    </div>
  );
}

interface OutputSummary {
  name: string;
  shape: number[];
}

/**
 * The output the decoder is chosen for: that of the frame shown, else the latest one model A returned.
 * A frame stepped to has no result until its answer comes, but the model's output stays the same, so
 * the decoder's options stay on screen instead of vanishing and coming back on every step (a jumping
 * panel under the user's pointer, and a relayout of the whole panel twice a frame).
 */
function useOutputOfModelA(a: Decoded): OutputSummary | undefined {
  // A string, not the result: the latest result changes with every answer during playback, and this
  // must re-render only when the output's name or shape does.
  const latest = useApp((s) => {
    const r = s.latest.a;
    return r && r.model === s.slots.a.model ? JSON.stringify([r.output.name, r.output.shape]) : null;
  });
  const fromLatest = useMemo(() => {
    if (!latest) return undefined;
    const [name, shape] = JSON.parse(latest) as [string, number[]];
    return { name, shape };
  }, [latest]);
  return a.result ? a.result.output : fromLatest;
}

/** Memoised like ModelSection: no props, so a re-render of the panel need not touch its inputs. */
export const PreprocessSection = memo(function PreprocessSection() {
  const pre = useApp((s) => s.preprocess);
  const setPre = useApp((s) => s.setPreprocess);
  const [open, setOpen] = useState(false);
  const num = (v: string) => (Number.isFinite(Number(v)) ? Number(v) : 0);
  const triple = (k: 'mean' | 'std') => (
    <div className="row" style={{ gap: 4 }}>
      {[0, 1, 2].map((i) => (
        <input
          key={i}
          type="number"
          step="0.001"
          value={pre[k][i]}
          style={{ width: 64 }}
          onChange={(e) => {
            const v = [...pre[k]] as [number, number, number];
            v[i] = num(e.target.value);
            if (k === 'std' && v[i] === 0) return;
            setPre({ [k]: v });
          }}
        />
      ))}
    </div>
  );
  return (
    <div className="section" data-testid="preprocess">
      <div className="section-title row" style={{ cursor: 'pointer' }} onClick={() => setOpen(!open)}>
        {open ? '▾' : '▸'} Preprocessing
        <span className="muted" style={{ textTransform: 'none', letterSpacing: 0, fontWeight: 400 }}>
          {pre.channelOrder} · ×{+pre.scale.toFixed(5)} ·{' '}
          {pre.resize === 'canvas' ? 'canvas resize (≠ cv2)' : 'cv2 resize'} ·{' '}
          {pre.dtype === 'auto' ? 'dtype from model' : pre.dtype}
        </span>
      </div>
      {open && (
        <>
          <label className="field">
            Channels
            <div className="btn-group">
              {(['RGB', 'BGR'] as const).map((c) => (
                <button
                  key={c}
                  className={`btn small ${pre.channelOrder === c ? 'active' : ''}`}
                  onClick={() => setPre({ channelOrder: c })}
                >
                  {c}
                </button>
              ))}
            </div>
          </label>
          <label
            className="field"
            title="OpenCV: the frame is resized exactly as cv2.resize INTER_LINEAR does (the Python pipeline, within 1/255). Canvas: the browser's smoothed scaling, faster but several steps off cv2 at edges."
          >
            Resize
            <select
              value={pre.resize ?? 'opencv'}
              onChange={(e) => setPre({ resize: e.target.value as 'opencv' | 'canvas' })}
              data-testid="pre-resize"
            >
              <option value="opencv">cv2 INTER_LINEAR (exact)</option>
              <option value="canvas">Browser canvas (faster, differs from cv2)</option>
            </select>
          </label>
          <label className="field">
            Scale
            <select value={String(pre.scale)} onChange={(e) => setPre({ scale: Number(e.target.value) })}>
              <option value={String(1 / 255)}>1/255 (0…1)</option>
              <option value="1">1 (0…255)</option>
              <option value={String(2 / 255)}>2/255</option>
            </select>
          </label>
          <label className="field">
            Mean
            {triple('mean')}
          </label>
          <label className="field">
            Std
            {triple('std')}
          </label>
          <div className="row" style={{ margin: '4px 0 8px' }}>
            <button className="btn small" onClick={() => setPre({ mean: IMAGENET.mean, std: IMAGENET.std })}>
              ImageNet
            </button>
            <button className="btn small" onClick={() => setPre({ mean: [0, 0, 0], std: [1, 1, 1] })}>
              None
            </button>
          </div>
          <label className="field">
            Tensor type
            <select value={pre.dtype} onChange={(e) => setPre({ dtype: e.target.value as 'auto' | 'FP32' | 'FP16' })}>
              <option value="auto">From model metadata</option>
              <option value="FP32">FP32</option>
              <option value="FP16">FP16</option>
            </select>
          </label>
          <button className="btn small" onClick={() => invalidateMetadata()}>
            Re-read model metadata
          </button>
        </>
      )}
    </div>
  );
});
