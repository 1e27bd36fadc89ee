/**
 * The embedded demo: our Triton-protocol server (electron/server) on assets/demo-repo, a built-in
 * connection profile pointing at it, the repository folder opened, and the demo media
 * (assets/demo: procedural road videos/images with ground truth) readable by name.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ApiError, serializeError, type ApiEmit, type DemoStatus } from '../../shared/contract';
import type { ConnectionManager } from './connections';
import type { RepositoryBrowser } from './repository';

export const DEMO_CONNECTION_ID = 'demo';
/** The same embedded server reached over HTTP/REST (its second port). */
export const DEMO_HTTP_CONNECTION_ID = 'demo-http';
const MAX_MEDIA_BYTES = 512 * 1024 * 1024;

const MEDIA_KINDS: Record<string, { kind: 'image' | 'video' | 'labels' | 'other'; mime: string }> = {
  '.png': { kind: 'image', mime: 'image/png' },
  '.jpg': { kind: 'image', mime: 'image/jpeg' },
  '.jpeg': { kind: 'image', mime: 'image/jpeg' },
  '.webp': { kind: 'image', mime: 'image/webp' },
  '.webm': { kind: 'video', mime: 'video/webm' },
  '.mp4': { kind: 'video', mime: 'video/mp4' },
  '.json': { kind: 'labels', mime: 'application/json' },
  '.txt': { kind: 'labels', mime: 'text/plain' },
};

export interface EmbeddedServerHandle {
  port: number;
  url: string;
  /** host:port of its HTTP/REST front end, when it serves one. */
  httpUrl?: string;
  /** The server's Prometheus endpoint, when it serves one. */
  metricsUrl?: string;
  close(): Promise<void> | void;
}
export type StartEmbeddedServer = (opts: {
  modelRepository: string;
  host?: string;
  port?: number;
  httpPort?: number;
  controlMode?: 'explicit' | 'none';
  loadAll?: boolean;
  metricsPort?: number;
}) => Promise<EmbeddedServerHandle>;

export interface DemoServiceOptions {
  repoDir: string;
  mediaDir: string;
  emit: ApiEmit;
  connections: ConnectionManager;
  repository: RepositoryBrowser;
  startServer: StartEmbeddedServer;
}

export class DemoService {
  private server: EmbeddedServerHandle | null = null;
  private rootId: string | null = null;
  private error: { code: string; message: string } | null = null;
  private starting: Promise<DemoStatus> | null = null;

  constructor(private readonly opts: DemoServiceOptions) {}

  async status(): Promise<DemoStatus> {
    return {
      running: this.server !== null,
      starting: this.starting !== null && this.server === null,
      url: this.server?.url ?? null,
      connectionId: this.server ? DEMO_CONNECTION_ID : null,
      rootId: this.rootId,
      media: await this.listMedia(),
      error: this.error,
    };
  }

  /**
   * Files of the demo media folder and of its direct sub-folders (the generator writes scenes/ and
   * video/), named by their path relative to it with '/' (e.g. `video/road.webm`).
   */
  private async listMedia(): Promise<DemoStatus['media']> {
    const out: DemoStatus['media'] = [];
    const visit = async (rel: string, depth: number) => {
      let names: string[];
      try {
        names = (await readdir(join(this.opts.mediaDir, rel))).sort();
      } catch {
        return;
      }
      for (const name of names) {
        if (name.startsWith('.')) continue;
        const relName = rel ? `${rel}/${name}` : name;
        const s = await stat(join(this.opts.mediaDir, relName)).catch(() => null);
        if (s?.isDirectory() && depth < 1) await visit(relName, depth + 1);
        if (!s?.isFile()) continue;
        out.push({ name: relName, kind: MEDIA_KINDS[extname(name).toLowerCase()]?.kind ?? 'other', size: s.size });
      }
    };
    await visit('', 0);
    return out;
  }

  start(): Promise<DemoStatus> {
    if (this.server) return this.status();
    this.starting ??= this.doStart().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async doStart(): Promise<DemoStatus> {
    const { repoDir } = this.opts;
    try {
      if (!existsSync(repoDir) || readdirSync(repoDir).length === 0) {
        throw new ApiError(
          'FAILED_PRECONDITION',
          `the demo model repository ${repoDir} is missing or empty; build it with: node --import tsx scripts/demo/build.ts`,
        );
      }
      this.server = await this.opts.startServer({
        modelRepository: repoDir,
        host: '127.0.0.1',
        port: 0,
        httpPort: 0,
        controlMode: 'explicit',
        loadAll: true,
        // Metrics on a free port too, so the demo's metrics view has a real endpoint to read.
        metricsPort: 0,
      });
      this.error = null;
      await this.opts.connections.setBuiltin({
        id: DEMO_CONNECTION_ID,
        name: 'Demo (embedded server)',
        url: this.server.url,
        protocol: 'grpc',
        metricsUrl: this.server.metricsUrl,
        builtin: true,
      });
      if (this.server.httpUrl)
        await this.opts.connections.setBuiltin({
          id: DEMO_HTTP_CONNECTION_ID,
          name: 'Demo (embedded server, HTTP/REST)',
          url: this.server.httpUrl,
          protocol: 'http',
          metricsUrl: this.server.metricsUrl,
          builtin: true,
        });
      this.rootId = (await this.opts.repository.openTrusted(repoDir, { builtin: true })).rootId;
      await this.opts.connections.connect(DEMO_CONNECTION_ID);
    } catch (err) {
      this.error = { code: serializeError(err).code, message: serializeError(err).message };
      const s = await this.status();
      this.opts.emit('demoStatus', s);
      throw err;
    }
    const s = await this.status();
    this.opts.emit('demoStatus', s);
    return s;
  }

  async stop(): Promise<DemoStatus> {
    await this.starting?.catch(() => undefined);
    if (this.server) {
      const server = this.server;
      this.server = null;
      await this.opts.connections.removeBuiltin(DEMO_CONNECTION_ID);
      await this.opts.connections.removeBuiltin(DEMO_HTTP_CONNECTION_ID);
      await server.close();
    }
    const s = await this.status();
    this.opts.emit('demoStatus', s);
    return s;
  }

  async readMedia(name: string) {
    const entry = (await this.listMedia()).find((m) => m.name === name);
    if (!entry) throw new ApiError('NOT_FOUND', `no demo media named '${name}'`);
    if (entry.size > MAX_MEDIA_BYTES)
      throw new ApiError('TOO_LARGE', `${name} is larger than ${MAX_MEDIA_BYTES} bytes`);
    const data = await readFile(join(this.opts.mediaDir, name));
    return {
      name,
      mime: MEDIA_KINDS[extname(name).toLowerCase()]?.mime ?? 'application/octet-stream',
      // exact-size buffer: structured clone would otherwise copy a whole pooled ArrayBuffer
      data:
        data.byteOffset === 0 && data.byteLength === data.buffer.byteLength
          ? new Uint8Array(data.buffer)
          : new Uint8Array(data),
    };
  }
}
