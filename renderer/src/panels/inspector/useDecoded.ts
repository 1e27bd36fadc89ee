/**
 * Hooks from the stores to what a slot shows: the key of the frame on the stage (followed only
 * while paused, so playback does not re-render subscribers per frame), the decoded result of a
 * slot (a re-decode of the cached output when a decoder setting moves; never a new request), and
 * the ground truth of the frame.
 */
import { useMemo } from 'react';
import { useApp } from '../../state/store';
import type { TusimpleFrame } from '../../../../shared/lanes';
import { decodeResult, gtFor, resultKey, videoFrameKey, type Decoded, type Slot } from './model';
import { usePlayback } from './playback';
import type { Media } from './useFrameMedia';

/** The key of the frame on the stage; null while a video plays (slots show their latest result). */
export function useStageKey(media: Media | null): string | null {
  const playing = useApp((s) => s.playing);
  const videoKey = usePlayback((s) => (media?.kind === 'video' && !playing ? videoFrameKey(s.index) : null));
  return media?.kind === 'image' ? media.key : videoKey;
}

export function useDecoded(slot: Slot, stageKey: string | null): Decoded {
  const exact = useApp((s) => (stageKey ? s.results[resultKey(slot, stageKey)] : undefined));
  const latest = useApp((s) => s.latest[slot]);
  const playing = useApp((s) => s.playing);
  const decoder = useApp((s) => s.decoder);
  const active = useApp((s) => slot === 'a' || s.abMode !== 'off');
  const showProposals = useApp((s) => s.layers.proposals);
  const result = active ? (exact ?? (playing || stageKey === null ? latest : null)) : null;
  // While an image sequence plays, a result of an earlier frame is drawn faded until this one's arrives.
  const stale = !!result && !exact && stageKey !== null;
  return useMemo(() => decodeResult(result, decoder, showProposals, stale), [result, decoder, showProposals, stale]);
}

/** The GT of the frame on the stage; while a video plays, of the frame the shown result belongs to. */
export function useGtFrame(media: Media | null, stageKey: string | null, shown: Decoded): TusimpleFrame | null {
  const gt = useApp((s) => s.gt);
  const source = useApp((s) => s.source);
  const index =
    media?.kind === 'image'
      ? media.index
      : stageKey
        ? Number(stageKey.slice(stageKey.indexOf(':') + 1))
        : (shown.result?.frameIndex ?? -1);
  return useMemo(() => (index >= 0 ? gtFor(gt, source, index) : null), [gt, source, index]);
}
