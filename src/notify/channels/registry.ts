import type { z } from 'zod';
import { ChannelSet } from './channelSet.js';
import { emailChannel } from './email.js';
import { pushChannel } from './push.js';
import { slackChannel } from './slack.js';
import type { NotificationChannel } from './types.js';
import { webhookChannel } from './webhook.js';

/**
 * Every outbound notification channel, in the order the dashboard shows them. A new channel is a
 * file exporting its spec (see channelSpec.ts) and one line here; nothing else names channels.
 */
export const CHANNEL_SPECS = [slackChannel, emailChannel, webhookChannel, pushChannel] as const;

export const CHANNELS = new ChannelSet(CHANNEL_SPECS);

export type ChannelKind = (typeof CHANNEL_SPECS)[number]['kind'];
export const CHANNEL_KINDS: readonly ChannelKind[] = CHANNELS.kinds;

type SpecOf<K extends ChannelKind> = Extract<(typeof CHANNEL_SPECS)[number], { kind: K }>;
/** Where one send goes, per channel (a webhook URL, an address, …): what `target` of its spec returns. */
export type ChannelTargets = { [K in ChannelKind]: Exclude<ReturnType<SpecOf<K>['target']>, undefined> };
/** The settings of each channel as the API accepts them. */
/** The senders this process has, by kind (a channel may be unavailable, e.g. email without SMTP). */
export type Channels = { [K in ChannelKind]?: NotificationChannel<ChannelTargets[K]> };

export type ChannelSettings = { [K in ChannelKind]: z.infer<SpecOf<K>['settings']> };
