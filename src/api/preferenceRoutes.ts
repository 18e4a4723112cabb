import type { AppContext } from '../context.js';
import { getUser, savePreferences, toPreferences, type UserRow } from '../db/queries/users.js';
import { badRequest, notFound } from '../lib/httpError.js';
import type { SecretBox } from '../lib/secretBox.js';
import { assertPublicUrl, UrlNotAllowedError } from '../lib/urlGuard.js';
import { generateWebhookSecret } from '../notify/channels/webhook.js';
import {
  CalendarPrefsSchema,
  FlowSchema,
  type NotificationTargets,
  type Preferences,
  PreferencesUpdateSchema,
  type StoredChannels,
  type StoredPreferences,
  ThresholdsSchema,
} from '../preferences.js';
import { requireUser } from './auth.js';
import type { App } from './server.js';

/** The secret parts of channels, sealed in users.channel_credentials rather than kept in preferences. */
interface ChannelSecrets {
  slackWebhookUrl?: string;
  webhookSecret?: string;
}

export function readChannelSecrets(box: SecretBox, user: Pick<UserRow, 'channel_credentials'>): ChannelSecrets {
  return user.channel_credentials ? box.openJson<ChannelSecrets>(user.channel_credentials) : {};
}

/** Where this user's notifications go, secrets restored: for the notifier, never for an API response. */
export function notificationTargets(box: SecretBox, user: UserRow): NotificationTargets {
  const { channels } = toPreferences(user);
  const secrets = readChannelSecrets(box, user);
  return {
    sse: channels.sse,
    slack: channels.slack && secrets.slackWebhookUrl ? { webhookUrl: secrets.slackWebhookUrl } : undefined,
    email: channels.email,
    webhook: channels.webhook ? { url: channels.webhook.url, secret: secrets.webhookSecret } : undefined,
  };
}

function mask(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '…';
  }
}

/** What the API shows: secrets masked. */
function present(
  prefs: Preferences,
  secrets: ChannelSecrets,
): Omit<Preferences, 'channels'> & { channels: Record<string, unknown> } {
  const channels: Record<string, unknown> = { ...prefs.channels };
  if (prefs.channels.slack)
    channels.slack = { webhookUrl: secrets.slackWebhookUrl ? mask(secrets.slackWebhookUrl) : null };
  if (prefs.channels.webhook)
    channels.webhook = { url: prefs.channels.webhook.url, secretConfigured: Boolean(secrets.webhookSecret) };
  return { ...prefs, channels };
}

export function preferenceRoutes(app: App, ctx: AppContext): void {
  app.addHook('onRequest', requireUser(ctx));

  const load = async (userId: string) => {
    const user = await getUser(ctx.db, userId);
    if (!user) throw notFound('user');
    return user;
  };

  app.get('/api/preferences', { schema: { tags: ['preferences'], security: [{ apiKey: [] }] } }, async (req) => {
    const user = await load(req.userId);
    return present(toPreferences(user), readChannelSecrets(ctx.secrets, user));
  });

  app.put(
    '/api/preferences',
    {
      schema: {
        tags: ['preferences'],
        security: [{ apiKey: [] }],
        body: PreferencesUpdateSchema,
        summary: 'Update any subset of preferences',
      },
    },
    async (req) => {
      const user = await load(req.userId);
      const current = toPreferences(user);
      const secrets = readChannelSecrets(ctx.secrets, user);
      const u = req.body;

      // Secrets move to the sealed column; preferences keep only that the channel is on.
      const channels: StoredChannels = { ...current.channels };
      let generatedSecret: string | undefined;
      if (u.channels) {
        const c = u.channels;
        if (c.sse !== undefined) channels.sse = c.sse;
        if ('slack' in c) {
          channels.slack = c.slack ? { enabled: true } : undefined;
          secrets.slackWebhookUrl = c.slack?.webhookUrl;
        }
        if ('email' in c) channels.email = c.email ?? undefined;
        if ('webhook' in c) {
          channels.webhook = c.webhook ? { url: c.webhook.url } : undefined;
          secrets.webhookSecret = c.webhook?.secret ?? (c.webhook ? secrets.webhookSecret : undefined);
          if (c.webhook && !secrets.webhookSecret) secrets.webhookSecret = generatedSecret = generateWebhookSecret();
        }
        // A user-supplied URL may not point into the operator's network (checked again at send time).
        for (const url of [c.slack?.webhookUrl, c.webhook?.url]) {
          if (!url) continue;
          try {
            await assertPublicUrl(url, ctx.urlGuard);
          } catch (err) {
            if (err instanceof UrlNotAllowedError) throw badRequest(err.message, 'url_not_allowed');
            throw err;
          }
        }
      }
      const stored: StoredPreferences = {
        filters: u.filters ?? current.filters,
        flow: u.flow ? FlowSchema.parse({ ...current.flow, ...u.flow }) : current.flow,
        channels,
        thresholds: u.thresholds
          ? ThresholdsSchema.parse({ ...current.thresholds, ...u.thresholds })
          : current.thresholds,
        quietHours: u.quietHours === undefined ? current.quietHours : u.quietHours,
        calendar: u.calendar ? CalendarPrefsSchema.parse({ ...current.calendar, ...u.calendar }) : current.calendar,
      };
      if (!stored.channels.slack) delete secrets.slackWebhookUrl;
      if (!stored.channels.webhook) delete secrets.webhookSecret;
      const hasSecrets = Boolean(secrets.slackWebhookUrl || secrets.webhookSecret);
      await savePreferences(ctx.db, req.userId, {
        autoSuggest: u.autoSuggest ?? current.autoSuggest,
        profile: u.profile ?? current.profile,
        vibe: u.vibe ?? current.vibe,
        stored,
        channelCredentials: hasSecrets ? ctx.secrets.sealJson(secrets) : null,
      });
      const saved = await load(req.userId);
      // A webhook signing secret we generated is shown this once, like an API key.
      return {
        ...present(toPreferences(saved), readChannelSecrets(ctx.secrets, saved)),
        ...(generatedSecret ? { webhookSecret: generatedSecret } : {}),
      };
    },
  );
}
