/**
 * The inspector's keyboard shortcuts. They act wherever the focus is, except in a text field (and
 * on a slider, for the keys that move it): after a click on a layer checkbox ←/→ still step and
 * Space plays (the checkbox is not toggled). Esc leaves a field and puts the focus on the stage.
 */
import { useEffect } from 'react';
import { useApp } from '../../state/store';
import { resolveDecoder } from '../../../../shared/inference';
import { keyBelongsToField } from '../../lib/shortcuts';
import { inferCurrentFrame } from './controller';
import { usePlayback } from './playback';

export const STAGE_FOCUS_ID = 'inspector-stage';

function focusStage(): boolean {
  const stage = document.querySelector<HTMLElement>(`[data-testid=${STAGE_FOCUS_ID}]`);
  if (!stage) return false;
  stage.focus({ preventScroll: true });
  return true;
}

export function useInspectorKeys(fit: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return; // a field or list handled it (e.g. a picker closing on Esc)
      if (e.key === 'Escape') {
        // A dialog closes on Esc itself; otherwise the keys go back to the stage.
        if (!document.querySelector('[role=dialog]') && !useApp.getState().showHelp && focusStage()) e.preventDefault();
        return;
      }
      if (keyBelongsToField(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement | null;
      // Enter on a focused button or link activates it, as everywhere.
      if (e.key === 'Enter' && target?.closest('button, a, summary')) return;
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
      // Also keeps a focused checkbox or button from taking Space as a click.
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [fit]);
}
