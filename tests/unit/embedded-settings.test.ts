import { describe, expect, it } from 'vitest';
import { sharedBuffersMb } from '../../lib/db/embedded';

const GB = 1024 ** 3;

describe("the embedded server's shared_buffers", () => {
  it("takes a quarter of the memory, at least PostgreSQL's 128 MB default and at most 2 GB", () => {
    expect(sharedBuffersMb(4 * GB)).toBe(1024);
    expect(sharedBuffersMb(24 * GB)).toBe(2048);
    expect(sharedBuffersMb(256 * 1024 ** 2)).toBe(128);
    expect(sharedBuffersMb(1 * GB)).toBe(256);
  });
});
