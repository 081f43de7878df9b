// Numbers and times as people read them.

export function duration(seconds) {
  if (seconds == null || !isFinite(seconds)) return '—';
  seconds = Math.max(0, seconds);
  if (seconds < 1) return `${seconds.toFixed(2)} s`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const m = Math.floor(seconds / 60), s = Math.round(seconds % 60);
  if (m < 60) return `${m} min ${String(s).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m % 60).padStart(2, '0')} min`;
}

export function bytes(n) {
  if (n == null || n <= 0) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(n < 10 && i > 0 ? 1 : 0)} ${units[i]}`;
}

export function money(usd) {
  if (usd == null || !isFinite(usd)) return '—';
  return usd < 10 ? `$${usd.toFixed(2)}` : `$${Math.round(usd).toLocaleString()}`;
}

export function ago(ms, now = Date.now()) {
  if (!ms) return '—';
  const s = Math.max(0, (now - ms) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${Math.round(s)} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return new Date(ms).toLocaleDateString();
}

// The Unix milliseconds of an ISO 8601 time ("2026-12-05T10:15:00Z"); 0 when absent or unreadable.
export function isoMs(text) {
  const ms = text ? Date.parse(text) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

export function clock(ms) {
  if (!ms) return '—';
  const d = new Date(ms);
  const today = new Date();
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return d.toDateString() === today.toDateString() ? time : `${d.toLocaleDateString()} ${time}`;
}

export function escape(text) {
  return String(text ?? '').replace(/[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
