// The CLI's server-control scenarios (cli-scenarios.ts) against a real Docker engine: the one
// test/docker/engine.mjs prepared, with the compose this machine has (Debian's: docker-compose v1).
import { composeDown, engineFolder, engineInfo } from './engine-env';
import { cliScenarios } from './cli-scenarios';

const engine = engineInfo();

cliScenarios({
  name: typeof engine === 'string' ? 'real engine' : `real engine, ${engine.compose}`,
  skip: typeof engine === 'string' ? engine : undefined,
  async folder(mode, envLines) {
    if (typeof engine === 'string') throw new Error(engine);
    const f = await engineFolder(engine, mode, envLines);
    const env = { ...process.env, ACESTEP_COMPOSE_DIR: undefined, ACESTEP_DOCKER: undefined, ACESTEP_MODE: undefined };
    return { ...f, env, cleanup: async () => composeDown(engine, f.dir) };
  },
  engineDown(f) {
    // A socket nobody listens on: docker and compose then fail as with a stopped engine.
    f.env = { ...f.env, DOCKER_HOST: `unix://${f.dir}/no-engine.sock` };
  },
});
