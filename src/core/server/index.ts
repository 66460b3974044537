// Server control core: .env editing, docker compose argv and runner, ports, errors, health waits, state.
export * from './types';
export * from './interpolate';
export * from './env-file';
export * from './compose';
export * from './ports';
export * from './docker-errors';
export * from './health-wait';
export * from './server-state';
export * from './setup-templates';
export * from './setup-gpus';
export * from './services';
export * from './gpus';
export * from './control';
export * from './endpoint-choice';
export * from './hand-off';
