// The dashboard's entry point: sign-in, hash routing between views, and the live feed.

import { ApiError, api, session, setUnauthorizedHandler, verifyKey } from './api.js';
import { $, $$, refreshTimes } from './dom.js';
import { initFeed, onStreamMessage, refreshFeed, resetFeed } from './feed.js';
import { loadInsights } from './insights.js';
import { initInspector } from './inspector.js';
import { initIntegrations, loadIntegrations } from './integrations.js';
import { loadLabels } from './labels.js';
import { initPreferences, loadPreferences } from './preferences.js';
// Registers the push channel's Subscribe control and the dashboard's service worker.
import './push.js';
import { LiveFeed } from './stream.js';
import { toast } from './toast.js';

const VIEWS = ['feed', 'insights', 'integrations', 'preferences'];
const LOADERS = {
  feed: refreshFeed,
  insights: loadInsights,
  integrations: loadIntegrations,
  preferences: loadPreferences,
};
/** While the stream is up, a slow refresh still catches anything a publisher did not announce. */
const SAFETY_REFRESH_MS = 30_000;

let live;
let safetyTimer;

function pollMs() {
  // Tests may shorten the fallback poll; people get a gentle default.
  const n = Number(sessionStorage.getItem('lookout.pollMs'));
  return Number.isFinite(n) && n >= 200 ? n : 3000;
}

const STATUS_TEXT = { connecting: 'Connecting…', live: 'Live', polling: 'Reconnecting (polling)', offline: 'Offline' };

function setConnection(status) {
  const el = $('#conn');
  el.dataset.status = status;
  $('.conn-text', el).textContent = STATUS_TEXT[status] ?? status;
}

function showView(name) {
  const signedIn = Boolean(session.key);
  $('.tabs').hidden = !signedIn;
  $('.session').hidden = !signedIn;
  const view = signedIn ? (VIEWS.includes(name) ? name : 'feed') : 'signin';
  for (const section of $$('.view')) section.hidden = section.id !== `view-${view}`;
  for (const a of $$('.tabs a')) {
    if (a.dataset.view === view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title =
    view === 'signin' ? 'Sign in · Lookout' : `${view.charAt(0).toUpperCase()}${view.slice(1)} · Lookout`;
  return view;
}

async function route({ focus = false } = {}) {
  const name = location.hash.replace(/^#/, '');
  // An in-page link to a card (#s-…) is handled by the feed; it is not a view.
  if (name.startsWith('s-') || name.startsWith('e-')) return;
  const view = showView(name);
  if (view === 'signin') {
    $('#api-key').focus();
    return;
  }
  if (focus) $(`#view-${view} h1`).focus?.();
  try {
    await LOADERS[view]?.();
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401))
      toast('Could not load this page', err.message, { kind: 'error' });
  }
}

function startLive() {
  live?.stop();
  live = new LiveFeed({
    getKey: () => session.key,
    pollMs: pollMs(),
    onStatus: setConnection,
    onMessage: (m) => onStreamMessage(m).catch(() => {}),
    onReset: () => refreshFeed().catch(() => {}),
    poll: () => refreshFeed(),
    onUnauthorized: () => signOut('Your API key is no longer accepted. Sign in again.'),
  });
  live.start();
  clearInterval(safetyTimer);
  safetyTimer = setInterval(() => {
    if (live?.status === 'live') refreshFeed().catch(() => {});
    refreshTimes();
  }, SAFETY_REFRESH_MS);
}

function signOut(message = '') {
  if ($('#inspector').open) $('#inspector').close();
  live?.stop();
  live = undefined;
  clearInterval(safetyTimer);
  session.clear();
  resetFeed();
  $('#signin-error').textContent = message;
  if (location.hash) history.replaceState(null, '', location.pathname);
  route();
}

async function signIn(ev) {
  ev.preventDefault();
  const input = $('#api-key');
  const error = $('#signin-error');
  const button = ev.target.querySelector('button[type="submit"]');
  const key = input.value.trim();
  error.textContent = '';
  input.removeAttribute('aria-invalid');
  if (!key) {
    error.textContent = 'Enter your API key.';
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return;
  }
  button.disabled = true;
  try {
    if (!(await verifyKey(key))) {
      error.textContent =
        'That API key was refused. Check that you copied all of it, or ask your operator for a new one.';
      input.setAttribute('aria-invalid', 'true');
      input.select();
      return;
    }
    session.set(key);
    input.value = '';
    if (!location.hash) history.replaceState(null, '', '#feed');
    await route({ focus: true });
    startLive();
  } catch (err) {
    error.textContent = err.message;
  } finally {
    button.disabled = false;
  }
}

async function init() {
  // Labels first, so the first render names types as the registry does; a failure only costs labels.
  await loadLabels().catch(() => {});
  initFeed();
  initInspector();
  initIntegrations();
  initPreferences();
  for (const h1 of $$('.view h1')) h1.setAttribute('tabindex', '-1');
  $('#signin-form').addEventListener('submit', signIn);
  $('#sign-out').addEventListener('click', () => signOut());
  setUnauthorizedHandler(() => signOut('Your API key is no longer accepted. Sign in again.'));
  window.addEventListener('hashchange', () => route({ focus: true }));
  route();
  if (session.key) startLive();
  document.documentElement.classList.add('js-ready');
  // Pop-ups sit just under the sticky top bar, whose height changes as it wraps on narrow screens.
  const topbar = $('.topbar');
  new ResizeObserver(() => {
    document.documentElement.style.setProperty('--topbar-height', `${topbar.offsetHeight}px`);
  }).observe(topbar);
}

init();

// For a console session: `lookout.api('GET', '/api/events')`.
Object.defineProperty(window, 'lookout', { value: Object.freeze({ api }) });
