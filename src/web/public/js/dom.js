// Tiny DOM helpers. Text always goes in through text nodes, never through innerHTML.

/**
 * h('a', {href, class: 'x', onclick}, 'text', child): an element. Attributes named on* become
 * listeners; `class`, `hidden`, `disabled` and aria-* work as expected; null/false are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    el.setAttribute(name, String(value));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const UNITS = [
  ['year', 31536000],
  ['month', 2592000],
  ['week', 604800],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "3 minutes ago", "in 2 hours". */
export function relativeTime(iso, now = Date.now()) {
  if (!iso) return 'never';
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (Math.abs(seconds) < 10) return 'just now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') return rtf.format(Math.round(seconds / size), unit);
  }
  return '';
}

/** A <time> element with a relative label and the exact time as its title. */
export function timeEl(iso) {
  if (!iso) return h('span', {}, 'never');
  const d = new Date(iso);
  return h('time', { datetime: d.toISOString(), title: d.toLocaleString() }, relativeTime(iso));
}

/** Refreshes every <time> made by timeEl, so "just now" ages. */
export function refreshTimes(root = document) {
  for (const t of root.querySelectorAll('time[datetime]')) t.textContent = relativeTime(t.getAttribute('datetime'));
}

/** Replaces an element, keeping keyboard focus on the equivalent control inside the new one. */
export function replaceKeepingFocus(oldEl, newEl) {
  const active = document.activeElement;
  const focusKey = active && oldEl.contains(active) ? (active.getAttribute('data-focus-key') ?? '') : null;
  oldEl.replaceWith(newEl);
  if (focusKey !== null) {
    const target = (focusKey && newEl.querySelector(`[data-focus-key="${focusKey}"]:not([disabled])`)) || newEl;
    if (target === newEl && !newEl.hasAttribute('tabindex')) newEl.setAttribute('tabindex', '-1');
    target.focus();
  }
}

/** "a, b ,c" → ['a','b','c']; empty → undefined */
export function splitList(text) {
  const items = String(text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

export const joinList = (items) => (items ?? []).join(', ');
