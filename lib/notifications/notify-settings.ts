// What notifications take from the environment: the secrets key, the link base, the private-address switch
// and the retry schedule.
import { resolveAuthSecret } from '../auth/auth-secret';
import { getEnv } from '../env';
import { deriveSecretKey } from './secret-box';

let key: Buffer | undefined;

export function notificationSecretKey(): Buffer {
  key ??= deriveSecretKey(resolveAuthSecret(getEnv()));
  return key;
}

export function notificationPublicUrl(): string {
  const env = getEnv();
  return env.VIGIL_PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`;
}

export function allowPrivateDestinations(): boolean {
  return getEnv().VIGIL_NOTIFY_ALLOW_PRIVATE;
}

/** Seconds before attempt 2, 3, …; its length + 1 is how many attempts a delivery gets. */
export function retryDelaysSeconds(): number[] {
  return getEnv().VIGIL_NOTIFY_RETRY_DELAYS;
}
