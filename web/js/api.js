// The manager's API from the page: the session cookie goes with every request (same origin),
// and a 401 sends the page to the login form.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error || `the manager answered ${status}`);
    this.status = status;
    this.code = body?.code;
  }
}

let onUnauthorized = () => {};
export function whenLoggedOut(callback) { onUnauthorized = callback; }

export async function api(path, { method = 'GET', body } = {}) {
  const response = await fetch(`/api/v1${path}`, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (response.status === 401 && !path.startsWith('/login')) onUnauthorized();
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// GET that answers null for a 404 (no fleet, no preview yet).
export async function maybe(path) {
  try { return await api(path); } catch (e) { if (e.status === 404) return null; throw e; }
}
