/** The keyboard shortcuts of the current mode (Electron or browser), opened with "?" or F1. */
import { Kbd } from './ui';
import { shortcutRows, type KeyMode } from '../lib/shortcuts';

export function HelpModal({ mode, onClose }: { mode: KeyMode; onClose: () => void }) {
  return (
    <div className="modal-back" onClick={onClose}>
      <div className="modal" onClick={(e) => e.stopPropagation()} role="dialog" aria-label="Keyboard shortcuts">
        <h3>Keyboard shortcuts</h3>
        <div className="help-grid">
          {shortcutRows(mode).map(([k, v]) => (
            <div key={k} style={{ display: 'contents' }}>
              <span>
                <Kbd>{k}</Kbd>
              </span>
              <span>{v}</span>
            </div>
          ))}
        </div>
        <div className="small muted" style={{ marginTop: 10 }}>
          {mode === 'browser'
            ? 'Browser mode: the browser keeps Ctrl and a digit (on Linux Alt and a digit too) for its own tabs, so the views are on Alt+Shift and a digit. Keys act unless a text field has the focus; Esc gives them back.'
            : 'Keys act unless a text field has the focus; Esc gives them back.'}
        </div>
        <div className="row" style={{ marginTop: 14, justifyContent: 'flex-end' }}>
          <button className="btn" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
