/**
 * The plan as people read it: the job summary, the `plan` output and the pull-request comment (Markdown), and the
 * log. Services that would change come first, each with a table of what changes; those that would not are folded
 * into one `<details>` block.
 */
import { code, details, heading, link, table } from '@ecs-ship/action-kit';
import type { DeployReport } from '../deploy/types.js';
import type { NameChanges, ServicePlan, SettingChange } from './service-plan.js';

/** Where the comment was written from, for its last line. */
export interface PlanSource {
  workflow?: string;
  runUrl?: string;
  /** The commit planned (a pull request's head). */
  sha?: string;
}

export function planMarkdown(report: DeployReport): string {
  const plans = plansOf(report);
  const changing = plans.filter((plan) => plan.deploys);
  const verdict = changing.length === 0 ? 'no change' : `${changing.length} of ${plans.length} service(s) would change`;
  const parts = [heading(`ECS deploy plan for ${code(report.cluster)}: ${verdict}`)];
  parts.push(
    table(
      ['Service', 'Runs now', 'Would'],
      plans.map((plan) => [plan.service, code(plan.running), would(plan)]),
    ),
  );
  const rollouts = report.services.filter((s) => s.strategyPlan && changing.some((p) => p.service === s.service));
  if (rollouts.length > 0) {
    parts.push(heading('How each would roll out', 3));
    parts.push(rollouts.map((s) => `- ${code(s.service)} (${s.strategy ?? 'ROLLING'}): ${s.strategyPlan}`).join('\n'));
  }
  for (const plan of changing) parts.push(serviceSection(plan));
  const unchanged = plans.filter((plan) => !plan.deploys);
  if (unchanged.length > 0) {
    const lines = unchanged.map(
      (plan) => `- ${code(plan.service)} runs ${code(plan.running)}, which already matches what it would deploy.`,
    );
    parts.push(details(`No change: ${unchanged.map((plan) => plan.service).join(', ')}`, lines.join('\n')));
  }
  return `${parts.join('\n\n')}\n`;
}

/** The comment: one line when nothing would change, else the plan; then where it came from. */
export function planComment(report: DeployReport, source: PlanSource = {}): string {
  const plans = plansOf(report);
  const from = [
    source.workflow && source.runUrl ? link(source.workflow, source.runUrl) : source.workflow,
    source.sha ? `commit ${code(source.sha.slice(0, 7))}` : undefined,
  ].filter(Boolean);
  if (plans.every((plan) => !plan.deploys)) {
    const services = plans.map((plan) => code(plan.service)).join(', ');
    return `**ECS deploy plan for ${code(report.cluster)}**: no change. ${services} already run what this would deploy${from.length ? ` (${from.join(', ')})` : ''}.`;
  }
  const footer = from.length ? `\n<sub>Planned by ${from.join(' for ')}; updated on every run.</sub>\n` : '';
  return `${planMarkdown(report)}${footer}`;
}

/** The log lines of one service's plan. */
export function planLines(plan: ServicePlan): string[] {
  if (!plan.deploys) return [`No change: ${plan.service} runs ${plan.running}, which already matches.`];
  const lines = [`${plan.service}: would ${would(plan, false)}.`];
  for (const change of [...plan.settings, ...plan.deployment]) {
    lines.push(`  ${label(change, false)}: ${change.before ?? '(none)'} → ${change.after ?? '(none)'}`);
  }
  for (const names of plan.names) lines.push(`  ${namesText(names, false)}`);
  if (plan.others.length > 0) lines.push(`  Also changed (values not shown): ${plan.others.join(', ')}`);
  return lines;
}

function plansOf(report: DeployReport): ServicePlan[] {
  return report.services.flatMap((service) => (service.plan ? [service.plan] : []));
}

function would(plan: ServicePlan, icons = true): string {
  if (plan.registers) return `${icons ? '📝 ' : ''}register a new revision of ${plan.family} and deploy it`;
  if (plan.deploys) return `${icons ? '🚀 ' : ''}start a deployment of the revision it runs`;
  return `${icons ? '➖ ' : ''}no change`;
}

function serviceSection(plan: ServicePlan): string {
  const parts = [heading(code(plan.service), 3)];
  const rows = [...plan.settings, ...plan.deployment];
  if (rows.length > 0) {
    parts.push(
      table(
        ['Setting', 'Now', 'Would be'],
        rows.map((change) => [label(change, true), value(change.before), value(change.after)]),
      ),
    );
  }
  for (const names of plan.names) parts.push(namesText(names, true));
  if (plan.others.length > 0) {
    parts.push(`**Also changed** (values not shown): ${plan.others.map((path) => code(path)).join(', ')}`);
  }
  return parts.join('\n\n');
}

function label(change: SettingChange, markdown: boolean): string {
  if (!change.container) return change.setting;
  const name = markdown ? code(change.container) : change.container;
  return change.setting === 'container' ? `Container ${name}` : `${name} ${change.setting}`;
}

/** A value in a table cell: code, so that nothing in it is taken for Markdown or HTML (table() escapes pipes). */
function value(text: string | undefined): string {
  return text === undefined ? '—' : code(text);
}

/** `Environment of app (values not shown): LOG_LEVEL changed; FEATURE_X added; OLD removed` */
function namesText(names: NameChanges, markdown: boolean): string {
  const name = (text: string) => (markdown ? code(text) : text);
  const what = names.kind === 'environment' ? 'Environment' : 'Secrets';
  const parts = [
    ...names.changed.map((n) => `${name(n)} ${names.kind === 'secrets' ? 'read from elsewhere' : 'changed'}`),
    ...names.added.map((n) => `${name(n)} added`),
    ...names.removed.map((n) => `${name(n)} removed`),
  ];
  const title = `${what} of ${name(names.container)} (values not shown)`;
  return `${markdown ? `**${title}**` : title}: ${parts.join('; ')}`;
}
