// How a request's originals (its stages' records as one JSON object, { "<stage>": <record> }) are stored:
// a version byte, then the bytes. A ~1 KB record holds too little repetition for PostgreSQL's TOAST
// (which compresses only rows over ~2 KB), so originals were the biggest part of a stored request; deflated
// against a dictionary of the audit log's vocabulary they take ~1/5 of their text. Pure: no I/O.
import zlib from 'node:zlib';
import { ORIGINALS_DICTIONARY_1 } from './originals-dictionary';

/** Version 0: the JSON text as UTF-8 (what the migration turned the earlier jsonb into). */
const PLAIN = 0;
/** Version 1: raw deflate against ORIGINALS_DICTIONARY_1. */
const DEFLATE_1 = 1;

// An 8 KB window holds the 4.8 KB dictionary and a typical request; it sets up faster than the default 32 KB.
const DEFLATE_OPTIONS = { level: 6, windowBits: 13, memLevel: 6, dictionary: ORIGINALS_DICTIONARY_1 };

export function encodeOriginals(json: string): Buffer {
  const deflated = zlib.deflateRawSync(Buffer.from(json), DEFLATE_OPTIONS);
  return Buffer.concat([Buffer.of(DEFLATE_1), deflated]);
}

export function decodeOriginals(stored: Buffer): string {
  const version = stored[0];
  const body = stored.subarray(1);
  if (version === PLAIN) return body.toString('utf8');
  if (version === DEFLATE_1) return zlib.inflateRawSync(body, { dictionary: ORIGINALS_DICTIONARY_1 }).toString('utf8');
  throw new Error(`stored originals of an unknown version ${String(version)}`);
}

/** The stored originals with more stages' records added (JSON object texts, no key in both): encoded again. */
export function addOriginals(stored: Buffer | null, added: string): Buffer {
  if (stored === null) return encodeOriginals(added);
  const current = decodeOriginals(stored).trim();
  const inner = (json: string) => json.slice(1, -1).trim();
  const parts = [inner(current), inner(added.trim())].filter((part) => part !== '');
  return encodeOriginals(`{${parts.join(',')}}`);
}

/** The originals as the explorer and the evidence show them: indented JSON. */
export function formatOriginals(stored: Buffer | null): string | null {
  return stored === null ? null : JSON.stringify(JSON.parse(decodeOriginals(stored)), null, 2);
}
