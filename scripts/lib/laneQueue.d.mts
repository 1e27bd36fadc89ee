// Types of laneQueue.mjs for the TypeScript tests that import it.
export interface QueueEntry {
  file: string;
  kind: string;
}
export function writeQueue(runDir: string, entries: QueueEntry[]): void;
export function queueClaimer(runDir: string, prefer: string): () => string | null;
