// acestep-song lora list|load PATH [--scale S]|unload|scale S [--server URL] [--json]
// Style adapters (LoRA) on a current upstream ACE-Step server: what is loaded, load one (a path on the SERVER's
// machine), unload it, set its strength. Other servers have no such routes: refused, naming the server kind.
// Exit: 0 done, 1 the server refused or failed, 2 usage error.
import { AceStepClient, AceStepError, LORA_MAX_SCALE, type Flavour } from '../core/api';
import { parseArgs } from './args';
import { usageLine, type CliIO } from './io';
import { serverUrlFor } from './server-url';

const USAGE = `usage: acestep-song lora list|load PATH [--scale S]|unload|scale S [--server URL] [--json]

Style adapters (LoRA) on the server (current upstream ACE-Step servers only):
  list           what is loaded: the adapter, whether it is used, its scale
  load PATH      load the adapter at PATH (a folder or file on the SERVER's machine), replacing the loaded one
  unload         go back to the base model
  scale S        set the loaded adapter's strength, 0 to ${LORA_MAX_SCALE}

options:
  --scale S      with load: the strength to set right after loading
  --server URL   the server (default: $ACESTEP_URL, else http://localhost:8501); the key comes from $ACESTEP_API_KEY
  --json         print the answer as JSON

example:
  acestep-song lora load /app/lora_output/city-pop --scale 0.7 --server http://localhost:8001`;

function readScale(s: string | undefined): number | string {
  const n = Number(s);
  return s !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(s) && n >= 0 && n <= LORA_MAX_SCALE ? n : `the scale must be a number from 0 to ${LORA_MAX_SCALE} (got ${s ?? 'nothing'})`;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) { io.out(USAGE); return 0; }
  const p = parseArgs(args, ['json'], { server: 'a URL', scale: 'a number' });
  const fail = (problem: string) => { io.err(`acestep-song lora: ${problem}\n${usageLine(USAGE)}`); return 2; };
  if (typeof p === 'string') return fail(p);
  const [action, arg, extra] = p.words;
  const wants = { list: 0, load: 1, unload: 0, scale: 1 } as Record<string, number>;
  if (!action || !(action in wants)) return fail(action ? `unknown action ${action}` : 'which action? list, load, unload or scale');
  if ((arg === undefined) !== (wants[action] === 0) || extra !== undefined) return fail(wants[action] ? `${action} needs ${action === 'load' ? 'PATH' : 'S'}` : `unexpected ${arg}`);
  if (p.values.scale !== undefined && action !== 'load') return fail('--scale goes with load');
  const scale = action === 'scale' ? readScale(arg) : p.values.scale !== undefined ? readScale(p.values.scale) : undefined;
  if (typeof scale === 'string') return fail(scale);
  const json = p.flags.has('json');
  let client: AceStepClient;
  try {
    client = new AceStepClient({ baseUrl: serverUrlFor(p.values.server, io, 'lora'), apiKey: io.env.ACESTEP_API_KEY || undefined });
  } catch (e) {
    return fail((e as Error).message);
  }
  try {
    const flavour: Flavour = (await client.detectFlavour()).flavour;
    const o = { flavour };
    let message = '';
    if (action === 'load') {
      message = await client.loraLoad({ path: arg! }, o);
      if (scale !== undefined) message += `\n${await client.loraScale(scale, o)}`;
    } else if (action === 'unload') message = await client.loraUnload(o);
    else if (action === 'scale') message = await client.loraScale(scale!, o);
    const st = await client.loraStatus(o);
    if (json) io.out(JSON.stringify({ server: client.baseUrl, ...(message ? { message } : {}), status: st }, null, 2));
    else {
      if (message) io.out(message);
      io.out(st.loaded
        ? `loaded: ${st.adapters.join(', ') || '(one adapter)'}${st.adapterType ? ` (${st.adapterType})` : ''}, ${st.active ? 'in use' : 'switched off'}, scale ${st.scale}`
        : 'no adapter loaded (the base model)');
    }
    return 0;
  } catch (e) {
    const err = e instanceof AceStepError ? e : new AceStepError('server', String(e));
    if (json) io.out(JSON.stringify({ server: client.baseUrl, error: err.toJSON() }, null, 2));
    io.err(`acestep-song lora: ${err.message}`);
    return 1;
  } finally {
    await client.close();
  }
}
