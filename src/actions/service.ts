/**
 * Actions on accept: what a suggestion can apply (proposals, with the target's current values),
 * applying the parts the user chose, and undoing them.
 *
 * At most once: each part has one suggestion_actions row (unique per suggestion and part),
 * inserted as 'applying' in a transaction before the remote call. A retried or concurrent request
 * finds the row and answers with its recorded outcome instead of calling again; only a part that
 * failed (nothing was applied) may be claimed again. Undo claims the row the same way
 * ('applied' -> 'undoing'), so two undos do not both run.
 */

import type { AppContext } from '../context.js';
import type { Database, Queryable } from '../db/database.js';
import type { IntegrationRow } from '../db/queries/integrations.js';
import { toPreferences, type UserRow } from '../db/queries/users.js';
import type { IntegrationCredentials } from '../integrations/credentials.js';
import type { ActionsPrefs } from '../preferences.js';
import { type CommentStatement, CommentStatementError, parseCommentStatements } from './commentStatements.js';
import { ActionError } from './errors.js';
import { type PartName, PREFERENCE_OF, readApplyParts, type ShopifyApply } from './parts.js';
import { type ProductCopy, ShopifyActions } from './shopifyActions.js';
import { applyComments, readComments, restoreComments, type UserDatabaseSource } from './supabaseComments.js';

export type ActionKind = 'shopify.productUpdate' | 'shopify.discountCreate' | 'supabase.commentOn';
export type ActionStatus = 'applying' | 'applied' | 'failed' | 'undoing' | 'undone';

export interface ActionRow {
  id: string;
  suggestion_id: string;
  part: PartName;
  kind: ActionKind;
  target: string;
  status: ActionStatus;
  proposed: unknown;
  previous: unknown;
  result: unknown;
  error: string | null;
  updated_at: Date;
}

/** One part as the API shows it. */
export interface ActionView {
  part: PartName;
  kind: ActionKind;
  target: string;
  /** The user's preference for this kind of action is on. */
  enabled: boolean;
  /** What the target will hold. */
  new: unknown;
  /** What it holds now (proposals), or held before (recorded); null when unknown or none. */
  old: unknown;
  /** Why `old` could not be read. */
  oldError?: string;
  undoable: boolean;
  /** The recorded outcome, when the part was applied (or tried). */
  status?: ActionStatus;
  error?: string | null;
  result?: unknown;
}

export interface ActionOutcome {
  part: PartName;
  kind: ActionKind;
  target: string;
  status: ActionStatus | 'skipped';
  error?: string | null;
  result?: unknown;
  /** True when this request did not run the action: the outcome was already recorded. */
  recorded?: boolean;
}

type Deps = Pick<AppContext, 'db' | 'secrets' | 'config' | 'urlGuard' | 'log'>;

interface Proposal {
  part: PartName;
  kind: ActionKind;
  target: string;
  proposed: unknown;
  undoable: boolean;
}

interface Loaded {
  content: unknown;
  integration: IntegrationRow | undefined;
  prefs: ActionsPrefs;
  proposals: Proposal[];
  /** Parsed statements, or why they are refused. */
  statements: CommentStatement[] | ActionError | undefined;
}

async function load(deps: Deps, userId: string, suggestionId: string): Promise<Loaded | undefined> {
  const { rows } = await deps.db.query<{ content: unknown; integration_id: string | null }>(
    `select s.content, e.integration_id from suggestions s
     left join background_events e on e.id = s.event_id and e.user_id = s.user_id
     where s.id = $1 and s.user_id = $2`,
    [suggestionId, userId],
  );
  const s = rows[0];
  if (!s) return undefined;
  const integration = s.integration_id
    ? (
        await deps.db.query<IntegrationRow>('select * from integrations where id = $1 and user_id = $2', [
          s.integration_id,
          userId,
        ])
      ).rows[0]
    : undefined;
  const user = (await deps.db.query<UserRow>('select * from users where id = $1', [userId])).rows[0];
  const prefs = user
    ? toPreferences(user).actions
    : { shopifyProductCopy: false, shopifyDiscount: false, supabaseComments: false };
  const apply = readApplyParts(s.content);
  const proposals: Proposal[] = [];
  if (apply.shopify) proposals.push(...shopifyProposals(apply.shopify));
  let statements: Loaded['statements'];
  if (apply.statements && apply.statements.length > 0) {
    try {
      statements = parseCommentStatements(apply.statements);
    } catch (err) {
      if (!(err instanceof CommentStatementError)) throw err;
      statements = new ActionError('invalid_part', `not run: ${err.message}`);
    }
    proposals.push({
      part: 'comments',
      kind: 'supabase.commentOn',
      target: statements instanceof ActionError ? 'database' : targetOfStatements(statements),
      proposed: { statements: apply.statements },
      undoable: true,
    });
  }
  return { content: s.content, integration, prefs, proposals, statements };
}

function targetOfStatements(list: CommentStatement[]): string {
  return [...new Set(list.map((s) => `${s.schema}.${s.table}`))].join(', ');
}

function shopifyProposals(a: ShopifyApply): Proposal[] {
  const target = `product ${a.productTitle ? `"${a.productTitle}" ` : ''}(${a.productId})`;
  const out: Proposal[] = [];
  // The product id travels with each part: undo works from the recorded row, whatever the
  // suggestion's content says later.
  const product = (part: PartName, proposed: Record<string, unknown>) =>
    out.push({
      part,
      kind: 'shopify.productUpdate',
      target,
      proposed: { productId: a.productId, ...proposed },
      undoable: true,
    });
  if (a.description) product('description', { descriptionHtml: a.description.html });
  if (a.seo) product('seo', { seo: a.seo });
  if (a.tags) product('tags', { tags: a.tags });
  if (a.discount)
    out.push({
      part: 'discount',
      kind: 'shopify.discountCreate',
      target,
      proposed: { ...a.discount, productId: a.productId },
      undoable: true,
    });
  return out;
}

function readScopes(i: IntegrationRow): string[] | null {
  // Recorded at the app install when the integration stores it; unknown otherwise.
  const raw = (i as IntegrationRow & { shopify_scopes?: unknown }).shopify_scopes ?? i.config?.scopes;
  if (typeof raw === 'string')
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string');
  return null;
}

function shopifyOf(deps: Deps, i: IntegrationRow | undefined): ShopifyActions {
  if (i?.kind !== 'shopify' || !i.shop_domain)
    throw new ActionError('not_available', 'no connected Shopify store for this suggestion');
  const creds = i.credentials ? deps.secrets.openJson<IntegrationCredentials>(i.credentials) : {};
  if (!creds.accessToken)
    throw new ActionError('not_available', 'the Shopify integration has no access token: connect the store first');
  return new ShopifyActions({
    shopDomain: i.shop_domain,
    accessToken: creds.accessToken,
    apiVersion: deps.config.shopify.apiVersion,
    adminApiUrl: deps.config.shopify.adminApiUrl,
    grantedScopes: readScopes(i),
  });
}

function databaseOf(deps: Deps, i: IntegrationRow | undefined): UserDatabaseSource {
  if (i?.kind !== 'supabase')
    throw new ActionError('not_available', 'no connected Supabase project for this suggestion');
  const creds = i.credentials ? deps.secrets.openJson<IntegrationCredentials>(i.credentials) : {};
  if (!creds.dbUrl)
    throw new ActionError('not_available', 'the Supabase integration has no database URL: add one to run statements');
  // The operator's quick set-up is operator configuration, used as given (as the poller does).
  return (i.config as { quickSetup?: boolean }).quickSetup === true
    ? { url: creds.dbUrl, from: 'operator' }
    : { url: creds.dbUrl, from: 'user', guard: deps.urlGuard };
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The current value of a Shopify part's field(s), as undo will restore them. */
function pick(part: PartName, p: ProductCopy): Partial<ProductCopy> {
  if (part === 'description') return { descriptionHtml: p.descriptionHtml };
  if (part === 'seo') return { seo: p.seo };
  return { tags: p.tags };
}

/** The parts a suggestion can apply, with old -> new, and what was already done with each. */
export async function proposeActions(
  deps: Deps,
  userId: string,
  suggestionId: string,
): Promise<ActionView[] | undefined> {
  const l = await load(deps, userId, suggestionId);
  if (!l) return undefined;
  const recorded = await recordedActions(deps.db, suggestionId);
  const old = new Map<PartName, { value: unknown; error?: string }>();
  const pending = l.proposals.filter((p) => !recorded.has(p.part));
  const shopifyParts = pending.filter((p) => p.kind === 'shopify.productUpdate');
  if (shopifyParts.length > 0) {
    const productId = (readApplyParts(l.content).shopify as ShopifyApply).productId;
    try {
      const current = await shopifyOf(deps, l.integration).readProduct(productId);
      for (const p of shopifyParts) old.set(p.part, { value: pick(p.part, current) });
    } catch (err) {
      for (const p of shopifyParts) old.set(p.part, { value: null, error: errorText(err) });
    }
  }
  if (pending.some((p) => p.part === 'comments')) {
    try {
      if (l.statements instanceof ActionError) throw l.statements;
      const comments = await readComments(databaseOf(deps, l.integration), l.statements ?? []);
      old.set('comments', { value: { comments } });
    } catch (err) {
      old.set('comments', { value: null, error: errorText(err) });
    }
  }
  return l.proposals.map((p) => {
    const r = recorded.get(p.part);
    const o = old.get(p.part);
    return {
      part: p.part,
      kind: p.kind,
      target: p.target,
      enabled: l.prefs[PREFERENCE_OF[p.part]],
      new: p.proposed,
      old: r ? r.previous : (o?.value ?? null),
      ...(o?.error ? { oldError: o.error } : {}),
      undoable: p.undoable,
      ...(r ? { status: r.status, error: r.error, result: r.result } : {}),
    };
  });
}

async function recordedActions(db: Queryable, suggestionId: string): Promise<Map<PartName, ActionRow>> {
  const { rows } = await db.query<ActionRow>('select * from suggestion_actions where suggestion_id = $1', [
    suggestionId,
  ]);
  return new Map(rows.map((r) => [r.part, r]));
}

/** Inserts the part's row as 'applying' (or reclaims a failed one); undefined: someone else has it. */
async function claim(db: Database, userId: string, suggestionId: string, p: Proposal): Promise<ActionRow | undefined> {
  return db.transaction(async (tx) => {
    const inserted = await tx.query<ActionRow>(
      `insert into suggestion_actions (suggestion_id, user_id, part, kind, target, status, proposed)
       values ($1, $2, $3, $4, $5, 'applying', $6)
       on conflict (suggestion_id, part) do nothing returning *`,
      [suggestionId, userId, p.part, p.kind, p.target, JSON.stringify(p.proposed)],
    );
    if (inserted.rows[0]) return inserted.rows[0];
    // A failed part changed nothing at the target: trying it again cannot apply it twice.
    const retried = await tx.query<ActionRow>(
      `update suggestion_actions set status = 'applying', error = null, updated_at = now()
       where suggestion_id = $1 and part = $2 and status = 'failed' returning *`,
      [suggestionId, p.part],
    );
    return retried.rows[0];
  });
}

async function finish(
  db: Queryable,
  id: string,
  from: ActionStatus,
  r: { status: ActionStatus; previous?: unknown; result?: unknown; error?: string | null },
): Promise<void> {
  await db.query(
    `update suggestion_actions set status = $3, previous = coalesce($4::jsonb, previous),
       result = coalesce($5::jsonb, result), error = $6, updated_at = now()
     where id = $1 and status = $2`,
    [
      id,
      from,
      r.status,
      r.previous === undefined ? null : JSON.stringify(r.previous),
      r.result === undefined ? null : JSON.stringify(r.result),
      r.error ?? null,
    ],
  );
}

const outcomeOf = (row: ActionRow, recorded: boolean): ActionOutcome => ({
  part: row.part,
  kind: row.kind,
  target: row.target,
  status: row.status,
  error: row.error,
  ...(row.result !== null && row.result !== undefined ? { result: row.result } : {}),
  ...(recorded ? { recorded: true } : {}),
});

async function runApply(
  deps: Deps,
  l: Loaded,
  p: Proposal,
  now: Date,
): Promise<{ previous: unknown; result: unknown }> {
  if (p.kind === 'supabase.commentOn') {
    if (l.statements instanceof ActionError) throw l.statements;
    const statements = l.statements ?? [];
    const previous = await applyComments(databaseOf(deps, l.integration), statements);
    return { previous: { comments: previous }, result: { statements: statements.length } };
  }
  const shop = shopifyOf(deps, l.integration);
  const a = readApplyParts(l.content).shopify as ShopifyApply;
  if (p.kind === 'shopify.discountCreate') {
    const d = a.discount!;
    const id = await shop.createDiscount({ ...d, productId: a.productId, startsAt: now });
    return { previous: null, result: { discountId: id, code: d.code } };
  }
  // Scope first: a missing write scope is named before anything is read.
  shop.requireScope('write_products');
  const before = await shop.readProduct(a.productId);
  const fields = p.proposed as Partial<ProductCopy>;
  const after = await shop.updateProduct(a.productId, fields);
  return { previous: pick(p.part, before), result: pick(p.part, after) };
}

/**
 * Applies the chosen parts (all the suggestion has, by default) that the user's preferences allow;
 * undefined when the suggestion is not this user's.
 */
export async function applyActions(
  deps: Deps,
  userId: string,
  suggestionId: string,
  chosen: PartName[] | undefined,
  now = new Date(),
): Promise<ActionOutcome[] | undefined> {
  const l = await load(deps, userId, suggestionId);
  if (!l) return undefined;
  const wanted = chosen ? l.proposals.filter((p) => chosen.includes(p.part)) : l.proposals;
  const out: ActionOutcome[] = [];
  for (const p of wanted) {
    const pref = PREFERENCE_OF[p.part];
    if (!l.prefs[pref]) {
      out.push({
        part: p.part,
        kind: p.kind,
        target: p.target,
        status: 'skipped',
        error: `this action is off: turn on actions.${pref} in preferences`,
      });
      continue;
    }
    const row = await claim(deps.db, userId, suggestionId, p);
    if (!row) {
      const existing = (await recordedActions(deps.db, suggestionId)).get(p.part);
      if (existing) out.push(outcomeOf(existing, true));
      continue;
    }
    try {
      const done = await runApply(deps, l, p, now);
      await finish(deps.db, row.id, 'applying', { status: 'applied', ...done, error: null });
      out.push({ part: p.part, kind: p.kind, target: p.target, status: 'applied', result: done.result });
    } catch (err) {
      if (!(err instanceof ActionError)) deps.log.warn({ err, suggestionId, part: p.part }, 'action failed');
      const error = errorText(err);
      await finish(deps.db, row.id, 'applying', { status: 'failed', error });
      out.push({ part: p.part, kind: p.kind, target: p.target, status: 'failed', error });
    }
  }
  return out;
}

/** Undo works from what the row recorded as applied, not from the suggestion's current content. */
async function runUndo(deps: Deps, l: Loaded, row: ActionRow): Promise<void> {
  if (row.kind === 'supabase.commentOn') {
    const applied = parseCommentStatements((row.proposed as { statements?: unknown }).statements);
    const previous = (row.previous as { comments?: Array<string | null> } | null)?.comments ?? [];
    await restoreComments(databaseOf(deps, l.integration), applied, previous);
    return;
  }
  const shop = shopifyOf(deps, l.integration);
  if (row.kind === 'shopify.discountCreate') {
    const id = (row.result as { discountId?: string } | null)?.discountId;
    if (!id) throw new ActionError('invalid_part', 'the created discount was not recorded');
    await shop.deleteDiscount(id);
    return;
  }
  const productId = (row.proposed as { productId: string }).productId;
  // Someone may have edited the product since: their edit is not overwritten with the old value.
  const now = pick(row.part, await shop.readProduct(productId));
  if (JSON.stringify(now) !== JSON.stringify(row.result))
    throw new ActionError('target_error', `the product's ${PART_TEXT[row.part]} changed since it was applied`);
  await shop.updateProduct(productId, row.previous as Partial<ProductCopy>);
}

const PART_TEXT: Record<PartName, string> = {
  description: 'description',
  seo: 'SEO title and description',
  tags: 'tags',
  discount: 'discount',
  comments: 'comments',
};

/** Undoes the applied parts (the chosen ones, or all); undefined when the suggestion is not this user's. */
export async function undoActions(
  deps: Deps,
  userId: string,
  suggestionId: string,
  chosen: PartName[] | undefined,
): Promise<ActionOutcome[] | undefined> {
  const l = await load(deps, userId, suggestionId);
  if (!l) return undefined;
  const recorded = await recordedActions(deps.db, suggestionId);
  const out: ActionOutcome[] = [];
  for (const r of recorded.values()) {
    if (chosen && !chosen.includes(r.part)) continue;
    const claimed = await deps.db.query<ActionRow>(
      `update suggestion_actions set status = 'undoing', updated_at = now()
       where id = $1 and status = 'applied' returning *`,
      [r.id],
    );
    const row = claimed.rows[0];
    if (!row) {
      const now = (await recordedActions(deps.db, suggestionId)).get(r.part) ?? r;
      out.push(outcomeOf(now, true));
      continue;
    }
    try {
      await runUndo(deps, l, row);
      await finish(deps.db, row.id, 'undoing', { status: 'undone', error: null });
      out.push({ ...outcomeOf(row, false), status: 'undone', error: null });
    } catch (err) {
      // Still applied: the undo changed nothing (Shopify's call or the transaction failed whole).
      const error = `undo failed: ${errorText(err)}`;
      await finish(deps.db, row.id, 'undoing', { status: 'applied', error });
      out.push({ ...outcomeOf(row, false), status: 'applied', error });
    }
  }
  return out;
}
