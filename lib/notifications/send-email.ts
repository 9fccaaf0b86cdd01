// An email destination's message over SMTP (nodemailer), with the same deadline as HTTP destinations.
import nodemailer from 'nodemailer';
import type { EmailMessage } from './build-messages';
import { isBlockedAddress } from './check-url';
import type { SendResult } from './post-json';

export type SmtpSettings = {
  host: string;
  port: number;
  tls: 'none' | 'starttls' | 'tls';
  username?: string;
  password?: string;
  from: string;
  to: string[];
};

export async function sendEmail(
  settings: SmtpSettings,
  message: EmailMessage,
  headers: Record<string, string>,
  limits: { timeoutMs: number; allowPrivate: boolean },
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  if (!limits.allowPrivate && isBlockedAddress(settings.host))
    return {
      ok: false,
      statusCode: null,
      excerpt: null,
      error: 'link-local and metadata addresses are refused',
      latencyMs: 0,
    };
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.tls === 'tls',
    requireTLS: settings.tls === 'starttls',
    ignoreTLS: settings.tls === 'none',
    auth: settings.username ? { user: settings.username, pass: settings.password ?? '' } : undefined,
    connectionTimeout: limits.timeoutMs,
    greetingTimeout: limits.timeoutMs,
    socketTimeout: limits.timeoutMs,
  });
  try {
    const info = await transport.sendMail({
      from: settings.from,
      to: settings.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers,
    });
    return {
      ok: true,
      statusCode: 250,
      excerpt: String(info.response ?? '').slice(0, 500),
      error: null,
      latencyMs: elapsed(),
    };
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode ?? null;
    return { ok: false, statusCode: code, excerpt: null, error: (error as Error).message, latencyMs: elapsed() };
  } finally {
    transport.close();
  }
}
