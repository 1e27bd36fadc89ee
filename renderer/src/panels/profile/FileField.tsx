/**
 * A certificate or key path: typed, or chosen with "Choose…" — the native dialog in Electron, the
 * services' confined folder listing in browser mode (there the page cannot learn a file's path).
 */
import { useState } from 'react';
import { getApi } from '../../../api';
import { errorText } from '../../lib/errors';
import { Field } from './Field';
import { FileBrowserDialog } from './FileBrowserDialog';

export type FilePurpose = 'tls-ca' | 'tls-cert' | 'tls-key';

export function FileField(props: {
  label: string;
  purpose: FilePurpose;
  value: string;
  placeholder: string;
  error?: string;
  nativeDialogs: boolean;
  testId: string;
  onChange(path: string): void;
}) {
  const [browsing, setBrowsing] = useState(false);
  const [pickError, setPickError] = useState<string | null>(null);
  const choose = async () => {
    setPickError(null);
    if (!props.nativeDialogs) return setBrowsing(true);
    try {
      const picked = await getApi().pickFile({ purpose: props.purpose });
      if (picked) props.onChange(picked.path);
    } catch (e) {
      setPickError(errorText(e));
    }
  };
  return (
    <Field label={props.label} error={props.error ?? pickError ?? undefined} testId={props.testId}>
      {(id, describedBy) => (
        <div className="row" style={{ gap: 6, flexWrap: 'nowrap' }}>
          <input
            id={id}
            type="text"
            className="grow mono"
            value={props.value}
            placeholder={props.placeholder}
            spellCheck={false}
            aria-invalid={props.error ? true : undefined}
            aria-describedby={describedBy}
            onChange={(e) => props.onChange(e.target.value)}
            data-testid={props.testId}
          />
          <button
            type="button"
            className="btn small"
            onClick={() => void choose()}
            data-testid={`${props.testId}-choose`}
          >
            Choose…
          </button>
          {browsing && (
            <FileBrowserDialog
              title={`Choose the ${props.label.toLowerCase()}`}
              start={props.value}
              onPick={(path) => {
                setBrowsing(false);
                props.onChange(path);
              }}
              onClose={() => setBrowsing(false)}
            />
          )}
        </div>
      )}
    </Field>
  );
}
