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

/** Every search and filter (queue, events, entities, REST): longer values are refused before any query. */
export const MAX_FILTER_LENGTH = 1024;
export const tooLongMessage = (max: number = MAX_FILTER_LENGTH) =>
  `is longer than ${max.toLocaleString('en-US')} characters: shorten it`;
export const REVERSED_RANGE_MESSAGE = 'must be before the end of the range (to)';
export const NOT_A_TIME_MESSAGE = 'is not a date and time (UTC, like 2026-12-01 23:40:49)';

/** A text filter from a URL or a request: trimmed (unless it names a value exactly), non-empty, at most `max` characters, no NUL. */
export function filterText(max: number = MAX_FILTER_LENGTH, options: { trim?: boolean } = {}) {
  return (options.trim === false ? z.string() : z.string().trim())
    .min(1)
    .max(max, tooLongMessage(max))
    .refine((value) => !value.includes('\0'), NUL_MESSAGE);
}

/** An ISO time from a URL or a request, refused in the analyst's words. */
export const filterTime = () => z.iso.datetime({ offset: true, message: NOT_A_TIME_MESSAGE });

/**
 * A filter form checked in the browser before it navigates, with the server's limits and words: a
 * too-long value would otherwise make a URL Node refuses (431) before the page can explain.
 */
export function checkFilterForm(form: FormData, labels: Record<string, string>): string | null {
  const label = (name: string) => labels[name] ?? name;
  for (const [name, value] of form)
    if (typeof value === 'string' && value.trim().length > MAX_FILTER_LENGTH)
      return `${label(name)} ${tooLongMessage()} (it has ${value.trim().length.toLocaleString('en-US')}).`;
  const time = (name: string) => {
    const value = form.get(name);
    if (typeof value !== 'string' || !value.trim()) return null;
    const parsed = Date.parse(readUtcTime(value.trim()) ?? '');
    return Number.isNaN(parsed) ? NaN : parsed;
  };
  const [from, to] = [time('from'), time('to')];
  if (Number.isNaN(from)) return `${label('from')} ${NOT_A_TIME_MESSAGE}.`;
  if (Number.isNaN(to)) return `${label('to')} ${NOT_A_TIME_MESSAGE}.`;
  if (from !== null && to !== null && from >= to) return `${label('from')} ${REVERSED_RANGE_MESSAGE}.`;
  return null;
}
