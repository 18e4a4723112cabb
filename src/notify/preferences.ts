import { z } from 'zod';
import { CHANNELS, type ChannelKind, type ChannelSettings } from './channels/registry.js';
import type { QuietHours } from './quietHours.js';

/**
 * The notification part of users.preferences: `{channels: {<kind>: settings}, quietHours?: {start, end, timezone}}`,
 * one entry per channel of the registry. Parsed leniently: an invalid channel is treated as not
 * configured, never as an error. The API keeps channel secrets sealed elsewhere
 * (users.channel_credentials) and stores only the rest (or `{enabled: true}`) here: a resolver then
 * supplies the secret parts at send time.
 */

const Quiet = z.object({ start: z.string(), end: z.string(), timezone: z.string().optional() });

export interface NotificationPreferences {
  /** The channels that are on, with whatever of their settings the preferences hold (secrets may be absent). */
  channels: { [K in ChannelKind]?: Partial<ChannelSettings[K]> };
  quietHours?: QuietHours;
}

export function parseNotificationPreferences(preferences: unknown): NotificationPreferences {
  const root = typeof preferences === 'object' && preferences !== null ? (preferences as Record<string, unknown>) : {};
  const quiet = Quiet.safeParse(root.quietHours);
  return {
    channels: CHANNELS.parseLenient(root.channels) as NotificationPreferences['channels'],
    quietHours: quiet.success ? quiet.data : undefined,
  };
}
