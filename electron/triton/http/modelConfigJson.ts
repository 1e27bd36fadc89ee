/**
 * ModelConfig JSON from Triton's HTTP API (protobuf's JSON printer with every primitive field
 * printed, int64 as numbers) to the canonical object the gRPC client returns from the wire: values
 * equal to their proto3 default are dropped, as protobuf's binary encoding drops them. Present
 * sub-messages stay even when empty: `dynamic_batching {}` switches the batcher on.
 */
import protobuf from 'protobufjs';
import { loadTritonRoot, MODEL_CONFIG_CONVERSION } from '../protos';
import type { ModelConfigObject } from '../client';

function isDefault(field: protobuf.Field, value: unknown): boolean {
  if (field.map) return Object.keys(value as object).length === 0;
  if (field.repeated) return (value as unknown[]).length === 0;
  if (field.resolvedType instanceof protobuf.Type) return false;
  if (field.partOf) return false; // a set oneof member is meaningful even at its default
  if (field.resolvedType instanceof protobuf.Enum) return value === 0;
  if (typeof value === 'object' && value !== null && 'low' in value && 'high' in value)
    return value.low === 0 && value.high === 0; // Long
  return value === 0 || value === false || value === '' || (value instanceof Uint8Array && value.length === 0);
}

function dropDefaults(type: protobuf.Type, message: Record<string, unknown>): void {
  for (const field of type.fieldsArray) {
    const value = message[field.name];
    if (value === undefined || value === null) continue;
    if (isDefault(field, value)) {
      delete message[field.name];
      continue;
    }
    const sub = field.resolvedType;
    if (!(sub instanceof protobuf.Type)) continue;
    if (field.map) for (const v of Object.values(value)) dropDefaults(sub, v as Record<string, unknown>);
    else if (field.repeated) for (const v of value as unknown[]) dropDefaults(sub, v as Record<string, unknown>);
    else dropDefaults(sub, value as Record<string, unknown>);
  }
}

/** The canonical ModelConfig object (defaults omitted, int64 as numbers, enum names) of a JSON or object config. */
export function canonicalModelConfig(config: object): ModelConfigObject {
  const type = loadTritonRoot().lookupType('inference.ModelConfig');
  const message = type.fromObject(config);
  dropDefaults(type, message as unknown as Record<string, unknown>);
  return type.toObject(message, MODEL_CONFIG_CONVERSION);
}
