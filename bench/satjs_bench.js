// satjs_bench.js: satellite.js (npm, pure-JavaScript SGP4) propagations per
// second on the same satellites and instants as bench/sgp4_bench.c.
// Usage: node bench/satjs_bench.js [TLE_FILE] [MINUTES] [STEP_MIN] [REPEATS]
import { readFileSync } from 'node:fs';
import { twoline2satrec, sgp4 } from 'satellite.js';

const path = process.argv[2] ?? 'data/tle/starlink_celestrak_gp_2026-06-24.tle';
const minutes = Number(process.argv[3] ?? 1440);
const step = Number(process.argv[4] ?? 1);
const repeats = Number(process.argv[5] ?? 5);

function loadSatrecs(file) {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const sats = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (lines[i].startsWith('1 ') && lines[i + 1].startsWith('2 ')) {
      sats.push(twoline2satrec(lines[i], lines[i + 1]));
      i++;
    }
  }
  return sats;
}

// The newest epoch rounded down to the minute, as sgp4_bench.c does.
function startJd(sats) {
  let best = -Infinity;
  for (const s of sats) best = Math.max(best, s.jdsatepoch + (s.jdsatepochF ?? 0));
  const day = Math.floor(best - 0.5) + 0.5;
  return day + Math.floor((best - day) * 1440) / 1440;
}

const sats = loadSatrecs(path);
const t0 = startJd(sats);
const steps = Math.floor(minutes / step) + 1;
// minutes from each satellite's epoch to the start instant
const offset = sats.map((s) => (t0 - (s.jdsatepoch + (s.jdsatepochF ?? 0))) * 1440);

let checksum = 0;
function runOnce() {
  // CPU time of the process (user + system, all of Node's threads), as
  // sgp4_bench.c measures: other load on a shared machine does not count.
  const begin = process.cpuUsage();
  for (let k = 0; k < steps; k++) {
    const dt = k * step;
    for (let i = 0; i < sats.length; i++) {
      const pv = sgp4(sats[i], offset[i] + dt);
      if (pv && pv.position) checksum += pv.position.x * 1e-12;
    }
  }
  const used = process.cpuUsage(begin);
  const seconds = (used.user + used.system) * 1e-6;
  return (sats.length * steps) / seconds;
}

const rates = [];
for (let r = 0; r < repeats; r++) rates.push(runOnce());
rates.sort((a, b) => a - b);
const mid = Math.floor(repeats / 2);
const median = repeats % 2 ? rates[mid] : 0.5 * (rates[mid - 1] + rates[mid]);
const iso = new Date(Math.round((t0 - 2440587.5) * 86400) * 1000).toISOString().replace('.000Z', 'Z');
console.log(`satellites ${sats.length}, instants ${steps} (${step} min step from ${iso}), repeats ${repeats}`);
console.log(`satjs_props_per_s ${median.toFixed(0)}`);
if (checksum === 12345.678) console.log('(checksum)');
