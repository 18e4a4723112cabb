// Preferences view: one form over GET/PUT /api/preferences. Secrets (Slack URL, signing secret)
// come back masked, so an empty secret field means "keep the stored one".

import { api } from './api.js';
import { $, h, joinList, splitList } from './dom.js';
import { knownEventTypes } from './feed.js';
import { announce } from './toast.js';

let current;

export function initPreferences() {
  const form = $('#preferences-form');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    await save(form);
  });
  for (const [toggle, fields] of [
    ['#p-slack-on', ['#p-slack']],
    ['#p-email-on', ['#p-email']],
    ['#p-webhook-on', ['#p-webhook', '#p-webhook-secret']],
    ['#p-quiet-on', ['#p-quiet-start', '#p-quiet-end', '#p-quiet-tz']],
  ]) {
    $(toggle).addEventListener('change', () => syncDisabled(toggle, fields));
  }
}

function syncDisabled(toggle, fields) {
  const on = $(toggle).checked;
  for (const f of fields) $(f).disabled = !on;
}

function syncAll() {
  syncDisabled('#p-slack-on', ['#p-slack']);
  syncDisabled('#p-email-on', ['#p-email']);
  syncDisabled('#p-webhook-on', ['#p-webhook', '#p-webhook-secret']);
  syncDisabled('#p-quiet-on', ['#p-quiet-start', '#p-quiet-end', '#p-quiet-tz']);
}

export async function loadPreferences() {
  current = await api('GET', '/api/preferences');
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
  set('#p-slack-on', Boolean(ch.slack));
  set('#p-slack', '');
  $('#p-slack').placeholder = ch.slack?.webhookUrl ?? 'https://hooks.slack.com/services/…';
  $('#p-slack-hint').textContent = ch.slack?.webhookUrl
    ? `Connected (${ch.slack.webhookUrl}). Leave empty to keep it.`
    : '';
  set('#p-email-on', Boolean(ch.email));
  set('#p-email', ch.email?.to);
  set('#p-webhook-on', Boolean(ch.webhook));
  set('#p-webhook', ch.webhook?.url);
  set('#p-webhook-secret', '');
  $('#p-webhook-hint').textContent = ch.webhook?.secretConfigured ? 'A signing secret is configured.' : '';
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

const text = (id) => $(id).value.trim() || undefined;
const int = (id) => ($(id).value.trim() === '' ? undefined : Number($(id).value));
const compact = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** The PUT body; client-side checks catch the obvious before the server's schema does. */
function collect() {
  const problems = [];
  const channels = { sse: $('#p-sse').checked };
  if (!$('#p-slack-on').checked) channels.slack = null;
  else if (text('#p-slack')) channels.slack = { webhookUrl: text('#p-slack') };
  else if (!current?.channels?.slack) problems.push(['#p-slack', 'Enter the Slack incoming webhook URL.']);
  if (!$('#p-email-on').checked) channels.email = null;
  else if (text('#p-email')) channels.email = { to: text('#p-email') };
  else problems.push(['#p-email', 'Enter an email address.']);
  if (!$('#p-webhook-on').checked) channels.webhook = null;
  else if (text('#p-webhook'))
    channels.webhook = compact({ url: text('#p-webhook'), secret: text('#p-webhook-secret') });
  else problems.push(['#p-webhook', 'Enter the webhook URL.']);

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
    channels,
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
