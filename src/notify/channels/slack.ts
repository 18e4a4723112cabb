import { z } from 'zod';
import { defineChannel, maskUrl } from './channelSpec.js';
import { postToUserUrl } from './http.js';
import type { Notification, NotificationChannel } from './types.js';

/** Slack incoming webhooks: one Block Kit message per suggestion, with Accept / Dismiss buttons. */

export interface SlackTarget {
  /** https://hooks.slack.com/services/... (an incoming webhook) */
  webhookUrl: string;
}

// Block Kit limits (https://api.slack.com/reference/block-kit/blocks).
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FALLBACK_MAX = 300;

export function truncate(text: string, max: number): string {
  const chars = [...text]; // by code point: never split an emoji
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Slack's mrkdwn treats &, < and > as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}
type PlainText = { type: 'plain_text'; text: string; emoji?: boolean };
type Mrkdwn = { type: 'mrkdwn'; text: string };
type Button = { type: 'button'; text: PlainText; url: string; action_id: string; style?: 'primary' | 'danger' };
export type SlackBlock =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text: Mrkdwn }
  | { type: 'context'; elements: Mrkdwn[] }
  | { type: 'actions'; elements: Button[] };

export function slackMessage(n: Notification): SlackMessage {
  const title = truncate(n.title.replace(/\s+/g, ' ').trim() || 'New suggestion', HEADER_MAX);
  return {
    // Shown in notifications and by clients without Block Kit.
    text: truncate(`Lookout: ${title}`, FALLBACK_MAX),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title, emoji: true } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: truncate(escapeMrkdwn(n.body.trim() || '(empty)'), SECTION_MAX) },
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `${escapeMrkdwn(n.eventType)} · <${n.links.open}|Open in Lookout>` }],
      },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            text: { type: 'plain_text', text: 'Accept' },
            style: 'primary',
            url: n.links.accept,
            action_id: 'lookout_accept',
          },
          {
            type: 'button',
            text: { type: 'plain_text', text: 'Dismiss' },
            url: n.links.dismiss,
            action_id: 'lookout_dismiss',
          },
        ],
      },
    ],
  };
}

export interface SlackChannelOptions {
  allowPrivateUrls: boolean;
  timeoutMs?: number;
}

export class SlackChannel implements NotificationChannel<SlackTarget> {
  readonly kind = 'slack';
  constructor(private readonly opts: SlackChannelOptions) {}

  async send(n: Notification, target: SlackTarget): Promise<void> {
    await postToUserUrl(
      target.webhookUrl,
      JSON.stringify(slackMessage(n)),
      {},
      { allowPrivate: this.opts.allowPrivateUrls, timeoutMs: this.opts.timeoutMs },
    );
  }
}

export const slackChannel = defineChannel({
  kind: 'slack',
  label: 'Slack',
  settings: z.object({ webhookUrl: z.url({ protocol: /^https?$/ }).max(2000) }),
  example: { webhookUrl: 'https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXX' },
  fields: {
    webhookUrl: {
      label: 'Incoming webhook URL',
      input: 'url',
      placeholder: 'https://hooks.slack.com/services/…',
      outboundUrl: true,
      // The URL is the credential: anyone holding it can post to the channel.
      secret: { credentialKey: 'slackWebhookUrl', shown: { as: 'masked', mask: maskUrl } },
    },
  },
  target: (s): SlackTarget => ({ webhookUrl: s.webhookUrl }),
  createSender: ({ config }) => new SlackChannel({ allowPrivateUrls: config.allowPrivateUrls }),
});
