/**
 * Browser mode's file chooser: folders listed by the services (confined to the folders they allow,
 * no dot-files), entered with a click; a click on a file chooses its path.
 */
import { useEffect, useState } from 'react';
import { getApi } from '../../../api';
import type { BrowseFilesResponse } from '../../../../shared/contract';
import { errorText } from '../../lib/errors';
import { Alert } from '../../components/ui';
import { dirnameOf, joinPath } from '../../lib/paths';

const CERT_LIKE = /\.(pem|crt|cer|key)$/i;

export function FileBrowserDialog(props: {
  title: string;
  /** The current value: its folder is listed first when allowed. */
  start: string;
  onPick(path: string): void;
  onClose(): void;
}) {
  const [listing, setListing] = useState<BrowseFilesResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  const open = async (dir: string | undefined, fallback: boolean) => {
    try {
      setListing(await getApi().browseFiles(dir ? { dir } : {}));
      setError(null);
    } catch (e) {
      setError(errorText(e));
      // The current value's folder may be outside the allowed folders: start at the first instead.
      if (fallback && dir) await open(undefined, false);
    }
  };
  useEffect(() => {
    void open(props.start.trim() ? dirnameOf(props.start.trim()) : undefined, true);
    // Listed once when opened; navigation calls open() itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <div className="modal-back" onClick={props.onClose}>
      <div
        className="modal file-browser"
        role="dialog"
        aria-label={props.title}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === 'Escape' && props.onClose()}
        data-testid="file-browser"
      >
        <h3>{props.title}</h3>
        <div className="row" style={{ gap: 6, marginBottom: 6 }}>
          <button
            type="button"
            className="btn small"
            disabled={!listing?.parent}
            onClick={() => listing?.parent && void open(listing.parent, false)}
            data-testid="file-browser-up"
          >
            ↑ Up
          </button>
          <span className="mono small grow ellipsis" title={listing?.dir} data-testid="file-browser-dir">
            {listing?.dir ?? '…'}
          </span>
        </div>
        {error && <Alert kind="warn">{error}</Alert>}
        <ul className="list file-list" data-testid="file-browser-list">
          {listing?.entries.map((e) => (
            <li
              key={e.name}
              className={e.kind === 'file' && !CERT_LIKE.test(e.name) ? 'muted' : ''}
              onClick={() =>
                e.kind === 'dir'
                  ? void open(joinPath(listing.dir, e.name), false)
                  : props.onPick(joinPath(listing.dir, e.name))
              }
              data-testid={`file-entry-${e.name}`}
            >
              <span className="icon">{e.kind === 'dir' ? '▸' : '·'}</span>
              <span className="grow">{e.kind === 'dir' ? `${e.name}/` : e.name}</span>
            </li>
          ))}
          {listing && !listing.entries.length && <li className="muted">empty folder</li>}
        </ul>
        {listing?.truncated && <div className="muted small">Only the first entries are listed.</div>}
        <p className="muted small">
          Files are listed from {listing?.roots.join(', ') ?? 'the allowed folders'}; hidden files are not shown. You
          can also type any path into the field.
        </p>
        <div className="row" style={{ justifyContent: 'flex-end' }}>
          <button type="button" className="btn" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
