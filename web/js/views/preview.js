// The job's preview video (made by the manager from the frames when the job completes, or on
// demand) and its contact sheet. The status line says whether it plays and how long it runs.
import { api, maybe } from '../api.js';
import { duration, escape } from '../format.js';

export function showPreview(box, id) {
  let state = null;
  let destroyed = false;

  function render() {
    if (!state) {
      box.innerHTML = `<p class="muted small">This manager makes no preview videos.</p>`;
      return;
    }
    if (state.state === 'ready') {
      if (box.querySelector('video')) return;
      box.innerHTML = `
        <video id="preview-video" controls preload="metadata" playsinline
               poster="/api/v1/jobs/${id}/contact-sheet.png">
          <source src="/api/v1/jobs/${id}/preview.webm" type="video/webm">
          <source src="/api/v1/jobs/${id}/preview.mp4" type="video/mp4">
        </video>
        <p class="small muted" id="preview-status" data-playing="false">Ready</p>
        <p class="small"><a href="/api/v1/jobs/${id}/contact-sheet.png" target="_blank">Contact sheet</a>
          · <a href="/api/v1/jobs/${id}/preview.mp4" download>MP4</a>
          · <a href="/api/v1/jobs/${id}/preview.webm" download>WebM</a></p>`;
      const video = box.querySelector('video');
      const status = box.querySelector('#preview-status');
      const say = () => {
        const playing = !video.paused && !video.ended;
        status.dataset.playing = String(playing);
        status.dataset.duration = isFinite(video.duration) ? video.duration.toFixed(3) : '';
        status.textContent = `${playing ? 'Playing' : video.ended ? 'Played' : 'Paused'} · ` +
          `${duration(video.currentTime)} of ${duration(video.duration)}`;
      };
      for (const e of ['loadedmetadata', 'playing', 'pause', 'ended', 'timeupdate']) {
        video.addEventListener(e, say);
      }
      return;
    }
    const making = state.state === 'making' || state.busy;
    box.innerHTML = `<p class="muted small" id="preview-status">${
      making ? 'Making the preview video…'
        : state.state === 'failed' ? `The preview failed: ${escape(state.error || state.message || '')}`
          : 'A preview video is made when the job completes.'}</p>
      ${making ? '' : '<button type="button" class="small" id="make-preview">Make preview now</button>'}`;
    box.querySelector('#make-preview')?.addEventListener('click', async () => {
      try {
        state = await api(`/jobs/${id}/preview`, { method: 'POST' });
      } catch (e) {
        state = { state: 'failed', error: e.message };
      }
      render();
    });
  }

  async function refresh() {
    if (destroyed) return;
    state = await maybe(`/jobs/${id}/preview`).catch(() => null);
    render();
  }
  refresh();
  return { refresh, destroy: () => { destroyed = true; } };
}
