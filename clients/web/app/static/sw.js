// The installed app's service worker: the app's own files (no data of anyone's: messages and keys stay in the
// sealed IndexedDB vault) come from the network when it answers, so an update is used at once, and from this cache
// when it does not, so the app opens and says it cannot reach Wardline instead of the browser's error page. Nothing
// else passes through here: API calls, the messaging socket and files are never cached.
const CACHE = "wardline-app-v1";
const SHELL = ["/app/", "/app/app.js", "/app/app.css", "/app/manifest.webmanifest", "/app/icon-192.png", "/app/icon-512.png"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  const path = url.pathname === "/app" ? "/app/" : url.pathname;
  if (event.request.method !== "GET" || url.origin !== self.location.origin || !SHELL.includes(path)) return;
  event.respondWith(fetch(event.request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      event.waitUntil(caches.open(CACHE).then((cache) => cache.put(path, copy)));
    }
    return response;
  }).catch(() => caches.match(path).then((cached) => cached ?? Response.error())));
});
