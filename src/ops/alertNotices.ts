import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { Webhook } from 'standardwebhooks';
import type { AlertConfig } from '../config.js';
import { escapeHtml } from '../notify/channels/email.js';
import { postToUserUrl } from '../notify/channels/http.js';
import { escapeMrkdwn, truncate } from '../notify/channels/slack.js';
import { DeliveryError } from '../notify/channels/types.js';

/**
 * Messages about operator alerts, to the operator's own channels (LOOKOUT_ALERT_*): a Slack
 * incoming webhook, an email over LOOKOUT_SMTP_URL, a Standard Webhooks signed POST. The targets
 * are operator configuration, used as given: private addresses are allowed (an internal receiver
 * is the usual place for them), which a user's channel URL never is.
 */

export type NoticeKind = 'firing' | 'reminder' | 'resolved';

export interface AlertNotice {
  alertId: string;
  /** The notice's number for this alert (1 = the first): with alertId, stable across retries. */
  seq: number;
  kind: NoticeKind;
  rule: string;
  title: string;
  summary: string;
  value: number;
  threshold: number;
  openedAt: Date;
  resolvedAt: Date | null;
  /** The operator's status page (`/api/admin/status`) on this instance. */
  statusUrl: string;
}

export const ALERT_WEBHOOK_TYPES = {
  firing: 'operator_alert.firing',
  reminder: 'operator_alert.firing',
  resolved: 'operator_alert.resolved',
} as const;

export function noticeHeadline(n: AlertNotice): string {
  const state = n.kind === 'resolved' ? 'RESOLVED' : n.kind === 'reminder' ? 'STILL FIRING' : 'FIRING';
  return `[Lookout] ${state}: ${n.title}`;
}

export function alertSlackMessage(n: AlertNotice): { text: string; blocks: unknown[] } {
  const headline = noticeHeadline(n);
  const since =
    n.kind === 'resolved' && n.resolvedAt
      ? `open from ${n.openedAt.toISOString()} to ${n.resolvedAt.toISOString()}`
      : `open since ${n.openedAt.toISOString()}`;
  return {
    text: truncate(headline, 300),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: truncate(headline, 150), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: truncate(escapeMrkdwn(n.summary), 3000) } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `${escapeMrkdwn(n.rule)} · value ${n.value} · threshold ${n.threshold} · ${since}`,
          },
        ],
      },
    ],
  };
}

export function alertWebhookPayload(n: AlertNotice, now: Date) {
  return {
    type: ALERT_WEBHOOK_TYPES[n.kind],
    timestamp: now.toISOString(),
    data: {
      alertId: n.alertId,
      rule: n.rule,
      status: n.kind === 'resolved' ? 'resolved' : 'firing',
      reminder: n.kind === 'reminder',
      title: n.title,
      summary: n.summary,
      value: n.value,
      threshold: n.threshold,
      openedAt: n.openedAt.toISOString(),
      resolvedAt: n.resolvedAt?.toISOString() ?? null,
    },
  };
}

export function alertEmailText(n: AlertNotice): string {
  return [
    noticeHeadline(n),
    '',
    n.summary,
    '',
    `rule:      ${n.rule}`,
    `value:     ${n.value} (threshold ${n.threshold})`,
    `opened:    ${n.openedAt.toISOString()}`,
    ...(n.resolvedAt ? [`resolved:  ${n.resolvedAt.toISOString()}`] : []),
    '',
    `Status: lookout status, or GET ${n.statusUrl} with the operator token`,
  ].join('\n');
}

export interface AlertSenderOptions {
  channels: AlertConfig['channels'];
  smtp?: { url: string; from: string };
  timeoutMs?: number;
  /** The signing clock of webhooks (tests). */
  clock?: () => Date;
}

/** Sends one notice to every configured channel; throws a DeliveryError naming each that failed. */
export class AlertSender {
  readonly #transporter?: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(private readonly opts: AlertSenderOptions) {
    if (opts.channels.email && opts.smtp) this.#transporter = nodemailer.createTransport(opts.smtp.url);
  }

  /** The channels a notice goes to (empty: alerts are only shown by status). */
  get channelNames(): string[] {
    const c = this.opts.channels;
    return [c.slackUrl && 'slack', c.email && this.#transporter && 'email', c.webhook && 'webhook'].filter(
      (x): x is string => Boolean(x),
    );
  }

  async send(n: AlertNotice): Promise<void> {
    const c = this.opts.channels;
    const sends: Array<[string, () => Promise<void>]> = [];
    if (c.slackUrl) sends.push(['slack', () => this.#slack(c.slackUrl!, n)]);
    if (c.email && this.#transporter) sends.push(['email', () => this.#email(c.email!, n)]);
    if (c.webhook) sends.push(['webhook', () => this.#webhook(c.webhook!, n)]);
    const results = await Promise.allSettled(sends.map(([, send]) => send()));
    const failed = results.flatMap((r, i) =>
      r.status === 'rejected'
        ? [`${sends[i]![0]}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`]
        : [],
    );
    if (failed.length) throw new DeliveryError(failed.join('; '));
  }

  #post(url: string, body: string, headers: Record<string, string>): Promise<void> {
    return postToUserUrl(url, body, headers, { allowPrivate: true, timeoutMs: this.opts.timeoutMs });
  }

  #slack(url: string, n: AlertNotice): Promise<void> {
    return this.#post(url, JSON.stringify(alertSlackMessage(n)), {});
  }

  async #webhook(target: { url: string; secret: string }, n: AlertNotice): Promise<void> {
    const now = this.opts.clock?.() ?? new Date();
    // The same id on every retry of this notice: receivers drop duplicates by it.
    const msgId = `msg_alert_${n.alertId}_${n.seq}`;
    const body = JSON.stringify(alertWebhookPayload(n, now));
    await this.#post(target.url, body, {
      'user-agent': 'Lookout-Webhooks/1',
      'webhook-id': msgId,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(target.secret).sign(msgId, now, body),
    });
  }

  async #email(to: string, n: AlertNotice): Promise<void> {
    const text = alertEmailText(n);
    try {
      await this.#transporter!.sendMail({
        from: this.opts.smtp!.from,
        to,
        subject: noticeHeadline(n),
        text,
        html: `<!doctype html><html><body><pre style="font:14px/1.5 monospace">${escapeHtml(text)}</pre></body></html>`,
        messageId: `<alert-${n.alertId}-${n.seq}@${new URL(n.statusUrl).hostname || 'lookout.local'}>`,
        headers: { 'X-Lookout-Alert': n.rule },
      });
    } catch (err) {
      throw new DeliveryError(`smtp: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  close(): void {
    this.#transporter?.close();
  }
}
