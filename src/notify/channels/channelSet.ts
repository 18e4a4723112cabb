import { z } from 'zod';
import type { Config } from '../../config.js';
import type { AnyChannelSpec, ChannelEnv, ChannelField, FieldInput } from './channelSpec.js';
import type { NotificationChannel } from './types.js';

/**
 * The generic half of the channel registry: everything that is the same for every channel, done
 * once from the specs (API schemas, sealing and masking of secrets, target resolution, senders,
 * the dashboard's descriptors). registry.ts makes the one production set; tests may make others.
 */

type Values = Record<string, unknown>;
/** The sealed users.channel_credentials object: secret values by their credential key. */
export type ChannelSecrets = Record<string, unknown>;
/** preferences.channels as stored: the live stream switch and, per kind, the settings minus secrets. */
export type StoredChannelValues = { sse: boolean } & { [kind: string]: unknown };

type KindOf<S extends readonly AnyChannelSpec[]> = S[number]['kind'];
type UpdateShape<S extends readonly AnyChannelSpec[]> = { sse: z.ZodOptional<z.ZodBoolean> } & {
  [P in S[number] as P['kind']]: z.ZodOptional<z.ZodNullable<P['settings']>>;
};
type SendersOf<S extends readonly AnyChannelSpec[]> = {
  [P in S[number] as P['kind']]?: NotificationChannel<Exclude<ReturnType<P['target']>, undefined>>;
};
type StoredShape<S extends readonly AnyChannelSpec[]> = { sse: z.ZodDefault<z.ZodBoolean> } & {
  [P in S[number] as P['kind']]: z.ZodOptional<z.ZodType<Values>>;
};

/** One field as GET /api/meta/channels describes it to the dashboard. */
export interface FieldDescriptor {
  name: string;
  label: string;
  input: FieldInput;
  required: boolean;
  secret: boolean;
  /** For secrets: `masked` (GET shows the field masked) or `flag` (GET shows `flag: true|false`). */
  shown?: 'masked' | 'flag';
  flag?: string;
  /** The server makes one when none is given (and reveals it once as `revealAs` in the PUT response). */
  generated?: boolean;
  revealAs?: string;
  outboundUrl: boolean;
  placeholder?: string;
  note?: string;
  client?: string;
}

export interface ChannelDescriptor {
  kind: string;
  label: string;
  /** False when this server cannot send through it (the channel can still be saved). */
  available: boolean;
  unavailableReason?: string;
  fields: FieldDescriptor[];
  options?: Record<string, unknown>;
}

export interface ChannelUpdateResult {
  channels: StoredChannelValues;
  secrets: ChannelSecrets;
  /** Secrets the server made, by the name they are revealed under (once). */
  generated: Record<string, string>;
  /** URLs the server will call, to check against the SSRF guard before saving. */
  outboundUrls: string[];
}

const PLACEHOLDER = { enabled: true } as const;

export class ChannelSet<const Specs extends readonly AnyChannelSpec[]> {
  readonly specs: Specs;
  readonly kinds: readonly KindOf<Specs>[];
  readonly #byKind = new Map<string, AnyChannelSpec>();

  constructor(specs: Specs) {
    this.specs = specs;
    this.kinds = specs.map((s) => s.kind);
    const credentialKeys = new Set<string>();
    for (const spec of specs) {
      if (spec.kind === 'sse' || !/^[a-z][a-zA-Z0-9]*$/.test(spec.kind))
        throw new Error(`channel kind "${spec.kind}" must be a camelCase word other than sse`);
      if (this.#byKind.has(spec.kind)) throw new Error(`channel kind "${spec.kind}" is declared twice`);
      this.#byKind.set(spec.kind, spec);
      const keys = Object.keys(spec.settings.shape).sort();
      const described = Object.keys(spec.fields).sort();
      if (keys.join() !== described.join())
        throw new Error(`channel ${spec.kind}: fields (${described}) must describe exactly its settings (${keys})`);
      for (const [, field] of this.#secretFields(spec)) {
        const key = field.secret!.credentialKey;
        if (credentialKeys.has(key)) throw new Error(`credential key "${key}" is used twice`);
        credentialKeys.add(key);
      }
    }
  }

  spec(kind: string): AnyChannelSpec | undefined {
    return this.#byKind.get(kind);
  }

  isKind(kind: string): kind is KindOf<Specs> {
    return this.#byKind.has(kind);
  }

  #fields(spec: AnyChannelSpec): [string, ChannelField][] {
    return Object.entries(spec.fields as Record<string, ChannelField>);
  }

  #secretFields(spec: AnyChannelSpec): [string, ChannelField][] {
    return this.#fields(spec).filter(([, f]) => f.secret);
  }

  #plainNames(spec: AnyChannelSpec): string[] {
    return this.#fields(spec)
      .filter(([, f]) => !f.secret)
      .map(([name]) => name);
  }

  /** `channels` of PUT /api/preferences: each channel's settings, null to switch it off. */
  updateSchema() {
    const shape: Record<string, z.ZodType> = { sse: z.boolean().optional() };
    for (const spec of this.specs) shape[spec.kind] = spec.settings.strict().nullable().optional();
    return z.object(shape).strict() as unknown as z.ZodObject<UpdateShape<Specs>, z.core.$strict>;
  }

  /** preferences.channels: the settings minus their secrets, or `{enabled: true}` when all are secret. */
  storedSchema() {
    const shape: Record<string, z.ZodType> = { sse: z.boolean().default(true) };
    for (const spec of this.specs) shape[spec.kind] = this.#storedSchemaOf(spec).optional();
    return z.object(shape) as unknown as z.ZodObject<StoredShape<Specs>>;
  }

  #storedSchemaOf(spec: AnyChannelSpec): z.ZodType<Values> {
    const names = this.#plainNames(spec);
    if (names.length === 0) return z.object({ enabled: z.literal(true) });
    return (spec.settings as z.ZodObject).pick(Object.fromEntries(names.map((n) => [n, true])) as never);
  }

  /**
   * The channels a user has on, from the preferences jsonb, leniently: an invalid or switched-off
   * (`enabled: false`) channel is not configured, never an error. Secrets may be inline (written
   * directly, as tests do) or missing (the API seals them elsewhere).
   */
  parseLenient(rawChannels: unknown): Partial<Record<KindOf<Specs>, Values>> {
    const raw = typeof rawChannels === 'object' && rawChannels !== null ? (rawChannels as Values) : {};
    const out: Partial<Record<string, Values>> = {};
    for (const spec of this.specs) {
      const secretMask = Object.fromEntries(this.#secretFields(spec).map(([n]) => [n, true as const]));
      const lenient = (spec.settings as z.ZodObject)
        .partial(secretMask as never)
        .extend({ enabled: z.boolean().optional() });
      const parsed = lenient.safeParse(raw[spec.kind]);
      if (!parsed.success || parsed.data.enabled === false) continue;
      const { enabled: _enabled, ...values } = parsed.data;
      out[spec.kind] = values;
    }
    return out;
  }

  /** Applies `channels` of a validated PUT to what is stored; secrets go to the sealed object. */
  applyUpdate(current: StoredChannelValues, currentSecrets: ChannelSecrets, update: Values): ChannelUpdateResult {
    const channels: StoredChannelValues = { ...current };
    const secrets: ChannelSecrets = { ...currentSecrets };
    const generated: Record<string, string> = {};
    const outboundUrls: string[] = [];
    if (typeof update.sse === 'boolean') channels.sse = update.sse;
    for (const spec of this.specs) {
      if (!(spec.kind in update) || update[spec.kind] === undefined) continue;
      const settings = update[spec.kind] as Values | null;
      if (!settings) {
        delete channels[spec.kind];
        continue;
      }
      const stored: Values = {};
      for (const [name, field] of this.#fields(spec)) {
        const value = settings[name];
        const url = field.outboundUrl === true ? value : value === undefined ? undefined : field.outboundUrl?.(value);
        if (typeof url === 'string') outboundUrls.push(url);
        if (!field.secret) {
          if (value !== undefined) stored[name] = value;
          continue;
        }
        const key = field.secret.credentialKey;
        let secret = value ?? secrets[key];
        if (secret === undefined && field.secret.generate) {
          secret = field.secret.generate.create();
          generated[field.secret.generate.revealAs] = secret as string;
        }
        if (secret === undefined) delete secrets[key];
        else secrets[key] = secret;
      }
      channels[spec.kind] = this.#plainNames(spec).length === 0 ? { ...PLACEHOLDER } : stored;
    }
    // A channel switched off (or never on) keeps no secret.
    for (const spec of this.specs) {
      if (channels[spec.kind]) continue;
      for (const [, field] of this.#secretFields(spec)) delete secrets[field.secret!.credentialKey];
    }
    return { channels, secrets, generated, outboundUrls };
  }

  /** What GET /api/preferences shows of the channels: secrets masked or reduced to a flag. */
  present(stored: StoredChannelValues, secrets: ChannelSecrets): Values {
    const out: Values = { ...stored };
    for (const spec of this.specs) {
      const values = stored[spec.kind] as Values | undefined;
      if (!values) continue;
      const shown: Values = {};
      for (const [name, field] of this.#fields(spec)) {
        if (!field.secret) {
          if (values[name] !== undefined) shown[name] = values[name];
          continue;
        }
        const secret = secrets[field.secret.credentialKey];
        if (field.secret.shown.as === 'masked')
          shown[name] = secret === undefined ? null : field.secret.shown.mask(secret);
        else shown[field.secret.shown.flag] = secret !== undefined && secret !== '';
      }
      out[spec.kind] = shown;
    }
    return out;
  }

  /** The settings of a channel with their secrets restored, or undefined when it is off. */
  settingsOf(kind: string, stored: StoredChannelValues, secrets: ChannelSecrets): Values | undefined {
    const spec = this.#byKind.get(kind);
    const values = stored[kind] as Values | undefined;
    if (!spec || !values) return undefined;
    const settings: Values = {};
    for (const [name, field] of this.#fields(spec)) {
      const value = field.secret ? secrets[field.secret.credentialKey] : values[name];
      if (value !== undefined) settings[name] = value;
    }
    return settings;
  }

  /**
   * A send target from settings (secrets included): validated against the channel's own schema,
   * so a value the API would refuse is never sent to; undefined when incomplete.
   */
  targetOf(kind: string, settings: Values | undefined): unknown {
    const spec = this.#byKind.get(kind);
    if (!spec || !settings) return undefined;
    const parsed = (spec.settings as z.ZodObject).safeParse(settings);
    return parsed.success ? spec.target(parsed.data) : undefined;
  }

  /** True when any outbound channel (any registered kind) is on. */
  hasOutbound(stored: Partial<Record<string, unknown>>): boolean {
    return this.specs.some((s) => stored[s.kind] !== undefined && stored[s.kind] !== null);
  }

  /** A sender for every channel this server can send through. */
  createSenders(env: ChannelEnv): SendersOf<Specs> {
    const senders: Record<string, NotificationChannel<unknown>> = {};
    for (const spec of this.specs)
      if (!spec.unavailableReason?.(env.config)) senders[spec.kind] = spec.createSender(env);
    return senders as SendersOf<Specs>;
  }

  /** GET /api/meta/channels: what the dashboard renders its channel forms from. */
  describe(env: ChannelEnv): ChannelDescriptor[] {
    return this.specs.map((spec) => {
      const unavailableReason = spec.unavailableReason?.(env.config as Config);
      const shape = (spec.settings as z.ZodObject).shape as Record<string, z.ZodType>;
      const fields = this.#fields(spec).map(([name, f]): FieldDescriptor => {
        const s = f.secret;
        return {
          name,
          label: f.label,
          input: f.input,
          required: !shape[name]!.safeParse(undefined).success,
          secret: Boolean(s),
          ...(s ? { shown: s.shown.as, ...(s.shown.as === 'flag' ? { flag: s.shown.flag } : {}) } : {}),
          ...(s?.generate ? { generated: true, revealAs: s.generate.revealAs } : {}),
          outboundUrl: Boolean(f.outboundUrl),
          ...(f.placeholder ? { placeholder: f.placeholder } : {}),
          ...(f.note ? { note: f.note } : {}),
          ...(f.client ? { client: f.client } : {}),
        };
      });
      return {
        kind: spec.kind,
        label: spec.label,
        available: !unavailableReason,
        ...(unavailableReason ? { unavailableReason } : {}),
        fields,
        ...(spec.clientOptions && !unavailableReason ? { options: spec.clientOptions(env) } : {}),
      };
    });
  }
}
