/** The store's pending confirmation (state/dialogs), as a modal: Esc or Cancel closes it. */
import { useEffect, useRef } from 'react';
import { useApp } from '../state/store';

export function ConfirmDialog() {
  const req = useApp((s) => s.confirmRequest);
  const close = useApp((s) => s.closeConfirm);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  // Where the focus was (e.g. the table row's button): it goes back there when the dialog closes.
  const returnTo = useRef<HTMLElement | null>(null);

  useEffect(() => {
    if (!req) return;
    returnTo.current = document.activeElement as HTMLElement | null;
    (req.danger ? cancelRef : confirmRef).current?.focus();
    return () => returnTo.current?.focus?.();
  }, [req]);

  if (!req) return null;
  const confirm = () => {
    close();
    req.onConfirm();
  };
  return (
    <div className="modal-back" onClick={close}>
      <div
        className="modal"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-title"
        data-testid="confirm-dialog"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          // Keys stay in the dialog: the views' shortcuts must not act behind it.
          e.stopPropagation();
          if (e.key === 'Escape') close();
        }}
      >
        <h3 id="confirm-title">{req.title}</h3>
        {req.lines.map((l, i) => (
          <p key={i} className={i ? 'muted small' : ''} style={{ margin: '0 0 8px' }}>
            {l}
          </p>
        ))}
        <div className="row" style={{ justifyContent: 'flex-end', marginTop: 14 }}>
          <button className="btn" ref={cancelRef} onClick={close} data-testid="confirm-cancel">
            Cancel
          </button>
          <button
            className={`btn ${req.danger ? 'danger-solid' : 'primary'}`}
            ref={confirmRef}
            onClick={confirm}
            data-testid="confirm-ok"
          >
            {req.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
