declare module 'vitest' {
  // Declaration merging needs an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  export interface ProvidedContext {
    /** The per-run database of the tier, migrated. */
    databaseUrl: string;
    /** A URL on the same server that may create and drop further scratch databases. */
    serverUrl: string;
    /** Browser tier: where the app under test answers. */
    baseUrl: string;
    /** Browser tier: the launcher's process id (the web server and worker are its children). */
    appPid: number;
    /** Browser tier: a signed-in session cookie per role (accounts in tests/support/accounts.ts). */
    sessionCookies: Record<'viewer' | 'analyst' | 'admin', string>;
    /** Browser tier: the accounts behind sessionCookies. */
    accountEmails: Record<'viewer' | 'analyst' | 'admin', string>;
  }
}

export {};
