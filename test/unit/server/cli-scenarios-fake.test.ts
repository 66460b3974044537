// The CLI's server-control scenarios (test/docker/cli-scenarios.ts) against the fake docker, compose v2: the
// same scenarios test/docker/cli-engine.test.ts runs against a real engine with compose v1.
import { cliScenarios } from '../../docker/cli-scenarios';
import { freePort, hasFakeServer, sandbox, WRAPPER_COMPOSE, type Sandbox } from './helpers';

const boxes = new Map<string, Sandbox>();

cliScenarios({
  name: 'fake docker, compose v2',
  skip: hasFakeServer ? undefined : 'out/test/server/fake-acestep-cli.js is not built',
  async folder(mode, envLines = []) {
    const gradioPort = await freePort();
    const apiPort = await freePort();
    const envText = [`ACESTEP_MODE=${mode}`, `GRADIO_PORT=${gradioPort}`, `API_PORT=${apiPort}`, ...envLines, ''].join('\n');
    const box = sandbox({ 'docker-compose.yml': WRAPPER_COMPOSE, '.env': envText });
    boxes.set(box.dir, box);
    return { dir: box.dir, gradioPort, apiPort, env: box.env, cleanup: async () => { boxes.delete(box.dir); box.cleanup(); } };
  },
  engineDown(f) {
    boxes.get(f.dir)!.setState({ engineDown: true });
  },
});
