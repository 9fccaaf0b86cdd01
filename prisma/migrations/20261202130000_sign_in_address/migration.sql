-- Sign-in throttling counts failures per (account, address) and per address (lib/auth/sign-in-attempts.ts).
CREATE INDEX "sign_in_attempts_ip_created_at_idx" ON "sign_in_attempts"("ip", "created_at");
