// Runs the fake ACE-Step server from the command line (for the fake docker and manual testing):
//   node out/test/server/fake-acestep-cli.js --flavour S --port 8501 --generation-ms 3000
// Prints "listening <url>" once ready; exits cleanly on SIGTERM/SIGINT.
import { startFakeAceStep, type FakeOptions, type Flavour } from './fake-acestep';

const USAGE = `usage: fake-acestep-cli [--flavour W|S|U|G] [--port N] [--generation-ms N] [--progress-steps N]
  [--api-key KEY] [--audio-bytes N] [--model-load-ms N] [--workers N] [--no-lm] [--latency-ms N]`;

export function parseCliArgs(argv: string[]): { port: number; options: Partial<FakeOptions> } {
  const options: Partial<FakeOptions> = {};
  let port = 0;
  const num = (name: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < 0) throw new Error(`${name} needs a non-negative number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    switch (a) {
      case '--flavour': case '--flavor': {
        const v = (next() ?? '').toUpperCase();
        if (!['W', 'S', 'U', 'G'].includes(v)) throw new Error('--flavour must be W, S, U or G');
        options.flavour = v as Flavour;
        break;
      }
      case '--port': port = num(a, next()); break;
      case '--generation-ms': options.generationMs = num(a, next()); break;
      case '--progress-steps': options.progressSteps = num(a, next()); break;
      case '--api-key': options.apiKey = next() ?? ''; break;
      case '--audio-bytes': options.audioBytes = num(a, next()); break;
      case '--model-load-ms': options.modelLoadMs = num(a, next()); break;
      case '--workers': options.workers = Math.max(1, num(a, next())); break;
      case '--latency-ms': options.latencyMs = num(a, next()); break;
      case '--no-lm': options.lmLoaded = false; break;
      case '-h': case '--help': throw new Error(USAGE);
      default: throw new Error(`unknown option ${a}\n${USAGE}`);
    }
  }
  return { port, options };
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseCliArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  const { port, options } = parsed;
  const fake = await startFakeAceStep({ ...options, port });
  process.stdout.write(`listening ${fake.url}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    fake.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (require.main === module) void main();
