/**
 * "Diff vs server" without the noise: Triton auto-completes a loaded config (version_policy,
 * instance_group names, optimization, …), so next to a hand-written config.pbtxt most of the diff
 * is fields nobody wrote. `onlyAuthoredFields` keeps, of the server's config, the fields the editor
 * buffer sets too (recursively; repeated messages matched by `name`, else by position), so the diff
 * shows what differs in what the user wrote. Elements only the server has in a list the buffer
 * sets are kept: those are real differences.
 */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface Pruned {
  value: Json;
  /** How many fields (leaves and whole messages) of the server's config were left out. */
  hidden: number;
}

function countLeaves(v: unknown): number {
  if (Array.isArray(v)) return v.reduce<number>((n, x) => n + countLeaves(x), 0) || 1;
  if (isObject(v)) return Object.values(v).reduce<number>((n, x) => n + countLeaves(x), 0) || 1;
  return 1;
}

function matchElement(authored: unknown[], item: unknown, i: number): unknown {
  if (isObject(item) && typeof item.name === 'string') {
    const byName = authored.find((a) => isObject(a) && a.name === item.name);
    if (byName !== undefined) return byName;
  }
  return authored[i];
}

function prune(server: unknown, authored: unknown, counter: { hidden: number }): unknown {
  if (isObject(server) && isObject(authored)) {
    const out: Json = {};
    for (const [k, v] of Object.entries(server)) {
      if (!(k in authored)) {
        counter.hidden += countLeaves(v);
        continue;
      }
      out[k] = prune(v, authored[k], counter);
    }
    return out;
  }
  if (Array.isArray(server) && Array.isArray(authored)) {
    return (server as unknown[]).map((item, i) => {
      const match = matchElement(authored as unknown[], item, i);
      return match === undefined ? item : prune(item, match, counter);
    });
  }
  return server;
}

export function onlyAuthoredFields(server: Json, authored: Json): Pruned {
  const counter = { hidden: 0 };
  const value = prune(server, authored, counter) as Json;
  return { value, hidden: counter.hidden };
}
