// The names the release action's inputs and the release config share. Light on purpose: the action reads its inputs
// with these before the pipeline (and the AWS SDK) is loaded.
import { brokenNamePart, type Rule } from '@ecs-ship/action-kit';

/** An environment of the release config, named by the `environment` input. */
export const ENVIRONMENT_NAME: Rule = {
  what: 'an environment name',
  fix: 'Use up to 64 letters, digits, ".", "_" and "-", such as "staging"',
  pattern: /^[A-Za-z0-9_.-]{1,64}$/,
  explain: (value) =>
    brokenNamePart(value, { allowed: /[A-Za-z0-9_.-]/, allowedWords: 'letters, digits, ".", "_" and "-"', max: 64 }),
};

/** The stages a release can be asked to run, in the order they run. */
export const STAGE_NAMES = ['notify', 'image', 'snapshot', 'migrate', 'deploy', 'smoke', 'tag'] as const;
export type StageName = (typeof STAGE_NAMES)[number];
