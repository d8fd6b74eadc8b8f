import { describe, expect, it } from 'vitest';
import { chooseListBody, hasAnswered, type ListAnswer, type ListBody } from './list-view.js';

const failure = new Error('HTTP 503');

describe('what a paged list shows', () => {
  it.each<{
    case: string;
    list: ListAnswer;
    emptyMessage: boolean;
    body: ListBody;
    ready: boolean;
  }>([
    {
      case: 'loading before the first answer',
      list: { items: undefined, error: undefined },
      emptyMessage: true,
      body: 'loading',
      ready: false,
    },
    {
      case: 'only the error when the first page failed',
      list: { items: undefined, error: failure },
      emptyMessage: true,
      body: 'nothing',
      ready: true,
    },
    {
      case: 'the empty message for no rows',
      list: { items: [], error: undefined },
      emptyMessage: true,
      body: 'empty',
      ready: true,
    },
    {
      case: 'an empty table without an empty message',
      list: { items: [], error: undefined },
      emptyMessage: false,
      body: 'table',
      ready: true,
    },
    {
      case: 'the rows',
      list: { items: [1, 2], error: undefined },
      emptyMessage: true,
      body: 'table',
      ready: true,
    },
    {
      case: 'the rows it had when a refresh failed',
      list: { items: [1], error: failure },
      emptyMessage: true,
      body: 'table',
      ready: true,
    },
  ])('shows $case', ({ list, emptyMessage, body, ready }) => {
    expect(chooseListBody(list, emptyMessage)).toBe(body);
    expect(hasAnswered(list)).toBe(ready);
  });
});
