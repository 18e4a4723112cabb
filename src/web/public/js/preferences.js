// Preferences view: one form over GET/PUT /api/preferences. The channel blocks are rendered from
// GET /api/meta/channels (the server's channel registry), so a new channel needs no change here.
// Secrets come back masked or as a flag, so an empty secret field means "keep the stored one".

import { api } from './api.js';
import { $, $$, h, joinList, splitList } from './dom.js';
import { knownEventTypes } from './feed.js';
import { announce } from './toast.js';

let current;
/** GET /api/meta/channels: [{kind, label, available, unavailableReason, fields: [...], options}]. */
let channels = [];
let channelsLoaded;

/**
 * Fields the page obtains itself rather than letting the user type them (input "browser", e.g. a
 * push subscription), by the field's `client` name: {render({id, field, channel}) → Node,
 * fill(id, shown, field) with the channel as GET shows it (undefined: off), read(id) → the value
 * to save, or undefined to keep the stored one}. A channel's module registers its own.
 */
const clientFields = new Map();
export function registerClientField(name, impl) {
  clientFields.set(name, impl);
}

const QUIET_FIELDS = ['#p-quiet-start', '#p-quiet-end', '#p-quiet-tz'];
const toggleId = (kind) => `p-ch-${kind}-on`;
const fieldId = (kind, name) => `p-ch-${kind}-${name}`;

export function initPreferences() {
  const form = $('#preferences-form');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    await save(form);
  });
  $('#p-quiet-on').addEventListener('change', syncQuiet);
}

function syncQuiet() {
  const on = $('#p-quiet-on').checked;
  for (const f of QUIET_FIELDS) $(f).disabled = !on;
}

function syncChannel(c) {
  const on = $(`#${toggleId(c.kind)}`).checked;
  for (const el of $$(`[data-kind="${c.kind}"] .field :is(input, select, button)`)) el.disabled = !on;
}

function syncAll() {
  for (const c of channels) syncChannel(c);
  syncQuiet();
}

function renderField(c, f) {
  const id = fieldId(c.kind, f.name);
  const hintId = `${id}-hint`;
  const label = h('label', { for: id }, f.label, f.note ? [' ', h('span', { class: 'muted' }, `(${f.note})`)] : null);
  let control;
  if (f.input === 'browser') {
    const client = clientFields.get(f.client);
    control = client
      ? client.render({ id, field: f, channel: c })
      : h('p', { class: 'hint', id }, 'This dashboard cannot set this up in this browser.');
  } else {
    control = h('input', {
      id,
      name: `${c.kind}.${f.name}`,
      type: f.input === 'email' || f.input === 'url' || f.input === 'password' ? f.input : 'text',
      placeholder: f.placeholder,
      autocomplete: f.input === 'email' ? 'email' : 'off',
      'aria-describedby': hintId,
    });
  }
  return h('div', { class: 'field' }, label, control, h('p', { class: 'hint', id: hintId }));
}

function renderChannel(c) {
  const toggle = toggleId(c.kind);
  return h(
    'div',
    { class: 'channel', dataset: { kind: c.kind } },
    h(
      'div',
      { class: 'check' },
      h('input', {
        type: 'checkbox',
        id: toggle,
        name: `${c.kind}On`,
        'aria-controls': c.fields.map((f) => fieldId(c.kind, f.name)).join(' '),
        onchange: () => syncChannel(c),
      }),
      h('label', { for: toggle }, c.label),
    ),
    c.available ? null : h('p', { class: 'hint' }, `Not sent from this server yet: ${c.unavailableReason}.`),
    c.fields.map((f) => renderField(c, f)),
  );
}

/** The channel blocks, once: the registry does not change while the server runs. */
async function loadChannels() {
  channelsLoaded ??= api('GET', '/api/meta/channels').then((meta) => {
    channels = meta.channels;
    $('#p-channels').replaceChildren(...channels.map(renderChannel));
  });
  try {
    await channelsLoaded;
  } catch (err) {
    channelsLoaded = undefined;
    throw err;
  }
}

export async function loadPreferences() {
  const [prefs] = await Promise.all([api('GET', '/api/preferences'), loadChannels()]);
  current = prefs;
  fill(current);
  $('#event-types').replaceChildren(...knownEventTypes().map((t) => h('option', { value: t })));
}

function set(id, value) {
  const el = $(id);
  if (el.type === 'checkbox') el.checked = Boolean(value);
  else el.value = value ?? '';
}

function fill(p) {
  set('#p-auto', p.autoSuggest);
  set('#p-act-copy', p.actions?.shopifyProductCopy);
  set('#p-act-discount', p.actions?.shopifyDiscount);
  set('#p-act-comments', p.actions?.supabaseComments);
  set('#p-minimp', p.filters?.minImportance);
  set('#p-lowstock', p.thresholds?.lowStock);
  set('#p-lead', p.thresholds?.reorderLeadDays);
  const flow = p.flow ?? {};
  set('#p-rate', flow.maxPerTypePerHour);
  set('#p-debounce', flow.debounceSeconds);
  set('#p-batch-window', flow.batchWindowSeconds);
  set('#p-batch-min', flow.batchMinEvents);
  set(
    '#p-per-type',
    Object.entries(flow.perType ?? {})
      .map(([type, n]) => `${type}=${n}`)
      .join(', '),
  );
  set('#p-include', joinList(p.filters?.includeEventTypes));
  set('#p-exclude', joinList(p.filters?.excludeEventTypes));
  set('#p-ptypes', joinList(p.filters?.productTypes));
  set('#p-vendors', joinList(p.filters?.vendors));
  set('#p-tags', joinList(p.filters?.tags));
  set('#p-schemas', joinList(p.filters?.schemas));
  set('#p-tables', joinList(p.filters?.tables));
  const ch = p.channels ?? {};
  set('#p-sse', ch.sse !== false);
  for (const c of channels) fillChannel(c, ch[c.kind]);
  const v = p.vibe ?? {};
  set('#p-tone', v.tone);
  set('#p-emoji', v.emoji);
  set('#p-length', v.length);
  set('#p-avoid', joinList(v.avoidWords));
  const pr = p.profile ?? {};
  set('#p-brand', pr.brand);
  set('#p-niche', pr.niche);
  set('#p-audience', pr.audience);
  set('#p-lang', pr.language);
  const q = p.quietHours;
  set('#p-quiet-on', Boolean(q));
  set('#p-quiet-start', q?.start ?? '22:00');
  set('#p-quiet-end', q?.end ?? '07:00');
  set('#p-quiet-tz', q?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  syncAll();
}

/** One channel's block from what GET shows of it (undefined: off). */
function fillChannel(c, shown) {
  set(`#${toggleId(c.kind)}`, Boolean(shown));
  for (const f of c.fields) {
    const id = fieldId(c.kind, f.name);
    const hint = $(`#${id}-hint`);
    hint.textContent = '';
    if (f.input === 'browser') {
      clientFields.get(f.client)?.fill?.(id, shown, f);
    } else if (!f.secret) {
      set(`#${id}`, shown?.[f.name]);
    } else if (f.shown === 'masked') {
      const masked = shown?.[f.name];
      set(`#${id}`, '');
      $(`#${id}`).placeholder = masked ?? f.placeholder ?? '';
      if (masked) hint.textContent = `Connected (${masked}). Leave empty to keep it.`;
    } else {
      set(`#${id}`, '');
      if (shown?.[f.flag]) hint.textContent = `A ${f.label.toLowerCase()} is configured.`;
    }
  }
}

/** A channel's settings for the PUT: null (off), undefined (keep what is stored) or its values. */
function collectChannel(c, problems) {
  if (!$(`#${toggleId(c.kind)}`).checked) return null;
  const stored = current?.channels?.[c.kind];
  const values = {};
  let keptSecret;
  let changed = false;
  for (const f of c.fields) {
    const id = fieldId(c.kind, f.name);
    const value = f.input === 'browser' ? clientFields.get(f.client)?.read(id) : text(`#${id}`);
    if (value !== undefined) {
      values[f.name] = value;
      if (!f.secret && value !== stored?.[f.name]) changed = true;
      if (f.secret) changed = true;
    } else if (f.secret && stored) {
      // Stored and not shown: an empty field keeps it.
      if (f.required) keptSecret = f;
    } else if (f.required) {
      problems.push([`#${id}`, `${c.label}: ${f.label} is required.`]);
    }
  }
  if (!keptSecret) return values;
  if (!changed) return undefined;
  problems.push([
    `#${fieldId(c.kind, keptSecret.name)}`,
    `${c.label}: enter the ${keptSecret.label} again to change this channel.`,
  ]);
  return undefined;
}

/** Secrets the server made for this save (a signing secret), shown this once. */
function revealGenerated(saved) {
  for (const c of channels) {
    for (const f of c.fields) {
      const value = f.revealAs ? saved[f.revealAs] : undefined;
      if (typeof value === 'string')
        $(`#${fieldId(c.kind, f.name)}-hint`).textContent = `New ${f.label.toLowerCase()}, shown only once: ${value}`;
    }
  }
}

const text = (id) => $(id).value.trim() || undefined;
const int = (id) => ($(id).value.trim() === '' ? undefined : Number($(id).value));
const compact = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** The PUT body; client-side checks catch the obvious before the server's schema does. */
function collect() {
  const problems = [];
  const settings = { sse: $('#p-sse').checked };
  for (const c of channels) {
    const value = collectChannel(c, problems);
    if (value !== undefined) settings[c.kind] = value;
  }

  const perType = {};
  for (const item of splitList($('#p-per-type').value) ?? []) {
    const m = /^([a-z0-9_.]+)\s*=\s*(\d+)$/.exec(item);
    if (m) perType[m[1]] = Number(m[2]);
    else problems.push(['#p-per-type', `"${item}" is not type=N (for example shopify.order.created=5).`]);
  }

  const body = {
    autoSuggest: $('#p-auto').checked,
    actions: {
      shopifyProductCopy: $('#p-act-copy').checked,
      shopifyDiscount: $('#p-act-discount').checked,
      supabaseComments: $('#p-act-comments').checked,
    },
    flow: compact({
      maxPerTypePerHour: int('#p-rate'),
      debounceSeconds: int('#p-debounce'),
      batchWindowSeconds: int('#p-batch-window'),
      batchMinEvents: int('#p-batch-min'),
      perType,
    }),
    filters: compact({
      includeEventTypes: splitList($('#p-include').value),
      excludeEventTypes: splitList($('#p-exclude').value),
      productTypes: splitList($('#p-ptypes').value),
      vendors: splitList($('#p-vendors').value),
      tags: splitList($('#p-tags').value),
      schemas: splitList($('#p-schemas').value),
      tables: splitList($('#p-tables').value),
      minImportance: int('#p-minimp'),
    }),
    thresholds: compact({ lowStock: int('#p-lowstock'), reorderLeadDays: int('#p-lead') }),
    channels: settings,
    vibe: compact({
      tone: text('#p-tone'),
      emoji: $('#p-emoji').value || undefined,
      length: $('#p-length').value || undefined,
      avoidWords: splitList($('#p-avoid').value),
    }),
    profile: compact({
      brand: text('#p-brand'),
      niche: text('#p-niche'),
      audience: text('#p-audience'),
      language: text('#p-lang'),
    }),
    quietHours: $('#p-quiet-on').checked
      ? { start: $('#p-quiet-start').value, end: $('#p-quiet-end').value, timezone: text('#p-quiet-tz') ?? 'UTC' }
      : null,
  };
  return { body, problems };
}

async function save(form) {
  const status = $('#preferences-status');
  const error = $('#preferences-error');
  status.textContent = '';
  error.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const { body, problems } = collect();
  if (problems.length) {
    for (const [id] of problems) $(id).setAttribute('aria-invalid', 'true');
    error.textContent = problems.map(([, m]) => m).join(' ');
    $(problems[0][0]).focus();
    return;
  }
  const submit = form.querySelector('button[type="submit"]');
  submit.disabled = true;
  try {
    current = await api('PUT', '/api/preferences', { body });
    fill(current);
    revealGenerated(current);
    status.textContent = `Saved at ${new Date().toLocaleTimeString()}.`;
    announce('Preferences saved');
  } catch (err) {
    error.textContent = humanize(err.message);
  } finally {
    submit.disabled = false;
  }
}

/** "body is invalid: channels.email.to: Invalid email address" → something a person reads. */
function humanize(message) {
  return String(message).replace(/^body is invalid: /, 'Please check: ');
}
