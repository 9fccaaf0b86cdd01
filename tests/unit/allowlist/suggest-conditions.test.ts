import { describe, expect, it } from 'vitest';
import { globToLike } from '../../../lib/allowlist/allowlist-condition-sql';
import { allowlistConditionSchema } from '../../../lib/allowlist/schemas';
import { suggestConditions, suggestPodPrefix, suggestSecretPattern } from '../../../lib/allowlist/suggest-conditions';

describe('prefilling the false-positive form', () => {
  it.each([
    ['frontend-7d9f8b6c5d-x2x9q', 'frontend-'],
    ['payments-api-0', 'payments-api-'],
    ['fluentd-abcde', 'fluentd-'],
    ['standalone', 'standalone'],
  ])('suggests the workload prefix of pod %s', (pod, prefix) => {
    expect(suggestPodPrefix(pod)).toBe(prefix);
  });

  it('lists a few secret names, and falls back to their shared prefix when there are many', () => {
    expect(suggestSecretPattern(['a', 'b'])).toBe('a, b');
    expect(suggestSecretPattern(Array.from({ length: 8 }, (_, index) => `app-db-${index}`))).toBe('app-db-*');
    expect(suggestSecretPattern([])).toBeNull();
  });

  it('fills each field from the alert', () => {
    expect(
      suggestConditions({
        cluster: 'prod-eu-1',
        username: 'bob',
        sourceIp: '10.0.0.1',
        userAgent: 'kubectl',
        namespaces: ['shop', 'web'],
        secretNames: ['s1'],
        podName: null,
      }),
    ).toEqual({
      cluster: 'prod-eu-1',
      username: 'bob',
      sourceIp: '10.0.0.1',
      userAgent: 'kubectl',
      namespaces: ['shop', 'web'],
      secretNames: 's1',
      podPrefix: null,
    });
  });
});

describe('allowlist conditions', () => {
  it('turns a glob into LIKE with the value’s own % and _ escaped', () => {
    expect(globToLike('app-*_v?%')).toBe('app-%\\_v_\\%');
  });

  it('accepts CIDRs only on IP fields, and refuses match-anything globs', () => {
    expect(
      allowlistConditionSchema.safeParse({ field: 'sourceIp', op: 'cidr', value: ['10.0.0.0/8', '2001:db8::/32'] })
        .success,
    ).toBe(true);
    expect(allowlistConditionSchema.safeParse({ field: 'sourceIp', op: 'cidr', value: '10.0.0.0/33' }).success).toBe(
      false,
    );
    expect(allowlistConditionSchema.safeParse({ field: 'username', op: 'cidr', value: '10.0.0.0/8' }).success).toBe(
      false,
    );
    expect(allowlistConditionSchema.safeParse({ field: 'name', op: 'glob', value: '**' }).success).toBe(false);
    expect(allowlistConditionSchema.safeParse({ field: 'password', op: 'exact', value: 'x' }).success).toBe(false);
  });
});
