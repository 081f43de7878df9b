// One job: its figures and actions, a virtualised grid of its frames (thumbnails as they finish,
// coloured by state), a frame's full image and record, render time per frame against the
// estimate, and the preview video.
import { api, maybe } from '../api.js';
import { duration, bytes, escape, money, clock } from '../format.js';
import { onLive } from '../live.js';
import { FrameBoard } from '../frames.js';
import { VirtualGrid } from '../grid.js';
import { drawChart, estimateSeries } from '../chart.js';
import { pill, progress, framesDone, etaSeconds, actionButtons, runAction, setPriority } from './common.js';
import { showPreview } from './preview.js';
import { navigate } from '../app.js';

const CELL_W = 112, CELL_H = 63;

export async function showJob(main, id) {
  let job;
  try {
    job = await api(`/jobs/${id}`);
  } catch (e) {
    main.innerHTML = `<section class="page"><h1>Job ${id}</h1><p class="error">${escape(e.message)}</p>
      <p><a href="/jobs">All jobs</a></p></section>`;
    return null;
  }
  main.innerHTML = `
    <section class="page job-page" data-job="${id}">
      <div class="page-head">
        <div><a class="back" href="/jobs">← Jobs</a><h1 id="job-title"></h1></div>
        <div id="job-actions"></div>
      </div>
      <div class="card stats" id="job-stats"></div>
      <div class="job-layout">
        <div class="card frames-card">
          <div class="card-head"><h2>Frames</h2><div class="legend" id="legend"></div></div>
          <div class="frame-grid" id="frame-grid" tabindex="0"></div>
        </div>
        <aside class="side">
          <div class="card"><div class="card-head"><h2>Render time per frame</h2>
            <span class="muted small" id="chart-note"></span></div>
            <svg class="chart" id="chart" viewBox="0 0 600 200" role="img"
                 aria-label="Render time per frame"></svg>
            <div class="chart-key small muted"><span class="key line"></span>measured
              <span class="key estimate"></span>estimate <span class="key mean"></span>mean</div></div>
          <div class="card" id="preview-card"><div class="card-head"><h2>Preview</h2></div>
            <div id="preview"></div></div>
        </aside>
      </div>
      <dialog class="frame-dialog" id="frame-dialog"></dialog>
    </section>`;

  const board = new FrameBoard(job.frames);
  const stats = new Map();  // frame -> {render_seconds, peak_memory_bytes, worker, attempts}
  const workers = new Map();

  function renderHead() {
    main.querySelector('#job-title').innerHTML = `${escape(job.name)} ${pill(job.status)}`;
    main.querySelector('#job-actions').innerHTML = actionButtons(job);
    const counts = board.counts();
    const done = framesDone({ ...job, frames_done: counts.completed });
    const eta = etaSeconds({ ...job, frames_done: done });
    const rendering = new Set(board.workerOf.filter((w, i) => w != null && board.state[i] === 'active'));
    const measured = [...stats.values()].map((s) => s.render_seconds);
    const mean = measured.length ? measured.reduce((a, b) => a + b, 0) / measured.length : null;
    main.querySelector('#job-stats').innerHTML = `
      ${progress({ ...job, frames_done: done })}
      <dl class="figures">
        <div><dt>Frames</dt><dd id="frames-done">${done.toLocaleString()} / ${board.size.toLocaleString()}</dd></div>
        <div><dt>Rendering</dt><dd>${counts.active} on ${rendering.size} worker${rendering.size === 1 ? '' : 's'}</dd></div>
        <div><dt>Failed</dt><dd>${counts.failed}</dd></div>
        <div><dt>ETA</dt><dd>${eta == null ? '—' : duration(eta)}</dd></div>
        <div><dt>Mean frame</dt><dd>${duration(mean)}</dd></div>
        <div><dt>Cost</dt><dd id="job-cost">—</dd></div>
        <div><dt>Priority</dt><dd><input class="priority" id="priority" type="number" min="0" max="100"
          value="${job.priority}" aria-label="Priority"></dd></div>
        <div><dt>Submitted</dt><dd>${clock(job.created_ms)}</dd></div>
      </dl>
      ${job.message ? `<p class="note">${escape(job.message)}</p>` : ''}
      ${(job.warnings || []).slice(0, 3).map((w) =>
        `<p class="note warn">${escape(w.message)} <span class="muted">(frames ${escape(w.frames)})</span></p>`).join('')}`;
    main.querySelector('#legend').innerHTML = ['queued', 'active', 'completed', 'failed', 'canceled']
      .map((s) => `<span class="legend-item" data-state="${s}"><i></i>${s === 'active' ? 'rendering' : s} ${counts[s]}</span>`)
      .join('');
  }

  function drawCell(cell, i) {
    const frame = board.frames[i];
    const state = board.state[i];
    cell.dataset.state = state;
    cell.dataset.frame = frame;
    cell.title = `Frame ${frame}: ${state === 'active' ? 'rendering' : state}`;
    const want = state === 'completed' && board.version[i] > 0
      ? `/api/v1/jobs/${id}/frames/${frame}/thumbnail?v=${board.version[i]}` : '';
    let img = cell.querySelector('img');
    if (want && (!img || img.dataset.src !== want)) {
      if (!img) {
        img = document.createElement('img');
        img.className = 'thumb';
        img.alt = `Frame ${frame}`;
        img.decoding = 'async';
        img.addEventListener('error', () => img.remove());  // not made yet: comes with its event
        cell.prepend(img);
      }
      img.dataset.src = want;
      img.src = want;
    } else if (!want && img) {
      img.remove();
    }
    let label = cell.querySelector('span');
    if (!label) { label = document.createElement('span'); cell.append(label); }
    label.textContent = frame;
  }

  const gridBox = main.querySelector('#frame-grid');
  const grid = new VirtualGrid(gridBox, {
    count: board.size, cellWidth: CELL_W, cellHeight: CELL_H, gap: 6, drawCell,
    onClick: (i) => openFrame(i),
  });

  function drawChartNow() {
    const measured = new Map([...stats].map(([f, s]) => [f, s.render_seconds]));
    const result = drawChart(main.querySelector('#chart'), board.frames, measured);
    if (result) {
      const est = estimateSeries(board.frames, measured).reduce((a, b) => a + (b ?? 0), 0);
      main.querySelector('#chart-note').textContent =
        `${measured.size} of ${board.size} measured · about ${duration(est)} of render time in all`;
    }
  }

  async function loadStats() {
    const data = await api(`/jobs/${id}/frame-stats`);
    for (const s of data.frames) stats.set(s.frame, s);
    drawChartNow();
    renderHead();
  }
  let statsTimer = null;
  function loadStatsSoon() {
    if (statsTimer) return;
    statsTimer = setTimeout(() => { statsTimer = null; loadStats().catch(() => {}); }, 1000);
  }

  async function loadTasks() {
    for (let offset = 0; ; offset += 10000) {
      const data = await api(`/jobs/${id}/tasks?limit=10000&offset=${offset}`);
      for (const task of data.tasks) board.applyTask(task);
      if (data.tasks.length < 10000) break;
    }
  }

  async function loadCost() {
    const cost = await maybe(`/jobs/${id}/cost`).catch(() => null);
    const el = main.querySelector('#job-cost');
    if (el) el.textContent = cost ? money(cost.usd) : '—';
  }

  async function loadAll() {
    job = await api(`/jobs/${id}`);
    for (const w of (await api('/workers')).workers) workers.set(w.id, w);
    await loadTasks();
    renderHead();
    grid.schedule(true);
    await loadStats();
    loadCost();
  }

  // --- a frame's record
  const dialog = main.querySelector('#frame-dialog');
  async function openFrame(i) {
    const frame = board.frames[i];
    const state = board.state[i];
    const taskId = board.taskOf[i];
    dialog.innerHTML = `<div class="dialog-head"><h2>Frame ${frame} ${pill(state === 'active' ? 'rendering' : state)}</h2>
      <button type="button" class="ghost" data-close>Close</button></div>
      <div class="dialog-body"><div class="frame-image">${state === 'completed'
        ? `<img id="frame-full" src="/api/v1/jobs/${id}/frames/${frame}/image?v=${board.version[i]}" alt="Frame ${frame}">`
        : `<div class="placeholder">${state === 'active' ? 'Rendering…' : 'Not rendered yet'}</div>`}</div>
      <div class="frame-facts" id="frame-facts"><p class="muted">Loading…</p></div></div>`;
    dialog.showModal();
    if (!taskId) return;
    try {
      const task = await api(`/tasks/${taskId}`);
      const attempts = task.attempt_list || [];
      const last = attempts[attempts.length - 1];
      const done = [...attempts].reverse().find((a) => a.outcome === 'completed');
      const result = done?.results.find((r) => r.frame === frame);
      const workerId = result ? done.worker : task.worker;
      const worker = workers.get(workerId);
      const log = task.log_tail || last?.log_tail || '';
      dialog.querySelector('#frame-facts').innerHTML = `<dl class="facts">
        <div><dt>Render time</dt><dd id="fact-time">${duration(result?.render_seconds)}</dd></div>
        <div><dt>Peak memory</dt><dd>${bytes(result?.peak_memory_bytes)}</dd></div>
        <div><dt>Worker</dt><dd>${worker ? escape(worker.name) : workerId ? `#${workerId}` : '—'}</dd></div>
        <div><dt>Attempts</dt><dd>${task.attempts}</dd></div>
        <div><dt>Task</dt><dd>#${task.id} (frames ${escape(task.frames)})</dd></div>
        ${result?.output ? `<div class="full"><dt>File</dt><dd class="path">${escape(result.output)}</dd></div>` : ''}
        ${last?.error ? `<div class="full"><dt>Error</dt><dd class="error">${escape(last.error)}</dd></div>` : ''}
        ${(result?.warnings || []).map((w) => `<div class="full"><dt>Warning</dt><dd>${escape(w)}</dd></div>`).join('')}
      </dl><h3>Log tail</h3><pre class="log">${escape(log.split('\n').slice(-40).join('\n')) || '<span class="muted">No log kept.</span>'}</pre>`;
    } catch (e) {
      dialog.querySelector('#frame-facts').innerHTML = `<p class="error">${escape(e.message)}</p>`;
    }
  }
  dialog.addEventListener('click', (e) => {
    if (e.target === dialog || e.target.closest('[data-close]')) dialog.close();
  });

  // --- actions
  main.querySelector('#job-actions').addEventListener('click', async (e) => {
    const button = e.target.closest('button[data-action]');
    if (!button) return;
    const result = await runAction(button);
    if (result?.deleted) return navigate('/jobs');
    if (result?.id) { job = { ...job, ...result }; renderHead(); }
  });
  main.querySelector('#job-stats').addEventListener('change', async (e) => {
    if (e.target.id !== 'priority') return;
    const updated = await setPriority(id, e.target.value);
    if (updated) { job = { ...job, ...updated }; renderHead(); }
  });

  // --- live
  const preview = showPreview(main.querySelector('#preview'), id);
  const stop = onLive((kind, data) => {
    if (kind === 'reload') return loadAll().catch(() => {});
    if (kind === 'farm') {
      if (data.job === id) preview.refresh();
      return;
    }
    if (kind !== 'change') return;
    let head = false, finished = false;
    const changed = [];
    for (const j of data.jobs) {
      if (j.id === id) { job = { ...job, ...j }; head = true; }
    }
    if (data.deleted_jobs.includes(id)) return navigate('/jobs');
    for (const task of data.tasks) {
      if (task.job !== id) continue;
      const c = board.applyTask(task);
      if (c.length) { changed.push(...c); head = true; }
      if (task.status === 'completed') finished = true;
    }
    if (data.reload_jobs.includes(id)) loadTasks().then(() => { grid.schedule(true); renderHead(); });
    for (const [jobId, frame] of data.thumbnails) {
      if (jobId !== id) continue;
      const i = board.thumbnailReady(frame);
      if (i >= 0) changed.push(i);
    }
    for (const w of data.workers) workers.set(w.id, w);
    if ((data.media || []).includes(id)) preview.refresh();
    if (changed.length) grid.refresh(changed);
    if (head && !main.querySelector('#job-stats').contains(document.activeElement)) renderHead();
    if (finished) loadStatsSoon();
  });

  await loadAll();
  return () => { stop(); grid.destroy(); preview.destroy(); clearTimeout(statsTimer); };
}
