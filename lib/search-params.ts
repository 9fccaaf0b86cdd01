// Reading a page's URL: Next hands pages a record, route handlers a URLSearchParams.
import { z } from 'zod';
export type SearchParams = URLSearchParams | Record<string, string | string[] | undefined>;

export function readAll(params: SearchParams, name: string): string[] {
  if (params instanceof URLSearchParams) return params.getAll(name);
  const value = params[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The first value, trimmed; empty means absent. */
export function readOne(params: SearchParams, name: string): string | undefined {
  const value = readAll(params, name)[0]?.trim();
  return value ? value : undefined;
}

/**
 * A time as a UTC input holds it ("2026-11-23 10:00:05", "2026-11-23T10:00", " UTC" optional) is read as
 * UTC, as the console shows every time in UTC; anything else is left for the schema to refuse.
 */
export function readUtcTime(value: string | undefined): string | undefined {
  const parts = value?.trim().match(/^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?(?: ?UTC| ?Z)?$/i);
  return parts ? `${parts[1]}T${parts[2]}${parts[3] ?? ':00'}Z` : value;
}

/**
 * A dynamic segment as a page receives it. Next 16 hands pages the segment still percent-encoded
 * (route handlers get it decoded: vercel/next.js#64952), so `system%3Aserviceaccount…` becomes
 * `system:serviceaccount…` here; a malformed escape is null (the page answers 404).
 */
export function decodePathParam(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/** PostgreSQL can neither store nor compare text holding NUL (`%00`, `\u0000`). */
export const NUL_MESSAGE = 'must not contain a NUL character (%00): no stored value holds one';

/** A text filter from a URL or a request: trimmed (unless it names a value exactly), non-empty, at most `max` characters, no NUL. */
export function filterText(max: number, options: { trim?: boolean } = {}) {
  return (options.trim === false ? z.string() : z.string().trim())
    .min(1)
    .max(max)
    .refine((value) => !value.includes('\0'), NUL_MESSAGE);
}
