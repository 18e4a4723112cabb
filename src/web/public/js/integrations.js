// Integrations view: what is connected, whether it is healthy, and a form to connect or remove one.

import { api } from './api.js';
import { $, $$, h, timeEl } from './dom.js';
import { sourceLabel } from './labels.js';
import { announce, toast } from './toast.js';

export function initIntegrations() {
  const form = $('#integration-form');
  const kind = $('#int-kind');
  const showKind = () => {
    for (const fs of $$('.kind-fields', form)) {
      fs.hidden = fs.dataset.kind !== kind.value;
      fs.disabled = fs.hidden;
    }
  };
  kind.addEventListener('change', showKind);
  showKind();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const error = $('#integration-error');
    error.textContent = '';
    const body = { kind: kind.value };
    for (const input of $$(`.kind-fields[data-kind="${kind.value}"] input`, form)) {
      const v = input.value.trim();
      if (v) body[input.name] = v;
    }
    if (body.kind === 'shopify' && !body.shopDomain)
      return fieldError('#int-shop', 'Enter the store’s myshopify.com domain.');
    if (body.kind === 'calendar' && !body.icsUrl) return fieldError('#int-ics', 'Enter the address of the ICS feed.');
    const submit = form.querySelector('button[type="submit"]');
    submit.disabled = true;
    try {
      const created = await api('POST', '/api/integrations', { body });
      form.reset();
      showKind();
      showSecret(created);
      announce(`Connected ${describe(created)}`);
      await loadIntegrations();
    } catch (err) {
      error.textContent = err.message;
    } finally {
      submit.disabled = false;
    }
  });
}

function fieldError(selector, message) {
  const input = $(selector);
  $('#integration-error').textContent = message;
  input.setAttribute('aria-invalid', 'true');
  input.addEventListener('input', () => input.removeAttribute('aria-invalid'), { once: true });
  input.focus();
}

/** A Supabase integration's webhook secret is shown once: say where it goes. */
function showSecret(created) {
  const box = $('#integration-secret');
  if (!created.webhookSecret) {
    box.hidden = true;
    return;
  }
  const url = `${location.origin}/webhooks/supabase`;
  box.replaceChildren(
    h('p', {}, h('strong', {}, 'Save this webhook secret now: it is shown only once.')),
    h(
      'p',
      {},
      'In Supabase, create a Database Webhook to ',
      h('code', {}, url),
      ' with the header ',
      h('code', {}, 'Authorization: Bearer <secret>'),
      '.',
    ),
    h(
      'div',
      { class: 'secret-row' },
      h('code', { class: 'secret' }, created.webhookSecret),
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          onclick: async () => {
            try {
              await navigator.clipboard.writeText(created.webhookSecret);
              announce('Secret copied');
            } catch {
              toast('Copy failed', 'Select the secret and copy it by hand.', { kind: 'error' });
            }
          },
        },
        'Copy secret',
      ),
    ),
  );
  box.hidden = false;
  box.setAttribute('tabindex', '-1');
  box.focus();
}

export async function loadIntegrations() {
  const { items } = await api('GET', '/api/integrations');
  const list = $('#integration-list');
  list.replaceChildren(...items.map(card));
  $('#integrations-empty').hidden = items.length > 0;
}

function describe(i) {
  if (i.kind === 'shopify') return i.shopDomain;
  if (i.kind === 'supabase') return i.projectUrl ? new URL(i.projectUrl).host : 'Supabase project';
  if (i.kind === 'calendar') {
    try {
      return new URL(i.icsUrl).host;
    } catch {
      return 'Calendar feed';
    }
  }
  if (i.kind === 'signed') return i.name ?? 'Signed webhook';
  return i.kind;
}

function health(i) {
  const hl = i.health ?? {};
  if (i.status === 'disabled') return { cls: 'off', text: 'Disabled' };
  // A shop claim nobody has proven receives nothing: that matters more than poll health.
  if (i.ownership?.status === 'pending') return { cls: 'wait', text: 'Ownership not proven' };
  if (hl.pollFailures > 0)
    return { cls: 'bad', text: hl.pollFailures > 1 ? `Failing (${hl.pollFailures} in a row)` : 'Last poll failed' };
  if (!hl.lastPollAt && !hl.lastWebhookAt) return { cls: 'wait', text: 'Waiting for first data' };
  // A note without failures is why the loop does not poll (no credentials): webhooks still work.
  if (hl.pollNote)
    return { cls: hl.lastWebhookAt ? 'ok' : 'wait', text: hl.lastWebhookAt ? 'Receiving webhooks' : 'Webhooks only' };
  return { cls: 'ok', text: 'Healthy' };
}

function card(i) {
  const hl = i.health ?? {};
  const state = health(i);
  const titleId = `int-${i.id}-title`;
  const remove = h('button', { type: 'button', class: 'btn btn-danger', 'aria-describedby': titleId }, 'Remove');
  let armed;
  remove.addEventListener('click', async () => {
    if (!armed) {
      remove.textContent = 'Confirm remove';
      armed = setTimeout(() => {
        armed = undefined;
        remove.textContent = 'Remove';
      }, 5000);
      return;
    }
    clearTimeout(armed);
    remove.disabled = true;
    try {
      await api('DELETE', `/api/integrations/${encodeURIComponent(i.id)}`);
      announce(`Removed ${describe(i)}`);
      await loadIntegrations();
      $('#integrations-title').focus();
    } catch (err) {
      remove.disabled = false;
      toast('Could not remove the integration', err.message, { kind: 'error' });
    }
  });
  const webhookPath =
    i.kind === 'shopify' ? '/webhooks/shopify' : i.kind === 'supabase' ? `/webhooks/supabase` : (i.webhookPath ?? null);
  return h(
    'article',
    { class: 'card integration', id: `int-${i.id}`, 'aria-labelledby': titleId },
    h(
      'div',
      { class: 'card-meta' },
      h('span', { class: `badge badge-${i.kind}` }, sourceLabel(i.kind)),
      h(
        'span',
        { class: `health health-${state.cls}` },
        h('span', { class: 'dot', 'aria-hidden': 'true' }),
        state.text,
      ),
    ),
    h('h2', { class: 'card-title', id: titleId }, describe(i)),
    h(
      'dl',
      { class: 'facts' },
      fact('Last poll', timeEl(hl.lastPollAt)),
      fact('Next poll', i.status === 'active' ? timeEl(hl.nextPollAt) : 'paused'),
      webhookPath ? fact('Last webhook', timeEl(hl.lastWebhookAt)) : null,
      i.ownership ? fact('Ownership', ownershipText(i.ownership)) : null,
      hl.problems?.length ? fact('Problems', h('span', { class: 'error-text' }, hl.problems.join('; '))) : null,
      hl.pollFailures > 0
        ? fact('Last error', h('span', { class: 'error-text' }, hl.lastPollError ?? `${hl.pollFailures} failed polls`))
        : fact('Polling', hl.pollNote ? h('span', { class: 'muted' }, hl.pollNote) : 'ok, no errors'),
      webhookPath ? fact('Webhook URL', h('code', {}, `${location.origin}${webhookPath}`)) : null,
      i.kind === 'supabase' ? fact('Schema monitoring', i.monitorsSchema ? 'on' : 'off (no database URL)') : null,
    ),
    h('div', { class: 'actions' }, remove),
  );
}

const fact = (label, value) => [h('dt', {}, label), h('dd', {}, value)];

const PROOFS = {
  oauth: 'proven: app installed',
  access_token: 'proven by its access token',
  operator: 'proven: attached by the operator',
  quick_setup: "proven: the operator's store",
};

function ownershipText(o) {
  if (o.status === 'proven') return PROOFS[o.method] ?? 'proven';
  return h(
    'span',
    {},
    h('span', { class: 'error-text' }, `Pending: ${o.reason}. `),
    h('span', { class: 'muted' }, `To receive its webhooks, ${o.nextStep}.`),
  );
}
