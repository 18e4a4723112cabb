import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { z } from 'zod';
import { defineChannel } from './channelSpec.js';
import { DeliveryError, type Notification, type NotificationChannel } from './types.js';

/** Email over SMTP (nodemailer): a plain-text body and a readable HTML one with the same content. */

export interface EmailTarget {
  to: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function emailSubject(n: Notification): string {
  const subject = n.title.replace(/\s+/g, ' ').trim() || 'New suggestion';
  return subject.length > 150 ? `${subject.slice(0, 149)}…` : subject;
}

export function emailText(n: Notification): string {
  return [
    n.title,
    '',
    n.body.trim(),
    '',
    `Accept:  ${n.links.accept}`,
    `Dismiss: ${n.links.dismiss}`,
    `Open in Lookout: ${n.links.open}`,
    '',
    `-- Lookout, about ${n.eventType}`,
  ].join('\n');
}

export function emailHtml(n: Notification): string {
  const paragraphs = n.body
    .trim()
    .split(/\n{2,}/)
    .map((p) => `<p style="margin:0 0 12px">${escapeHtml(p).replace(/\n/g, '<br>')}</p>`);
  const button = (href: string, label: string, primary: boolean) =>
    `<a href="${escapeHtml(href)}" style="display:inline-block;padding:10px 18px;margin-right:8px;border-radius:6px;text-decoration:none;font-weight:600;${
      primary ? 'background:#1f6feb;color:#ffffff' : 'background:#eaeef2;color:#24292f'
    }">${label}</a>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(emailSubject(n))}</title></head>
<body style="margin:0;padding:24px;background:#f6f8fa;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#24292f">
<div style="max-width:600px;margin:0 auto;background:#ffffff;border:1px solid #d0d7de;border-radius:8px;padding:24px">
<p style="margin:0 0 8px;font-size:12px;color:#57606a;text-transform:uppercase;letter-spacing:.04em">${escapeHtml(n.eventType)}</p>
<h1 style="margin:0 0 16px;font-size:20px;line-height:1.3">${escapeHtml(n.title)}</h1>
${paragraphs.join('\n')}
<p style="margin:24px 0 8px">${button(n.links.accept, 'Accept', true)}${button(n.links.dismiss, 'Dismiss', false)}</p>
<p style="margin:16px 0 0;font-size:13px"><a href="${escapeHtml(n.links.open)}" style="color:#1f6feb">Open in Lookout</a></p>
</div></body></html>`;
}

export interface EmailChannelOptions {
  /** An SMTP URL (smtp://user:pass@host:587) or nodemailer SMTP options. */
  transport: string | SMTPTransport.Options;
  /** Sender address, e.g. "Lookout <lookout@example.com>". */
  from: string;
}

export class EmailChannel implements NotificationChannel<EmailTarget> {
  readonly kind = 'email';
  readonly #transporter: Transporter<SMTPTransport.SentMessageInfo>;
  readonly #from: string;

  constructor(opts: EmailChannelOptions) {
    this.#transporter = nodemailer.createTransport(opts.transport);
    this.#from = opts.from;
  }

  async send(n: Notification, target: EmailTarget): Promise<void> {
    const host = new URL(n.links.open).hostname || 'lookout.local';
    try {
      await this.#transporter.sendMail({
        from: this.#from,
        to: target.to,
        subject: emailSubject(n),
        text: emailText(n),
        html: emailHtml(n),
        // The same id on every retry: mail clients thread and deduplicate by it.
        messageId: `<${n.deliveryId}@${host}>`,
        headers: { 'X-Lookout-Suggestion': n.suggestionId },
      });
    } catch (err) {
      const code = (err as { responseCode?: unknown }).responseCode;
      const message = err instanceof Error ? err.message : String(err);
      // 5xx SMTP replies (mailbox unknown, rejected) will not change; 4xx and network errors may.
      const permanent = (typeof code === 'number' && code >= 500) || (err as { code?: unknown }).code === 'EENVELOPE';
      throw new DeliveryError(`smtp: ${message}`, { permanent, cause: err });
    }
  }

  close(): void {
    this.#transporter.close();
  }
}

export const emailChannel = defineChannel({
  kind: 'email',
  label: 'Email',
  settings: z.object({ to: z.email().max(320) }),
  example: { to: 'owner@shop.example' },
  fields: { to: { label: 'Address', input: 'email', placeholder: 'you@example.com' } },
  target: (s): EmailTarget => ({ to: s.to }),
  unavailableReason: (config) => (config.smtp ? undefined : 'LOOKOUT_SMTP_URL is not set on this server'),
  createSender: ({ config }) => {
    if (!config.smtp) throw new Error('email needs LOOKOUT_SMTP_URL');
    return new EmailChannel({ transport: config.smtp.url, from: config.smtp.from });
  },
});
