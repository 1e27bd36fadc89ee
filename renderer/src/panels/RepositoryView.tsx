/**
 * Repository folder browser + config.pbtxt editor (see ./repository/): code view with live
 * diagnostics and schema completion, form view, diffs vs disk and vs the server's loaded config,
 * safe save, and "apply to server" with an explicit choice between a config override and the file.
 */
import { RepoBrowser } from './repository/RepoBrowser';
import { EditorPanel } from './repository/EditorPanel';

export function RepositoryView() {
  return (
    <div className="view grid-repo">
      <RepoBrowser />
      <EditorPanel />
    </div>
  );
}
