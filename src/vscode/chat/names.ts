// The names VS Code knows the AI features by (package.json contributes them): the chat participant's ID and the
// language model tools' names. A module of its own, so activation registers them without loading the chat.

export const PARTICIPANT_ID = 'acestep.chat';

export const TOOL_NAMES = {
  validate: 'acestep_validate_song',
  generate: 'acestep_generate_song',
  jobStatus: 'acestep_job_status',
  switchMode: 'acestep_switch_mode',
  describe: 'acestep_write_from_description',
} as const;
