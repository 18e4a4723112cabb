// Toasts (visible, announced politely) and a visually hidden status line for short confirmations.

import { $, h } from './dom.js';

export function toast(title, text = '', { kind = 'info', timeoutMs = 6000, focusId } = {}) {
  const region = $('#toasts');
  const close = () => item.remove();
  const item = h(
    'div',
    { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : null },
    h('div', { class: 'toast-body' }, h('strong', {}, title), text ? h('p', {}, text) : null),
    focusId
      ? h(
          'button',
          {
            type: 'button',
            class: 'btn btn-link',
            onclick: () => {
              close();
              document.getElementById(focusId)?.scrollIntoView({ block: 'center' });
            },
          },
          'View',
        )
      : null,
    h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Close notification', onclick: close }, '×'),
  );
  region.append(item);
  while (region.children.length > 4) region.firstElementChild.remove();
  setTimeout(close, timeoutMs);
}

let announcer;
export function announce(text) {
  announcer ??= document.body.appendChild(h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' }));
  announcer.textContent = '';
  setTimeout(() => {
    announcer.textContent = text;
  }, 30);
}
