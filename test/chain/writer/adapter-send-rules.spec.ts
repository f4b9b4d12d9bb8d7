import {
  afterStatusRead,
  classifyPostAnswer,
} from '../../../src/chain/writer/adapter-send-rules.js';

const id = `0x${'ab'.repeat(32)}`;

describe('classifyPostAnswer (issue 16 §4)', () => {
  it.each([
    [{ status: 200, text: id }, 'accepted'],
    [{ status: 200, text: ` ${id.toUpperCase().replace('0X', '0x')}\n` }, 'accepted'],
    [{ status: 200, text: '' }, 'refused'],
    [{ status: 200, text: `0x${'cd'.repeat(32)}` }, 'refused'],
    [{ status: 401, text: '' }, 'refused'],
    [{ status: 404, text: '' }, 'refused'],
    [{ status: 400, text: '' }, 'duplicate'],
    [{ status: 409, text: 'already exists' }, 'duplicate'],
    [{ status: 500, text: '' }, 'unanswered'],
    [{ status: 503, text: '' }, 'unanswered'],
    [{ error: 'timeout of 1000ms exceeded' }, 'unanswered'],
    [{ error: 'socket hang up' }, 'unanswered'],
  ])('%j → %s', (answer, kind) => {
    expect(classifyPostAnswer(answer, id, 'initialize').kind).toBe(kind);
  });
});

describe('afterStatusRead (issue 16 §4)', () => {
  it('takes a command the adapter holds as accepted, whatever the POST answered', () => {
    for (const outcome of ['unanswered', 'duplicate'] as const)
      for (const earlier of [false, true])
        expect(afterStatusRead(outcome, 'EXISTS', earlier, false)).toBe('accepted');
  });

  it('never fails the task when the status cannot be read', () => {
    expect(afterStatusRead('duplicate', 'UNREADABLE', false, true)).toBe('retry-later');
    expect(afterStatusRead('unanswered', 'UNREADABLE', false, true)).toBe('retry-later');
  });

  it('a 400 with no command is a refusal, unless an earlier POST went unanswered', () => {
    expect(afterStatusRead('duplicate', 'ABSENT', false, true)).toBe('refused');
    expect(afterStatusRead('duplicate', 'ABSENT', true, true)).toBe('retry-later');
  });

  it('an unanswered POST of a command the adapter does not hold is sent again, then left for later', () => {
    expect(afterStatusRead('unanswered', 'ABSENT', false, true)).toBe('post-again');
    expect(afterStatusRead('unanswered', 'ABSENT', true, false)).toBe('retry-later');
  });
});
