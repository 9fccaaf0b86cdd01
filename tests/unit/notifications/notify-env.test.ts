import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../lib/env';

describe('notification settings in the environment', () => {
  it('defaults: metadata addresses refused, 5 attempts over about 30 minutes', () => {
    const env = parseEnv({});
    expect(env.VIGIL_NOTIFY_ALLOW_PRIVATE).toBe(false);
    expect(env.VIGIL_NOTIFY_RETRY_DELAYS).toEqual([60, 180, 480, 1080]);
    expect(env.VIGIL_NOTIFY_RETRY_DELAYS.reduce((sum, delay) => sum + delay, 0) / 60).toBe(30);
  });
  it('parses what is set and names a bad value', () => {
    const env = parseEnv({ VIGIL_NOTIFY_ALLOW_PRIVATE: 'true', VIGIL_NOTIFY_RETRY_DELAYS: '0.5,2' });
    expect(env).toMatchObject({ VIGIL_NOTIFY_ALLOW_PRIVATE: true, VIGIL_NOTIFY_RETRY_DELAYS: [0.5, 2] });
    expect(() => parseEnv({ VIGIL_NOTIFY_RETRY_DELAYS: '1,,2' })).toThrow(/VIGIL_NOTIFY_RETRY_DELAYS:.*"1,,2"/);
    expect(() => parseEnv({ VIGIL_NOTIFY_ALLOW_PRIVATE: 'sure' })).toThrow(/VIGIL_NOTIFY_ALLOW_PRIVATE/);
  });
});
