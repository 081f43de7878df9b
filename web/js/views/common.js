// Pieces the views share: status pills, progress, job actions.
import { api } from '../api.js';
import { escape } from '../format.js';
import { toast } from '../app.js';

export function pill(status) {
  return `<span class="pill" data-status="${escape(status)}">${escape(status)}</span>`;
}

export function framesDone(job) {
  if (job.frames_done != null) return job.frames_done;
  const done = job.tasks?.completed ?? 0;
  return Math.min(job.frame_count, done * (job.chunk || 1));
}

export function progress(job) {
  const done = framesDone(job);
  const failed = Math.min(job.frame_count - done, (job.tasks?.failed ?? 0) * (job.chunk || 1));
  const pct = job.frame_count ? (100 * done) / job.frame_count : 0;
  const bad = job.frame_count ? (100 * failed) / job.frame_count : 0;
  return `<div class="bar" role="progressbar" aria-valuenow="${Math.round(pct)}" aria-valuemin="0" aria-valuemax="100">
      <span class="done" style="width:${pct}%"></span><span class="bad" style="width:${bad}%"></span></div>`;
}

// Seconds left from the pace so far; null when it cannot be told.
export function etaSeconds(job, now = Date.now()) {
  if (job.status !== 'active' && job.status !== 'queued') return null;
  const done = framesDone(job);
  if (done === 0 || !job.created_ms) return null;
  const elapsed = (now - job.created_ms) / 1000;
  return ((job.frame_count - done) * elapsed) / done;
}

// Which actions a job in this status allows.
export function actionsFor(job) {
  const s = job.status;
  const failedTasks = (job.tasks?.failed ?? 0) + (job.tasks?.canceled ?? 0);
  return {
    pause: s === 'queued' || s === 'active',
    resume: s === 'paused',
    cancel: s === 'queued' || s === 'active' || s === 'paused',
    requeue: s === 'failed' || s === 'canceled' || failedTasks > 0,
    delete: true,
  };
}

export function actionButtons(job) {
  const allowed = actionsFor(job);
  const button = (name, label, cls = '') =>
    `<button type="button" class="small ${cls}" data-action="${name}" data-job="${job.id}"
      ${allowed[name] ? '' : 'disabled'}>${label}</button>`;
  return `<div class="actions">${button('pause', 'Pause')}${button('resume', 'Resume')}
    ${button('cancel', 'Cancel')}${button('requeue', 'Requeue failed')}${button('delete', 'Delete', 'danger')}</div>`;
}

// Runs a job action from a button's data-action; returns the job as it is afterwards.
export async function runAction(button) {
  const { action, job } = button.dataset;
  if (action === 'delete' && !confirm(`Delete job ${job} and its records? Frames on disk stay.`)) return null;
  if (action === 'cancel' && !confirm(`Cancel job ${job}? Frames in progress stop.`)) return null;
  button.disabled = true;
  try {
    const result = action === 'delete'
      ? await api(`/jobs/${job}`, { method: 'DELETE' })
      : await api(`/jobs/${job}/${action}`, { method: 'POST' });
    const said = { pause: 'paused', resume: 'resumed', cancel: 'canceled',
      requeue: 'failed frames queued again', delete: 'deleted' }[action];
    toast(`Job ${job}: ${said}`);
    return result;
  } catch (e) {
    toast(e.message, 'error');
    button.disabled = false;
    return null;
  }
}

export async function setPriority(jobId, value) {
  try {
    const job = await api(`/jobs/${jobId}/priority`, { method: 'POST', body: { priority: Number(value) } });
    toast(`Job ${jobId}: priority ${job.priority}`);
    return job;
  } catch (e) {
    toast(e.message, 'error');
    return null;
  }
}
