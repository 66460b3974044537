// Child process of the download bench: downloads one link with the real client and reports its own
// memory (peak RSS growth over the download) and timing as one JSON line on stdout.
//   node out/test/bench/download-child.js BASE_URL LINK DEST
import { AceStepClient } from '../../src/core/api';

async function main(): Promise<void> {
  const [baseUrl, link, dest] = process.argv.slice(2);
  const client = new AceStepClient({ baseUrl });
  // Warm up (module loading, the first connection) and let V8 finish its one-off background work
  // (undici's llhttp WebAssembly tier-up takes ~30 MB for a moment after the first request), so the
  // baseline holds the steady state and the growth measured is the download's own.
  await client.health();
  await new Promise(r => setTimeout(r, 1500));
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
  const t0 = process.hrtime.bigint();
  const r = await client.download(link, dest);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  // maxRSS is the whole life of the process (start-up included): reported for reference only.
  const maxRss = process.resourceUsage().maxRSS * 1024;
  await client.close();
  process.stdout.write(JSON.stringify({ bytes: r.bytes, ms, baselineRss: baseline, peakRss: peak, maxRss }) + '\n');
}

main().catch(e => {
  process.stderr.write(`download-child: ${(e as Error).message}\n`);
  process.exit(1);
});
