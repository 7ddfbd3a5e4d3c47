import { condition, interpolate, type ExpressionContext } from './expressions.js';

function context(overrides: Partial<ExpressionContext> = {}): ExpressionContext {
  return {
    github: { sha: 'abc', event_name: 'push', event: { inputs: { sha: 'x' } } },
    env: { ENVIRONMENT: 'staging' },
    vars: {},
    secrets: { TOKEN: 's3' },
    inputs: { confirm: 'deploy' },
    needs: { build: { result: 'success', outputs: { image: 'repo@sha256:1' } } },
    steps: { deploy: { outputs: { result: 'failed' }, outcome: 'failure', conclusion: 'failure' } },
    job: { status: 'success' },
    runner: { temp: '/tmp' },
    matrix: {},
    strategy: {},
    ...overrides,
  };
}

describe('workflow expressions', () => {
  test('interpolation reads every context', () => {
    expect(interpolate('${{ github.sha }}-${{ env.ENVIRONMENT }}-${{ needs.build.outputs.image }}', context())).toBe(
      'abc-staging-repo@sha256:1',
    );
    expect(interpolate("${{ inputs.confirm == 'deploy' }}", context())).toBe('true');
  });

  test('conditions imply success() unless a status function is used', () => {
    expect(condition("steps.deploy.outputs.result == 'failed'", context())).toBe(true);
    expect(condition("steps.deploy.outputs.result == 'failed'", context({ job: { status: 'failure' } }))).toBe(false);
    expect(condition('${{ failure() }}', context({ job: { status: 'failure' } }))).toBe(true);
    expect(condition('always()', context({ job: { status: 'failure' } }))).toBe(true);
    expect(condition(undefined, context({ job: { status: 'failure' } }))).toBe(false);
  });
});
