// Destination secrets at rest: AES-256-GCM under a key derived (HKDF-SHA256) from VIGIL_AUTH_SECRET,
// bound to the destination's id so a ciphertext copied onto another row does not open.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export function deriveSecretKey(authSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', authSecret, 'vigil-notifications', 'destination-secrets v1', 32));
}

export function sealSecrets(key: Buffer, destinationId: string, secrets: Record<string, unknown>): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(destinationId));
  const body = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
  return [
    VERSION,
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    body.toString('base64url'),
  ].join('.');
}

export function openSecrets(key: Buffer, destinationId: string, sealed: string): Record<string, unknown> {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('secrets: not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(destinationId));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  return JSON.parse(text) as Record<string, unknown>;
}

/** How a secret is shown once saved: a URL by its origin, anything else by its length class only. */
export function maskSecret(field: string, value: unknown): string {
  if (field === 'headers' && value && typeof value === 'object')
    return Object.keys(value).length === 0 ? 'none' : `${Object.keys(value).join(', ')}: ••••••••`;
  if (typeof value !== 'string' || value === '') return 'not set';
  if (field === 'url' && URL.canParse(value)) return `${new URL(value).origin}/••••••••`;
  return '••••••••';
}
