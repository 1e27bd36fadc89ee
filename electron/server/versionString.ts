/**
 * Model version strings as Triton parses them: C++ `std::stol` semantics (leading whitespace and a
 * sign allowed, trailing junk ignored, so "1abc" is 1), "" meaning "let the server choose".
 */
import { invalidArg } from './tritonError';

/** Returns -1 for "" (server's choice), else the parsed version; throws Triton's INVALID_ARGUMENT texts. */
export function parseVersionString(text: string): number {
  if (text === '') return -1;
  // std::stol skips leading whitespace (isspace: space, \t, \n, \v, \f, \r) and accepts one sign.
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)/.exec(text);
  const fail = () =>
    invalidArg(
      `failed to get model version from specified version string '${text}' (details: stol), version should be an integral value > 0`,
    );
  if (!m) throw fail();
  const value = BigInt(m[1] === '-' ? `-${m[2]}` : m[2]);
  // Out of range for a 64-bit long: std::stol throws std::out_of_range whose what() is also "stol".
  if (value > 9223372036854775807n || value < -9223372036854775808n) throw fail();
  if (value < 0n) {
    throw invalidArg(`invalid model version specified '${text}' , version should be an integral value > 0`);
  }
  return Number(value);
}
