// Live updates: one EventSource on /api/v1/events (server-sent events), never a polling loop.
// The manager sends `change` at most a few times a second (jobs, tasks, workers and thumbnails
// that changed) and `farm` for each event of its log; after a reconnect, or a `reset`, the views
// reload what they show.

const listeners = new Set();
let source = null;

export function onLive(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function emit(kind, data) {
  for (const listener of [...listeners]) {
    try { listener(kind, data); } catch (e) { console.error(e); }
  }
}

export function connect(statusElement) {
  if (source) return;
  source = new EventSource('/api/v1/events');
  let opened = false;
  source.addEventListener('open', () => {
    statusElement.textContent = 'live';
    statusElement.dataset.state = 'live';
    if (opened) emit('reload', {});  // what happened while the connection was down
    opened = true;
  });
  source.addEventListener('error', () => {
    statusElement.textContent = 'reconnecting…';
    statusElement.dataset.state = 'down';
  });
  source.addEventListener('change', (e) => emit('change', JSON.parse(e.data)));
  source.addEventListener('farm', (e) => emit('farm', JSON.parse(e.data)));
  source.addEventListener('reset', () => emit('reload', {}));
}

export function disconnect() {
  source?.close();
  source = null;
}
