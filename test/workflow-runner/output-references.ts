import { readActionMetadata } from '@ecs-ship/testing';
import { suiteAction } from './steps.js';
import { modelled } from './third-party.js';
import { needsOf, type Workflow } from './workflow.js';

/**
 * Every `steps.<id>.outputs.<name>` must be an output the step declares (its action.yml, or the third-party
 * model), and every `needs.<job>.outputs.<name>` an output that job declares.
 */
export function checkOutputReferences(workflow: Workflow): void {
  const problems: string[] = [];
  for (const [jobId, job] of Object.entries(workflow.jobs)) {
    const text = JSON.stringify(job);
    const declaredBySteps = new Map<string, Set<string> | undefined>();
    for (const step of job.steps) {
      if (!step.id) continue;
      if (!step.uses) declaredBySteps.set(step.id, undefined);
      else {
        const name = suiteAction(step.uses);
        const outputs = name
          ? Object.keys(readActionMetadata(name).outputs ?? {})
          : (modelled(step.uses)?.outputs ?? []);
        declaredBySteps.set(step.id, new Set(outputs));
      }
    }
    for (const match of text.matchAll(/steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
      const [, stepId, output] = match as unknown as [string, string, string];
      if (!declaredBySteps.has(stepId)) problems.push(`${jobId}: steps.${stepId} is not a step with an id`);
      else if (declaredBySteps.get(stepId) && !declaredBySteps.get(stepId)!.has(output)) {
        problems.push(`${jobId}: step "${stepId}" has no output "${output}"`);
      }
    }
    for (const match of text.matchAll(/needs\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
      const [, needed, output] = match as unknown as [string, string, string];
      const upstream = workflow.jobs[needed];
      if (!upstream || !needsOf(job).includes(needed)) problems.push(`${jobId}: needs.${needed} is not a job it needs`);
      else if (!(output in (upstream.outputs ?? {})))
        problems.push(`${jobId}: job "${needed}" has no output "${output}"`);
    }
  }
  if (problems.length > 0)
    throw new Error(`The workflow refers to outputs that do not exist:\n  ${problems.join('\n  ')}`);
}
