/**
 * The profile form's checks: what the form would save (shared/connection normalizeProfile, the
 * same code the services run) and the problems per field, plus the per-field errors the services
 * return when they refuse a save (e.g. a CA file that does not exist).
 */
import { normalizeProfile, type ProfileField } from '../../../shared/connection';
import { FieldErrorsDetailsSchema, MetricsUrlSchema, type ConnectionProfileInput } from '../../../shared/contract';

export type FieldErrors = Partial<Record<ProfileField, string>>;

export function formProblems(p: ConnectionProfileInput): { profile: ConnectionProfileInput; errors: FieldErrors } {
  const { profile, problems } = normalizeProfile(p);
  const errors: FieldErrors = {};
  for (const pr of problems) errors[pr.field] ??= pr.message;
  // The contract's own rule for the metrics URL (the services would refuse it the same way).
  const metrics = profile.metricsUrl ? MetricsUrlSchema.safeParse(profile.metricsUrl) : null;
  if (metrics && !metrics.success) errors.metricsUrl = metrics.error.issues[0].message;
  return { profile, errors };
}

/** The field errors carried by a refused saveConnection (`details.fields`), or none. */
export function fieldErrorsOf(e: unknown): FieldErrors {
  const parsed = FieldErrorsDetailsSchema.safeParse((e as { details?: unknown } | null)?.details);
  const errors: FieldErrors = {};
  if (parsed.success) for (const f of parsed.data.fields) errors[f.field as ProfileField] ??= f.message;
  return errors;
}
