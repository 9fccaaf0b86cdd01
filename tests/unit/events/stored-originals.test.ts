import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ORIGINALS_DICTIONARY_1 } from '../../../lib/events/originals-dictionary';
import { addOriginals, decodeOriginals, encodeOriginals, formatOriginals } from '../../../lib/events/stored-originals';
import { bothStages, nativeEvent } from '../../support/audit-events';

const requestOf = (...records: Record<string, unknown>[]) =>
  `{${records.map((record) => `${JSON.stringify(record.stage)}:${JSON.stringify(record)}`).join(',')}}`;

describe('stored originals', () => {
  it('give back exactly the text they were given, hostile and non-ASCII text included', () => {
    const texts = [
      requestOf(...bothStages(nativeEvent())),
      requestOf(nativeEvent({ userAgent: '<script>alert(1)</script>\u0000 ☃ 𝔘 "quoted" \\ back\nslash' })),
      '{}',
      `{"ResponseComplete":${JSON.stringify(nativeEvent({ requestObject: { data: 'x'.repeat(200_000) } }))}}`,
    ];
    for (const text of texts) expect(decodeOriginals(encodeOriginals(text))).toBe(text);
  });

  it('take a fraction of their text for a request of two stages', () => {
    const text = requestOf(...bothStages(nativeEvent()));
    const stored = encodeOriginals(text);
    // The dictionary is what makes a record this small compress; without it deflate gets ~2.3x.
    expect(stored.length).toBeLessThan(Buffer.byteLength(text) / 4);
  });

  it('read the JSON text stored before they were deflated (version 0)', () => {
    const text = '{"ResponseComplete": {"kind": "Event", "auditID": "a1"}}';
    expect(decodeOriginals(Buffer.concat([Buffer.of(0), Buffer.from(text)]))).toBe(text);
  });

  it('refuse a version they do not know instead of showing garbage', () => {
    expect(() => decodeOriginals(Buffer.of(7, 1, 2, 3))).toThrow(/unknown version 7/);
  });

  it('add a later stage to what is stored, from either version, or to nothing', () => {
    const [received, complete] = bothStages(nativeEvent());
    const expected = { RequestReceived: received, ResponseComplete: complete };
    const added = requestOf(complete);
    const fromDeflated = addOriginals(encodeOriginals(requestOf(received)), added);
    const fromPlain = addOriginals(Buffer.concat([Buffer.of(0), Buffer.from(requestOf(received))]), added);
    expect(JSON.parse(decodeOriginals(fromDeflated))).toEqual(expected);
    expect(JSON.parse(decodeOriginals(fromPlain))).toEqual(expected);
    expect(JSON.parse(decodeOriginals(addOriginals(encodeOriginals('{}'), added)))).toEqual({
      ResponseComplete: complete,
    });
    expect(JSON.parse(decodeOriginals(addOriginals(null, added)))).toEqual({ ResponseComplete: complete });
  });

  it('are shown indented, and nothing when there are none', () => {
    expect(formatOriginals(encodeOriginals('{"ResponseComplete":{"verb":"get"}}'))).toBe(
      '{\n  "ResponseComplete": {\n    "verb": "get"\n  }\n}',
    );
    expect(formatOriginals(null)).toBeNull();
  });

  it('keep dictionary 1 as it was: every value stored with it needs exactly these bytes to inflate', () => {
    expect(createHash('sha256').update(ORIGINALS_DICTIONARY_1).digest('hex')).toBe(
      '5297abb5b0eb3798d4569266851d605c4d55b9c357e528e92ccf7f5df48c52ce',
    );
  });
});
