import type { AppContext } from '../context.js';
import type { Database } from '../db/database.js';
import { getUser, savePreferences, toPreferences, type UserRow } from '../db/queries/users.js';
import { badRequest, notFound } from '../lib/httpError.js';
import type { SecretBox } from '../lib/secretBox.js';
import { assertPublicUrl, UrlNotAllowedError } from '../lib/urlGuard.js';
import type { ChannelSecrets } from '../notify/channels/channelSet.js';
import { CHANNELS, type ChannelKind, type ChannelTargets } from '../notify/channels/registry.js';
import type { TargetGoneHandler } from '../notify/deliveries.js';
import {
  ActionsPrefsSchema,
  CalendarPrefsSchema,
  FlowSchema,
  type Preferences,
  PreferencesUpdateSchema,
  type StoredChannels,
  type StoredPreferences,
  ThresholdsSchema,
} from '../preferences.js';
import { requireUser } from './auth.js';
import type { App } from './server.js';

/** The secret parts of channels (by credential key), sealed in users.channel_credentials, not in preferences. */
export function readChannelSecrets(box: SecretBox, user: Pick<UserRow, 'channel_credentials'>): ChannelSecrets {
  return user.channel_credentials ? box.openJson<ChannelSecrets>(user.channel_credentials) : {};
}

/**
 * The delivery worker's TargetGoneHandler: the channel is removed from the user's preferences and
 * its secrets from the sealed credentials, only if those are still what the claim read.
 */
export function switchOffGoneChannel(db: Database, box: SecretBox): TargetGoneHandler {
  return async (userId, channel, credentials) => {
    const user = await getUser(db, userId);
    if (!user || user.channel_credentials !== credentials) return false;
    // Applying "switch it off" to the stored channels drops that channel's secrets.
    const { secrets } = CHANNELS.applyUpdate(toPreferences(user).channels, readChannelSecrets(box, user), {
      [channel]: null,
    });
    const sealed = Object.keys(secrets).length > 0 ? box.sealJson(secrets) : null;
    const { rowCount } = await db.query(
      `update users set preferences = jsonb_set(preferences, '{channels}', (preferences -> 'channels') - $2::text),
              channel_credentials = $3
       where id = $1 and preferences ? 'channels' and channel_credentials is not distinct from $4`,
      [userId, channel, sealed, credentials],
    );
    return rowCount > 0;
  };
}

/** Where this user's notifications of one channel go, secrets restored: for the notifier, never for a response. */
export function channelTarget<K extends ChannelKind>(
  box: SecretBox,
  user: UserRow,
  channel: K,
): ChannelTargets[K] | undefined {
  const { channels } = toPreferences(user);
  const settings = CHANNELS.settingsOf(channel, channels, readChannelSecrets(box, user));
  return CHANNELS.targetOf(channel, settings) as ChannelTargets[K] | undefined;
}

/** What the API shows: secrets masked. */
function present(
  prefs: Preferences,
  secrets: ChannelSecrets,
): Omit<Preferences, 'channels'> & { channels: Record<string, unknown> } {
  return { ...prefs, channels: CHANNELS.present(prefs.channels, secrets) };
}

export function preferenceRoutes(app: App, ctx: AppContext): void {
  app.addHook('onRequest', requireUser(ctx));

  const load = async (userId: string) => {
    const user = await getUser(ctx.db, userId);
    if (!user) throw notFound('user');
    return user;
  };

  app.get(
    '/api/meta/channels',
    {
      schema: {
        tags: ['preferences'],
        security: [{ apiKey: [] }],
        summary: 'The notification channels: labels, settings fields and whether this server can send through each',
      },
    },
    async () => ({ channels: CHANNELS.describe({ config: ctx.config, secrets: ctx.secrets }) }),
  );

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

      // Secrets move to the sealed column; preferences keep the rest (or that the channel is on).
      const update = CHANNELS.applyUpdate(current.channels, secrets, u.channels ?? {});
      // A user-supplied URL may not point into the operator's network (checked again at send time).
      for (const url of update.outboundUrls) {
        try {
          await assertPublicUrl(url, ctx.urlGuard);
        } catch (err) {
          if (err instanceof UrlNotAllowedError) throw badRequest(err.message, 'url_not_allowed');
          throw err;
        }
      }
      const channels = update.channels as StoredChannels;
      const stored: StoredPreferences = {
        filters: u.filters ?? current.filters,
        flow: u.flow ? FlowSchema.parse({ ...current.flow, ...u.flow }) : current.flow,
        channels,
        thresholds: u.thresholds
          ? ThresholdsSchema.parse({ ...current.thresholds, ...u.thresholds })
          : current.thresholds,
        quietHours: u.quietHours === undefined ? current.quietHours : u.quietHours,
        calendar: u.calendar ? CalendarPrefsSchema.parse({ ...current.calendar, ...u.calendar }) : current.calendar,
        actions: u.actions ? ActionsPrefsSchema.parse({ ...current.actions, ...u.actions }) : current.actions,
      };
      const hasSecrets = Object.keys(update.secrets).length > 0;
      await savePreferences(ctx.db, req.userId, {
        autoSuggest: u.autoSuggest ?? current.autoSuggest,
        profile: u.profile ?? current.profile,
        vibe: u.vibe ?? current.vibe,
        stored,
        channelCredentials: hasSecrets ? ctx.secrets.sealJson(update.secrets) : null,
      });
      const saved = await load(req.userId);
      // A secret the server generated (a webhook signing secret) is shown this once, like an API key.
      return { ...present(toPreferences(saved), readChannelSecrets(ctx.secrets, saved)), ...update.generated };
    },
  );
}
