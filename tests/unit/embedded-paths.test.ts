import { chmodSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstUnreachableAncestor } from '../../lib/db/embedded';

describe('firstUnreachableAncestor', () => {
  it('finds a mode-700 folder on the way, like /root, that the postgres user could not enter', () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'vigil-reach-'));
    chmodSync(base, 0o755);
    const privateDir = path.join(base, 'home');
    mkdirSync(path.join(privateDir, 'project'), { recursive: true });
    chmodSync(privateDir, 0o700);
    expect(firstUnreachableAncestor(path.join(privateDir, 'project', '.vigil'))).toBe(privateDir);
  });

  it('accepts a path every user can traverse', () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'vigil-reach-'));
    chmodSync(base, 0o755);
    mkdirSync(path.join(base, 'project'));
    expect(firstUnreachableAncestor(path.join(base, 'project', '.vigil'))).toBeUndefined();
  });
});
