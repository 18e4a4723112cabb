// The event inspector: one event with everything that happened to it (payload, processing,
// errors, the suggestion it produced or joined, agent runs, notifications), in a modal dialog.
// "Regenerate" writes the suggestion again with the current preferences.

import { api } from './api.js';
import { $, h, timeEl } from './dom.js';
import { eventTypeLabel, sourceLabel } from './labels.js';
import { renderMarkdown } from './markdown.js';
import { announce, toast } from './toast.js';

const EVENT_STATUS = {
  pending: 'Queued',
  processing: 'Working',
  processed: 'Done',
  dead: 'Failed (gave up)',
};
const DELIVERY_STATUS = { pending: 'Waiting', delivered: 'Delivered', failed: 'Failed, will retry', dead: 'Gave up' };

let current = { eventId: null, onSuggestionChanged: () => {} };

export function initInspector() {
  const dialog = $('#inspector');
  $('#inspector-close').addEventListener('click', () => dialog.close());
  // A click on the backdrop (outside the panel) closes it too.
  dialog.addEventListener('click', (ev) => {
    if (ev.target === dialog) dialog.close();
  });
}

/** Opens the inspector on an event; `onSuggestionChanged(s)` hears of a regenerated suggestion. */
export async function openInspector(eventId, { onSuggestionChanged = () => {} } = {}) {
  current = { eventId, onSuggestionChanged };
  const dialog = $('#inspector');
  const body = $('#inspector-body');
  body.setAttribute('aria-busy', 'true');
  body.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  $('#inspector-title').textContent = 'Event';
  if (!dialog.open) dialog.showModal();
  await load();
}

async function load() {
  const body = $('#inspector-body');
  try {
    const data = await api('GET', `/api/events/${encodeURIComponent(current.eventId)}/inspect`);
    render(data);
  } catch (err) {
    body.replaceChildren(h('p', { class: 'error', role: 'alert' }, err.message));
  } finally {
    body.setAttribute('aria-busy', 'false');
  }
}

const fact = (label, ...value) => [h('dt', {}, label), h('dd', {}, ...value)];

function render(data) {
  const { event, suggestion } = data;
  $('#inspector-title').textContent = eventTypeLabel(event.eventType);
  const sections = [
    h(
      'section',
      { class: 'inspector-section', 'aria-labelledby': 'insp-processing' },
      h('h3', { id: 'insp-processing' }, 'Processing'),
      h(
        'dl',
        { class: 'facts', id: 'insp-facts' },
        fact('Source', h('span', { class: `badge badge-${event.source}` }, sourceLabel(event.source))),
        fact(
          'Status',
          h(
            'span',
            { class: `state state-${event.status}`, 'data-status': event.status },
            EVENT_STATUS[event.status] ?? event.status,
          ),
          event.leased ? ' (a worker holds it now)' : '',
        ),
        fact('Outcome', event.outcome ? event.outcome.replace(/_/g, ' ') : '—'),
        fact('Attempts', String(event.attempts)),
        fact('Received', timeEl(event.receivedAt)),
        fact('Processed', event.processedAt ? timeEl(event.processedAt) : '—'),
        event.lastError ? fact('Last error', h('span', { class: 'error-text' }, event.lastError)) : null,
        event.payloadIssues?.length ? fact('Payload stored flagged', event.payloadIssues.join(', ')) : null,
        fact('Event id', h('code', {}, event.id)),
      ),
    ),
    suggestionSection(suggestion, data.agentRuns),
    deliveriesSection(suggestion, data.deliveries),
    h(
      'section',
      { class: 'inspector-section', 'aria-labelledby': 'insp-payload' },
      h('h3', { id: 'insp-payload' }, 'Payload'),
      // As stored, as text: JSON.parse would round ids above 2^53.
      h('pre', { class: 'payload', id: 'insp-payload-text', tabindex: '0' }, data.payloadText),
    ),
  ];
  $('#inspector-body').replaceChildren(...sections.filter(Boolean));
}

function suggestionSection(s, runs) {
  const section = h(
    'section',
    { class: 'inspector-section', 'aria-labelledby': 'insp-suggestion' },
    h('h3', { id: 'insp-suggestion' }, 'Suggestion'),
  );
  if (!s) {
    section.append(h('p', { class: 'muted', id: 'insp-no-suggestion' }, 'This event did not produce a suggestion.'));
    return section;
  }
  const body = h('div', { class: 'md' });
  body.append(renderMarkdown(s.body));
  section.append(
    h(
      'p',
      { class: 'muted', id: 'insp-relation' },
      s.relation === 'produced'
        ? `Written for this event${s.coveredEvents > 1 ? `, covering ${s.coveredEvents} events` : ''}.`
        : `This event joined a suggestion written for another event (${s.coveredEvents} events in all).`,
    ),
    h(
      'div',
      { class: 'card-meta' },
      h('span', { class: `chip chip-${s.status}`, id: 'insp-suggestion-status' }, s.status),
      h('span', { class: 'spacer' }),
      timeEl(s.createdAt),
    ),
    h('h4', { class: 'card-title', id: 'insp-suggestion-title' }, s.title),
    body,
  );
  if (s.status !== 'accepted') {
    const button = h(
      'button',
      { type: 'button', class: 'btn btn-primary', id: 'insp-regenerate' },
      'Regenerate with my current preferences',
    );
    button.addEventListener('click', () => regenerate(s, button));
    section.append(h('div', { class: 'actions' }, button));
  } else {
    section.append(h('p', { class: 'hint' }, 'Accepted suggestions keep the text you accepted.'));
  }
  if (runs.length) {
    section.append(
      h('h4', {}, 'Agent runs'),
      h(
        'ol',
        { class: 'runs', id: 'insp-runs' },
        runs.map((r) =>
          h(
            'li',
            { 'data-current': String(r.current) },
            timeEl(r.createdAt),
            ` · ${r.generator}${r.model ? ` (${r.model})` : ''} · ${r.status} · ${r.latencyMs} ms`,
            r.current ? h('span', { class: 'chip chip-accepted' }, 'current') : null,
            r.error ? h('span', { class: 'error-text' }, ` · ${r.error}`) : null,
          ),
        ),
      ),
    );
  }
  return section;
}

function deliveriesSection(s, deliveries) {
  if (!s) return null;
  const section = h(
    'section',
    { class: 'inspector-section', 'aria-labelledby': 'insp-deliveries' },
    h('h3', { id: 'insp-deliveries' }, 'Notifications'),
  );
  if (!deliveries.length) {
    section.append(h('p', { class: 'muted' }, 'No notification channel was set up when it was written.'));
    return section;
  }
  // Its own horizontal scroll on a narrow screen, so the dialog never scrolls sideways.
  section.append(
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'table', id: 'insp-delivery-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Channel', 'Outcome', 'Attempts', 'When', 'Last error'].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h(
          'tbody',
          {},
          deliveries.map((d) =>
            h(
              'tr',
              { 'data-channel': d.channel, 'data-status': d.status },
              h('td', {}, d.channel),
              h('td', {}, DELIVERY_STATUS[d.status] ?? d.status),
              h('td', { class: 'num' }, String(d.attempts)),
              h('td', {}, timeEl(d.deliveredAt ?? d.updatedAt)),
              h('td', {}, d.lastError ? h('span', { class: 'error-text' }, d.lastError) : '—'),
            ),
          ),
        ),
      ),
    ),
  );
  return section;
}

async function regenerate(s, button) {
  button.disabled = true;
  button.textContent = 'Regenerating…';
  try {
    // basedOn: a retried click after a success changes nothing.
    const r = await api('POST', `/api/suggestions/${encodeURIComponent(s.id)}/regenerate`, {
      body: { basedOn: s.agentRunId },
    });
    current.onSuggestionChanged(r.suggestion);
    announce(r.regenerated ? `Regenerated: ${r.suggestion.title}` : 'Already regenerated');
    await load();
    $('#insp-suggestion-title')?.setAttribute('tabindex', '-1');
    $('#insp-suggestion-title')?.focus();
  } catch (err) {
    button.disabled = false;
    button.textContent = 'Regenerate with my current preferences';
    toast('Could not regenerate', err.message, { kind: 'error' });
  }
}
