// Integrations view: what is connected, whether it is healthy, and a form to connect or remove one.

import { api } from './api.js';
import { $, $$, h, timeEl } from './dom.js';
import { sourceLabel } from './labels.js';
import { announce, toast } from './toast.js';

/** Connect Shopify: the server makes the install link, the browser follows it to Shopify and back. */
function initShopifyInstall() {
  const form = $('#shopify-install-form');
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const error = $('#shopify-install-error');
    error.textContent = '';
    const input = $('#install-shop');
    const shopDomain = input.value.trim();
    if (!shopDomain) {
      error.textContent = 'Enter the store’s myshopify.com domain.';
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    const submit = form.querySelector('button[type="submit"]');
    submit.disabled = true;
    try {
      const { authorizeUrl } = await api('POST', '/api/integrations/shopify/install', { body: { shopDomain } });
      announce('Opening Shopify to approve the app');
      window.location.assign(authorizeUrl);
    } catch (err) {
      error.textContent = err.message;
      submit.disabled = false;
    }
  });
}

export function initIntegrations() {
  initShopifyInstall();
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
      i.scopes?.featuresOff?.length ? fact('Permissions', reducedScope(i.scopes)) : null,
      i.webhookSubscriptions?.lastSyncAt || i.webhookSubscriptions?.error
        ? fact('Subscriptions', subscriptionList(i.webhookSubscriptions))
        : null,
    ),
    i.kind === 'supabase' && i.monitorsSchema ? webhooksPanel(i) : null,
    h('div', { class: 'actions' }, i.kind === 'shopify' && i.hasCredentials ? repairButton(i, titleId) : null, remove),
  );
}

/**
 * Supabase: pick tables and let Lookout install Database Webhooks on them; when it cannot (no
 * webhooks enabled in the project, or no right to add triggers), the SQL to run instead.
 */
function webhooksPanel(i) {
  const base = `/api/integrations/${encodeURIComponent(i.id)}/supabase`;
  const panel = h('section', { class: 'webhooks', 'aria-label': `Row webhooks of ${describe(i)}` });
  const status = h('p', { class: 'muted', role: 'status' });
  const open = h('button', { type: 'button', class: 'btn' }, 'Install webhooks');
  const installedTables = i.webhooks?.tables ?? [];
  if (installedTables.length) status.textContent = `Webhooks on ${installedTables.join(', ')}.`;
  open.addEventListener('click', async () => {
    open.disabled = true;
    status.textContent = 'Reading the tables…';
    try {
      const { tables } = await api('GET', `${base}/tables`);
      showPicker(tables);
    } catch (err) {
      status.textContent = '';
      toast('Could not read the tables', err.message, { kind: 'error' });
      open.disabled = false;
    }
  });
  panel.append(open, status);

  function showPicker(tables) {
    status.textContent = tables.length ? '' : 'No tables in this project yet.';
    if (!tables.length) return;
    const boxes = tables.map((t) =>
      h(
        'label',
        { class: 'check' },
        h('input', { type: 'checkbox', name: 'table', value: t, checked: installedTables.includes(t) }),
        ` ${t}`,
      ),
    );
    const install = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Install');
    const error = h('p', { class: 'error-text', role: 'alert' });
    const form = h(
      'form',
      { class: 'webhook-picker' },
      h('fieldset', {}, h('legend', {}, 'Tables whose row changes Lookout receives'), ...boxes),
      error,
      install,
    );
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      error.textContent = '';
      const chosen = $$('input[name="table"]:checked', form).map((b) => b.value);
      if (!chosen.length) {
        error.textContent = 'Choose at least one table.';
        return;
      }
      install.disabled = true;
      try {
        const result = await api('POST', `${base}/webhooks`, { body: { tables: chosen } });
        form.replaceWith(h('p', { role: 'status' }, `Installed on ${result.tables.join(', ')} (${result.via}).`));
        announce('Webhooks installed');
      } catch (err) {
        install.disabled = false;
        if (err.status === 422 && err.data?.sql) form.replaceWith(sqlBox(err.data.reason, err.data.sql));
        else error.textContent = err.message;
      }
    });
    panel.replaceChildren(form, status);
    form.querySelector('input')?.focus();
  }
  return panel;
}

function sqlBox(reason, sql) {
  const copy = h('button', { type: 'button', class: 'btn' }, 'Copy SQL');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(sql);
      announce('SQL copied');
    } catch {
      toast('Copy failed', 'Select the SQL and copy it by hand.', { kind: 'error' });
    }
  });
  return h(
    'div',
    { class: 'sql-needed', role: 'alert' },
    h('p', {}, `Lookout could not install the webhooks itself: ${reason}.`),
    h('pre', { class: 'sql', tabindex: '0' }, h('code', {}, sql)),
    copy,
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

const TOPIC_STATUS = {
  kept: 'subscribed',
  created: 'subscribed (new)',
  updated: 'subscribed (address repaired)',
  skipped: 'off',
  failed: 'failed',
  unknown: 'not checked yet',
};

/** Features the shop did not grant, and why they are off. */
function reducedScope(scopes) {
  return h(
    'ul',
    { class: 'reduced-scope' },
    ...scopes.featuresOff.map((f) => h('li', { class: 'error-text' }, `Off: ${f.feature} (${f.reason}).`)),
    h('li', { class: 'muted' }, 'Install the app again and approve every permission to turn them on.'),
  );
}

function subscriptionList(w) {
  return h(
    'div',
    {},
    w.error ? h('p', { class: 'error-text' }, `Last sync failed: ${w.error}`) : null,
    h(
      'ul',
      { class: 'topics' },
      ...w.topics.map((t) =>
        h(
          'li',
          { class: `topic topic-${t.status}`, 'data-topic': t.topic },
          h('code', {}, t.topic),
          ` ${TOPIC_STATUS[t.status] ?? t.status}`,
          t.error || t.reason ? h('span', { class: 'muted' }, `: ${t.error ?? t.reason}`) : null,
        ),
      ),
    ),
    w.lastSyncAt ? h('p', { class: 'muted' }, 'Checked ', timeEl(w.lastSyncAt)) : null,
  );
}

/** Repair: create what is missing and point drifted subscriptions back at Lookout. */
function repairButton(i, titleId) {
  const button = h('button', { type: 'button', class: 'btn', 'aria-describedby': titleId }, 'Repair subscriptions');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const r = await api('POST', `/api/integrations/${encodeURIComponent(i.id)}/webhooks/sync`);
      const changed = r.created.length + r.updated.length + r.removed.length;
      announce(
        r.failed.length
          ? `Subscriptions: ${r.failed.length} could not be made`
          : changed
            ? `Subscriptions repaired (${changed} changed)`
            : 'Subscriptions already in order',
      );
      await loadIntegrations();
    } catch (err) {
      button.disabled = false;
      toast('Could not sync the subscriptions', err.message, { kind: 'error' });
    }
  });
  return button;
}
