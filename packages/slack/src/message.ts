import {
  formatDuration,
  imageConsoleUrl,
  imageLabel,
  serviceConsoleUrl,
  snapshotConsoleUrl,
  taskConsoleUrl,
  taskDefinitionConsoleUrl,
} from '@ecs-ship/action-kit';
import { context, divider, fieldsSection, header, section, type Block, type SlackPayload } from './blocks.js';
import type { DetailSection, DeployDetails, SmokeDetails } from './details.js';
import { revisionOf } from './details.js';
import { fitBlocks, fitLines } from './fit.js';
import { LIMITS, fit } from './limits.js';
import { bold, code, codeBlock, escape, link } from './mrkdwn.js';
import { commitUrl, repositoryUrl, runUrl, type RunContext } from './run-context.js';
import { statusLook, type Status } from './status.js';

/** Everything the generated message is made of; the action fills it from its inputs. */
export interface MessageInput {
  status: Status;
  environment?: string;
  service?: string;
  /** Replaces "Deployment <status> · <environment> · <service>" in the header. */
  title?: string;
  /** mrkdwn written by the workflow, shown as it is. */
  text?: string;
  fields: [label: string, value: string][];
  details: DetailSection[];
  /** Already formatted (`<@U…>`); called only for failures and rollbacks. */
  mentions: string[];
  /** When the pipeline started (epoch ms), for the duration. */
  startedAt?: number;
}

export function buildMessage(input: MessageInput, run: RunContext, now: number): SlackPayload {
  const look = statusLook(input.status);
  const headline = input.title ?? defaultHeadline(input);
  const mentions = look.alarming ? input.mentions : [];
  const reasons = failureReasons(input.details);
  // A text that repeats a failure reason the details already give would say the same thing twice.
  const text = input.text && !reasons.includes(input.text.trim()) ? input.text : undefined;

  const blocks: Block[] = [header(fit(`${look.emoji} ${headline}`, LIMITS.headerText))];
  const contextLine = contextElements(run, input.startedAt, now);
  if (contextLine.length > 0) blocks.push(context(contextLine));

  const intro = [mentions.join(' '), text ?? ''].filter((part) => part.trim() !== '').join('\n');
  if (intro) blocks.push(section(fit(intro, LIMITS.sectionText)));
  if (reasons.length > 0) {
    blocks.push(section(fitLines(bold('Why it failed'), reasons.map(codeBlock), LIMITS.sectionText)));
  }
  for (let i = 0; i < input.fields.length; i += LIMITS.fieldsPerSection) {
    const chunk = input.fields.slice(i, i + LIMITS.fieldsPerSection);
    blocks.push(
      fieldsSection(chunk.map(([label, value]) => fit(`${bold(escape(label))}\n${value}`, LIMITS.fieldText))),
    );
  }
  const sections = detailBlocks(input.details);
  if (sections.length > 0) blocks.push(divider(), ...sections);

  // The mentions stay whole at the end of the notification text, however much of the rest is cut: they make it ring.
  const calls = mentions.length > 0 ? ` — ${mentions.join(' ')}` : '';
  const fallback = [`${look.emoji} ${headline}${origin(run)}`, reasons[0], text]
    .filter((part): part is string => !!part && part.trim() !== '')
    .join(' — ');
  return { text: `${fit(fallback, LIMITS.fallbackText - calls.length)}${calls}`, blocks: fitBlocks(blocks) };
}

/** ` (acme/shop 4f6a0e1)`: which of many repositories posting to one channel a notification is about. */
function origin(run: RunContext): string {
  const parts = [run.repository, run.sha?.slice(0, 7)].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(' ')})` : '';
}

function defaultHeadline(input: MessageInput): string {
  const parts = [`Deployment ${statusLook(input.status).verb}`, input.environment, input.service];
  return parts.filter((p): p is string => !!p && p.trim() !== '').join(' · ');
}

/** Repository, branch, commit, actor, run and duration: each a context element, at most 10. */
function contextElements(run: RunContext, startedAt: number | undefined, now: number): string[] {
  const elements: string[] = [];
  if (run.repository) elements.push(link(run.repository, repositoryUrl(run)));
  if (run.branch) elements.push(`:twisted_rightwards_arrows: ${code(run.branch)}`);
  if (run.sha) elements.push(`:label: ${link(run.sha.slice(0, 7), commitUrl(run))}`);
  if (run.actor) elements.push(`:bust_in_silhouette: ${escape(run.actor)}`);
  const runLink = runUrl(run);
  if (runLink)
    elements.push(`:gear: ${link(run.workflow ? `${run.workflow} #${run.runId}` : `Run ${run.runId}`, runLink)}`);
  if (startedAt !== undefined && now >= startedAt) elements.push(`:stopwatch: ${formatDuration(now - startedAt)}`);
  return elements.slice(0, LIMITS.contextElements).map((text) => fit(text, LIMITS.contextElementText));
}

/** The reasons the details give for a failure: the deploy's own words first, then failed checks. */
function failureReasons(details: DetailSection[]): string[] {
  const reasons: string[] = [];
  for (const section of details) {
    if (section.kind === 'deploy' && section.failureReason) reasons.push(section.failureReason);
    if (section.kind === 'smoke') {
      const failed = section.checks.filter((c) => c.passed === false);
      if (failed.length > 0) {
        for (const check of failed)
          reasons.push(`Smoke check ${check.name} failed${check.detail ? `: ${check.detail}` : ''}`);
      } else if (section.failedChecks.length > 0) {
        reasons.push(`Smoke checks failed: ${section.failedChecks.join(', ')}`);
      }
    }
    if (section.kind === 'migration' && section.exitCode && section.exitCode !== '0') {
      reasons.push(
        `Migration task exited with code ${section.exitCode}${section.stopCode ? ` (${section.stopCode})` : ''}`,
      );
    }
  }
  return reasons;
}

const HEADINGS: Record<DetailSection['kind'], string> = {
  image: 'Image',
  migration: 'Migration',
  deploy: 'What changed',
  smoke: 'What was checked',
  release: 'Release',
  other: 'Details',
};

function detailBlocks(details: DetailSection[]): Block[] {
  const counts = new Map<string, number>();
  for (const d of details) counts.set(d.kind, (counts.get(d.kind) ?? 0) + 1);
  return details.flatMap((detail): Block[] => {
    const many = (counts.get(detail.kind) ?? 0) > 1;
    const heading =
      detail.kind === 'other'
        ? detail.title
        : `${HEADINGS[detail.kind]}${many && detail.title ? ` (${detail.title})` : ''}`;
    const { summary, lines } = describe(detail);
    if (lines.length === 0 && !summary) return [];
    const head = `${bold(escape(heading))}${summary ? ` — ${summary}` : ''}`;
    return [section(fitLines(head, lines, LIMITS.sectionText))];
  });
}

function describe(detail: DetailSection): { summary?: string; lines: string[] } {
  switch (detail.kind) {
    case 'deploy':
      return describeDeploy(detail);
    case 'smoke':
      return describeSmoke(detail);
    case 'image':
      return {
        lines: [
          detail.imageRef || detail.image
            ? `• ${linkedCode(detail.imageRef ?? detail.image!, imageConsoleUrl, imageLabel)}`
            : '',
          detail.imageRef || !detail.digest ? '' : `• digest ${code(detail.digest)}`,
          detail.tags.length > 0 ? `• tags ${detail.tags.map(code).join(', ')}` : '',
          detail.pushed === 'false' ? '• reused: the registry already had this image' : '',
        ].filter(Boolean),
      };
    case 'migration':
      return {
        summary: detail.exitCode !== undefined ? `exit code ${escape(detail.exitCode)}` : undefined,
        lines: [
          detail.snapshotId ? `• snapshot ${snapshot(detail.snapshotId, detail.snapshotArn)} taken first` : '',
          detail.stopCode ? `• stop code ${code(detail.stopCode)}` : '',
          detail.durationSeconds ? `• took ${formatDuration(Number(detail.durationSeconds) * 1000)}` : '',
          detail.taskArn || detail.logUrl
            ? `• ${link('task logs', detail.logUrl)}${detail.taskArn ? ` (${linkedCode(detail.taskArn, taskConsoleUrl, taskId)})` : ''}`
            : '',
        ].filter(Boolean),
      };
    case 'release':
      return {
        lines: [
          detail.tag ? `• tag ${detail.releaseUrl ? link(detail.tag, detail.releaseUrl) : code(detail.tag)}` : '',
          !detail.tag && detail.releaseUrl ? `• ${link('release', detail.releaseUrl)}` : '',
          detail.tagSha ? `• tag object ${code(detail.tagSha.slice(0, 7))}` : '',
          detail.deploymentId ? `• GitHub deployment ${code(detail.deploymentId)}` : '',
        ].filter(Boolean),
      };
    case 'other':
      return { lines: detail.entries.map(([key, value]) => `• ${escape(key)}: ${code(value)}`) };
  }
}

function describeDeploy(detail: DeployDetails): { summary?: string; lines: string[] } {
  const lines = detail.services.map((s) => {
    const revision = (arn: string) => linkedCode(arn, taskDefinitionConsoleUrl, revisionOf);
    const now = s.taskDefinition ? revision(s.taskDefinition) : 'no revision reported';
    const was = s.previousTaskDefinition ? ` (was ${revision(s.previousTaskDefinition)})` : '';
    const state = s.detail ? ` — ${STATE_EMOJI[s.state ?? ''] ?? ''}${escape(s.detail)}` : '';
    return `• ${bold(link(s.service, serviceConsoleUrl(s.serviceArn)))}: ${now}${was}${state}`;
  });
  if (detail.changed === 'false') lines.push('• nothing changed: the services already ran these revisions');
  return { summary: detail.result ? escape(detail.result) : undefined, lines };
}

function describeSmoke(detail: SmokeDetails): { summary?: string; lines: string[] } {
  const lines = detail.checks.map((check) => {
    const mark = check.passed === undefined ? ':grey_question:' : check.passed ? ':white_check_mark:' : ':x:';
    const facts = [
      check.statusCodes.length > 0 ? `HTTP ${check.statusCodes.join(', ')}` : '',
      check.attempts !== undefined ? `${check.attempts} attempt${check.attempts === 1 ? '' : 's'}` : '',
      latency('p50', check.p50),
      latency('p95', check.p95),
      latency('max', check.max),
    ].filter(Boolean);
    const detailLine = check.passed === false && check.detail ? `\n      ↳ ${escape(check.detail)}` : '';
    return `${mark} ${code(check.name)}${facts.length > 0 ? ` — ${facts.join(' · ')}` : ''}${detailLine}`;
  });
  if (detail.checks.length === 0 && detail.failedChecks.length > 0) {
    lines.push(`:x: failed: ${detail.failedChecks.map(code).join(', ')}`);
  }
  if (detail.versionsSeen.length > 0 || detail.expectedVersion) {
    const seen = detail.versionsSeen.length > 0 ? detail.versionsSeen.map(code).join(', ') : 'none';
    lines.push(`• version seen: ${seen}${detail.expectedVersion ? ` (expected ${code(detail.expectedVersion)})` : ''}`);
  }
  return { summary: detail.result ? escape(detail.result) : undefined, lines };
}

/** Where a service stands (the deploy's `service-states`), at a glance. */
const STATE_EMOJI: Record<string, string> = {
  healthy: ':white_check_mark: ',
  deploying: ':hourglass_flowing_sand: ',
  'rolling-back': ':rewind: ',
  failed: ':x: ',
  unchanged: '',
  unknown: ':grey_question: ',
};

/** A value linked to its console page where there is one (Slack shows no code style inside a link), else as code. */
/** The snapshot's id, linked to the RDS console when its ARN is known (the id alone does not say the region). */
function snapshot(id: string, arn: string | undefined): string {
  const url = snapshotConsoleUrl(arn);
  return url ? link(id, url) : code(id);
}

function linkedCode(value: string, url: (value: string) => string | undefined, label = (v: string) => v): string {
  const target = url(value);
  return target ? link(label(value), target) : code(label(value));
}

function latency(label: string, ms: number | undefined): string {
  return ms === undefined ? '' : `${label} ${Math.round(ms)} ms`;
}

function taskId(arn: string): string {
  return arn.split('/').pop() ?? arn;
}
