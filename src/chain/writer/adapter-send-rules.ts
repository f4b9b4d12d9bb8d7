// What an answer to a command POST tells about the command (services.md §2.2), and what the
// status read that follows an ambiguous answer decides. Pure rules of the adapter writer.

import type { ChainCommand } from './chain-writer.js';

/** A POST's answer, or the transport error that took its place. */
export type PostAnswer = { status: number; text: string } | { error: string };

/**
 * `accepted`: the adapter holds the command. `refused`: it does not and says why (definite).
 * `unanswered`: it may hold it (timeout, reset, 5xx: the request may have been processed).
 * `duplicate`: a 400/409, which the adapter also answers when it already holds the command.
 */
export type PostOutcome =
  { kind: 'accepted' } | { kind: 'refused' | 'unanswered' | 'duplicate'; reason: string };

export function classifyPostAnswer(
  answer: PostAnswer,
  chainTaskId: string,
  command: ChainCommand,
): PostOutcome {
  if ('error' in answer)
    return { kind: 'unanswered', reason: `adapter unreachable for ${command}: ${answer.error}` };
  const { status } = answer;
  const text = answer.text.trim();
  if (status >= 500) return { kind: 'unanswered', reason: `adapter answered HTTP ${status}` };
  if (status === 400 || status === 409)
    return { kind: 'duplicate', reason: `adapter answered HTTP ${status} to ${command}` };
  if (status < 200 || status >= 300)
    return { kind: 'refused', reason: `adapter answered HTTP ${status} to ${command}` };
  if (text === '')
    return { kind: 'refused', reason: `adapter accepted ${command} with an empty body` };
  if (text.toLowerCase() !== chainTaskId.toLowerCase())
    return {
      kind: 'refused',
      reason: `adapter ${command} answered task ${text}, expected ${chainTaskId}`,
    };
  return { kind: 'accepted' };
}

/** The status endpoint's answer: the command exists, is unknown (404), or could not be read. */
export type StatusRead = 'EXISTS' | 'ABSENT' | 'UNREADABLE';

/**
 * After an ambiguous POST: `accepted` (the adapter holds the command, its status poll settles
 * it), `post-again`, `retry-later` (the task stays where it is) or `refused` (definite). A 400
 * with no command is definite only when no earlier POST of this request went unanswered: that one
 * may still be in the adapter's pre-checks.
 */
export function afterStatusRead(
  outcome: 'unanswered' | 'duplicate',
  read: StatusRead,
  earlierUnanswered: boolean,
  attemptsLeft: boolean,
): 'accepted' | 'post-again' | 'retry-later' | 'refused' {
  if (read === 'EXISTS') return 'accepted';
  if (read === 'UNREADABLE') return 'retry-later';
  if (outcome === 'duplicate') return earlierUnanswered ? 'retry-later' : 'refused';
  return attemptsLeft ? 'post-again' : 'retry-later';
}
