// The test ACE-Step server as it runs inside the test image (test/docker/engine.mjs bundles this file into it).
//   node server.js --flavour S|G --port 8001 [--api-key KEY]
// The fake listens on 127.0.0.1 only, so this starts it on a loopback port and forwards the container port
// (on every interface, where Docker's published port arrives) to it. Prints a start line like the real servers.
// ACESTEP_TEST_CRASH set: prints an out-of-memory error and exits 1 at once, like a server that cannot start.
import * as net from 'node:net';
import { parseCliArgs } from '../server/fake-acestep-cli';
import { startFakeAceStep } from '../server/fake-acestep';

async function main(): Promise<void> {
  if (process.env.ACESTEP_TEST_CRASH) {
    console.error('torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB');
    process.exit(1);
  }
  const { port, options } = parseCliArgs(process.argv.slice(2));
  const fake = await startFakeAceStep({ ...options, port: 0 });
  const inner = Number(new URL(fake.url).port);
  const proxy = net.createServer(client => {
    const upstream = net.connect(inner, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    const end = (): void => { client.destroy(); upstream.destroy(); };
    client.on('error', end);
    upstream.on('error', end);
  });
  proxy.listen(port, '0.0.0.0', () => console.log(`ACE-Step test server (flavour ${options.flavour ?? 'W'}) listening on 0.0.0.0:${port}`));
  const stop = (): void => { proxy.close(); void fake.close().then(() => process.exit(0)); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main().catch(e => { console.error(e instanceof Error ? e.message : String(e)); process.exit(2); });
