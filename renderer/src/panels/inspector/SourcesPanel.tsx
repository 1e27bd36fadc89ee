/** The frame sources panel: open buttons, the image list, the loaded ground truth, demo media. */
import { memo, useRef, useState } from 'react';
import { useApp } from '../../state/store';
import { Alert, Panel } from '../../components/ui';
import { GT_COLOR } from '../../components/FrameStage';
import { getApi } from '../../../api';
import { errorText } from '../../lib/errors';
import { demoFolders, loadGt, newOpenTicket, openFiles, openMixed, type DemoFolder, type DemoMedia } from './sources';
import { imageFrameKey, resultKey } from './model';
import { usePlayback } from './playback';

/** Memoised (no props): results and playback do not re-render the list unless it shows them. */
export const SourcesPanel = memo(function SourcesPanel() {
  const source = useApp((s) => s.source);
  const sourceError = useApp((s) => s.sourceError);
  const frameIndex = usePlayback((s) => (source?.kind === 'images' ? s.index : -1));
  const seek = usePlayback((s) => s.seek);
  const demo = useApp((s) => s.demo);
  const gt = useApp((s) => s.gt);
  const gtError = useApp((s) => s.gtError);
  const [loadingDemo, setLoadingDemo] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const gtInput = useRef<HTMLInputElement>(null);

  const media = (demo?.media ?? []).filter((m) => m.kind !== 'other' && m.name !== 'manifest.json');
  const [showDemo, setDemoOpen] = useState(true);
  const folders = demoFolders(media);

  const readDemoFile = async (name: string, typed: boolean): Promise<File> => {
    const m = await getApi().readDemoMedia({ name });
    // Demo media names may be `folder/file`; a File is named by its last part, as from a picker.
    return new File([m.data as BlobPart], name.split('/').pop()!, typed ? { type: m.mime } : undefined);
  };
  /** The folder's TuSimple labels go with its frames. */
  const labelsFor = async (folder: DemoFolder | undefined): Promise<File[]> =>
    folder?.labels ? [await readDemoFile(folder.labels, false)] : [];

  const openDemo = async (name: string, kind: string) => {
    setLoadingDemo(name);
    try {
      if (kind === 'labels') {
        await loadGt([await readDemoFile(name, false)], name);
      } else {
        // Taken now: a source the user opens while this one is still being read wins.
        const ticket = newOpenTicket();
        const file = await readDemoFile(name, true);
        const folder = folders.find((f) => f.items.some((m) => m.name === name));
        await openFiles([file], undefined, await labelsFor(folder), folder?.labels, ticket);
      }
    } catch (e) {
      useApp.getState().setSourceError(`${name}: ${errorText(e)}`);
    } finally {
      setLoadingDemo(null);
    }
  };

  const openDemoFolder = async (folder: DemoFolder) => {
    setLoadingDemo(folder.name);
    try {
      const ticket = newOpenTicket();
      const images = folder.items.filter((m) => m.kind === 'image');
      const files = await Promise.all(images.map((m) => readDemoFile(m.name, true)));
      await openFiles(files, `${folder.name}/`, await labelsFor(folder), folder.labels, ticket);
    } catch (e) {
      useApp.getState().setSourceError(`${folder.name}/: ${errorText(e)}`);
    } finally {
      setLoadingDemo(null);
    }
  };

  return (
    <Panel title="Frames" flush testId="sources">
      <div style={{ padding: 8, display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: 6 }}>
        <div className="row">
          <button className="btn small grow" onClick={() => fileInput.current?.click()} data-testid="open-files">
            Open images / video
          </button>
          <button className="btn small" onClick={() => folderInput.current?.click()} title="Open an image folder">
            Folder
          </button>
        </div>
        <button className="btn small" onClick={() => gtInput.current?.click()} data-testid="open-gt">
          Load TuSimple labels (JSON)
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          accept="image/*,video/*,.json"
          hidden
          data-testid="file-input"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            openMixed(files);
          }}
        />
        <input
          ref={folderInput}
          type="file"
          hidden
          multiple
          data-testid="folder-input"
          {...({ webkitdirectory: '' } as Record<string, string>)}
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            void openFiles(files);
          }}
        />
        <input
          ref={gtInput}
          type="file"
          accept=".json,application/json"
          hidden
          multiple
          data-testid="gt-input"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            void loadGt(files);
          }}
        />
        {sourceError && (
          <Alert kind="err" testId="source-error">
            {sourceError}
          </Alert>
        )}
        {gtError && <Alert kind="err">{gtError}</Alert>}
        {gt && (
          <div
            className="row small muted"
            data-testid="gt-loaded"
            style={{ flexWrap: 'nowrap' }}
            title={`${gt.name}: ${gt.frames.length} labelled frames`}
          >
            <span className="dot" style={{ background: GT_COLOR, flex: 'none' }} />
            <span className="grow" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
              {gt.name}: {gt.frames.length} labelled frames
            </span>
            <button className="btn small" onClick={() => useApp.getState().setGt(null)} title="Drop the ground truth">
              ✕
            </button>
          </div>
        )}
      </div>
      {source?.kind === 'images' && (
        <div style={{ borderTop: '1px solid var(--line)' }}>
          <div className="section-title" style={{ padding: '8px 10px 2px' }}>
            {source.label} · {source.items.length}
            {source.masksSkipped ? (
              <span
                className="muted"
                data-testid="masks-skipped"
                title="Images that are masks or segmentation labels (e.g. *_instance.png, gt_binary_image/) are not frames"
              >
                {' '}
                · {source.masksSkipped} masks skipped
              </span>
            ) : null}
          </div>
          <ul className="list" data-testid="frame-list">
            {source.items.map((it, i) => (
              <li key={i} className={i === frameIndex ? 'selected' : ''} onClick={() => seek(i)}>
                <span className="muted mono" style={{ width: 28 }}>
                  {i + 1}
                </span>
                <span className="mono grow" style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
                  {it.name}
                </span>
                <ResultDot frameKey={imageFrameKey(i, it.name)} />
              </li>
            ))}
          </ul>
        </div>
      )}
      {source?.kind === 'video' && (
        <div style={{ padding: 10, borderTop: '1px solid var(--line)' }} className="small">
          <div className="section-title">Video</div>
          <div className="mono">{source.name}</div>
        </div>
      )}
      {media.length > 0 && (
        <div style={{ borderTop: '1px solid var(--line)' }}>
          <div
            className="section-title"
            style={{ padding: '8px 10px 2px', cursor: 'pointer' }}
            onClick={() => setDemoOpen(!showDemo)}
            data-testid="demo-media-toggle"
          >
            {showDemo ? '▾' : '▸'} Demo media
          </div>
          {showDemo && (
            <ul className="list" data-testid="demo-media">
              {folders.map((f) => (
                <DemoFolderItems
                  key={f.name}
                  folder={f}
                  loading={loadingDemo}
                  onOpen={(m) => void openDemo(m.name, m.kind)}
                  onOpenAll={() => void openDemoFolder(f)}
                />
              ))}
            </ul>
          )}
        </div>
      )}
    </Panel>
  );
});

function DemoFolderItems({
  folder,
  loading,
  onOpen,
  onOpenAll,
}: {
  folder: DemoFolder;
  loading: string | null;
  onOpen(m: DemoMedia): void;
  onOpenAll(): void;
}) {
  const images = folder.items.filter((m) => m.kind === 'image').length;
  return (
    <>
      {folder.name && (
        <li className="folder" data-testid={`demo-folder-${folder.name}`}>
          <span className="grow mono">{folder.name}/</span>
          {loading === folder.name && <span className="spinner" />}
          {images > 1 && (
            <button
              className="btn small"
              onClick={onOpenAll}
              disabled={!!loading}
              title={`Open the ${images} images as one sequence${folder.labels ? ' with their TuSimple labels' : ''}`}
              data-testid={`demo-open-all-${folder.name}`}
            >
              All {images}
              {folder.labels ? ' + GT' : ''}
            </button>
          )}
        </li>
      )}
      {folder.items.map((m) => (
        <li
          key={m.name}
          onClick={() => onOpen(m)}
          data-testid={`demo-${m.name}`}
          title={m.kind !== 'labels' && folder.labels ? `Opens with ${folder.labels}` : undefined}
          style={folder.name ? { paddingLeft: 18 } : undefined}
        >
          <span className="badge">{m.kind}</span>
          <span className="grow mono" style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
            {folder.name ? m.name.slice(folder.name.length + 1) : m.name}
          </span>
          {loading === m.name && <span className="spinner" />}
        </li>
      ))}
    </>
  );
}

function ResultDot({ frameKey }: { frameKey: string }) {
  const has = useApp((s) => !!s.results[resultKey('a', frameKey)]);
  return has ? <span className="dot ok" title="inferred" /> : null;
}
