// Finding the target repository, and creating it when asked to.
import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  type ECRClient,
  type Repository,
} from '@aws-sdk/client-ecr';
import { UserError, type Logger } from '@ecs-ship/action-kit';
import { describeAwsError, isAwsError } from './errors.js';

export interface RepositorySettings {
  name: string;
  registryId?: string;
  /** Create the repository when it does not exist. */
  create: boolean;
  tagMutability: 'MUTABLE' | 'IMMUTABLE';
  scanOnPush: boolean;
  encryption: 'AES256' | 'KMS';
  kmsKey?: string;
}

export interface RepositoryInfo {
  name: string;
  registryId: string;
  uri: string;
  mutability: 'MUTABLE' | 'IMMUTABLE';
  scanOnPush: boolean;
  created: boolean;
}

export async function ensureRepository(
  client: ECRClient,
  settings: RepositorySettings,
  logger: Logger,
  signal?: AbortSignal,
): Promise<RepositoryInfo> {
  try {
    const { repositories } = await client.send(
      new DescribeRepositoriesCommand({
        repositoryNames: [settings.name],
        ...(settings.registryId ? { registryId: settings.registryId } : {}),
      }),
      { abortSignal: signal },
    );
    const found = repositories?.[0];
    if (found) return info(found, false);
  } catch (error) {
    if (!isAwsError(error, 'RepositoryNotFoundException')) {
      throw new UserError(`Could not read ECR repository "${settings.name}" (${describeAwsError(error)}).`, {
        title: 'ECR',
        cause: error,
      });
    }
  }
  if (!settings.create) {
    throw new UserError(
      `ECR repository "${settings.name}" does not exist. Create it, or set create-repository: true to let this action create it.`,
      { title: 'ECR' },
    );
  }
  try {
    const { repository } = await client.send(
      new CreateRepositoryCommand({
        repositoryName: settings.name,
        ...(settings.registryId ? { registryId: settings.registryId } : {}),
        imageTagMutability: settings.tagMutability,
        imageScanningConfiguration: { scanOnPush: settings.scanOnPush },
        encryptionConfiguration: {
          encryptionType: settings.encryption,
          ...(settings.encryption === 'KMS' && settings.kmsKey ? { kmsKey: settings.kmsKey } : {}),
        },
      }),
      { abortSignal: signal },
    );
    if (!repository) throw new Error('CreateRepository returned no repository');
    logger.info(
      `Created ECR repository ${settings.name} (tags ${settings.tagMutability.toLowerCase()}, scan on push ${settings.scanOnPush ? 'on' : 'off'}, ${settings.encryption} encryption).`,
    );
    return info(repository, true);
  } catch (error) {
    if (isAwsError(error, 'RepositoryAlreadyExistsException')) {
      // Another job created it between our two calls: use it.
      return ensureRepository(client, { ...settings, create: false }, logger, signal);
    }
    throw new UserError(`Could not create ECR repository "${settings.name}" (${describeAwsError(error)}).`, {
      title: 'ECR',
      cause: error,
    });
  }
}

function info(repository: Repository, created: boolean): RepositoryInfo {
  return {
    name: repository.repositoryName!,
    registryId: repository.registryId!,
    uri: repository.repositoryUri!,
    mutability: repository.imageTagMutability === 'IMMUTABLE' ? 'IMMUTABLE' : 'MUTABLE',
    scanOnPush: repository.imageScanningConfiguration?.scanOnPush === true,
    created,
  };
}
