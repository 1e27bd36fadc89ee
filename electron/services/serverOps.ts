/**
 * Server operations on a connected profile: repository index, model metadata/config/statistics,
 * load (with an optional config override given as pbtxt or JSON) and unload.
 */
import { ApiError, type ParsedRequest } from '../../shared/contract';
import { parseModelConfig, toProtoJson } from '../../shared/pbtxt';
import type { Diagnostic } from '../../shared/diagnostic';
import type { ConnectionManager } from './connections';
import { statisticsFromClient } from './mappers';
import { configToPbtxt } from './configText';

export class ServerOps {
  constructor(private readonly connections: ConnectionManager) {}

  async repositoryIndex(req: ParsedRequest<'repositoryIndex'>) {
    const c = await this.connections.client(req.connectionId);
    return { models: await c.repositoryIndex({ ready: req.ready }) };
  }

  async modelMetadata(req: ParsedRequest<'modelMetadata'>) {
    const c = await this.connections.client(req.connectionId);
    return c.modelMetadata(req.model, req.version);
  }

  async modelConfig(req: ParsedRequest<'modelConfig'>) {
    const c = await this.connections.client(req.connectionId);
    const config: Record<string, unknown> = await c.modelConfig(req.model, req.version);
    return { config, pbtxt: configToPbtxt(config) ?? undefined };
  }

  async modelStatistics(req: ParsedRequest<'modelStatistics'>) {
    const c = await this.connections.client(req.connectionId);
    const stats = await c.modelStatistics(req.model, req.version);
    return { takenAt: Date.now(), models: statisticsFromClient(stats) };
  }

  async loadModel(req: ParsedRequest<'loadModel'>) {
    this.connections.assertWritable(req.connectionId, `loading '${req.model}'`);
    const c = await this.connections.client(req.connectionId);
    let config: object | undefined;
    if (req.configOverride && 'pbtxt' in req.configOverride) {
      // Triton takes the override as JSON; users edit pbtxt. Convert here so syntax errors come back
      // as diagnostics with line:column instead of as a JSON parse error from the server.
      const parsed = parseModelConfig(req.configOverride.pbtxt, { file: `${req.model}/config.pbtxt (override)` });
      const errors = parsed.diagnostics.filter((d: Diagnostic) => d.severity === 'error');
      if (errors.length || !parsed.config) {
        const first = errors[0];
        throw new ApiError(
          'INVALID_ARGUMENT',
          first
            ? `config override: ${first.line}:${first.column}: ${first.message}`
            : 'config override could not be parsed',
          errors,
        );
      }
      config = toProtoJson(parsed.config);
    } else if (req.configOverride) {
      config = req.configOverride.json;
    }
    await c.loadModel(req.model, config ? { config } : {});
    return { ok: true as const };
  }

  async unloadModel(req: ParsedRequest<'unloadModel'>) {
    this.connections.assertWritable(req.connectionId, `unloading '${req.model}'`);
    const c = await this.connections.client(req.connectionId);
    await c.unloadModel(req.model, { unloadDependents: req.unloadDependents });
    return { ok: true as const };
  }
}
