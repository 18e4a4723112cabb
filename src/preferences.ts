import { z } from 'zod';
import { CHANNELS } from './notify/channels/registry.js';

/**
 * What a user can tune. Stored in users (profile, vibe, auto_suggest columns and the preferences
 * jsonb); read by the pipeline's flow control and the suggestion generators.
 */
/** Who the user is. `audience` is internal: it guides a model's choices and never appears in copy. */
export const ProfileSchema = z
  .object({
    brand: z.string().max(200).optional(),
    niche: z.string().max(200).optional(),
    audience: z.string().max(500).optional(),
    language: z
      .string()
      .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'an ISO language code such as en or es')
      .optional(),
  })
  .strict();

/**
 * How the user wants to sound. One definition for the API, the dashboard and `lookout suggest
 * preview`. The language is a profile setting: a `language` here is refused with a message saying
 * where it goes, rather than silently ignored.
 */
export const VibeSchema = z
  .object({
    /** friendly, playful, refined (luxury), professional, minimal, bold or a synonym; others reach only a model. */
    tone: z.string().max(50).optional(),
    emoji: z.enum(['none', 'some', 'lots']).optional(),
    length: z.enum(['short', 'medium', 'long']).optional(),
    avoidWords: z.array(z.string().min(1).max(50)).max(100).optional(),
    language: z
      .never({
        error: 'language is a profile setting: set profile.language (e.g. {"language":"fr"}), not vibe.language',
      })
      .optional(),
  })
  .strict();

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

/** A list of names, each within what its source allows (Shopify: 255; PostgreSQL identifiers: 63). */
const names = (maxLength: number, maxItems: number) => z.array(z.string().max(maxLength)).max(maxItems);

export const FiltersSchema = z
  .object({
    /** Only these event types make suggestions (empty or absent: all that warrant one). */
    includeEventTypes: names(100, 100).optional(),
    excludeEventTypes: names(100, 100).optional(),
    /** Shopify: only products of these types / vendors / with one of these tags. */
    productTypes: names(255, 100).optional(),
    vendors: names(255, 100).optional(),
    tags: names(255, 100).optional(),
    /** Supabase: only tables in these schemas / with these names (`table` or `schema.table`). */
    schemas: names(63, 100).optional(),
    tables: names(127, 500).optional(),
    /** Events scoring below this importance (0-100) are kept without a suggestion. */
    minImportance: z.number().int().min(0).max(100).optional(),
  })
  .strict();

export const FlowSchema = z
  .object({
    /** At most N suggestions per event type per hour; the rest are kept without one. */
    maxPerTypePerHour: z.number().int().min(0).max(10_000).default(20),
    perType: z
      .record(z.string().max(100), z.number().int().min(0).max(10_000))
      .refine((perType) => Object.keys(perType).length <= 200, 'at most 200 event types')
      .default({}),
    /** Updates to one object within this window make one suggestion from the latest state. */
    debounceSeconds: z.number().int().min(0).max(86_400).default(300),
    /** Events of one type arriving within this window, at least batchMinEvents of them, make one summary. */
    batchWindowSeconds: z.number().int().min(0).max(3_600).default(10),
    batchMinEvents: z.number().int().min(2).max(10_000).default(10),
  })
  .strict();

/** Channels in an update: `sse`, and each registered channel's settings (null switches one off). */
export const ChannelsUpdateSchema = CHANNELS.updateSchema();

/**
 * Channels as stored: each channel's settings without its secrets, which live sealed in
 * users.channel_credentials (a channel whose settings are all secret stores `{enabled: true}`).
 */
export const StoredChannelsSchema = CHANNELS.storedSchema();
export type StoredChannels = z.infer<typeof StoredChannelsSchema>;

export const ThresholdsSchema = z
  .object({
    lowStock: z.number().int().min(0).max(1_000_000).default(5),
    reorderLeadDays: z.number().int().min(0).max(365).default(14),
  })
  .strict();

export const QuietHoursSchema = z
  .object({
    start: timeOfDay,
    end: timeOfDay,
    timezone: z
      .string()
      .max(64)
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'an IANA time zone such as Europe/Paris'),
  })
  .strict();

export const CalendarPrefsSchema = z
  .object({
    leadTimesHours: z
      .array(
        z
          .number()
          .int()
          .min(0)
          .max(24 * 60),
      )
      .max(10)
      .default([168, 24]),
  })
  .strict();

/**
 * Which actions accepting a suggestion may run for this user, one switch per kind; all off until
 * the user turns them on. Read leniently when stored (unknown keys ignored), strictly in updates.
 */
export const ActionsPrefsSchema = z.object({
  /** Write a product's description, SEO title and description and tags (Shopify write_products). */
  shopifyProductCopy: z.boolean().default(false),
  /** Create the discount code a suggestion's copy states (Shopify write_discounts). */
  shopifyDiscount: z.boolean().default(false),
  /** Run a table-docs suggestion's COMMENT ON statements on the user's database. */
  supabaseComments: z.boolean().default(false),
});
export type ActionsPrefs = z.infer<typeof ActionsPrefsSchema>;

/** The preferences jsonb column (profile, vibe and autoSuggest live in their own columns). */
export const StoredPreferencesSchema = z.object({
  filters: FiltersSchema.default({}),
  flow: FlowSchema.default(FlowSchema.parse({})),
  channels: StoredChannelsSchema.default(StoredChannelsSchema.parse({})),
  thresholds: ThresholdsSchema.default(ThresholdsSchema.parse({})),
  quietHours: QuietHoursSchema.nullable().default(null),
  calendar: CalendarPrefsSchema.default(CalendarPrefsSchema.parse({})),
  actions: ActionsPrefsSchema.default(ActionsPrefsSchema.parse({})),
});
export type StoredPreferences = z.infer<typeof StoredPreferencesSchema>;
export type Profile = z.infer<typeof ProfileSchema>;
export type Vibe = z.infer<typeof VibeSchema>;

export interface Preferences extends StoredPreferences {
  autoSuggest: boolean;
  profile: Profile;
  vibe: Vibe;
}

/** PUT /api/preferences: any subset; objects replace their stored counterpart wholesale. */
export const PreferencesUpdateSchema = z
  .object({
    autoSuggest: z.boolean().optional(),
    profile: ProfileSchema.optional(),
    vibe: VibeSchema.optional(),
    filters: FiltersSchema.optional(),
    flow: FlowSchema.partial().optional(),
    channels: ChannelsUpdateSchema.optional(),
    thresholds: ThresholdsSchema.partial().optional(),
    quietHours: QuietHoursSchema.nullable().optional(),
    calendar: CalendarPrefsSchema.partial().optional(),
    actions: ActionsPrefsSchema.partial().strict().optional(),
  })
  .strict();
export type PreferencesUpdate = z.infer<typeof PreferencesUpdateSchema>;

/** Reads the stored jsonb leniently: a field written by an older version falls back to defaults. */
export function readStoredPreferences(raw: unknown): StoredPreferences {
  const parsed = StoredPreferencesSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : StoredPreferencesSchema.parse({});
}
