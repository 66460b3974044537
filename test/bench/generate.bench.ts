// Generation bench, one JSON object per line on stdout. Build first: node esbuild.mjs --tests
//   node out/test/bench/generate.bench.js [--quick] [--only=polling|download]
// (a) Time from the server marking a job done to all its files complete on disk, median over 20 jobs
//     ending at random moments (generation 2–12 s, run concurrently), for our JobManager and for two
//     naive clients polling every 5 s and every 1.5 s (the official clients' intervals); plus our
//     requests per second per job. Targets: ours ≤ 0.15 × the 5 s client's median, ≤ 2 req/s per job.
// (b) One 200 MB take: our download throughput vs `curl -o` against the same server in the same run
//     (target ≥ 0.9), and the peak RSS growth of a process doing our download (target ≤ 32 MB).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AceStepClient } from '../../src/core/api';
import { JobManager, MemoryJobStorage } from '../../src/core/jobs';
import { startFakeAceStep, type FakeServer } from '../server/fake-acestep';

const quick = process.argv.includes('--quick');
const only = process.argv.find(a => a.startsWith('--only='))?.slice(7); // 'polling' or 'download'
const JOBS = quick ? 8 : 20;
const TAKE_BYTES = 1_000_000;
const BIG = quick ? 50 * 1024 * 1024 : 200 * 1024 * 1024;
const ROUNDS = quick ? 2 : 5;

/** Highest rate of polls carrying one job (batched ones counted whole), per client: informational. */
const pollRates = new Map<string, number>();
const emit = (o: Record<string, unknown>) => process.stdout.write(JSON.stringify(o) + '\n');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const sleep = (ms: number) => new Promise<void>(r => setTimeout(r, ms));

/** A reproducible 2–12 s duration per job. */
function durations(n: number, seed = 20261125): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return 2000 + (x % 10_000);
  });
}

interface RunResult {
  name: string;
  lagsMs: number[];
  requests: number;
  jobSeconds: number;
  maxPerJobRate: number;
}

async function startServer(d: number[]): Promise<FakeServer> {
  return startFakeAceStep({
    flavour: 'S', workers: JOBS, audioBytes: TAKE_BYTES, progressSteps: 10,
    generationMs: params => d[Number(/bench-(\d+)/.exec(String(params.prompt))?.[1] ?? 0)],
  });
}

const request = (i: number) => ({ params: { prompt: `bench-${i}`, lyrics: '[inst]', batch_size: 1, audio_format: 'mp3' }, files: {} });

async function runOurs(d: number[], outDir: string): Promise<RunResult> {
  const server = await startServer(d);
  const m = new JobManager({ storage: new MemoryJobStorage() });
  const ids = d.map((_, i) => m.submit({ serverUrl: server.url, title: `bench ${i}`, outputDir: path.join(outDir, 'ours'), request: request(i) }).id);
  const done = await Promise.all(ids.map(id => m.waitFor(id)));
  const lags: number[] = [];
  let jobSeconds = 0;
  let maxRate = 0;
  // Requests attributed to jobs: a batched /query_result counts 1/n for each of its n jobs; the
  // server-wide calls (/health, /v1/models, /v1/stats) are shared evenly.
  const share = new Map<string, number>();
  let shared = 0;
  for (const r of server.requests) {
    if (r.path === '/query_result') {
      const ids: string[] = JSON.parse(r.body).task_id_list;
      for (const id of ids) share.set(id, (share.get(id) ?? 0) + 1 / ids.length);
    } else if (r.path === '/release_task') {
      const id = server.jobs.find(x => x.params.prompt === JSON.parse(r.body).prompt)?.id ?? '';
      share.set(id, (share.get(id) ?? 0) + 1);
    } else if (r.path.startsWith('/v1/audio')) {
      const p = new URL(r.path, 'http://x').searchParams.get('path');
      const id = server.jobs.find(x => x.files.includes(p ?? ''))?.id ?? '';
      share.set(id, (share.get(id) ?? 0) + 1);
    } else {
      shared++;
    }
  }
  let maxPolls = 0;
  for (const j of done) {
    if (j.state !== 'succeeded') throw new Error(`ours: job ${j.title} ${j.state}: ${j.error?.message}`);
    const fj = server.jobs.find(x => x.id === j.taskId)!;
    const filesDone = Math.max(...j.takes!.map(t => t.downloadedAt!));
    lags.push(filesDone - fj.endAt);
    const life = (filesDone - j.submittedAt!) / 1000;
    jobSeconds += life;
    maxRate = Math.max(maxRate, ((share.get(fj.id) ?? 0) + shared / done.length) / life);
    maxPolls = Math.max(maxPolls, (j.polls ?? 0) / ((fj.endAt - j.submittedAt!) / 1000 + lags[lags.length - 1] / 1000));
  }
  pollRates.set('ours', maxPolls);
  const requests = server.requests.length;
  await m.dispose();
  await server.close();
  return { name: 'ours', lagsMs: lags, requests, jobSeconds, maxPerJobRate: maxRate };
}

/** The official clients' way: each job polls its own id every `intervalMs`, then downloads. */
async function runNaive(d: number[], intervalMs: number, outDir: string): Promise<RunResult> {
  const server = await startServer(d);
  const client = new AceStepClient({ baseUrl: server.url });
  let jobSeconds = 0;
  let maxRate = 0;
  const lags = await Promise.all(d.map(async (_, i) => {
    const submitted = Date.now();
    const { taskId } = await client.releaseTask(request(i), { flavour: 'S' }); // startServer's flavour
    let polls = 0;
    for (;;) {
      await sleep(intervalMs);
      polls++;
      const [st] = await client.queryResult([taskId]);
      if (st.status === 2) throw new Error('naive: job failed');
      if (st.status !== 1) continue;
      for (const [k, item] of st.items.entries()) await client.download(item, path.join(outDir, `naive-${intervalMs}`, `${i}-${k}.mp3`));
      const doneAt = Date.now();
      const life = (doneAt - submitted) / 1000;
      jobSeconds += life;
      maxRate = Math.max(maxRate, (polls + 1 + st.items.length) / life);
      pollRates.set(`naive-${intervalMs / 1000}s`, Math.max(pollRates.get(`naive-${intervalMs / 1000}s`) ?? 0, polls / life));
      return doneAt - server.jobs.find(x => x.id === taskId)!.endAt;
    }
  }));
  const requests = server.requests.length;
  await client.close();
  await server.close();
  return { name: `naive-${intervalMs / 1000}s`, lagsMs: lags, requests, jobSeconds, maxPerJobRate: maxRate };
}

async function benchDoneToDisk(outDir: string): Promise<void> {
  const d = durations(JOBS);
  const t0 = Date.now();
  const [ours, n5, n15] = await Promise.all([runOurs(d, outDir), runNaive(d, 5000, outDir), runNaive(d, 1500, outDir)]);
  for (const r of [ours, n5, n15]) {
    emit({
      bench: 'generate.done-to-disk', client: r.name, jobs: JOBS, generation_ms: '2000-12000',
      median_ms: round(median(r.lagsMs)), p90_ms: round(pct(r.lagsMs, 0.9)), max_ms: round(Math.max(...r.lagsMs)),
      requests: r.requests, req_per_s_per_job: round(r.requests / r.jobSeconds, 3), max_req_per_s_one_job: round(r.maxPerJobRate, 2),
      max_polls_carrying_one_job_per_s: round(pollRates.get(r.name) ?? 0, 2),
    });
  }
  const ratio = median(ours.lagsMs) / median(n5.lagsMs);
  const rate = ours.requests / ours.jobSeconds;
  emit({
    bench: 'generate.done-to-disk.summary', ours_vs_5s: round(ratio, 3), target_ratio: 0.15,
    ours_vs_1_5s: round(median(ours.lagsMs) / median(n15.lagsMs), 3),
    ours_req_per_s_per_job: round(rate, 3), ours_max_req_per_s_one_job: round(ours.maxPerJobRate, 2),
    target_req_per_s: 2,
    pass: ratio <= 0.15 && rate <= 2 && ours.maxPerJobRate <= 2, seconds: round((Date.now() - t0) / 1000),
  });
}

function runChild(args: string[]): Promise<{ bytes: number; ms: number; baselineRss: number; peakRss: number; maxRss: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'download-child.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', c => { out += c; });
    child.stderr.on('data', c => { err += c; });
    child.on('exit', code => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`download child failed: ${err}`))));
  });
}

function runCurl(url: string, dest: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn('curl', ['-s', '-S', '-f', '-o', dest, url], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', c => { err += c; });
    child.on('exit', code => (code === 0 ? resolve(Number(process.hrtime.bigint() - t0) / 1e6) : reject(new Error(`curl failed: ${err}`))));
  });
}

interface Series { ours: number[]; curl: number[]; growth: number[]; lifetimeGrowth: number[] }

/** Alternates curl and our client ROUNDS times into `dir` (both see the same machine state). */
async function downloadSeries(url: string, link: string, dir: string, rounds: number): Promise<Series> {
  const out: Series = { ours: [], curl: [], growth: [], lifetimeGrowth: [] };
  for (let i = 0; i < rounds; i++) {
    const dc = path.join(dir, `curl-${i}.wav`);
    out.curl.push(await runCurl(url + link, dc));
    if (statSync(dc).size !== BIG) throw new Error('curl: wrong size');
    rmSync(dc, { force: true });
    const dO = path.join(dir, `ours-${i}.wav`);
    const r = await runChild([url, link, dO]);
    if (r.bytes !== BIG || statSync(dO).size !== BIG) throw new Error('ours: wrong size');
    rmSync(dO, { force: true });
    out.ours.push(r.ms);
    out.growth.push(r.peakRss - r.baselineRss);
    out.lifetimeGrowth.push(r.maxRss - r.baselineRss);
  }
  return out;
}

async function benchBigDownload(outDir: string): Promise<void> {
  const name = `download.${Math.round(BIG / 1024 / 1024)}MB`;
  if (spawnSync('curl', ['--version']).status !== 0) {
    emit({ bench: name, skipped: 'curl not found' });
    return;
  }
  const server = await startFakeAceStep({ flavour: 'W' });
  const link = server.addFile('/app/.cache/acestep/tmp/api_audio/big-take.wav', BIG);
  const mbps = (ms: number) => BIG / 1e6 / (ms / 1000);
  const MB = 1024 * 1024;
  // The measured comparison writes into memory-backed storage when there is some, so disk write-back
  // (shared with whatever else runs on the machine) does not blur a network comparison; a shorter
  // disk-backed series follows for information.
  const targets: { storage: string; dir: string; rounds: number; decisive: boolean }[] = [];
  if (existsSync('/dev/shm')) {
    try { targets.push({ storage: 'tmpfs', dir: mkdtempSync(path.join('/dev/shm', 'acestep-bench-')), rounds: ROUNDS, decisive: true }); } catch { /* none */ }
  }
  targets.push({ storage: 'disk', dir: outDir, rounds: targets.length ? Math.min(3, ROUNDS) : ROUNDS, decisive: !targets.length });
  try {
    for (const t of targets) {
      const r = await downloadSeries(server.url, link, t.dir, t.rounds);
      // Best of the rounds for each (the machine may be shared); curl's time includes its (tiny) start-up,
      // ours is measured inside the child around the download call.
      const ratio = mbps(Math.min(...r.ours)) / mbps(Math.min(...r.curl));
      const growthMB = Math.max(...r.growth) / MB;
      emit({
        bench: name, storage: t.storage,
        ours_MBps: round(mbps(Math.min(...r.ours))), curl_MBps: round(mbps(Math.min(...r.curl))), ratio: round(ratio, 3), target_ratio: 0.9,
        ours_ms: r.ours.map(x => round(x)), curl_ms: r.curl.map(x => round(x)),
        rss_growth_MB: round(growthMB, 2), target_rss_growth_MB: 32,
        // The process's whole-life peak (start-up and undici's one-off WebAssembly warm-up included), for reference.
        lifetime_peak_over_baseline_MB: round(Math.max(...r.lifetimeGrowth) / MB, 2),
        ...(t.decisive ? { pass: ratio >= 0.9 && growthMB <= 32 } : { informational: true }),
      });
    }
  } finally {
    await server.close();
    for (const t of targets) if (t.dir !== outDir) rmSync(t.dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const outDir = mkdtempSync(path.join(tmpdir(), 'acestep-bench-'));
  const t0 = Date.now();
  try {
    if (only !== 'download') await benchDoneToDisk(outDir);
    if (only !== 'polling') await benchBigDownload(outDir);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  emit({ bench: 'generate.total', seconds: round((Date.now() - t0) / 1000) });
}

main().catch(e => {
  process.stderr.write(`generate.bench: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
