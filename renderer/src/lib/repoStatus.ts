/**
 * Which server's model states the repository tree may show. A folder is only "served" by a server
 * the app knows serves it: the embedded demo server for the bundled demo repository, or the server
 * the user picked for a folder they opened. States of same-named models on any other server say
 * nothing about this folder, so the tree shows none then.
 */
import type { RepositoryRoot } from '../../../shared/contract';

/** Folder path -> connection id, as the user set it ("Served by"). */
export type ServedByMap = Record<string, string>;

export function servingConnection(
  root: RepositoryRoot | null | undefined,
  demo: { rootId: string | null; connectionId: string | null } | null,
  servedBy: ServedByMap,
): string | null {
  if (!root) return null;
  if (root.builtin && demo?.rootId === root.rootId) return demo.connectionId;
  return servedBy[root.path] ?? null;
}

/**
 * The model states to show for the folder: the index of the active server when, and only when, it
 * is the one serving the folder and it is connected; otherwise none.
 */
export function treeStates(
  servingId: string | null,
  active: { id: string | null; connected: boolean },
  index: readonly { name: string; state: string }[],
): Map<string, string> {
  if (!servingId || servingId !== active.id || !active.connected) return new Map();
  return new Map(index.map((m) => [m.name, m.state]));
}
