// The dashboard: one page, with views by path (/jobs, /jobs/3, /workers, /fleet) and a login.
import { api, whenLoggedOut } from './api.js';
import { connect, disconnect } from './live.js';
import { showLogin } from './views/login.js';
import { showJobs } from './views/jobs.js';
import { showJob } from './views/job.js';
import { showWorkers } from './views/workers.js';
import { showFleet } from './views/fleet.js';

const main = document.getElementById('main');
const topbar = document.getElementById('topbar');
let leaveView = () => {};

// --- theme: the system's, unless chosen here
const savedTheme = localStorage.getItem('spotfarm-theme');
if (savedTheme) document.documentElement.dataset.theme = savedTheme;
document.getElementById('theme').addEventListener('click', () => {
  const dark = document.documentElement.dataset.theme
    ? document.documentElement.dataset.theme === 'dark'
    : matchMedia('(prefers-color-scheme: dark)').matches;
  const next = dark ? 'light' : 'dark';
  document.documentElement.dataset.theme = next;
  localStorage.setItem('spotfarm-theme', next);
});

export function toast(message, kind = 'info') {
  const box = document.getElementById('toast');
  box.textContent = message;
  box.dataset.kind = kind;
  box.classList.add('shown');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => box.classList.remove('shown'), 4000);
}

export function navigate(path) {
  if (location.pathname !== path) history.pushState({}, '', path);
  route();
}

async function route() {
  leaveView();
  leaveView = () => {};
  main.replaceChildren();
  const path = location.pathname;
  for (const link of document.querySelectorAll('[data-nav]')) {
    link.classList.toggle('current', path.startsWith(`/${link.dataset.nav}`));
  }
  let m;
  if ((m = /^\/jobs\/(\d+)$/.exec(path))) leaveView = await showJob(main, Number(m[1]));
  else if (path === '/workers') leaveView = await showWorkers(main);
  else if (path === '/fleet') leaveView = await showFleet(main);
  else leaveView = await showJobs(main);
  leaveView ||= () => {};
}

function loggedOut() {
  disconnect();
  leaveView();
  leaveView = () => {};
  topbar.hidden = true;
  showLogin(main, start);
}

async function start() {
  topbar.hidden = false;
  connect(document.getElementById('live'));
  await route();
}

document.getElementById('logout').addEventListener('click', async () => {
  await api('/logout', { method: 'POST' }).catch(() => {});
  loggedOut();
});

// Links inside the page change the view without loading the page again.
document.addEventListener('click', (e) => {
  const link = e.target.closest('a[href^="/"]');
  if (!link || e.metaKey || e.ctrlKey || e.shiftKey || link.target) return;
  e.preventDefault();
  navigate(link.getAttribute('href'));
});
addEventListener('popstate', route);
whenLoggedOut(loggedOut);

api('/session').then(start, loggedOut);
