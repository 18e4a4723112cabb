import { existsSync } from 'node:fs';
import type { Browser, LaunchOptions } from 'playwright-core';
import type { Database } from '../../src/db/database.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

export const CHROMIUM = process.env.LOOKOUT_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_MISSING = existsSync(CHROMIUM)
  ? false
  : `browser tests skipped: no chromium at ${CHROMIUM} (apt-get install chromium, or set LOOKOUT_CHROMIUM)`;

export const LAUNCH_OPTIONS: LaunchOptions = {
  executablePath: CHROMIUM,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch(LAUNCH_OPTIONS);
}

/** The test app, which serves the dashboard and /api/stats like any instance. */
export async function startDashboardApp(db: Database, env: Record<string, string> = {}): Promise<TestApp> {
  return startTestApp(db, env);
}

export async function insertSuggestion(
  db: Database,
  s: {
    userId: string;
    eventId?: string;
    eventType: string;
    title: string;
    body: string;
    status?: 'new' | 'accepted' | 'dismissed';
    createdAt?: Date;
  },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into suggestions (user_id, event_id, event_type, title, body, status, created_at, actioned_at)
     values ($1, coalesce($2::uuid, gen_random_uuid()), $3, $4, $5, $6, coalesce($7::timestamptz, now()),
             case when $6 = 'new' then null else coalesce($7::timestamptz, now()) end)
     returning id`,
    [s.userId, s.eventId ?? null, s.eventType, s.title, s.body, s.status ?? 'new', s.createdAt ?? null],
  );
  const id = rows[0]!.id;
  if (s.eventId) {
    await db.query(
      `update background_events set suggestion_generated = true, suggestion_id = $2, status = 'processed',
       processed_at = now()
       where id = $1 and user_id = $3`,
      [s.eventId, id, s.userId],
    );
  }
  return id;
}
