/** Top-bar button that opens the notifications log, with the count of entries not yet seen. */
import { useApp } from '../../state/store';

export function LogButton() {
  const unread = useApp((s) => s.unreadLog);
  const hasErrors = useApp((s) => s.log.some((n) => n.kind === 'err'));
  const setShowLog = useApp((s) => s.setShowLog);
  const open = useApp((s) => s.showLog);
  return (
    <button
      className={`btn small ${open ? 'active' : ''}`}
      onClick={() => setShowLog(!open)}
      title="Notifications log: every message and error of this session, with the raw detail"
      aria-expanded={open}
      data-testid="log-button"
      data-unread={unread}
    >
      Log
      {unread > 0 && <span className={`badge ${hasErrors ? 'err' : 'info'}`}>{unread}</span>}
    </button>
  );
}
