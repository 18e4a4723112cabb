import { z } from 'zod';
import type { ChannelTargets } from './channels/types.js';
import type { QuietHours } from './quietHours.js';

/**
 * The notification part of users.preferences:
 * `{channels: {slack?: {webhookUrl}, email?: {to}, webhook?: {url, secret}}, quietHours?: {start, end, timezone}}`.
 * Parsed leniently: an invalid channel is treated as not configured, never as an error.
 */

const Enabled = { enabled: z.boolean().optional() };
// The API keeps channel secrets sealed elsewhere (users.channel_credentials) and stores only
// `{enabled: true}` / `{url}` here: a resolver then supplies the secret parts at send time.
const Slack = z.object({ webhookUrl: z.string().min(1).optional(), ...Enabled });
const Email = z.object({ to: z.string().min(3), ...Enabled });
const Hook = z.object({ url: z.string().min(1), secret: z.string().min(1).optional(), ...Enabled });
const Quiet = z.object({ start: z.string(), end: z.string(), timezone: z.string().optional() });

export interface NotificationPreferences {
  channels: Partial<ChannelTargets>;
  quietHours?: QuietHours;
}

export function parseNotificationPreferences(preferences: unknown): NotificationPreferences {
  const root = typeof preferences === 'object' && preferences !== null ? (preferences as Record<string, unknown>) : {};
  const raw =
    typeof root.channels === 'object' && root.channels !== null ? (root.channels as Record<string, unknown>) : {};
  const channels: Partial<ChannelTargets> = {};
  const slack = Slack.safeParse(raw.slack);
  if (slack.success && slack.data.enabled !== false) channels.slack = { webhookUrl: slack.data.webhookUrl ?? '' };
  const email = Email.safeParse(raw.email);
  if (email.success && email.data.enabled !== false) channels.email = { to: email.data.to };
  const hook = Hook.safeParse(raw.webhook);
  if (hook.success && hook.data.enabled !== false)
    channels.webhook = { url: hook.data.url, secret: hook.data.secret ?? '' };
  const quiet = Quiet.safeParse(root.quietHours);
  return { channels, quietHours: quiet.success ? quiet.data : undefined };
}
