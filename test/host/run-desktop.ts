// The same host suite through @vscode/test-electron, for machines that can download desktop VS Code:
//   npm run test:desktop
// (Where VS Code cannot be downloaded, `npm test` runs the suite in code-server instead.)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../../..');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'acestep-desktop-'));
  fs.cpSync(path.join(root, 'examples'), workspace, { recursive: true });
  const fixtures = ['test/fixtures/fake-lm-extension'].map(p => path.join(root, p)).filter(p => fs.existsSync(path.join(p, 'package.json')));
  try {
    await runTests({
      version: process.env.ACESTEP_VSCODE_VERSION || 'stable',
      extensionDevelopmentPath: [root, ...fixtures],
      extensionTestsPath: path.join(root, 'out/test/host/suite/index'),
      launchArgs: [workspace, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
      extensionTestsEnv: { ACESTEP_TEST_WORKSPACE: workspace, ACESTEP_SCREENSHOT_DIR: path.join(root, 'out/screenshots') },
    });
  } catch (e) {
    console.error(`desktop host tests failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

void main();
