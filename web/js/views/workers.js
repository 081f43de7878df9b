// Workers: each worker's state, what it renders, its Blender and device, when it was last heard
// from, and whether its machine is Spot or on-demand and what it costs.
import { api, maybe } from '../api.js';
import { ago, bytes, escape, money } from '../format.js';
import { onLive } from '../live.js';
import { pill } from './common.js';

export async function showWorkers(main) {
  main.innerHTML = `
    <section class="page">
      <div class="page-head"><h1>Workers</h1><p class="muted" id="workers-summary"></p></div>
      <div class="card table-card">
        <table class="table workers">
          <thead><tr><th>Worker</th><th>State</th><th>Rendering</th><th>Blender</th><th>Device</th>
            <th class="num">Cores</th><th class="num">Memory</th><th>Last seen</th><th>Machine</th><th class="num">Cost/h</th></tr></thead>
          <tbody id="workers-body"></tbody>
        </table>
        <p class="empty" id="workers-empty" hidden>No worker has joined yet. Start one with
          <code>spotfarm worker --manager URL</code> and the worker join token.</p>
      </div>
    </section>`;
  const body = main.querySelector('#workers-body');
  const workers = new Map();
  const tasks = new Map();  // task id -> {job, frames}
  let instances = [];

  function machineOf(w) {
    return instances.find((i) => i.id && (w.name.includes(i.id) || w.host.includes(i.id) ||
      (w.tags || []).some((t) => t.includes(i.id))));
  }

  function row(w) {
    const rendering = w.tasks.map((t) => tasks.get(t)).filter(Boolean)
      .map((t) => `<a href="/jobs/${t.job}">job ${t.job}</a> frame ${escape(t.frames)}`).join(', ');
    const machine = machineOf(w);
    const device = w.gpus.length ? w.gpus.join(', ') : 'CPU';
    return `<tr data-worker="${w.id}">
      <td><strong>${escape(w.name)}</strong><div class="muted small">${escape(w.host)} · #${w.id}</div></td>
      <td>${pill(w.tasks.length && w.status === 'online' ? 'rendering' : w.status)}</td>
      <td>${rendering || (w.tasks.length ? `${w.tasks.length} task(s)` : '<span class="muted">idle</span>')}</td>
      <td>${escape(w.blender_version || '—')}</td>
      <td>${escape(device)}</td>
      <td class="num">${w.cores}</td>
      <td class="num">${bytes(w.memory_bytes)}</td>
      <td title="${new Date(w.last_seen_ms).toLocaleString()}">${ago(w.last_seen_ms)}</td>
      <td>${machine ? `${machine.interruptible ? 'Spot' : 'on-demand'} <span class="muted small">${escape(machine.kind)}</span>`
        : '<span class="muted">this network</span>'}</td>
      <td class="num">${machine ? money(machine.usd_per_hour) : '—'}</td></tr>`;
  }

  function render() {
    const list = [...workers.values()].sort((a, b) => a.id - b.id);
    body.innerHTML = list.map(row).join('');
    main.querySelector('#workers-empty').hidden = list.length > 0;
    const online = list.filter((w) => w.status === 'online').length;
    const busy = list.filter((w) => w.tasks.length > 0).length;
    main.querySelector('#workers-summary').textContent =
      `${list.length} worker${list.length === 1 ? '' : 's'} · ${online} online · ${busy} rendering`;
  }

  async function load() {
    const [list, jobs, fleet] = await Promise.all([api('/workers'), api('/jobs'), maybe('/fleet')]);
    instances = fleet?.instances || [];
    workers.clear();
    for (const w of list.workers) workers.set(w.id, w);
    // What each busy worker renders: the active tasks of the jobs that have any.
    tasks.clear();
    await Promise.all(jobs.jobs.filter((j) => (j.tasks?.active ?? 0) > 0).map(async (j) => {
      const data = await api(`/jobs/${j.id}/tasks?status=active`);
      for (const t of data.tasks) tasks.set(t.id, t);
    }));
    render();
  }

  const stop = onLive((kind, data) => {
    if (kind === 'reload') return load();
    if (kind !== 'change') return;
    for (const t of data.tasks) tasks.set(t.id, t);
    for (const w of data.workers) workers.set(w.id, w);
    if (data.workers.length || data.tasks.length) render();
  });
  const tick = setInterval(render, 15000);  // "last seen" moves with the clock
  await load();
  return () => { stop(); clearInterval(tick); };
}
