/**
 * Reading request JSON as Triton's HTTP front end does (triton::common::TritonJson over rapidjson):
 * integers beyond 2^53 stay exact (bigint), and each typed access fails with TritonJson's own text
 * and code (INTERNAL, which http_server.cc reports as 500) unless the caller words it otherwise.
 */
import { internal, invalidArg } from '../tritonError';
import { parseTritonJson, stringifyTritonJson } from '../../../shared/tritonJson';

export type Json = null | boolean | number | bigint | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Triton's default --http-max-input-size (HTTP_DEFAULT_MAX_INPUT_SIZE): every JSON body and JSON tensor. */
export const MAX_JSON_INPUT_BYTES = 1 << 26;

/**
 * The body as JSON; an empty body is `{}` when `allowEmpty`, as EVRequestToJsonAllowsEmpty. Larger
 * than --http-max-input-size is refused before parsing, as EVBufferToJson refuses it.
 */
export function parseRequestJson(body: Buffer, allowEmpty = true): JsonObject | Json {
  if (body.byteLength > MAX_JSON_INPUT_BYTES)
    throw invalidArg(
      `request JSON size of ${body.byteLength} bytes exceeds the maximum allowed input size of ${MAX_JSON_INPUT_BYTES} bytes. Use --http-max-input-size to increase the limit.`,
    );
  const text = body.toString('utf8');
  if (text.length === 0 && allowEmpty) return {};
  try {
    return parseTritonJson(text) as Json;
  } catch (err) {
    throw internal(`failed to parse the request JSON buffer: ${(err as Error).message}`);
  }
}

/**
 * JSON text as Triton writes it: bigint (INT64/UINT64 data, 64-bit parameters) as exact integers,
 * and NaN / Infinity / -Infinity as those tokens (rapidjson's kWriteNanAndInfFlag), not null.
 */
export function stringifyJson(value: Json): string {
  return stringifyTritonJson(value);
}

export const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const UINT64_MAX = 2n ** 64n - 1n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export function asString(v: Json | undefined): string {
  if (typeof v !== 'string') throw internal('attempt to access JSON non-string as string');
  return v;
}

export function asBool(v: Json | undefined): boolean {
  if (typeof v !== 'boolean') throw internal('attempt to access JSON non-boolean as boolean');
  return v;
}

export function asArray(v: Json | undefined): Json[] {
  if (!Array.isArray(v)) throw internal('attempt to access JSON non-array as array');
  return v;
}

/** rapidjson IsUint64: a non-negative integer. */
export function asUInt(v: Json | undefined): bigint {
  const b = typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : undefined;
  if (b === undefined || b < 0n || b > UINT64_MAX)
    throw internal('attempt to access JSON non-unsigned-integer as unsigned-integer');
  return b;
}

/** rapidjson IsInt64. */
export function asInt(v: Json | undefined): bigint {
  const b = typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : undefined;
  if (b === undefined || b < INT64_MIN || b > INT64_MAX)
    throw internal('attempt to access JSON non-signed-integer as signed-integer');
  return b;
}

export function asDouble(v: Json | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw internal('attempt to access JSON non-number as double');
}

/** An object member that must exist (TritonJson MemberAs*). */
export function member(obj: JsonObject, name: string): Json {
  if (!(name in obj)) throw internal(`attempt to access non-existing object member '${name}'`);
  return obj[name];
}

/** Re-throws `fn`'s error as `${context}: ${message}` with its code (http_server.cc RETURN_MSG_IF_ERR). */
export function withContext<T>(context: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof Error && 'code' in err) {
      err.message = `${context}: ${err.message}`;
      throw err;
    }
    throw err;
  }
}
