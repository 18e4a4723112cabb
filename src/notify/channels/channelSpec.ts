import type { z } from 'zod';
import type { Config } from '../../config.js';
import type { SecretBox } from '../../lib/secretBox.js';
import type { NotificationChannel } from './types.js';

/**
 * What one outbound notification channel declares, and everything else reads: the API's settings
 * schema, which settings are secrets (sealed in users.channel_credentials, never returned), how a
 * send target is made from them, how the sender is built from the server's configuration, and what
 * the dashboard needs to render the channel's form. Adding a channel is its file plus one line in
 * registry.ts (see docs/CHANNELS.md).
 */

/** How the dashboard obtains a field's value. `browser`: not typed, the page gets it itself (a push subscription). */
export type FieldInput = 'url' | 'email' | 'text' | 'password' | 'browser';

export interface SecretField {
  /** Its key in the sealed credentials object: stored data depends on it, so it never changes. */
  credentialKey: string;
  /**
   * How GET /api/preferences shows it: `masked` keeps the field with mask(value), or null when it is
   * missing; `flag` drops the field and sets `flag: true|false` (configured or not).
   */
  shown: { as: 'masked'; mask: (value: unknown) => string } | { as: 'flag'; flag: string };
  /**
   * Made by the server when the user gives none (and none is stored): returned once, at the top
   * level of that PUT's response under `revealAs`, like an API key.
   */
  generate?: { create: () => string; revealAs: string };
}

export interface ChannelField {
  label: string;
  input: FieldInput;
  placeholder?: string;
  /** Shown under the label (e.g. the expected format). */
  note?: string;
  secret?: SecretField;
  /**
   * The server will call this URL (true), or the URL this function finds in the value (a push
   * subscription's endpoint): refused when saved if it points into the operator's network.
   */
  outboundUrl?: true | ((value: unknown) => string | undefined);
  /** For input `browser`: the name of the dashboard module that obtains the value. */
  client?: string;
}

/** What a sender may be built from: the server's configuration and its instance secrets. */
export interface ChannelEnv {
  config: Config;
  secrets: SecretBox;
}

/** Settings of one channel as the API accepts them. */
export type AnySettingsSchema = z.ZodObject;

export interface ChannelSpec<K extends string = string, S extends AnySettingsSchema = AnySettingsSchema, T = unknown> {
  kind: K;
  /** The channel's name for people (dashboard, docs). */
  label: string;
  /** What PUT /api/preferences accepts in `channels.<kind>` (unknown keys are refused), secrets included. */
  settings: S;
  /** A valid value of `settings`: documentation, and what the registry's tests exercise every channel with. */
  example: z.infer<S>;
  /** One descriptor per setting, in the order the dashboard shows them. */
  fields: { [F in keyof z.infer<S> & string]-?: ChannelField };
  /**
   * The send target from the stored settings with their secrets restored, or undefined when the
   * channel cannot be sent to yet (a secret is missing).
   */
  target(settings: z.infer<S>): T | undefined;
  /** Why this server cannot send through the channel (e.g. no SMTP configured); undefined: it can. */
  unavailableReason?(config: Config): string | undefined;
  /** Builds the sender; called only when the channel is available. */
  createSender(env: ChannelEnv): NotificationChannel<T>;
  /** Public values the dashboard needs to obtain a `browser` field (e.g. a push application server key). */
  clientOptions?(env: ChannelEnv): Record<string, unknown>;
}

// biome-ignore lint/suspicious/noExplicitAny: a list of specs of different settings and targets
export type AnyChannelSpec = ChannelSpec<string, any, any>;

/** Declares a channel with its types inferred (settings from the schema, target from `target`). */
export function defineChannel<K extends string, S extends AnySettingsSchema, T>(
  spec: ChannelSpec<K, S, T>,
): ChannelSpec<K, S, T> {
  return spec;
}

/** `https://hooks.slack.com/…`: enough to recognise a URL without revealing its secret path. */
export function maskUrl(value: unknown): string {
  try {
    const u = new URL(String(value));
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '…';
  }
}
