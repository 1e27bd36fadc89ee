/** Short-lived notices (bottom of the store's toasts); each is also in the notifications log. */
import { useApp } from '../../state/store';

export function Toasts() {
  const toasts = useApp((s) => s.toasts);
  const dismiss = useApp((s) => s.dismissToast);
  return (
    <div className="toast-stack">
      {toasts.map((t) => (
        <div
          key={t.id}
          className={`toast ${t.kind}`}
          onClick={() => dismiss(t.id)}
          role={t.kind === 'err' ? 'alert' : 'status'}
          data-testid="toast"
          data-kind={t.kind}
        >
          <span className="grow">{t.text}</span>
          {t.action && (
            <button
              className="btn small"
              onClick={(e) => {
                e.stopPropagation();
                dismiss(t.id);
                t.action!.run();
              }}
              data-testid="toast-action"
            >
              {t.action.label}
            </button>
          )}
        </div>
      ))}
    </div>
  );
}
