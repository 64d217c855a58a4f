// Portfolio OS Web Vitals extension, loaded by a second tag after the tracker:
//   <script defer src="https://STATS_HOST/js/script.vitals.js"></script>
// When the page is first hidden it sends one non-interactive `Web Vitals` event through
// window.portfolio, props { lcp, inp, fcp, ttfb } in ms and { cls } unitless; metrics the
// browser does not measure (or no interaction happened, for inp) are left out.
(() => {
  const P = window.PerformanceObserver;
  const supported = (P && P.supportedEntryTypes) || [];
  const metrics = {};
  const observers = [];
  const observe = (type, handle, options) => {
    if (!supported.includes(type)) return false;
    const observer = new P((list) => list.getEntries().forEach(handle));
    observer.observe(Object.assign({ type, buffered: true }, options));
    observers.push([observer, handle]);
    return true;
  };

  observe('paint', (e) => {
    if (e.name === 'first-contentful-paint') metrics.fcp = e.startTime;
  });
  observe('largest-contentful-paint', (e) => {
    metrics.lcp = e.startTime;
  });

  // CLS: the worst session window (shifts less than 1 s apart, at most 5 s long), not counting
  // shifts right after user input.
  let session = 0;
  let sessionStart = 0;
  let sessionEnd = 0;
  const layoutShift = (e) => {
    if (e.hadRecentInput) return;
    if (session && e.startTime - sessionEnd < 1000 && e.startTime - sessionStart < 5000) session += e.value;
    else {
      session = e.value;
      sessionStart = e.startTime;
    }
    sessionEnd = e.startTime;
    metrics.cls = Math.max(metrics.cls, session);
  };
  if (observe('layout-shift', layoutShift)) metrics.cls = 0;

  // INP from the Event Timing API: each interaction's longest event; the worst interaction, or
  // with 50 or more, one of the 10 worst (roughly the 98th percentile, as Google's web-vitals does).
  const interactions = {};
  const interaction = (e) => {
    if (e.interactionId)
      interactions[e.interactionId] = Math.max(interactions[e.interactionId] || 0, e.duration);
  };
  observe('event', interaction, { durationThreshold: 16 });
  observe('first-input', interaction);

  const navigation = performance.getEntriesByType && performance.getEntriesByType('navigation')[0];
  if (navigation && navigation.responseStart > 0) metrics.ttfb = navigation.responseStart;

  let sent = false;
  const report = (event) => {
    if (sent || (document.visibilityState !== 'hidden' && event.type !== 'pagehide')) return;
    sent = true;
    for (const [observer, handle] of observers) observer.takeRecords().forEach(handle);
    const worst = Object.values(interactions).sort((a, b) => b - a);
    if (worst.length) metrics.inp = worst[Math.min(Math.floor(worst.length / 50), 9)];
    const props = {};
    for (const name of Object.keys(metrics)) {
      props[name] = name === 'cls' ? Math.round(metrics.cls * 1000) / 1000 : Math.round(metrics[name]);
    }
    if (window.portfolio) window.portfolio('Web Vitals', { props, interactive: false });
  };
  document.addEventListener('visibilitychange', report);
  window.addEventListener('pagehide', report);
})();
