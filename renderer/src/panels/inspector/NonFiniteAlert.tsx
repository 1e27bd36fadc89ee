/** The inference panel's warning for an output with NaN or ±Infinity (an FP16 overflow, a broken export). */
import { Alert } from '../../components/ui';
import { describeNonFinite } from '../../../../shared/inference';
import type { Decoded } from './model';

export function NonFiniteAlert({ slot, decoded }: { slot: 'A' | 'B'; decoded: Decoded }) {
  const counted = decoded.nonFinite;
  if (!counted || !decoded.result) return null;
  return (
    <Alert kind="warn" testId={`nonfinite-${slot.toLowerCase()}`} title={`Output not finite (${slot})`}>
      {describeNonFinite(decoded.result.output.name, counted)}: lanes decoded from it are not reliable (an FP16 value
      overflows past ±65504).
    </Alert>
  );
}
