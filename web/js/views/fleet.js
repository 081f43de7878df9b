// Fleet: the machines the manager runs (with --provider): type, zone, the provider's own state
// (Slurm's), launch time, Spot or on-demand, interruptions and cost so far.
import { maybe } from '../api.js';
import { clock, escape, isoMs, money } from '../format.js';
import { onLive } from '../live.js';
import { pill } from './common.js';

export async function showFleet(main) {
  main.innerHTML = `<section class="page"><div class="page-head"><h1>Fleet</h1>
    <p class="muted" id="fleet-summary"></p></div><div id="fleet-body"></div></section>`;
  const box = main.querySelector('#fleet-body');

  let loaded = 0;
  async function load() {
    loaded = Date.now();
    const fleet = await maybe('/fleet');
    if (!fleet) {
      main.querySelector('#fleet-summary').textContent = '';
      box.innerHTML = `<div class="card empty-card"><h2>No fleet</h2>
        <p class="muted">This manager does not start machines itself. Run it with
        <code>--provider local</code> or <code>--provider aws</code> to have it follow the queue,
        or start workers by hand (see the Workers page).</p></div>`;
      return;
    }
    const instances = fleet.instances || [];
    const running = instances.filter((i) => i.running);
    const spot = running.filter((i) => i.interruptible).length;
    main.querySelector('#fleet-summary').textContent =
      `${fleet.provider} · ${running.length} running (${spot} Spot, ${running.length - spot} on-demand)` +
      (fleet.wanted != null ? ` · ${fleet.wanted} wanted` : '');
    const byType = {};
    for (const i of running) byType[i.kind] = (byType[i.kind] || 0) + 1;
    box.innerHTML = `
      <div class="card stats"><dl class="figures">
        <div><dt>Cost so far</dt><dd id="fleet-cost">${money(fleet.cost?.usd)}</dd></div>
        <div><dt>Instance hours</dt><dd>${(fleet.cost?.instance_hours ?? 0).toFixed(2)}</dd></div>
        <div><dt>Running</dt><dd>${running.length}</dd></div>
        <div><dt>Interruptions</dt><dd>${fleet.interruptions ?? '—'}</dd></div>
        <div><dt>Types</dt><dd>${Object.entries(byType).map(([k, n]) => `${escape(k)} × ${n}`).join(', ') || '—'}</dd></div>
      </dl>
      ${fleet.launch_stopped ? `<p class="note warn">${escape(fleet.launch_stopped)}</p>` : ''}
      ${(fleet.cost?.notes || []).map((n) => `<p class="note">${escape(n)}</p>`).join('')}</div>
      <div class="card table-card"><table class="table fleet">
        <thead><tr><th>Instance</th><th>State</th><th>Provider state</th><th>Type</th>
          <th>Zone</th><th>Launched</th><th>Market</th><th class="num">Price/h</th></tr></thead>
        <tbody>${instances.map((i) => `<tr>
          <td><code>${escape(i.id)}</code></td><td>${pill(i.running ? 'running' : 'stopped')}</td>
          <td>${escape(i.detail || '—')}</td><td>${escape(i.kind)}</td><td>${escape(i.zone || '—')}</td>
          <td title="${escape(i.launched_at || '')}">${clock(isoMs(i.launched_at))}</td>
          <td>${i.interruptible ? 'Spot' : 'on-demand'}</td><td class="num">${money(i.usd_per_hour)}</td></tr>`).join('')}
        </tbody></table></div>`;
  }

  // The manager counts interruptions (GET /fleet's `interruptions`), so a reload shows them all.
  const stop = onLive((kind, data) => {
    if (kind === 'reload') return load();
    // Workers come and go with the fleet; read it again at most every few seconds.
    if (kind === 'change' && data.workers.length && Date.now() - loaded > 3000) load();
  });
  await load();
  return stop;
}
