// The dashboard's service worker: shows Lookout's push notifications and opens the suggestion on
// a click. Served at /sw.js so its scope is the whole dashboard. The payload is what
// src/notify/channels/push.ts sends: {title, body, url, suggestionId, deliveryId}.

function parsePush(data) {
  try {
    const p = data?.json();
    if (p && typeof p === 'object') return p;
  } catch {
    // Not JSON: show the text as it is.
  }
  return { title: 'Lookout', body: data?.text() ?? '' };
}

/**
 * Only this dashboard's own pages are opened from a notification: a link to another origin (a
 * public URL configured with another host name) keeps its path on this origin.
 */
function sameOriginUrl(url) {
  try {
    const u = new URL(url, self.location.origin);
    return new URL(`${u.pathname}${u.search}`, self.location.origin).href;
  } catch {
    return `${self.location.origin}/`;
  }
}

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  const p = parsePush(event.data);
  const title = typeof p.title === 'string' && p.title ? p.title : 'Lookout';
  event.waitUntil(
    (async () => {
      await self.registration.showNotification(title, {
        body: typeof p.body === 'string' ? p.body : '',
        // One notification per suggestion: a retried delivery replaces it instead of stacking.
        tag: typeof p.suggestionId === 'string' ? `suggestion-${p.suggestionId}` : undefined,
        data: { url: sameOriginUrl(p.url ?? '/'), suggestionId: p.suggestionId, deliveryId: p.deliveryId },
        icon: '/ui/favicon.svg',
      });
      // Open dashboards learn about it at once (and tests can observe that the worker ran).
      const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      for (const page of pages) page.postMessage({ type: 'lookout.push', title, suggestionId: p.suggestionId });
    })(),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = event.notification.data?.url ?? `${self.location.origin}/`;
  event.waitUntil(
    (async () => {
      const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const page = pages.find((c) => new URL(c.url).origin === self.location.origin);
      if (page) {
        await page.focus();
        // navigate() needs a page this worker controls; otherwise open a new one.
        const moved = await page.navigate(url).catch(() => null);
        if (moved) return moved;
      }
      return self.clients.openWindow(url);
    })(),
  );
});
