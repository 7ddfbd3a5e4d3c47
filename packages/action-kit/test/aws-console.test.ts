import {
  consoleOrigin,
  imageConsoleUrl,
  imageLabel,
  logStreamConsoleUrl,
  parseArn,
  serviceConsoleUrl,
  serviceDeploymentConsoleUrl,
  snapshotConsoleUrl,
  taskConsoleUrl,
  taskDefinitionConsoleUrl,
} from '@ecs-ship/action-kit';

const ACCOUNT = '123456789012';

describe('console links, from the region, account and partition in each ARN', () => {
  test('an ECS service, in the long ARN format and in the old one without the cluster', () => {
    expect(serviceConsoleUrl(`arn:aws:ecs:eu-west-1:${ACCOUNT}:service/shop-production/web`)).toBe(
      'https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/shop-production/services/web/health?region=eu-west-1',
    );
    expect(serviceConsoleUrl(`arn:aws:ecs:eu-west-1:${ACCOUNT}:service/web`, 'shop')).toMatch(
      /\/ecs\/v2\/clusters\/shop\/services\/web\/health\?region=eu-west-1$/,
    );
    expect(
      serviceConsoleUrl(
        `arn:aws:ecs:eu-west-1:${ACCOUNT}:service/web`,
        `arn:aws:ecs:eu-west-1:${ACCOUNT}:cluster/shop`,
      ),
    ).toMatch(/\/clusters\/shop\/services\/web\//);
    // Without the cluster anywhere there is no page to link to.
    expect(serviceConsoleUrl(`arn:aws:ecs:eu-west-1:${ACCOUNT}:service/web`)).toBeUndefined();
  });

  test('a task-definition revision, a task and a service deployment', () => {
    expect(taskDefinitionConsoleUrl(`arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/web:12`)).toBe(
      'https://us-east-1.console.aws.amazon.com/ecs/v2/task-definitions/web/12/containers?region=us-east-1',
    );
    expect(taskConsoleUrl(`arn:aws:ecs:eu-west-1:${ACCOUNT}:task/prod/0123456789abcdef0123456789abcdef`)).toBe(
      'https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/tasks/0123456789abcdef0123456789abcdef/configuration?region=eu-west-1',
    );
    expect(
      serviceDeploymentConsoleUrl(`arn:aws:ecs:eu-west-1:${ACCOUNT}:service-deployment/shop/web/ejGvqq2ilnbKT9qj0vLJe`),
    ).toBe('https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/shop/services/web/deployments?region=eu-west-1');
  });

  test('a log stream, with the console double encoding', () => {
    expect(logStreamConsoleUrl('eu-west-1', '/ecs/shop', 'ecs/app/abc')).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Fecs$252Fshop/log-events/ecs$252Fapp$252Fabc',
    );
  });

  test('an RDS snapshot, and a cluster snapshot (the snapshot list)', () => {
    expect(snapshotConsoleUrl(`arn:aws:rds:eu-west-1:${ACCOUNT}:snapshot:pre-migration-1`)).toBe(
      'https://eu-west-1.console.aws.amazon.com/rds/home?region=eu-west-1#db-snapshot:id=pre-migration-1',
    );
    expect(snapshotConsoleUrl(`arn:aws:rds:eu-west-1:${ACCOUNT}:cluster-snapshot:pre-migration-1`)).toBe(
      'https://eu-west-1.console.aws.amazon.com/rds/home?region=eu-west-1#snapshots-list:',
    );
  });

  test('an ECR image by digest, and its repository for an image by tag', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    expect(imageConsoleUrl(`${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/shop/web@${digest}`)).toBe(
      `https://eu-west-1.console.aws.amazon.com/ecr/repositories/private/${ACCOUNT}/shop/web/_/image/${digest}/details?region=eu-west-1`,
    );
    expect(imageConsoleUrl(`${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/shop:v1.2`)).toBe(
      `https://eu-west-1.console.aws.amazon.com/ecr/repositories/private/${ACCOUNT}/shop?region=eu-west-1`,
    );
    // Not ECR (Docker Hub, a local registry): no console page.
    expect(imageConsoleUrl('nginx:1.27')).toBeUndefined();
    expect(imageConsoleUrl('127.0.0.1:5000/shop@' + digest)).toBeUndefined();
  });

  test('an ECR image is named without its host beside its link; any other image whole', () => {
    const digest = `sha256:8f2b6c41d3e5${'0'.repeat(52)}`;
    expect(imageLabel(`${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/shop@${digest}`)).toBe('shop@sha256:8f2b6c41d3e5…');
    expect(imageLabel(`registry.example/web@${digest}`)).toBe(`registry.example/web@${digest}`);
  });

  test('each partition has its own console', () => {
    expect(consoleOrigin('cn-north-1', 'aws-cn')).toBe('https://cn-north-1.console.amazonaws.cn');
    expect(consoleOrigin('us-gov-west-1', 'aws-us-gov')).toBe('https://us-gov-west-1.console.amazonaws-us-gov.com');
    expect(taskDefinitionConsoleUrl(`arn:aws-cn:ecs:cn-north-1:${ACCOUNT}:task-definition/web:3`)).toMatch(
      /^https:\/\/cn-north-1\.console\.amazonaws\.cn\//,
    );
    expect(imageConsoleUrl(`${ACCOUNT}.dkr.ecr.cn-north-1.amazonaws.com.cn/shop:v1`)).toMatch(
      /^https:\/\/cn-north-1\.console\.amazonaws\.cn\/ecr\//,
    );
  });

  test('anything else is no link rather than a wrong one', () => {
    expect(parseArn('not-an-arn')).toBeUndefined();
    expect(taskDefinitionConsoleUrl('web:12')).toBeUndefined();
    expect(taskConsoleUrl(`arn:aws:ecs:eu-west-1:${ACCOUNT}:task-definition/web:12`)).toBeUndefined();
    expect(snapshotConsoleUrl(undefined)).toBeUndefined();
  });
});
