// Render time per frame as an inline SVG: measured frames as an area, frames still to render as
// a dashed line interpolated from their measured neighbours (as the live ETA predicts them), and
// the mean. An expensive stretch stands out at a glance.
import { duration } from './format.js';

// Each frame's seconds: measured, or interpolated between the nearest measured frames.
export function estimateSeries(frames, measured) {
  const known = frames.map((f) => measured.get(f));
  const out = new Array(frames.length);
  let prev = -1;
  for (let i = 0; i < frames.length; i++) {
    if (known[i] != null) { prev = i; out[i] = known[i]; continue; }
    let next = i + 1;
    while (next < frames.length && known[next] == null) next++;
    const a = prev >= 0 ? known[prev] : null;
    const b = next < frames.length ? known[next] : null;
    if (a == null && b == null) out[i] = null;
    else if (a == null) out[i] = b;
    else if (b == null) out[i] = a;
    else out[i] = a + ((b - a) * (i - prev)) / (next - prev);
  }
  return out;
}

export function drawChart(svg, frames, measured) {
  // Drawn at the size it shows, so its text is not stretched.
  const W = Math.max(240, Math.round(svg.clientWidth || 600)), H = 200, L = 48, R = 8, T = 10, B = 24;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const series = estimateSeries(frames, measured);
  const values = series.filter((v) => v != null);
  if (values.length === 0) {
    svg.innerHTML = `<text x="${W / 2}" y="${H / 2}" text-anchor="middle" class="chart-empty">
      Render times appear as frames finish</text>`;
    return;
  }
  const max = Math.max(...values) * 1.1 || 1;
  const n = frames.length;
  const x = (i) => L + (n === 1 ? (W - L - R) / 2 : ((W - L - R) * i) / (n - 1));
  const y = (v) => T + (H - T - B) * (1 - v / max);
  let area = '', line = '', estimate = '';
  let inArea = false, inEst = false;
  for (let i = 0; i < n; i++) {
    const v = series[i];
    if (v == null) { inArea = inEst = false; continue; }
    const isMeasured = measured.has(frames[i]);
    if (isMeasured) {
      area += `${inArea ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      line += `${inArea ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      inArea = true;
    } else {
      inArea = false;
    }
    const nextMeasured = i + 1 < n && measured.has(frames[i + 1]);
    if (!isMeasured || (i + 1 < n && !nextMeasured)) {
      estimate += `${inEst ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      inEst = true;
    } else {
      inEst = false;
    }
  }
  const measuredValues = [...measured.values()];
  const mean = measuredValues.reduce((a, b) => a + b, 0) / Math.max(1, measuredValues.length);
  const total = series.reduce((a, b) => a + (b ?? 0), 0);
  const ticks = [0, max / 2, max].map((v) =>
    `<text x="${L - 6}" y="${y(v) + 4}" text-anchor="end" class="axis">${duration(v)}</text>
     <line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" class="gridline"/>`).join('');
  // The area under the measured line, closed down to the axis run by run.
  const fill = line.split('M').filter(Boolean).map((run) => {
    const pts = run.split('L');
    const first = pts[0].split(',')[0], last = pts[pts.length - 1].split(',')[0];
    return `M${first},${y(0)}L${run}L${last},${y(0)}Z`;
  }).join('');
  svg.innerHTML = `${ticks}
    <path d="${fill}" class="area"/>
    <path d="${line}" class="line"/>
    <path d="${estimate}" class="estimate"/>
    ${measuredValues.length ? `<line x1="${L}" x2="${W - R}" y1="${y(mean)}" y2="${y(mean)}" class="mean"/>` : ''}
    <text x="${L}" y="${H - 6}" class="axis">frame ${frames[0]}</text>
    <text x="${W - R}" y="${H - 6}" text-anchor="end" class="axis">frame ${frames[n - 1]}</text>`;
  svg.dataset.measured = measured.size;
  return { mean, total };
}
