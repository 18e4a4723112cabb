import { type Database, MAINTENANCE_STATEMENT_TIMEOUT_MS, type Queryable } from '../database.js';
import { DELIVERY_QUEUE } from '../leasedQueue.js';

export interface QueueStats {
  depth: number;
  oldestPendingAgeS: number | null;
  dead: number;
  overduePolls: number;
  failingIntegrations: number;
  deadDeliveries: number;
  /** The most consecutive failed polls of any active integration. */
  maxPollFailures: number;
}

/** The operator's numbers: queue depth and age, dead letters, polls behind schedule. */
export async function queueStats(db: Queryable): Promise<QueueStats> {
  const { rows } = await db.query<QueueStats>(
    `select
       (select count(*)::int from background_events where status in ('pending', 'processing')) as "depth",
       (select extract(epoch from now() - min(received_at))::float8 from background_events where status in ('pending',
         'processing') and run_at <= now()) as "oldestPendingAgeS",
       (select count(*)::int from background_events where status = 'dead') as "dead",
       (select count(*)::int from integrations i join users u on u.id = i.user_id
          where i.status = 'active' and u.loop_enabled
            and i.next_poll_at < now() - interval '10 seconds') as "overduePolls",
       (select count(*)::int from integrations where status = 'active' and poll_failures > 0) as "failingIntegrations",
       (select count(*)::int from notification_deliveries where status = 'dead') as "deadDeliveries",
       (select coalesce(max(poll_failures), 0)::int from integrations where status = 'active') as "maxPollFailures"`,
  );
  return rows[0]!;
}

export interface DeadEvent {
  id: string;
  userId: string;
  eventType: string;
  source: string;
  attempts: number;
  lastError: string | null;
  receivedAt: Date;
}

/**
 * Dead events of every user, newest first, a page at a time: `before` is the sequence number of
 * the previous page's last event (as text: a bigint), `nextSeq` the one to ask with next.
 */
export async function listDeadEvents(
  db: Queryable,
  page: { limit: number; before?: string },
): Promise<{ items: DeadEvent[]; nextSeq: string | null }> {
  const { rows } = await db.query<DeadEvent & { page_seq: string }>(
    `select e.id, e.user_id as "userId", e.event_type as "eventType", e.source, e.attempts, e.last_error as "lastError",
       e.received_at as "receivedAt", e.seq::text as page_seq
     from background_events e where e.status = 'dead' and ($2::bigint is null or e.seq < $2::bigint)
     order by e.seq desc limit $1`,
    [page.limit + 1, page.before ?? null],
  );
  const items = rows.slice(0, page.limit);
  return {
    items: items.map(({ page_seq: _seq, ...e }) => e),
    nextSeq: rows.length > page.limit ? items[items.length - 1]!.page_seq : null,
  };
}

/** The ids of every dead event, read page by page (for a replay of them all). */
export async function allDeadEventIds(db: Queryable, pageSize = 1_000): Promise<string[]> {
  const ids: string[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await listDeadEvents(db, { limit: pageSize, before });
    ids.push(...page.items.map((e) => e.id));
    if (page.nextSeq === null) return ids;
    before = page.nextSeq;
  }
}

export interface FailedDelivery {
  id: string;
  userId: string;
  suggestionId: string;
  channel: string;
  status: string;
  attempts: number;
  lastError: string | null;
  updatedAt: Date;
}

export async function listFailedDeliveries(db: Queryable, limit: number): Promise<FailedDelivery[]> {
  const { rows } = await db.query<FailedDelivery>(
    `select id, user_id as "userId", suggestion_id as "suggestionId", channel, status, attempts,
     last_error as "lastError", updated_at as "updatedAt"
     from notification_deliveries where status in ('dead', 'failed') or (status = 'pending' and attempts > 0)
     order by updated_at desc, id desc limit $1`,
    [limit],
  );
  return rows;
}

/** Re-queues dead (or failing) deliveries for another round of attempts (bulk: the longer bound). */
export async function replayDeliveries(db: Database, ids: string[] | null): Promise<string[]> {
  return db.transaction((tx) => DELIVERY_QUEUE.replay(tx, ids, new Date(), 'updated_at = $3'), {
    statementTimeoutMs: MAINTENANCE_STATEMENT_TIMEOUT_MS,
  });
}

/** The latest errors anywhere: failed polls and dead events, newest first. */
export async function recentErrors(
  db: Queryable,
  limit: number,
): Promise<Array<{ at: Date; where: string; error: string }>> {
  const { rows } = await db.query<{ at: Date; where: string; error: string }>(
    `(select last_poll_at as at, 'poll ' || kind || ' ' || id::text as where, last_poll_error as error
       from integrations where last_poll_error is not null and poll_failures > 0)
     union all
     (select received_at as at, 'event ' || event_type || ' ' || id::text as where, last_error as error
       from background_events where status = 'dead')
     order by at desc nulls last limit $1`,
    [limit],
  );
  return rows;
}

export interface DataRequest {
  id: string;
  userId: string;
  integrationId: string | null;
  shopDomain: string;
  customerId: string | null;
  customerEmail: string | null;
  ordersRequested: string[];
  status: string;
  createdAt: Date;
}

const DATA_REQUEST_COLUMNS = `id, user_id as "userId", integration_id as "integrationId", shop_domain as "shopDomain",
  customer_id as "customerId", customer_email as "customerEmail", orders_requested as "ordersRequested", status,
  created_at as "createdAt"`;

export async function listDataRequests(db: Queryable, status: string | undefined): Promise<DataRequest[]> {
  const { rows } = await db.query<DataRequest>(
    `select ${DATA_REQUEST_COLUMNS} from data_requests where ($1::text is null or status = $1) order by created_at desc,
     id desc limit 1000`,
    [status ?? null],
  );
  return rows;
}

/**
 * What Lookout holds about the customer of a data request: the stored Shopify events that name
 * them (by customer id or email) or are among the requested orders, as raw payload text.
 */
export async function exportDataRequest(
  db: Database,
  id: string,
): Promise<
  | { request: DataRequest; events: Array<{ id: string; eventType: string; receivedAt: Date; eventData: string }> }
  | undefined
> {
  const { rows } = await db.query<DataRequest>(`select ${DATA_REQUEST_COLUMNS} from data_requests where id = $1`, [id]);
  const request = rows[0];
  if (!request) return undefined;
  // A scan of everything the shop sent for this user: bulk work, with the longer bound.
  const events = await db.transaction(
    (tx) =>
      tx.query<{ id: string; eventType: string; receivedAt: Date; eventData: string }>(
        `select id, event_type as "eventType", received_at as "receivedAt", coalesce(event_data_raw,
         event_data::text) as "eventData"
     from background_events
     where user_id = $1 and source = 'shopify' and ($2::uuid is null or integration_id = $2)
       and event_type not like 'shopify.customers.%' and (
       ($3::text is not null and (event_data#>>'{customer,id}' = $3 or event_data->>'customer_id' = $3))
       or ($4::text is not null and (lower(event_data->>'email') = lower($4)
         or lower(event_data#>>'{customer,email}') = lower($4)))
       or (event_data->>'id' = any($5::text[]) and event_type like 'shopify.order.%'))
     order by received_at`,
        [request.userId, request.integrationId, request.customerId, request.customerEmail, request.ordersRequested],
      ),
    { statementTimeoutMs: MAINTENANCE_STATEMENT_TIMEOUT_MS },
  );
  await db.query(`update data_requests set status = 'exported' where id = $1 and status = 'open'`, [id]);
  return {
    request: { ...request, status: request.status === 'open' ? 'exported' : request.status },
    events: events.rows,
  };
}
