/**
 * Client shared memory (PROTOCOL.md §7). Off by default, like current Triton. When enabled,
 * system shared memory regions are POSIX shm objects, which on Linux are the files
 * /dev/shm/<key>; they are read and written with plain file I/O. CUDA shared memory needs a GPU
 * and is never available here: its status lists nothing.
 *
 * A key names a regular file directly in /dev/shm, opened like glibc's shm_open does: O_NOFOLLOW (a
 * symlink planted under the key cannot redirect outputs into another file) and O_NONBLOCK (a FIFO
 * cannot hang the open); anything but a regular file is refused.
 */
import { closeSync, constants as fsConstants, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { alreadyExists, internal, invalidArg, notFound, unsupported } from './tritonError';

const DISABLED = "Client shared memory is disabled. Start the server with '--allow-client-shm=true' to enable.";

interface Region {
  name: string;
  key: string;
  offset: number;
  byteSize: number;
  fd: number;
}

const PYTHON_BACKEND_PREFIX = 'triton_python_backend_shm_region_';
/** mmap's offset unit on the platforms Triton runs on (x86-64 and the Jetson's arm64 with 4 KiB pages). */
const PAGE_SIZE = 4096;

export class SharedMemoryManager {
  private readonly regions = new Map<string, Region>();

  constructor(
    private readonly enabled: boolean,
    private readonly shmRoot = '/dev/shm',
  ) {}

  /** Whether clients may register regions (--allow-client-shm). */
  get allowed(): boolean {
    return this.enabled;
  }

  systemStatus(name: string): Record<string, { name: string; key: string; offset: number; byte_size: number }> {
    // Triton keeps regions in a std::map: listed by name.
    const all = [...this.regions.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const pick = name === '' ? all : [this.regions.get(name)];
    if (pick[0] === undefined && name !== '') throw notFound(`Unable to find system shared memory region: '${name}'`);
    const out: Record<string, { name: string; key: string; offset: number; byte_size: number }> = {};
    for (const r of pick as Region[])
      out[r.name] = { name: r.name, key: r.key, offset: r.offset, byte_size: r.byteSize };
    return out;
  }

  registerSystem(name: string, key: string, offset: number, byteSize: number): void {
    if (!this.enabled) throw unsupported(DISABLED);
    // Triton's ValidateSharedMemoryKey (common.cc), word for word.
    const stripped = key.replace(/^\/+/, '');
    if (stripped === '') throw invalidArg(`cannot register shared memory region '${name}' - invalid shm key '${key}'`);
    if (stripped.startsWith(PYTHON_BACKEND_PREFIX)) {
      throw invalidArg(
        `cannot register shared memory region '${name}' with key '${key}' as the key contains the reserved prefix '${PYTHON_BACKEND_PREFIX}'`,
      );
    }
    if (stripped.includes('/')) throw internal(`Unable to open shared memory region: '${key}'`);
    if (this.regions.has(name)) throw alreadyExists(`shared memory region '${name}' already in manager`);
    let fd: number;
    try {
      fd = openSync(
        `${this.shmRoot}/${stripped}`,
        fsConstants.O_RDWR | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK,
      );
    } catch {
      throw internal(`Unable to open shared memory region: '${key}'`);
    }
    const st = fstatSync(fd);
    if (!st.isFile()) {
      closeSync(fd);
      throw internal(`Unable to open shared memory region: '${key}'`);
    }
    const size = st.size;
    if (offset + byteSize > size) {
      closeSync(fd);
      throw invalidArg(`failed to register shared memory region '${name}': invalid args`);
    }
    // Triton mmap()s the region here, which refuses an empty one or an offset that is not a
    // multiple of the page size (EINVAL); its message joins the two texts without a space.
    if (byteSize === 0 || offset % PAGE_SIZE !== 0) {
      closeSync(fd);
      throw invalidArg(
        `failed to register shared memory region '${name}': unable to process address spaceInvalid argument`,
      );
    }
    this.regions.set(name, { name, key, offset, byteSize, fd });
  }

  unregisterSystem(name: string): void {
    if (!this.enabled) throw unsupported(DISABLED);
    const names = name === '' ? [...this.regions.keys()] : [name];
    for (const n of names) {
      const r = this.regions.get(n);
      if (!r) continue;
      this.regions.delete(n);
      closeSync(r.fd);
    }
  }

  cudaStatus(name: string): Record<string, never> {
    if (name !== '') throw notFound(`Unable to find cuda shared memory region: '${name}'`);
    return {};
  }

  /** Refuses a register while client shared memory is disabled (Triton's first check over HTTP). */
  assertAllowed(): void {
    if (!this.enabled) throw unsupported(DISABLED);
  }

  /** Triton built without GPU support refuses every CUDA region (grpc_server.cc / http_server.cc). */
  registerCuda(region: string): never {
    throw invalidArg(`failed to register CUDA shared memory region: '${region}', GPUs not supported`);
  }

  unregisterCuda(): void {
    if (!this.enabled) throw unsupported(DISABLED);
    // Nothing can be registered, so unregistering (all or any name) is a no-op, as for unknown names.
  }

  private locate(name: string, offset: number, byteSize: number): Region {
    const r = this.regions.get(name);
    if (!r) throw notFound(`Unable to find shared memory region: '${name}'`);
    if (offset < 0 || offset >= r.byteSize) throw invalidArg(`Invalid offset for shared memory region: '${name}'`);
    if (byteSize < 0 || offset + byteSize > r.byteSize)
      throw invalidArg(`Invalid offset + byte size for shared memory region: '${name}'`);
    return r;
  }

  /** Checks a region reference without touching the data (used for output regions before running). */
  check(name: string, offset: number, byteSize: number): void {
    this.locate(name, offset, byteSize);
  }

  read(name: string, offset: number, byteSize: number): Buffer {
    const r = this.locate(name, offset, byteSize);
    const out = Buffer.alloc(byteSize);
    readSync(r.fd, out, 0, byteSize, r.offset + offset);
    return out;
  }

  write(name: string, offset: number, data: Buffer): void {
    const r = this.locate(name, offset, data.byteLength);
    writeSync(r.fd, data, 0, data.byteLength, r.offset + offset);
  }

  close(): void {
    for (const r of this.regions.values()) closeSync(r.fd);
    this.regions.clear();
  }
}
