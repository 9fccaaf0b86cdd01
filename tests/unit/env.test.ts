import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/app-error';
import { parseEnv, type EnvIssue } from '../../lib/env';

describe('parseEnv', () => {
  it('applies defaults when nothing is set', () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.HOST).toBe('127.0.0.1');
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.VIGIL_EMBEDDED_PG_PORT).toBe(54329);
    expect(env.VIGIL_SEED_DEMO).toBe(true);
    expect(env.dataDir).toBe(`${process.cwd()}/.vigil`);
  });

  it('parses and coerces what is set, treating empty strings as unset', () => {
    const env = parseEnv({
      PORT: '8080',
      DATABASE_URL: 'postgresql://vigil:secret@db.internal:5432/vigil',
      VIGIL_SEED_DEMO: 'false',
      VIGIL_DATA_DIR: '/var/lib/vigil',
      WORKER_CONCURRENCY: '',
    });
    expect(env).toMatchObject({ PORT: 8080, VIGIL_SEED_DEMO: false, dataDir: '/var/lib/vigil', WORKER_CONCURRENCY: 2 });
    expect(env.DATABASE_URL).toBe('postgresql://vigil:secret@db.internal:5432/vigil');
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://root@localhost/vigil'],
    ['DATABASE_URL', 'not a url'],
    ['VIGIL_SEED_DEMO', 'maybe'],
    ['WORKER_CONCURRENCY', '0'],
    ['LOG_LEVEL', 'verbose'],
  ])('rejects %s=%s with a message that names the variable and the value', (variable, value) => {
    let caught: unknown;
    try {
      parseEnv({ [variable]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    const error = caught as AppError<{ issues: EnvIssue[] }>;
    expect(error.code).toBe('misconfigured');
    expect(error.details!.issues.map((issue) => issue.variable)).toEqual([variable]);
    expect(error.message).toContain(`${variable}:`);
    expect(error.message).toContain(`"${value}"`);
  });

  it('reports every bad variable at once', () => {
    expect(() => parseEnv({ PORT: '-1', LOG_LEVEL: 'loud' })).toThrow(/PORT:[\s\S]*LOG_LEVEL:/);
  });
});
