// What a "New Song from a Description" run comes to, in words for a chat model or an agent (the tool
// acestep_write_from_description and the chat's "Let ACE-Step's LM write it").
import type { DescribeOutcome } from '../generate/describe-song';
import { nextStepFor, takeFiles } from './jobs';

export function describedOutcomeText(o: DescribeOutcome): string {
  const { job } = o;
  const song = o.songPath ? ` The .song with what the LM wrote: ${o.songPath}${o.applied.length ? ` (linter fixes applied: ${o.applied.join('; ')})` : ''}.` : '';
  const notes = o.notes.length ? ` Note: ${o.notes.join(' ')}` : '';
  if (job.state === 'succeeded') {
    const files = takeFiles(job);
    return `The ACE-Step server's LM wrote and generated "${job.title}": ${files.length} take${files.length === 1 ? '' : 's'}:\n${files.map(f => `- ${f}`).join('\n')}\nOutput folder: ${job.outputDir}.${song}${notes} Job id: ${job.id}.`;
  }
  const advice = nextStepFor(job);
  return `"${job.title}" ${job.state === 'lost' ? 'was lost' : job.state}: ${job.error?.message ?? 'unknown error'}${job.error?.serverMessage ? ` (server: ${job.error.serverMessage})` : ''}.${advice ? ` ${advice}` : ''}${song}${notes} Job id: ${job.id}.`;
}
