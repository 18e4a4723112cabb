// Feed view: suggestion cards and the live activity list, kept in sync by stream messages or polls.

import { acceptWithActions, hasActions, reviewActions } from './actions.js';
import { api } from './api.js';
import { $, $$, h, replaceKeepingFocus, timeEl } from './dom.js';
import { openInspector } from './inspector.js';
import { eventSummary, eventTypeLabel, sourceLabel, sourceOf } from './labels.js';
import { renderMarkdown } from './markdown.js';
import { announce, toast } from './toast.js';

const PAGE = 30;
const MAX_EVENTS_SHOWN = 200;

const state = {
  suggestions: new Map(),
  events: new Map(),
  filter: 'new',
  suggestionsCursor: null,
  eventsCursor: null,
  loaded: false,
};

const byNewest = (a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0);
const eventNewest = (a, b) => (a.received_at < b.received_at ? 1 : a.received_at > b.received_at ? -1 : 0);

export function initFeed() {
  for (const button of $$('[data-filter]')) {
    button.addEventListener('click', () => {
      state.filter = button.dataset.filter;
      for (const b of $$('[data-filter]')) b.setAttribute('aria-pressed', String(b === button));
      renderSuggestions();
    });
  }
  $('#suggestions-more').addEventListener('click', () => loadMoreSuggestions());
  $('#events-more').addEventListener('click', () => loadMoreEvents());
}

export function resetFeed() {
  state.suggestions.clear();
  state.events.clear();
  state.loaded = false;
  $('#suggestion-list').replaceChildren();
  $('#event-list').replaceChildren();
}

/** First load, a `reset` from the stream, and every fallback poll. */
export async function refreshFeed() {
  const [suggestions, events] = await Promise.all([
    api('GET', `/api/suggestions?limit=${PAGE}`),
    api('GET', `/api/events?limit=${PAGE}`),
  ]);
  const first = !state.loaded;
  for (const s of suggestions.items) upsertSuggestion(s, { fresh: !first && !state.suggestions.has(s.id) });
  for (const e of events.items) upsertEvent(e, { fresh: !first && !state.events.has(e.id) });
  if (first) {
    state.suggestionsCursor = suggestions.nextCursor;
    state.eventsCursor = events.nextCursor;
    state.loaded = true;
  }
  renderSuggestions();
  renderEvents();
}

async function loadMoreSuggestions() {
  if (!state.suggestionsCursor) return;
  const page = await api('GET', `/api/suggestions?limit=${PAGE}&cursor=${encodeURIComponent(state.suggestionsCursor)}`);
  for (const s of page.items) state.suggestions.set(s.id, s);
  state.suggestionsCursor = page.nextCursor;
  renderSuggestions();
}

async function loadMoreEvents() {
  if (!state.eventsCursor) return;
  const page = await api('GET', `/api/events?limit=${PAGE}&cursor=${encodeURIComponent(state.eventsCursor)}`);
  for (const e of page.items) state.events.set(e.id, e);
  state.eventsCursor = page.nextCursor;
  renderEvents();
}

/** A stream message: fetch the full item it names and put it in place. */
export async function onStreamMessage(message) {
  try {
    if (message.type === 'event') {
      upsertEvent(await api('GET', `/api/events/${encodeURIComponent(message.id)}`), {
        fresh: !state.events.has(message.id),
      });
      renderEvents();
    } else if (message.type === 'suggestion') {
      const s = await api('GET', `/api/suggestions/${encodeURIComponent(message.id)}`);
      upsertSuggestion(s, { fresh: !state.suggestions.has(s.id) });
      renderSuggestions();
      // The event it was made for changed too (suggestion_generated), or is not listed yet.
      const known = state.events.has(s.eventId);
      upsertEvent(await api('GET', `/api/events/${encodeURIComponent(s.eventId)}`), { fresh: !known });
      renderEvents();
    } else if (message.type === 'notification') {
      const d = message.data ?? {};
      toast(d.title ?? 'New suggestion', d.text ?? '', {
        href: d.suggestionId ? `#feed` : undefined,
        focusId: d.suggestionId ? `s-${d.suggestionId}` : undefined,
      });
    }
  } catch (err) {
    if (err?.status !== 404) throw err;
  }
}

function upsertSuggestion(s, { fresh = false } = {}) {
  const old = state.suggestions.get(s.id);
  state.suggestions.set(s.id, {
    ...s,
    fresh: fresh || old?.fresh,
    dirty: Boolean(old?.dirty) || !old || old.status !== s.status || old.body !== s.body || old.title !== s.title,
  });
}

function upsertEvent(e, { fresh = false } = {}) {
  const old = state.events.get(e.id);
  const changed =
    !old || old.status !== e.status || old.suggestion_id !== e.suggestion_id || old.user_actioned !== e.user_actioned;
  state.events.set(e.id, { ...e, fresh: fresh || old?.fresh, dirty: Boolean(old?.dirty) || changed });
}

// ---- suggestions -------------------------------------------------------------------------------

function renderSuggestions() {
  const list = $('#suggestion-list');
  const visible = [...state.suggestions.values()]
    .filter((s) => state.filter === 'all' || s.status === 'new')
    .sort(byNewest);
  reconcile(list, visible, (s) => `s-${s.id}`, suggestionCard);
  list.setAttribute('aria-busy', 'false');
  const empty = $('#suggestions-empty');
  empty.hidden = visible.length > 0;
  empty.textContent =
    state.filter === 'new' && state.suggestions.size > 0
      ? 'All caught up: nothing is waiting for you.'
      : 'No suggestions yet. They appear here as soon as an event deserves one.';
  $('#suggestions-more').hidden = !state.suggestionsCursor;
}

/**
 * Keyed update: existing elements stay (keeping focus and scroll), changed items are rebuilt,
 * new ones are inserted in order, and the ones no longer listed are removed.
 */
function reconcile(container, items, keyOf, build) {
  const keep = new Set(items.map(keyOf));
  for (const child of [...container.children]) if (!keep.has(child.id)) child.remove();
  let prev = null;
  for (const item of items) {
    const key = keyOf(item);
    let node = document.getElementById(key);
    if (node && node.parentElement === container && item.dirty) {
      const rebuilt = build(item);
      replaceKeepingFocus(node, rebuilt);
      node = rebuilt;
    } else if (!node || node.parentElement !== container) {
      node = build(item);
    }
    item.dirty = false;
    item.fresh = false;
    const expected = prev ? prev.nextElementSibling : container.firstElementChild;
    if (expected !== node) {
      if (prev) prev.after(node);
      else container.prepend(node);
    }
    prev = node;
  }
}

const STATUS_TEXT = { new: 'New', accepted: 'Accepted', dismissed: 'Dismissed' };

function suggestionCard(s) {
  const titleId = `s-${s.id}-title`;
  const body = h('div', { class: 'md' });
  body.append(renderMarkdown(s.body));
  const source = sourceOf(s.eventType);
  const actions = h('div', { class: 'actions' });
  if (s.status === 'new') {
    actions.append(
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-primary',
          'data-focus-key': 'accept',
          'data-action': 'accept',
          // A suggestion that can change the store or database shows the changes before accepting.
          onclick: () => (hasActions(s) ? acceptWithActions(s, { onAccepted: accepted }) : act(s, 'accept')),
        },
        'Accept',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          'data-focus-key': 'dismiss',
          'data-action': 'dismiss',
          onclick: () => act(s, 'dismiss'),
        },
        'Dismiss',
      ),
    );
  } else {
    actions.append(
      h(
        'span',
        { class: `chip chip-${s.status}`, 'data-focus-key': 'status', tabindex: '-1' },
        STATUS_TEXT[s.status] ?? s.status,
      ),
      s.status === 'accepted' && hasActions(s)
        ? h(
            'button',
            { type: 'button', class: 'btn btn-quiet', 'data-action': 'changes', onclick: () => reviewActions(s) },
            'Changes',
          )
        : null,
    );
  }
  actions.append(
    h(
      'button',
      {
        type: 'button',
        class: 'btn btn-quiet',
        'data-focus-key': 'copy',
        'data-action': 'copy',
        onclick: (e) => copy(s, e.currentTarget),
      },
      'Copy',
    ),
    inspectButton(s.eventId, `Details of ${s.title}`),
  );

  const card = h(
    'article',
    {
      class: `card suggestion status-${s.status}${s.fresh ? ' fresh' : ''}`,
      id: `s-${s.id}`,
      'aria-labelledby': titleId,
      'data-status': s.status,
    },
    h(
      'div',
      { class: 'card-meta' },
      h('span', { class: `badge badge-${source}` }, sourceLabel(source)),
      h('span', { class: 'type' }, eventTypeLabel(s.eventType)),
      s.coveredEvents > 1 ? h('span', { class: 'muted' }, `· ${s.coveredEvents} events`) : null,
      h('span', { class: 'spacer' }),
      timeEl(s.createdAt),
    ),
    h('h3', { id: titleId, class: 'card-title' }, s.title),
    body,
    actions,
  );
  // Long bodies are clamped with a toggle, so a feed of documentation stays scannable.
  if (s.body.length > 600) {
    body.classList.add('clamped');
    body.id = `s-${s.id}-body`;
    const toggle = h(
      'button',
      {
        type: 'button',
        class: 'btn btn-link',
        'aria-expanded': 'false',
        'aria-controls': body.id,
        'data-focus-key': 'more',
      },
      'Show more',
    );
    toggle.addEventListener('click', () => {
      const open = body.classList.toggle('clamped') === false;
      toggle.setAttribute('aria-expanded', String(open));
      toggle.textContent = open ? 'Show less' : 'Show more';
    });
    body.after(toggle);
  }
  return card;
}

/** Opens the event inspector; a suggestion regenerated there is updated in the feed. */
function inspectButton(eventId, label) {
  return h(
    'button',
    {
      type: 'button',
      class: 'btn btn-quiet',
      'data-focus-key': 'inspect',
      'data-action': 'inspect',
      title: label,
      onclick: () =>
        openInspector(eventId, {
          onSuggestionChanged: (updated) => {
            upsertSuggestion(updated);
            renderSuggestions();
          },
        }),
    },
    'Details',
  );
}

async function act(s, action) {
  const card = document.getElementById(`s-${s.id}`);
  for (const b of card ? $$('button[data-action]', card) : []) b.disabled = true;
  try {
    const updated = await api('POST', `/api/suggestions/${encodeURIComponent(s.id)}/${action}`);
    upsertSuggestion(updated);
    announce(`${action === 'accept' ? 'Accepted' : 'Dismissed'}: ${updated.title}`);
    // Keep the acted-on card visible in the "new" filter until the next render moves focus sensibly.
    const next = card?.nextElementSibling ?? card?.previousElementSibling;
    renderSuggestions();
    if (state.filter === 'new' && !document.getElementById(`s-${s.id}`)) {
      const target =
        next && document.contains(next) ? next.querySelector('button[data-action="accept"]') : $('#suggestions-title');
      if (target) {
        if (!target.hasAttribute('tabindex') && target.tagName === 'H2') target.setAttribute('tabindex', '-1');
        target.focus();
      }
    }
  } catch (err) {
    for (const b of card ? $$('button[data-action]', card) : []) b.disabled = false;
    toast('Could not update the suggestion', err.message, { kind: 'error' });
  }
}

function accepted(updated) {
  const { actions: _outcomes, ...suggestion } = updated;
  upsertSuggestion(suggestion);
  renderSuggestions();
}

async function copy(s, button) {
  try {
    if (navigator.clipboard?.writeText) await navigator.clipboard.writeText(s.body);
    else fallbackCopy(s.body);
  } catch {
    try {
      fallbackCopy(s.body);
    } catch {
      toast('Copy failed', 'Your browser refused clipboard access.', { kind: 'error' });
      return;
    }
  }
  const label = button.textContent;
  button.textContent = 'Copied';
  button.classList.add('copied');
  announce('Copied to the clipboard');
  setTimeout(() => {
    button.textContent = label;
    button.classList.remove('copied');
  }, 1800);
}

function fallbackCopy(text) {
  const area = h('textarea', { class: 'offscreen', readonly: true, 'aria-hidden': 'true' });
  area.value = text;
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy refused');
}

// ---- events ------------------------------------------------------------------------------------

function renderEvents() {
  const list = $('#event-list');
  const items = [...state.events.values()].sort(eventNewest).slice(0, MAX_EVENTS_SHOWN);
  reconcile(list, items, (e) => `e-${e.id}`, eventItem);
  list.setAttribute('aria-busy', 'false');
  $('#events-empty').hidden = items.length > 0;
  $('#events-more').hidden = !state.eventsCursor;
}

const EVENT_STATUS = { pending: 'Queued', processing: 'Working', processed: 'Done', dead: 'Failed' };

function eventItem(e) {
  const summary = eventSummary(e);
  const suggestion = e.suggestion_id && state.suggestions.get(e.suggestion_id);
  return h(
    'li',
    { class: `event${e.fresh ? ' fresh' : ''}`, id: `e-${e.id}`, 'data-type': e.event_type },
    h('span', { class: `badge badge-${e.source}` }, sourceLabel(e.source)),
    h(
      'div',
      { class: 'event-main' },
      h(
        'p',
        { class: 'event-title' },
        h('strong', {}, eventTypeLabel(e.event_type)),
        summary ? h('span', { class: 'event-summary' }, ` · ${summary}`) : null,
      ),
      h(
        'p',
        { class: 'event-meta' },
        timeEl(e.received_at),
        ' · ',
        h('span', { class: `state state-${e.status}` }, EVENT_STATUS[e.status] ?? e.status),
        e.suggestion_generated && e.suggestion_id
          ? [
              ' · ',
              suggestion
                ? h(
                    'a',
                    { href: `#s-${e.suggestion_id}`, onclick: (ev) => focusSuggestion(ev, e.suggestion_id) },
                    'Suggestion',
                  )
                : h('span', {}, 'Suggestion written'),
            ]
          : e.outcome
            ? [' · ', h('span', { class: 'muted' }, e.outcome.replace(/_/g, ' '))]
            : null,
        e.last_error && e.status !== 'processed' ? [' · ', h('span', { class: 'error-text' }, e.last_error)] : null,
      ),
    ),
    inspectButton(e.id, `Details of this ${eventTypeLabel(e.event_type)} event`),
  );
}

function focusSuggestion(ev, id) {
  ev.preventDefault();
  let card = document.getElementById(`s-${id}`);
  if (!card) {
    $('[data-filter="all"]').click();
    card = document.getElementById(`s-${id}`);
  }
  if (!card) return;
  card.setAttribute('tabindex', '-1');
  card.scrollIntoView({
    block: 'center',
    behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth',
  });
  card.focus({ preventScroll: true });
}

/** Event types seen so far (the preferences form offers them as suggestions). */
export function knownEventTypes() {
  return [...new Set([...state.events.values()].map((e) => e.event_type))].sort();
}
