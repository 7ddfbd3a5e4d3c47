// The `post:` safety net: if the main step died while the task ran (killed, crashed, out of time), stop the task.
// Light until there is something to do: it reads its state straight from the environment.
import { UserError, runMain, warningAnnotation } from '@ecs-ship/action-kit';
import { STATE } from './state.js';

const stateValue = (name: string) => process.env[`STATE_${name}`] ?? '';

const taskArn = stateValue(STATE.taskArn);
const cluster = stateValue(STATE.cluster);

if (!taskArn || stateValue(STATE.stopped) === 'true') {
  process.stdout.write('No migration task left to stop.\n');
} else {
  await runMain(async () => {
    const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) throw new UserError(`Cannot check task ${taskArn}: AWS_REGION is not set. Stop the task by hand.`);
    const [{ ECSClient }, { stopTaskIfRunning }, { awsClientConfig }] = await Promise.all([
      import('@aws-sdk/client-ecs'),
      import('@ecs-ship/ecs'),
      import('@ecs-ship/action-kit/aws'),
      import('@ecs-ship/action-kit/core'),
    ]);
    // Within the runner's window for a post step: throttling is retried for a few seconds at most.
    const ecs = new ECSClient(awsClientConfig({ region, deadline: { at: Date.now() + 5000 } }));
    const reason = 'Stopped by run-migration-task (post step): the main step ended before the migration finished';
    const outcome = await stopTaskIfRunning(ecs, cluster, taskArn, reason);
    const said = {
      stopped: `Stopped migration task ${taskArn}, which was still running after the main step ended.`,
      'already-stopped': `Migration task ${taskArn} has already stopped.`,
      'not-found': `ECS no longer knows migration task ${taskArn}.`,
    }[outcome];
    if (outcome === 'stopped') warningAnnotation(said, { title: 'Migration task stopped' });
    else process.stdout.write(`${said}\n`);
  }, 'checking that the migration task stopped');
}
