/**
 * The inspector's <video> element lives outside React's tree, so a stage can present it (move it
 * into its own host, where the compositor shows each decoded frame without main-thread work) and
 * give it back to an offscreen parking spot, where it keeps decoding for captures and exports.
 * Moving a media element between parents does not pause it (it never leaves the document).
 */
let parking: HTMLDivElement | null = null;

export function createVideoElement(testId: string): HTMLVideoElement {
  const v = document.createElement('video');
  v.muted = true;
  v.playsInline = true;
  v.preload = 'auto';
  v.dataset['testid'] = testId;
  Object.assign(v.style, { display: 'block', width: '100%', height: '100%', objectFit: 'fill' });
  return v;
}

/** Offscreen, not display:none: a hidden element would stop presenting frames. */
export function parkVideo(v: HTMLVideoElement): void {
  if (!parking) {
    parking = document.createElement('div');
    parking.setAttribute('aria-hidden', 'true');
    Object.assign(parking.style, {
      position: 'fixed',
      left: '-10000px',
      top: '0',
      width: '16px',
      height: '9px',
      opacity: '0',
      pointerEvents: 'none',
    });
    document.body.appendChild(parking);
  }
  if (v.parentElement !== parking) parking.appendChild(v);
}

export function presentVideo(v: HTMLVideoElement, host: HTMLElement): () => void {
  host.appendChild(v);
  return () => {
    if (v.parentElement === host) parkVideo(v);
  };
}
