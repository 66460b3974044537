import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyDockerError, describeProgressLine, PROGRESS, type DockerProblemKind } from '../../../src/core/server/docker-errors';

// Real texts docker and compose print (Linux, Docker Desktop on Windows, compose v1 and v2).
const CASES: Array<[DockerProblemKind, string]> = [
  ['engine-not-running', 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'],
  ['engine-not-running', 'error during connect: Get "http://%2F%2F.%2Fpipe%2FdockerDesktopLinuxEngine/v1.46/containers/json": open //./pipe/dockerDesktopLinuxEngine: The system cannot find the file specified.'],
  ['permission-denied', 'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.24/containers/json": dial unix /var/run/docker.sock: connect: permission denied'],
  ['no-compose-file', 'no configuration file provided: not found'],
  ['no-compose-file', "Can't find a suitable configuration file in this directory or any\nparent. Are you in the right directory?"],
  ['no-acestep-service', 'no such service: acestep'],
  ['env-file-missing', 'env file /home/me/acestep/.env not found: stat /home/me/acestep/.env: no such file or directory'],
  ['port-in-use', 'Error response from daemon: driver failed programming external connectivity on endpoint acestep (3f2a): Bind for 0.0.0.0:8501 failed: port is already allocated'],
  ['port-in-use', 'Error response from daemon: Ports are not available: exposing port TCP 0.0.0.0:8500 -> 0.0.0.0:0: listen tcp 0.0.0.0:8500: bind: address already in use'],
  ['nvidia-runtime-missing', 'Error response from daemon: could not select device driver "nvidia" with capabilities: [[gpu]]'],
  ['nvidia-runtime-missing', 'Error response from daemon: unknown or invalid runtime name: nvidia'],
  ['nvidia-runtime-missing', 'OCI runtime create failed: runc create failed: unable to start container process: error during container init: error running hook #0: error running hook: exit status 1, stdout: , stderr: Auto-detected mode as \'legacy\'\nnvidia-container-cli: initialization error: load library failed: libnvidia-ml.so.1: cannot open shared object file: no such file or directory: unknown'],
  ['pull-failed', 'Error response from daemon: pull access denied for acestep/nope, repository does not exist or may require \'docker login\': denied: requested access to the resource is denied'],
  ['pull-failed', 'Error response from daemon: manifest for example/acestep:9.9 not found: manifest unknown: manifest unknown'],
  ['build-failed', 'failed to solve: process "/bin/sh -c uv sync --no-dev" did not complete successfully: exit code: 1'],
  ['compose-missing', 'docker: unknown command: docker compose\n\nRun \'docker --help\' for more information'],
  ['compose-missing', "docker: 'compose' is not a docker command.\nSee 'docker --help'"],
  // compose v1 1.29 (Debian's) with the engine's socket missing, or not allowed: the last lines of its traceback
  ['engine-not-running', "  File \"/usr/lib/python3/dist-packages/docker/api/client.py\", line 221, in _retrieve_server_version\n    raise DockerException(\ndocker.errors.DockerException: Error while fetching server API version: ('Connection aborted.', FileNotFoundError(2, 'No such file or directory'))"],
  ['engine-not-running', "Couldn't connect to Docker daemon at http+docker://localhost - is it running?\n\nIf it's at a non-standard location, specify the URL with the DOCKER_HOST environment variable."],
  ['permission-denied', "docker.errors.DockerException: Error while fetching server API version: ('Connection aborted.', PermissionError(13, 'Permission denied'))"],
];

test('classifyDockerError recognises the usual failures', () => {
  for (const [kind, stderr] of CASES) {
    const p = classifyDockerError({ code: 1, stderr });
    assert.equal(p.kind, kind, stderr);
    assert.ok(p.message.length > 10 && p.nextStep.length > 10, kind);
    assert.ok(p.detail.length > 0, 'the tool\'s own words are kept');
  }
});

test('the port in use is named in the message', () => {
  assert.match(classifyDockerError({ stderr: CASES[7]![1] }).message, /Port 8501/);
  assert.match(classifyDockerError({ stderr: CASES[8]![1] }).message, /Port 8500/);
});

test('ENOENT means docker is missing; anything else keeps the tool\'s last lines', () => {
  const missing = classifyDockerError({ code: -1, spawnError: 'ENOENT', stderr: 'spawn docker ENOENT' }, { program: 'docker' });
  assert.equal(missing.kind, 'docker-missing');
  assert.match(missing.message, /not installed or not on PATH/);
  const other = classifyDockerError({ code: 17, stderr: 'line 1\n\u001b[31mSomething odd\u001b[0m\n' });
  assert.equal(other.kind, 'unknown');
  assert.equal(other.detail, 'line 1\nSomething odd');
  assert.match(other.message, /exit code 17.*Something odd/);
});

test('describeProgressLine turns compose and container lines into short texts', () => {
  const cases: Array<[string, string | undefined]> = [
    [' acestep Pulling ', PROGRESS.pulling],
    ['4f4fb700ef54 Downloading [=====>     ]  12.3MB/1.2GB', PROGRESS.pulling],
    ['#7 [3/9] RUN apt-get update', PROGRESS.building],
    [' Container acestep  Recreate', PROGRESS.starting],
    [' Container acestep-acestep-1  Started', PROGRESS.starting],
    [' Container acestep  Stopping', PROGRESS.stopping],
    ['acestep-1  | === First run: downloading main model (~15GB) ===', PROGRESS.downloading],
    ['acestep  | Fetching 12 files:  42%|████▏     | 5/12 [01:02<01:27, 12.5s/it]', PROGRESS.downloading],
    ['=== Starting standalone REST API on port 8001 ===', PROGRESS.serverStarting],
    ['[API Server] Loading DiT model acestep-v15-turbo...', PROGRESS.loading],
    ['INFO:     Uvicorn running on http://0.0.0.0:8001 (Press CTRL+C to quit)', PROGRESS.listening],
    ['* Running on local URL:  http://0.0.0.0:7860', PROGRESS.listening],
    ['', undefined],
    ['just a line', undefined],
  ];
  for (const [line, expected] of cases) assert.equal(describeProgressLine(line), expected, line);
});
