/**
 * The pipeline events a message can announce. `rolling-back` is said the moment a deployment fails while ECS rolls
 * it back (the outcome follows in a later message); `superseded` when another update replaced the deployment.
 */
export const STATUSES = [
  'started',
  'succeeded',
  'failed',
  'rolling-back',
  'rolled-back',
  'superseded',
  'cancelled',
] as const;
export type Status = (typeof STATUSES)[number];

/** What the `status` input accepts: our statuses, plus the values of GitHub's `job.status`. */
export const STATUS_INPUT_VALUES = [...STATUSES, 'success', 'failure'] as const;
export type StatusInput = (typeof STATUS_INPUT_VALUES)[number];

/** `job.status` says `success`/`failure`/`cancelled`; the message speaks of the deployment. */
export function normalizeStatus(value: StatusInput): Status {
  if (value === 'success') return 'succeeded';
  if (value === 'failure') return 'failed';
  return value;
}

interface StatusLook {
  emoji: string;
  /** The words after "Deployment" in the default header. */
  verb: string;
  /** Whether the people in `mention-on-failure` are called. */
  alarming: boolean;
}

const LOOKS: Record<Status, StatusLook> = {
  started: { emoji: ':rocket:', verb: 'started', alarming: false },
  succeeded: { emoji: ':white_check_mark:', verb: 'succeeded', alarming: false },
  failed: { emoji: ':x:', verb: 'failed', alarming: true },
  cancelled: { emoji: ':no_entry_sign:', verb: 'cancelled', alarming: false },
  // A rollback means the new version did not make it: the people on call want to know, from the first moment.
  'rolling-back': { emoji: ':rotating_light:', verb: 'failed, ECS is rolling back', alarming: true },
  'rolled-back': { emoji: ':rewind:', verb: 'rolled back', alarming: true },
  // Another update replaced this one: nothing is broken, but this version is not what runs.
  superseded: { emoji: ':fast_forward:', verb: 'superseded', alarming: false },
};

export function statusLook(status: Status): StatusLook {
  return LOOKS[status];
}
