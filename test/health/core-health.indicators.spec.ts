import type { mongo } from 'mongoose';
import { mongoHello } from '../../src/health/core-health.indicators.js';

// The mongo health component asks `hello`; servers without it (mongo-java-server, MongoDB older
// than 4.4.2) answer CommandNotFound and get the legacy `isMaster` instead.
function dbAnswering(answers: Record<string, () => mongo.Document>) {
  const asked: string[] = [];
  const db = {
    admin: () => ({
      command: async (command: mongo.Document) => {
        const name = Object.keys(command)[0];
        asked.push(name);
        return answers[name]();
      },
    }),
  } as unknown as mongo.Db;
  return { db, asked };
}

const commandNotFound = () => {
  throw Object.assign(new Error("no such command: 'hello'"), { code: 59 });
};

describe('mongoHello', () => {
  it('asks hello', async () => {
    const { db, asked } = dbAnswering({ hello: () => ({ maxWireVersion: 21 }) });
    expect(await mongoHello(db)).toEqual({ maxWireVersion: 21 });
    expect(asked).toEqual(['hello']);
  });

  it('falls back to isMaster when the server has no hello', async () => {
    const { db, asked } = dbAnswering({
      hello: commandNotFound,
      isMaster: () => ({ maxWireVersion: 9 }),
    });
    expect(await mongoHello(db)).toEqual({ maxWireVersion: 9 });
    expect(asked).toEqual(['hello', 'isMaster']);
  });

  it('reports any other failure as it is', async () => {
    const { db, asked } = dbAnswering({
      hello: () => {
        throw Object.assign(new Error('not authorized'), { code: 13 });
      },
    });
    await expect(mongoHello(db)).rejects.toThrow('not authorized');
    expect(asked).toEqual(['hello']);
  });
});
