import type { Queryable } from '../database.js';

/** A suggestion as the API returns it. */
export interface SuggestionView {
  id: string;
  eventId: string;
  eventType: string;
  title: string;
  body: string;
  content: Record<string, unknown>;
  status: 'new' | 'accepted' | 'dismissed';
  agentRunId: string | null;
  coveredEvents: number;
  createdAt: Date;
  actionedAt: Date | null;
}

const COLUMNS = `s.id, s.event_id as "eventId", s.event_type as "eventType", s.title, s.body, s.content, s.status,
  s.agent_run_id as "agentRunId", s.created_at as "createdAt", s.actioned_at as "actionedAt", s.seq::text as page_seq,
  (select count(*)::int from background_events e where e.suggestion_id = s.id) as "coveredEvents"`;

// page_seq is the cursor's text copy of seq (a bigint may exceed 2^53), named apart from the column
// so that ORDER BY seq can never bind to it and sort as text.
type Row = SuggestionView & { page_seq: string };
const strip = ({ page_seq: _seq, ...v }: Row): SuggestionView => v;

export async function listSuggestions(
  db: Queryable,
  userId: string,
  f: { status?: string; eventType?: string; limit: number; before?: string },
): Promise<{ items: SuggestionView[]; nextSeq: string | null }> {
  const { rows } = await db.query<Row>(
    `select ${COLUMNS} from suggestions s
     where s.user_id = $1 and ($2::text is null or s.status = $2) and ($3::text is null or s.event_type = $3)
       and ($4::bigint is null or s.seq < $4::bigint)
     order by s.seq desc limit $5`,
    [userId, f.status ?? null, f.eventType ?? null, f.before ?? null, f.limit + 1],
  );
  const page = rows.slice(0, f.limit);
  return { items: page.map(strip), nextSeq: rows.length > f.limit ? page[page.length - 1]!.page_seq : null };
}

export async function getSuggestion(db: Queryable, userId: string, id: string): Promise<SuggestionView | undefined> {
  const { rows } = await db.query<Row>(`select ${COLUMNS} from suggestions s where s.id = $1 and s.user_id = $2`, [
    id,
    userId,
  ]);
  return rows[0] && strip(rows[0]);
}

/**
 * Accept or dismiss: the suggestion's status and every event it covers (`user_actioned`) change
 * together. Returns undefined when the suggestion is not this user's.
 */
export async function actOnSuggestion(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  userId: string,
  id: string,
  status: 'accepted' | 'dismissed',
): Promise<SuggestionView | undefined> {
  return db.transaction(async (tx) => {
    const res = await tx.query(
      `update suggestions set status = $3, actioned_at = now() where id = $1 and user_id = $2`,
      [id, userId, status],
    );
    if (res.rowCount === 0) return undefined;
    await tx.query(`update background_events set user_actioned = true where suggestion_id = $1 and user_id = $2`, [
      id,
      userId,
    ]);
    return getSuggestion(tx, userId, id);
  });
}
