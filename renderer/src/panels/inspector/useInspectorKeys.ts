/** The inspector's keyboard shortcuts (ignored while typing in a field, except on sliders). */
import { useEffect } from 'react';
import { useApp } from '../../state/store';
import { resolveDecoder } from '../../../../shared/inference';
import { inferCurrentFrame } from './controller';
import { usePlayback } from './playback';

function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t || !(t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable))
    return false;
  const slider = t.tagName === 'INPUT' && (t as HTMLInputElement).type === 'range';
  return !(slider && (e.key === ' ' || e.key === '[' || e.key === ']'));
}

export function useInspectorKeys(fit: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      const st = useApp.getState();
      const p = usePlayback.getState();
      switch (e.key) {
        case ' ':
          if (st.source) st.setPlaying(!st.playing);
          break;
        case 'ArrowRight':
        case 'ArrowLeft':
          st.setPlaying(false);
          p.seek(p.index + (e.key === 'ArrowRight' ? 1 : -1));
          break;
        case 'Home':
          p.seek(0);
          break;
        case 'End':
          p.seek(p.count - 1);
          break;
        case '[':
        case ']': {
          const dec = resolveDecoder(st.decoder, st.latest.a?.output.shape);
          if (!dec || !dec.options.some((o) => o.key === 'conf')) return;
          const cur = Number(st.decoder.options[dec.id]?.conf ?? dec.defaults.conf);
          const next = Math.max(0, Math.min(1, Math.round((cur + (e.key === ']' ? 0.05 : -0.05)) * 100) / 100));
          st.setDecoderOption(dec.id, 'conf', next);
          break;
        }
        case 'Enter':
          inferCurrentFrame('force');
          break;
        case 'p':
        case 'P':
          st.setLayers({ proposals: !st.layers.proposals });
          break;
        case 'g':
        case 'G':
          st.setLayers({ gt: !st.layers.gt });
          break;
        case '0':
          fit();
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [fit]);
}
