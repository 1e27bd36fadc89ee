/**
 * Saved Triton connection profiles and live connections.
 *
 * - Profiles persist as JSON in `<configDir>/connections.json` (written atomically: temp + rename).
 *   TLS material is stored as file PATHS and read at connect time, so rotating a certificate on disk
 *   needs no re-entry and no key bytes end up in our config file.
 * - A connected profile is polled (live, ready, metadata). Healthy: every `pollIntervalMs`
 *   (default 2 s). Failing: the delay doubles per consecutive failure up to 10 s (backoff), and
 *   resets on success or on an explicit refresh. Every completed check emits 'connectionStatus'.
 *   The cap is low on purpose: a server that restarts (a Jetson rebooting, Triton reloading) should
 *   show as back within seconds, and a check of a dead server costs one failed TCP connect.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  ApiError,
  ConnectionProfileSchema,
  serializeError,
  type ApiEmit,
  type ConnectionProfile,
  type ConnectionProfileInput,
  type ConnectionStatus,
} from '../../shared/contract';
import { describeProblem, normalizeProfile } from '../../shared/connection';
import type { TritonClientFactory, TritonClientLike, TritonTlsOptions } from './tritonLike';
import { serverMetadataFromClient } from './mappers';
import { checkTlsFiles, readTlsFile } from './profileFiles';
import { explainFailure } from './failureInfo';

export const DEFAULT_POLL_MS = 2000;
export const MAX_BACKOFF_MS = 10_000;

/** Delay before the next status check: the poll interval, doubled per consecutive failure, capped. */
export function nextCheckDelay(pollIntervalMs: number, consecutiveFailures: number): number {
  if (consecutiveFailures <= 0) return pollIntervalMs;
  return Math.min(pollIntervalMs * 2 ** Math.min(consecutiveFailures, 30), Math.max(MAX_BACKOFF_MS, pollIntervalMs));
}

const StoreSchema = z.object({ version: z.literal(1), profiles: z.array(ConnectionProfileSchema) });

interface Live {
  client: TritonClientLike;
  /** The profile's address and whether TLS is on, for explaining failures. */
  address: string;
  tls: boolean;
  protocol: 'grpc' | 'http';
  status: ConnectionStatus;
  timer?: NodeJS.Timeout;
  /** Bumped on disconnect/reconnect so late poll results of an old client are dropped. */
  generation: number;
  checking?: Promise<ConnectionStatus>;
  /** The explained error of the current failure streak (probing once per streak, not per poll). */
  explained?: { detail: string; error: NonNullable<ConnectionStatus['error']> };
}

export interface ConnectionManagerOptions {
  configDir: string;
  createClient: TritonClientFactory;
  emit: ApiEmit;
  /** Polling can be turned off (CLI-style one-shot use); checks still run on connect/refresh. */
  poll?: boolean;
}

export class ConnectionManager {
  private readonly file: string;
  private profiles: ConnectionProfile[] = [];
  private readonly builtins = new Map<string, ConnectionProfile>();
  private readonly live = new Map<string, Live>();
  private generation = 0;
  private closed = false;

  constructor(private readonly opts: ConnectionManagerOptions) {
    this.file = join(opts.configDir, 'connections.json');
    this.profiles = this.load();
  }

  private load(): ConnectionProfile[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new ApiError('INVALID_ARGUMENT', `${this.file}: not valid JSON (${(err as Error).message})`);
    }
    const r = StoreSchema.safeParse(json);
    if (!r.success) {
      const i = r.error.issues[0];
      throw new ApiError('INVALID_ARGUMENT', `${this.file}: ${i.path.join('.') || '(root)'}: ${i.message}`);
    }
    return r.data.profiles.map((p) => ({ ...p, builtin: undefined }));
  }

  private persist(): void {
    mkdirSync(this.opts.configDir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: 1, profiles: this.profiles }, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  list(): ConnectionProfile[] {
    return [...this.builtins.values(), ...this.profiles];
  }

  get(id: string): ConnectionProfile {
    const p = this.builtins.get(id) ?? this.profiles.find((x) => x.id === id);
    if (!p) throw new ApiError('NOT_FOUND', `no connection profile with id '${id}'`);
    return p;
  }

  private changed(): void {
    this.opts.emit('connectionsChanged', { profiles: this.list() });
  }

  /**
   * Creates or updates a profile. The endpoint is normalised (`grpc://`, `grpcs://`, spaces) and the
   * TLS files are checked first: a profile with a bad field is not saved, and the error names the
   * field (`details.fields`, for the form).
   */
  async save(input: ConnectionProfileInput): Promise<ConnectionProfile> {
    if (input.id && this.builtins.has(input.id)) {
      throw new ApiError(
        'FAILED_PRECONDITION',
        `'${this.builtins.get(input.id)!.name}' is built in and cannot be edited`,
      );
    }
    const existing = input.id ? this.profiles.findIndex((p) => p.id === input.id) : -1;
    if (input.id && existing < 0) throw new ApiError('NOT_FOUND', `no connection profile with id '${input.id}'`);
    const { profile: normalized, problems } = normalizeProfile(input);
    problems.push(...(await checkTlsFiles(normalized.tls)));
    if (problems.length) {
      throw new ApiError('INVALID_ARGUMENT', `not saved: ${problems.map(describeProblem).join('; ')}`, {
        fields: problems.map((p) => ({ field: p.field, message: p.message })),
      });
    }
    const id = input.id ?? randomUUID();
    const profile: ConnectionProfile = { ...normalized, id };
    const before = existing >= 0 ? this.profiles[existing] : undefined;
    if (existing >= 0) this.profiles[existing] = profile;
    else this.profiles.push(profile);
    this.persist();
    this.changed();
    // Address or TLS changed on a live connection: reconnect so the change takes effect now. The
    // save itself succeeded either way; a failing reconnect shows in the connection's status.
    if (
      before &&
      this.live.has(id) &&
      JSON.stringify([before.url, before.protocol, before.tls, before.timeoutMs]) !==
        JSON.stringify([profile.url, profile.protocol, profile.tls, profile.timeoutMs])
    ) {
      await this.disconnect(id);
      await this.connect(id).catch(() => undefined);
    }
    return profile;
  }

  async delete(id: string): Promise<void> {
    if (this.builtins.has(id)) throw new ApiError('FAILED_PRECONDITION', 'built-in profiles cannot be deleted');
    const i = this.profiles.findIndex((p) => p.id === id);
    if (i < 0) throw new ApiError('NOT_FOUND', `no connection profile with id '${id}'`);
    await this.disconnect(id);
    this.profiles.splice(i, 1);
    this.persist();
    this.changed();
  }

  /** Built-in (not persisted) profile, e.g. the embedded demo server. Replaces one with the same id. */
  async setBuiltin(profile: ConnectionProfile): Promise<void> {
    const before = this.builtins.get(profile.id);
    this.builtins.set(profile.id, { ...profile, builtin: true });
    if (before && (before.url !== profile.url || before.protocol !== profile.protocol) && this.live.has(profile.id))
      await this.disconnect(profile.id);
    this.changed();
  }

  async removeBuiltin(id: string): Promise<void> {
    if (!this.builtins.has(id)) return;
    await this.disconnect(id);
    this.builtins.delete(id);
    this.changed();
  }

  private static initialStatus(id: string, state: ConnectionStatus['state']): ConnectionStatus {
    return {
      id,
      state,
      live: null,
      ready: null,
      metadata: null,
      error: null,
      lastCheckedAt: null,
      latencyMs: null,
      nextCheckInMs: null,
      consecutiveFailures: 0,
    };
  }

  status(id: string): ConnectionStatus {
    this.get(id);
    return this.live.get(id)?.status ?? ConnectionManager.initialStatus(id, 'disconnected');
  }

  private async readTls(profile: ConnectionProfile): Promise<TritonTlsOptions | undefined> {
    const tls = profile.tls;
    if (!tls?.enabled) return undefined;
    const read = async (what: string, path?: string) => {
      if (!path) return undefined;
      try {
        return await readTlsFile(path);
      } catch (err) {
        throw new ApiError(
          'INVALID_ARGUMENT',
          `cannot read ${what} file ${path} of connection '${profile.name}': it ${(err as Error).message}`,
        );
      }
    };
    // One after another, so a profile with several bad paths always reports the first (CA, then
    // certificate, then key) rather than whichever read happened to fail first.
    const ca = await read('CA certificate', tls.caPath);
    const cert = await read('client certificate', tls.certPath);
    const key = await read('client key', tls.keyPath);
    if (!!cert !== !!key) {
      throw new ApiError(
        'INVALID_ARGUMENT',
        `connection '${profile.name}': mutual TLS needs both a client certificate and a client key`,
      );
    }
    return { ca, cert, key, insecure: tls.insecure, serverName: tls.serverName };
  }

  /** The profile's TLS files, read now: for the server's other endpoints (an https metrics URL). */
  tlsOf(id: string): Promise<TritonTlsOptions | undefined> {
    return this.readTls(this.get(id));
  }

  private makeClient(profile: ConnectionProfile, tls: TritonTlsOptions | undefined): TritonClientLike {
    return this.opts.createClient({
      url: profile.url,
      protocol: profile.protocol ?? 'grpc',
      tls,
      timeoutMs: profile.timeoutMs ?? 10_000,
    });
  }

  /** Connects (creating the client), runs the first check and starts polling. Idempotent. */
  async connect(id: string): Promise<ConnectionStatus> {
    if (this.closed) throw new ApiError('UNAVAILABLE', 'services are shutting down');
    const profile = this.get(id);
    const existing = this.live.get(id);
    if (existing) return existing.checking ?? this.check(id);
    const tls = await this.readTls(profile);
    if (this.live.has(id)) return this.check(id); // a concurrent connect won the race
    const client = this.makeClient(profile, tls);
    const entry: Live = {
      client,
      address: profile.url,
      tls: Boolean(tls),
      protocol: profile.protocol ?? 'grpc',
      status: ConnectionManager.initialStatus(id, 'connecting'),
      generation: ++this.generation,
    };
    this.live.set(id, entry);
    this.opts.emit('connectionStatus', entry.status);
    return this.check(id);
  }

  disconnect(id: string): Promise<ConnectionStatus> {
    try {
      this.get(id); // an unknown id rejects, as every other method here does
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(`unknown connection '${id}'`));
    }
    const entry = this.live.get(id);
    if (entry) {
      this.live.delete(id);
      clearTimeout(entry.timer);
      entry.generation = -1;
      try {
        entry.client.close();
      } catch {
        /* closing a broken channel may throw; it is gone either way */
      }
    }
    const status = ConnectionManager.initialStatus(id, 'disconnected');
    this.opts.emit('connectionStatus', status);
    return Promise.resolve(status);
  }

  /**
   * Checks now (resets the backoff). Connects first if needed. A server that was unreachable gets
   * a fresh client: the old channel may be waiting out gRPC's reconnect backoff, and "Retry now"
   * must try now.
   */
  async refresh(id: string): Promise<ConnectionStatus> {
    const entry = this.live.get(id);
    if (!entry) return this.connect(id);
    if (entry.status.state === 'error') {
      const profile = this.get(id);
      const tls = await this.readTls(profile);
      await entry.checking?.catch(() => undefined);
      if (this.live.get(id) !== entry) return this.refresh(id); // disconnected or reconnected meanwhile
      // From here to check() nothing awaits: no poll can start with the old client in between.
      const old = entry.client;
      entry.client = this.makeClient(profile, tls);
      entry.generation = ++this.generation; // a late result of the old client is dropped
      clearTimeout(entry.timer);
      try {
        old.close();
      } catch {
        /* closing a broken channel may throw; it is replaced either way */
      }
    }
    return this.check(id);
  }

  /** The client of a profile, connecting it on first use. */
  async client(id: string): Promise<TritonClientLike> {
    if (!this.live.has(id)) await this.connect(id);
    const entry = this.live.get(id);
    if (!entry) throw new ApiError('NOT_CONNECTED', `connection '${this.get(id).name}' is not connected`);
    return entry.client;
  }

  private check(id: string): Promise<ConnectionStatus> {
    const entry = this.live.get(id)!;
    if (entry.checking) return entry.checking;
    clearTimeout(entry.timer);
    const generation = entry.generation;
    const run = async (): Promise<ConnectionStatus> => {
      const started = performance.now();
      let next: ConnectionStatus;
      try {
        const live = await entry.client.serverLive();
        const latencyMs = performance.now() - started;
        const [ready, metadata] = await Promise.all([
          entry.client.serverReady(),
          entry.status.metadata && entry.status.state === 'connected'
            ? Promise.resolve(entry.status.metadata)
            : entry.client.serverMetadata().then(serverMetadataFromClient),
        ]);
        next = {
          ...entry.status,
          state: 'connected',
          live,
          ready,
          metadata,
          error: null,
          lastCheckedAt: Date.now(),
          latencyMs,
          consecutiveFailures: 0,
          nextCheckInMs: null,
        };
        entry.explained = undefined;
      } catch (err) {
        next = {
          ...entry.status,
          state: 'error',
          live: false,
          ready: false,
          error: await this.errorInfo(entry, err),
          lastCheckedAt: Date.now(),
          latencyMs: null,
          consecutiveFailures: entry.status.consecutiveFailures + 1,
          nextCheckInMs: null,
        };
      }
      if (entry.generation !== generation || this.live.get(id) !== entry) return next; // disconnected meanwhile
      const base = this.profileOrNull(id)?.pollIntervalMs ?? DEFAULT_POLL_MS;
      const delay = nextCheckDelay(base, next.consecutiveFailures);
      if (this.opts.poll !== false && !this.closed) {
        next.nextCheckInMs = delay;
        entry.timer = setTimeout(() => void this.check(id), delay);
        entry.timer.unref();
      }
      entry.status = next;
      this.opts.emit('connectionStatus', next);
      return next;
    };
    entry.checking = run().finally(() => {
      entry.checking = undefined;
    });
    return entry.checking;
  }

  /** The failure with its explanation; the port is probed once per distinct failure, not every poll. */
  private async errorInfo(entry: Live, err: unknown): Promise<NonNullable<ConnectionStatus['error']>> {
    const e = serializeError(err);
    const raw = (err as { details?: unknown }).details;
    const detail = typeof raw === 'string' && raw ? raw : e.message;
    if (entry.explained?.detail === detail) return entry.explained.error;
    const error = await explainFailure(e, detail, entry.address, entry.tls, entry.protocol);
    entry.explained = { detail, error };
    return error;
  }

  /** Refuses a server-changing action on a profile marked read-only (production). */
  assertWritable(id: string, action: string): void {
    const p = this.get(id);
    if (p.readOnly) {
      throw new ApiError(
        'FAILED_PRECONDITION',
        `'${p.name}' is marked read-only (production): ${action} is disabled; edit the profile to allow it`,
      );
    }
  }

  private profileOrNull(id: string): ConnectionProfile | null {
    return this.builtins.get(id) ?? this.profiles.find((p) => p.id === id) ?? null;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.live.keys()].map((id) => this.disconnect(id)));
  }
}
