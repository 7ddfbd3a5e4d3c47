import { MemoryLogger } from '@ecs-ship/action-kit';
import { recordDeployment } from '../src/deployments.js';
import { on, scriptedClient } from './fake-github.js';

const SHA = '4f6a0e1c9b2d8a7f3e5c1b0d9a8f7e6d5c4b3a21';
const R = '/repos/acme/shop';

describe('recordDeployment without a tag', () => {
  it('records the deployment and names the commit when it supersedes an earlier one', async () => {
    const posted: { id: number; body: any }[] = [];
    const { client } = scriptedClient([
      on('GET', `${R}/deployments`, { status: 200, body: [{ id: 7, sha: '1'.repeat(40), payload: { tag: '' } }] }),
      on('POST', `${R}/deployments`, (body) => {
        expect(body).toMatchObject({ ref: SHA, environment: 'staging', auto_merge: false, required_contexts: [] });
        return { status: 201, body: { id: 8, sha: SHA } };
      }),
      on('GET', `${R}/deployments/7/statuses`, { status: 200, body: [{ state: 'success' }] }),
      (request) => {
        const match = /\/deployments\/(\d+)\/statuses$/.exec(request.path);
        if (!match || request.method !== 'POST') return undefined;
        posted.push({ id: Number(match[1]), body: request.body });
        return { status: 201, body: {} };
      },
    ]);
    const result = await recordDeployment(
      client,
      { owner: 'acme', repo: 'shop' },
      { environment: 'staging', sha: SHA, tag: '', state: 'success', description: 'Released', payload: { tag: '' } },
      new MemoryLogger(),
    );
    expect(result).toEqual({ id: 8, state: 'success', environment: 'staging', created: true, deactivated: [7] });
    expect(posted.map(({ id, body }) => [id, body.state, body.description])).toEqual([
      [8, 'success', 'Released'],
      [7, 'inactive', 'Superseded by 4f6a0e1.'],
    ]);
  });
});
