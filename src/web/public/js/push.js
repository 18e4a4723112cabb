// Browser push in Preferences: Subscribe / Unsubscribe this browser. The subscription (endpoint and
// keys from the Push API) is saved through PUT /api/preferences as the push channel's `subscription`;
// the server keeps it sealed and GET shows only `subscribed: true`.

import { api } from './api.js';
import { h } from './dom.js';
import { loadPreferences, registerClientField } from './preferences.js';
import { announce } from './toast.js';

const SW_URL = '/sw.js';

function supported() {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/** The worker that shows notifications: registered once per page load where the browser can. */
const registration = supported()
  ? navigator.serviceWorker.register(SW_URL, { scope: '/' }).catch((err) => {
      console.warn('service worker not registered', err);
      return undefined;
    })
  : Promise.resolve(undefined);

async function currentSubscription() {
  const reg = await registration;
  return reg ? reg.pushManager.getSubscription() : null;
}

function status(id, text) {
  const el = document.getElementById(`${id}-status`);
  if (el) el.textContent = text;
}

function keyBytes(base64url) {
  const b64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

/** A clear sentence for what went wrong, never a stack trace. */
function explain(err) {
  if (err?.name === 'NotAllowedError') return 'Notifications are blocked for this site in the browser settings.';
  if (err?.name === 'AbortError' || err?.name === 'NotSupportedError')
    return `This browser could not subscribe to push (${err.message || err.name}).`;
  return err?.message || String(err);
}

async function subscribe(channel) {
  if (!supported()) throw new Error('This browser does not support push notifications.');
  if (!window.isSecureContext) throw new Error('Push needs the dashboard on HTTPS (or localhost).');
  const key = channel.options?.applicationServerKey;
  if (!key) throw new Error('This server has no push key yet.');
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw Object.assign(new Error('permission'), { name: 'NotAllowedError' });
  const reg = await registration;
  if (!reg) throw new Error('The dashboard service worker could not be registered.');
  await navigator.serviceWorker.ready;
  const sub =
    (await reg.pushManager.getSubscription()) ??
    (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) }));
  await api('PUT', '/api/preferences', { body: { channels: { push: { subscription: sub.toJSON() } } } });
  // The form shows what is stored now (the channel on), so a later Save keeps it.
  await loadPreferences();
  announce('Push notifications are on for this browser.');
}

async function unsubscribe() {
  const sub = await currentSubscription();
  await sub?.unsubscribe();
  await api('PUT', '/api/preferences', { body: { channels: { push: null } } });
  await loadPreferences();
  announce('Push notifications are off.');
}

function run(id, action) {
  status(id, 'Working…');
  action().catch((err) => status(id, `Could not change push notifications: ${explain(err)}`));
}

registerClientField('push', {
  render({ id, channel }) {
    // The field's label names the Subscribe button, which the channel's switch enables.
    return h(
      'span',
      { class: 'push-controls' },
      h('button', { type: 'button', id, onclick: () => run(id, () => subscribe(channel)) }, 'Subscribe this browser'),
      ' ',
      h('button', { type: 'button', id: `${id}-unsubscribe`, onclick: () => run(id, () => unsubscribe()) }, [
        'Unsubscribe',
      ]),
      h('p', { class: 'hint', id: `${id}-status`, role: 'status' }),
    );
  },
  fill(id, shown) {
    if (!supported()) return status(id, 'This browser does not support push notifications.');
    currentSubscription().then(
      (sub) =>
        status(
          id,
          shown?.subscribed
            ? sub
              ? 'This browser is subscribed.'
              : 'Another browser is subscribed; subscribing here replaces it.'
            : 'Not subscribed.',
        ),
      () => {},
    );
  },
  // Subscribing saves at once; the form's Save keeps whatever is stored.
  read: () => undefined,
});
