// Actions on accept: before a suggestion that can change the store or the database is accepted,
// a dialog shows each part (now -> after), lets the user choose, then shows what was applied or
// failed (with the store's or database's message) and offers Undo.

import { api } from './api.js';
import { h } from './dom.js';
import { announce, toast } from './toast.js';

const PART_LABEL = {
  description: 'Product description',
  seo: 'SEO title and description',
  tags: 'Tags',
  discount: 'Discount code',
  comments: 'COMMENT ON statements',
};
const PREFERENCE = {
  description: 'shopifyProductCopy',
  seo: 'shopifyProductCopy',
  tags: 'shopifyProductCopy',
  discount: 'shopifyDiscount',
  comments: 'supabaseComments',
};
const STATUS_TEXT = {
  applying: 'Applying…',
  applied: 'Applied',
  failed: 'Failed',
  undoing: 'Undoing…',
  undone: 'Undone',
  skipped: 'Not applied',
};

/** True when the suggestion carries parts Lookout can apply. */
export function hasActions(s) {
  const apply = s.content?.apply;
  return Boolean(apply && (apply.shopify || apply.statements?.length));
}

/** A part's value as text (HTML stays text: it is shown, never rendered). */
function valueText(part, v) {
  if (v === null || v === undefined) return '(none)';
  if (part === 'description') return v.descriptionHtml || '(empty)';
  if (part === 'seo') return [v.seo?.title || '(no title)', v.seo?.description || '(no description)'].join(' — ');
  if (part === 'tags') return (v.tags ?? []).join(', ') || '(no tags)';
  if (part === 'discount') return `${v.code}: ${Math.round(v.percentage * 100)}% off (${v.title})`;
  if (part === 'comments') {
    if (Array.isArray(v.statements)) return v.statements.join('\n');
    if (Array.isArray(v.comments)) return v.comments.map((c) => c ?? '(no comment)').join('\n');
  }
  return JSON.stringify(v);
}

let dialog;

function ensureDialog() {
  if (dialog && document.body.contains(dialog)) return dialog;
  dialog = h('dialog', { class: 'actions-dialog', id: 'actions-dialog', 'aria-labelledby': 'actions-dialog-title' });
  document.body.append(dialog);
  return dialog;
}

function show(children) {
  const d = ensureDialog();
  d.replaceChildren(...children);
  if (!d.open) d.showModal();
  return d;
}

const close = () => dialog?.open && dialog.close();

function outcomeList(outcomes) {
  return h(
    'ul',
    { class: 'action-results', 'aria-live': 'polite' },
    outcomes.map((o) =>
      h(
        'li',
        { 'data-part': o.part, 'data-status': o.status, class: `action-result status-${o.status}` },
        h('strong', {}, PART_LABEL[o.part] ?? o.part),
        ': ',
        STATUS_TEXT[o.status] ?? o.status,
        o.error ? h('span', { class: 'error-text' }, ` — ${o.error}`) : null,
      ),
    ),
  );
}

function showOutcomes(s, title, outcomes) {
  const undoable = outcomes.filter((o) => o.status === 'applied').map((o) => o.part);
  show([
    h('h2', { id: 'actions-dialog-title' }, title),
    outcomeList(outcomes),
    h(
      'div',
      { class: 'actions' },
      undoable.length > 0
        ? h('button', { type: 'button', class: 'btn', 'data-action': 'undo', onclick: () => undo(s, undoable) }, 'Undo')
        : null,
      h('button', { type: 'button', class: 'btn btn-primary', 'data-action': 'close', onclick: close }, 'Close'),
    ),
  ]);
}

async function undo(s, parts) {
  for (const b of dialog.querySelectorAll('button')) b.disabled = true;
  try {
    const res = await api('POST', `/api/suggestions/${encodeURIComponent(s.id)}/undo`, { body: { parts } });
    showOutcomes(s, 'Changes undone', res.items);
    announce('Changes undone');
  } catch (err) {
    for (const b of dialog.querySelectorAll('button')) b.disabled = false;
    toast('Could not undo', err.message, { kind: 'error' });
  }
}

function partRow(item) {
  const recorded = item.status !== undefined;
  const id = `action-part-${item.part}`;
  return h(
    'li',
    { class: 'action-part', 'data-part': item.part },
    h(
      'label',
      { for: id },
      h('input', {
        type: 'checkbox',
        id,
        name: 'part',
        value: item.part,
        checked: item.enabled && !recorded,
        disabled: !item.enabled || recorded,
      }),
      ' ',
      h('strong', {}, PART_LABEL[item.part] ?? item.part),
      h('span', { class: 'muted' }, ` · ${item.target}`),
      recorded ? h('span', { class: `chip chip-${item.status}` }, STATUS_TEXT[item.status] ?? item.status) : null,
    ),
    !item.enabled
      ? h('p', { class: 'muted' }, `Off: turn on actions.${PREFERENCE[item.part]} in preferences to apply this.`)
      : null,
    h(
      'div',
      { class: 'action-diff' },
      h('p', { class: 'muted' }, recorded ? 'Before' : 'Now'),
      h('pre', { class: 'old' }, item.oldError ? `(could not read: ${item.oldError})` : valueText(item.part, item.old)),
      h('p', { class: 'muted' }, 'After'),
      h('pre', { class: 'new' }, valueText(item.part, item.new)),
    ),
    item.error ? h('p', { class: 'error-text' }, item.error) : null,
  );
}

/**
 * Accept with a look first: `onAccepted(updated)` runs once the suggestion is accepted (with or
 * without applying), so the feed can update its card.
 */
export async function acceptWithActions(s, { onAccepted }) {
  let items;
  try {
    items = (await api('GET', `/api/suggestions/${encodeURIComponent(s.id)}/actions`)).items;
  } catch (err) {
    toast('Could not load the changes', err.message, { kind: 'error' });
    return;
  }
  const list = h('ul', { class: 'action-parts' }, items.map(partRow));
  const submit = async (apply) => {
    const parts = [...list.querySelectorAll('input[name="part"]:checked')].map((i) => i.value);
    for (const b of dialog.querySelectorAll('button')) b.disabled = true;
    try {
      const body = apply && parts.length > 0 ? { apply: true, parts } : undefined;
      const updated = await api('POST', `/api/suggestions/${encodeURIComponent(s.id)}/accept`, { body });
      onAccepted(updated);
      if (!body) {
        close();
        announce(`Accepted: ${updated.title}`);
        return;
      }
      const failed = updated.actions.filter((a) => a.status === 'failed').length;
      showOutcomes(s, failed > 0 ? 'Accepted: some changes failed' : 'Accepted and applied', updated.actions);
      announce(failed > 0 ? `${failed} change(s) failed` : 'Changes applied');
    } catch (err) {
      for (const b of dialog.querySelectorAll('button')) b.disabled = false;
      toast('Could not accept the suggestion', err.message, { kind: 'error' });
    }
  };
  const anyEnabled = items.some((i) => i.enabled && i.status === undefined);
  show([
    h('h2', { id: 'actions-dialog-title' }, 'Accept and apply these changes?'),
    h('p', {}, 'Lookout can make these changes for you. Nothing changes until you confirm.'),
    list,
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-primary',
          'data-action': 'apply',
          disabled: !anyEnabled,
          onclick: () => submit(true),
        },
        'Accept and apply',
      ),
      h(
        'button',
        { type: 'button', class: 'btn', 'data-action': 'accept-only', onclick: () => submit(false) },
        'Accept without applying',
      ),
      h('button', { type: 'button', class: 'btn btn-quiet', 'data-action': 'cancel', onclick: close }, 'Cancel'),
    ),
  ]);
}

/** For an accepted suggestion: what was applied, with Undo. */
export async function reviewActions(s) {
  try {
    const { items } = await api('GET', `/api/suggestions/${encodeURIComponent(s.id)}/actions`);
    const recorded = items.filter((i) => i.status !== undefined);
    if (recorded.length === 0) {
      toast('Nothing was applied', 'This suggestion was accepted without applying changes.');
      return;
    }
    showOutcomes(s, 'Changes made', recorded);
  } catch (err) {
    toast('Could not load the changes', err.message, { kind: 'error' });
  }
}
