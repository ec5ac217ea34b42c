/* AutoTrack browser collector (https://github.com/thrivestack/autotrack). Plain JavaScript, no dependencies.
   Reports what the server cannot see to the app's own /collect endpoint: single-page route changes, pages restored from
   the back/forward cache, and clicks on elements marked data-thrivestack-feature / data-thrivestack-event. It holds no
   key and sends no identifiers: the server adds them from its own cookies, claims and consent rules.
   A page the server already counted is not reported again: the server marks such responses with
   "Server-Timing: thrivestack", which the script reads from the Performance API. */
(function () {
  'use strict';
  var config = /*CONFIG*/{"collect":"/_thrivestack/collect","maxEvents":20,"routes":true,"hash":true,"bfcache":true,"clicks":true,"settleMs":1000}/*END*/;
  if (window.__thrivestackAutoTrack) return; // included twice: one is enough
  window.__thrivestackAutoTrack = true;

  var queue = [];
  var timer = 0;
  var lastUrl = location.href;
  var pending = null; // a route change waiting for its page to render: {url, from, since, timer}

  function send(leaving) {
    if (timer) { clearTimeout(timer); timer = 0; }
    while (queue.length) {
      var body = JSON.stringify({ events: queue.splice(0, config.maxEvents) });
      var sent = false;
      if (leaving && navigator.sendBeacon) {
        try { sent = navigator.sendBeacon(config.collect, new Blob([body], { type: 'application/json' })); } catch (e) { sent = false; }
      }
      if (!sent && window.fetch) {
        fetch(config.collect, {
          method: 'POST', body: body, keepalive: true, credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json' }
        })['catch'](function () { });
      }
    }
  }

  function enqueue(event) {
    queue.push(event);
    if (queue.length >= config.maxEvents) send(false);
    else if (!timer) timer = setTimeout(function () { timer = 0; send(false); }, 1000);
  }

  function text(value, max) {
    return typeof value === 'string' && value.length ? value.slice(0, max) : undefined;
  }

  function pageView(url, referrer) {
    enqueue({ kind: 'page_view', url: text(url, 2048), referrer: text(referrer, 2048), title: text(document.title, 256) });
  }

  function marked(entry) {
    var timing = entry && entry.serverTiming;
    if (!timing) return false;
    for (var i = 0; i < timing.length; i++) if (timing[i].name === 'thrivestack') return true;
    return false;
  }

  // True when a response for url that the server counted arrived since the route change (Blazor, htmx, Turbo fetch the
  // next page themselves; the server counts those).
  function serverCounted(url, since) {
    if (!window.performance || !performance.getEntriesByType) return false;
    var entries = performance.getEntriesByType('resource');
    for (var i = entries.length - 1; i >= 0 && i >= entries.length - 100; i--) {
      var entry = entries[i];
      if (entry.name === url && entry.startTime + entry.duration >= since && marked(entry)) return true;
    }
    return false;
  }

  function settle() {
    var change = pending;
    pending = null;
    if (!change || serverCounted(change.url, change.since)) return;
    pageView(change.url, change.from);
  }

  function routeChanged() {
    var url = location.href;
    if (url === lastUrl) return; // replaceState to the same address, or a scroll position update
    var from = lastUrl;
    lastUrl = url;
    if (!config.hash && url.split('#')[0] === from.split('#')[0]) return;
    if (pending) { clearTimeout(pending.timer); settle(); } // the previous route was shown: report it first
    // Wait for the new route to render its title, and for a page the app fetched to arrive with the server's mark.
    pending = { url: url, from: from, since: window.performance ? performance.now() - 50 : 0 };
    pending.timer = setTimeout(settle, config.settleMs);
  }

  if (config.routes) {
    ['pushState', 'replaceState'].forEach(function (name) {
      var original = history[name];
      if (typeof original !== 'function') return;
      history[name] = function () {
        var result = original.apply(this, arguments);
        try { routeChanged(); } catch (e) { }
        return result;
      };
    });
    window.addEventListener('popstate', routeChanged);
  }
  if (config.hash) window.addEventListener('hashchange', routeChanged);

  // Blazor's enhanced navigation changes the address, then fetches the page; once it is loaded, the fetch's response
  // says whether the server counted it (it does unless PageVisits:TrackInAppNavigations is off). If it did not say so
  // yet, the route change is settled as any other.
  function watchBlazor() {
    if (window.Blazor && typeof window.Blazor.addEventListener === 'function') {
      window.Blazor.addEventListener('enhancedload', function () {
        lastUrl = location.href;
        if (pending && pending.url === location.href && serverCounted(pending.url, pending.since)) {
          clearTimeout(pending.timer);
          pending = null;
        }
      });
      return true;
    }
    return false;
  }
  if (!watchBlazor()) document.addEventListener('DOMContentLoaded', watchBlazor);

  if (config.bfcache) {
    window.addEventListener('pageshow', function (event) {
      if (event.persisted) { lastUrl = location.href; pageView(location.href, undefined); }
    });
  }

  if (config.clicks) {
    document.addEventListener('click', function (event) {
      var target = event.target;
      var element = target && target.closest ? target.closest('[data-thrivestack-feature],[data-thrivestack-event]') : null;
      if (!element) return;
      if (pending) { clearTimeout(pending.timer); settle(); } // the page the click happened on comes first
      var feature = element.getAttribute('data-thrivestack-feature');
      if (feature) enqueue({ kind: 'feature', name: text(feature, 128) });
      var name = element.getAttribute('data-thrivestack-event');
      if (name) enqueue({ kind: 'event', name: text(name, 128) });
    }, true);
  }

  window.addEventListener('pagehide', function () { if (pending) { clearTimeout(pending.timer); settle(); } send(true); });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') { if (pending) { clearTimeout(pending.timer); settle(); } send(true); }
  });

  // The first page: the server counted it unless it was served without AutoTrack seeing it (a static index.html, say).
  // Where the mark cannot be read (no Server-Timing outside secure contexts), the server is assumed to have counted it.
  var navigation = window.performance && performance.getEntriesByType ? performance.getEntriesByType('navigation')[0] : null;
  if (navigation && navigation.serverTiming && window.isSecureContext && !marked(navigation)) {
    pageView(location.href, document.referrer);
  }
})();
