/** What the stage's line styles mean, for what is drawn now: TP / FP / GT / FN, or A and B. */
import {
  B_DASH,
  FAMILY_COLORS,
  GT_COLOR,
  GT_DASH,
  GT_MISSED_COLOR,
  GT_OUTLINE,
  MATCH_COLORS,
} from '../../components/overlayStyle';

function Swatch({ color, dash, outline }: { color: string; dash?: number[]; outline?: boolean }) {
  return (
    <svg width="26" height="8" aria-hidden style={{ flex: 'none' }}>
      {outline && <line x1="1" y1="4" x2="25" y2="4" stroke={GT_OUTLINE} strokeWidth="5" strokeOpacity="0.75" />}
      <line
        x1="1"
        y1="4"
        x2="25"
        y2="4"
        stroke={color}
        strokeWidth={outline ? 2 : 3}
        strokeDasharray={dash?.join(' ')}
      />
    </svg>
  );
}

export function OverlayLegend({
  judged,
  gt,
  ab,
  models,
}: {
  judged: boolean;
  gt: boolean;
  ab: boolean;
  models: [string | undefined, string | undefined];
}) {
  const items: [React.ReactNode, string][] = [];
  if (ab) {
    items.push([<Swatch key="a" color={FAMILY_COLORS.A[0]} />, `A ${models[0] ?? ''} (warm colours)`]);
    items.push([<Swatch key="b" color={FAMILY_COLORS.B[0]} dash={B_DASH} />, `B ${models[1] ?? ''} (cool colours)`]);
  } else if (judged) {
    items.push([<Swatch key="tp" color={MATCH_COLORS.tp} />, 'TP: matches a GT lane']);
    items.push([<Swatch key="fp" color={MATCH_COLORS.fp} />, 'FP: no GT lane']);
  }
  if (gt) {
    items.push([<Swatch key="gt" color={GT_COLOR} dash={GT_DASH} outline />, 'GT lane']);
    if (judged) items.push([<Swatch key="fn" color={GT_MISSED_COLOR} dash={GT_DASH} outline />, 'FN: GT lane missed']);
  }
  if (!items.length) return null;
  return (
    <div className="overlay-legend" data-testid="overlay-legend">
      {items.map(([swatch, text]) => (
        <span key={text} className="row" style={{ gap: 6 }}>
          {swatch}
          {text}
        </span>
      ))}
    </div>
  );
}
