// Jobs: every job with its status, progress, ETA, cost and priority, and what can be done to it.
import { api, maybe } from '../api.js';
import { duration, escape, money, clock } from '../format.js';
import { onLive } from '../live.js';
import { pill, progress, framesDone, etaSeconds, actionButtons, runAction, setPriority } from './common.js';

export async function showJobs(main) {
  main.innerHTML = `
    <section class="page">
      <div class="page-head"><h1>Jobs</h1><p class="muted" id="jobs-summary"></p></div>
      <div class="card table-card">
        <table class="table jobs">
          <thead><tr><th>Job</th><th>Status</th><th class="wide">Progress</th><th class="num">Frames</th>
            <th class="num">ETA</th><th class="num">Cost</th><th class="num">Priority</th><th></th></tr></thead>
          <tbody id="jobs-body"></tbody>
        </table>
        <p class="empty" id="jobs-empty" hidden>No jobs yet. Submit one with
          <code>spotfarm submit scene.blend --frames 1-250 -o /renders/shot_####</code>.</p>
      </div>
    </section>`;
  const body = main.querySelector('#jobs-body');
  const jobs = new Map();
  const costs = new Map();
  let fleet = false;

  function row(job) {
    const done = framesDone(job);
    const eta = etaSeconds(job);
    return `<tr data-job="${job.id}">
      <td><a class="job-link" href="/jobs/${job.id}">${escape(job.name)}</a>
        <div class="muted small">#${job.id} · submitted ${clock(job.created_ms)}</div></td>
      <td>${pill(job.status)}</td>
      <td class="wide">${progress(job)}</td>
      <td class="num">${done.toLocaleString()} / ${job.frame_count.toLocaleString()}</td>
      <td class="num">${eta == null ? '—' : duration(eta)}</td>
      <td class="num">${fleet ? money(costs.get(job.id)) : '—'}</td>
      <td class="num"><input class="priority" type="number" min="0" max="100" value="${job.priority}"
        data-job="${job.id}" aria-label="Priority of job ${job.id}"></td>
      <td>${actionButtons(job)}</td></tr>`;
  }

  function render() {
    const list = [...jobs.values()].sort((a, b) => b.id - a.id);
    body.innerHTML = list.map(row).join('');
    main.querySelector('#jobs-empty').hidden = list.length > 0;
    const active = list.filter((j) => j.status === 'active').length;
    const queued = list.filter((j) => j.status === 'queued').length;
    main.querySelector('#jobs-summary').textContent =
      `${list.length} job${list.length === 1 ? '' : 's'} · ${active} rendering · ${queued} queued`;
  }

  async function load() {
    const data = await api('/jobs');
    jobs.clear();
    for (const job of data.jobs) jobs.set(job.id, job);
    fleet = (await maybe('/fleet')) != null;
    if (fleet) {
      await Promise.all(data.jobs.map(async (j) => {
        const cost = await maybe(`/jobs/${j.id}/cost`);
        if (cost) costs.set(j.id, cost.usd);
      }));
    }
    render();
  }

  body.addEventListener('click', async (e) => {
    const button = e.target.closest('button[data-action]');
    if (!button) return;
    const result = await runAction(button);
    if (result?.deleted) jobs.delete(Number(button.dataset.job));
    else if (result?.id) jobs.set(result.id, result);
    render();
  });
  body.addEventListener('change', async (e) => {
    if (!e.target.matches('input.priority')) return;
    const job = await setPriority(e.target.dataset.job, e.target.value);
    if (job) { jobs.set(job.id, job); render(); }
  });

  const stop = onLive((kind, data) => {
    if (kind === 'reload') return load();
    if (kind !== 'change') return;
    let dirty = false;
    for (const job of data.jobs) { jobs.set(job.id, job); dirty = true; }
    for (const id of data.deleted_jobs) dirty = jobs.delete(id) || dirty;
    // Typing a priority is not interrupted by a redraw.
    if (dirty && !body.contains(document.activeElement)) render();
  });
  // ETAs move with the clock even when nothing happens.
  const tick = setInterval(() => { if (!body.contains(document.activeElement)) render(); }, 15000);
  await load();
  return () => { stop(); clearInterval(tick); };
}
