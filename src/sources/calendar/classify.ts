import type { CalendarOccurrence } from './occurrence.js';

export type CalendarEventKind = 'launch' | 'meeting' | 'event';

export interface CatalogEntry {
  id: string;
  title: string;
  handle: string;
  kind: 'product' | 'collection';
}

export interface CatalogLink {
  kind: 'product' | 'collection';
  id: string;
  title: string;
  handle: string;
}

/** Lower case without accents, so "Reunión" matches "reunion" and "LANZAMIENTO" "lanzamiento". */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whole-word, whole-phrase match on folded text: "drop" must not match "dropbox". */
function phrasePattern(phrases: readonly string[]): RegExp {
  const alternatives = phrases.map((p) => escapeRegExp(fold(p)).replace(/ /g, '[\\s-]+'));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'u');
}

// English and Spanish: the merchants this was written for sell in both.
const LAUNCH = phrasePattern([
  'launch',
  'launches',
  'launching',
  'launch day',
  'drop',
  'drops',
  'release',
  'releases',
  'release day',
  'go live',
  'goes live',
  'going live',
  'go-live',
  'live sale',
  'sale start',
  'sale starts',
  'sales start',
  'pre-order',
  'preorder',
  'pre-orders',
  'preorders',
  'restock drop',
  'new collection',
  'lanzamiento',
  'lanzamientos',
  'lanzar',
  'lanza',
  'lanzamos',
  'estreno',
  'salida a la venta',
  'sale a la venta',
  'inicio de venta',
  'inicio de ventas',
  'inicio de la venta',
  'preventa',
  'pre-venta',
  'nueva coleccion',
  'puesta en venta',
  'apertura de ventas',
]);

const MEETING = phrasePattern([
  'meeting',
  'call',
  'sync',
  'standup',
  'stand-up',
  'review',
  '1:1',
  '1-1',
  '1on1',
  'one-on-one',
  'catch up',
  'catch-up',
  'check-in',
  'check in',
  'interview',
  'retro',
  'retrospective',
  'kickoff',
  'kick-off',
  'planning',
  'demo',
  'google meet',
  'reunion',
  'reuniones',
  'llamada',
  'videollamada',
  'junta',
  'revision',
  'sincronizacion',
  'entrevista',
  'seguimiento',
  'planificacion',
  'cita',
]);

/**
 * launch, meeting or plain event. The summary decides first (it is what the owner typed); people
 * on the invite make it a meeting; the description only breaks a tie. A timed event with an
 * organizer counts as having people; an all-day one does not (Google stamps the owner as
 * organizer on their own all-day entries).
 */
export function classifyOccurrence(o: CalendarOccurrence): CalendarEventKind {
  const summary = fold(o.summary);
  const description = fold(o.description ?? '');
  const launchInSummary = LAUNCH.test(summary);
  const meetingInSummary = MEETING.test(summary);
  if (launchInSummary && !meetingInSummary) return 'launch';
  if (meetingInSummary) return 'meeting';
  const hasPeople = o.attendees.length > 0 || (o.organizer !== null && !o.allDay);
  if (hasPeople) return 'meeting';
  if (LAUNCH.test(description)) return 'launch';
  if (MEETING.test(description)) return 'meeting';
  return 'event';
}

/** Titles this short ("A", "XL") would match half the calendar. */
const MIN_NAME_LENGTH = 3;

/**
 * The product or collection of the store that the occurrence names, by title or handle,
 * case-insensitively and on word boundaries. The longest name wins ("Aurora Hoodie" over the
 * "Aurora" collection); on equal length a name in the summary beats one in the description, and
 * a product beats a collection.
 */
export function linkToCatalog(o: CalendarOccurrence, catalog: readonly CatalogEntry[]): CatalogLink | null {
  const summary = fold(o.summary);
  const description = fold(o.description ?? '');
  let best: { entry: CatalogEntry; length: number; inSummary: boolean } | null = null;
  for (const entry of catalog) {
    for (const name of [entry.title, entry.handle]) {
      const folded = fold(name.trim());
      if (folded.length < MIN_NAME_LENGTH) continue;
      const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(folded)}(?![\\p{L}\\p{N}])`, 'u');
      const inSummary = pattern.test(summary);
      if (!inSummary && !pattern.test(description)) continue;
      const better =
        best === null ||
        folded.length > best.length ||
        (folded.length === best.length && inSummary && !best.inSummary) ||
        (folded.length === best.length &&
          inSummary === best.inSummary &&
          entry.kind === 'product' &&
          best.entry.kind === 'collection');
      if (better) best = { entry, length: folded.length, inSummary };
    }
  }
  return best ? { kind: best.entry.kind, id: best.entry.id, title: best.entry.title, handle: best.entry.handle } : null;
}
