/**
 * E-mail as a transport (docs/design.md#the-outbox): nodemailer over the one URL `SMTP_URL` (smtp:// or smtps://, with
 * the user and password in it when the server wants them), from `SMTP_FROM`. Unset: e-mail is kept in the outbox
 * (held) and shown to staff on /outbox, so the demo shows what would have been sent.
 */
import 'server-only';
import nodemailer from 'nodemailer';
import { publicUrl } from '@/lib/public-url';
import type { SendResult } from '@/lib/notifications/webhook';

type Env = Record<string, string | undefined>;

export interface EmailConfig {
  url: string;
  from: string;
}

/** The SMTP settings, or null when e-mail is not configured. Throws naming the setting when it is unusable. */
export function emailConfig(env: Env = process.env): EmailConfig | null {
  const raw = env.SMTP_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('SMTP_URL is not a URL (smtp://user:password@host:587 or smtps://…:465).');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error('SMTP_URL must start with smtp:// or smtps://.');
  const from = env.SMTP_FROM?.trim() || `PrivateLink Portal <no-reply@${publicUrl(env).hostname}>`;
  if (!/@[^@\s>]+>?$/.test(from) || /[\r\n]/.test(from))
    throw new Error('SMTP_FROM must be an address, as in "PrivateLink Portal <portal@example.com>".');
  return { url: raw, from };
}

/** The Message-ID of an outbox row: the same on every attempt, so a receiving system can drop a repeat. */
export function messageIdFor(deliveryId: string, env: Env = process.env): string {
  return `<${deliveryId}@${publicUrl(env).hostname}>`;
}

export interface Mail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(mail: Mail): Promise<SendResult>;
  close(): void;
}

/** A pooled SMTP transport; each send is classified (SMTP 5xx: refused for good; 4xx and network errors: retry). */
export function createMailer(config: EmailConfig, timeoutMs: number, env: Env = process.env): Mailer {
  const transporter = nodemailer.createTransport({
    url: config.url,
    pool: true,
    maxConnections: 2,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    async send(mail) {
      try {
        await transporter.sendMail({
          from: config.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: messageIdFor(mail.id, env),
          headers: { 'X-Delivery-Id': mail.id, 'Auto-Submitted': 'auto-generated' },
        });
        return { ok: true };
      } catch (err) {
        const e = err as Error & { responseCode?: number; code?: string };
        const code = e.responseCode;
        if (code && code >= 500 && code < 600) return { ok: false, retry: false, reason: `SMTP ${code}` };
        return { ok: false, retry: true, reason: code ? `SMTP ${code}` : (e.code ?? e.name) };
      }
    },
    close() {
      transporter.close();
    },
  };
}
