// Registry credentials from ECR's GetAuthorizationToken.
import { GetAuthorizationTokenCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { UserError } from '@ecs-ship/action-kit';
import { describeAwsError } from './errors.js';

export interface RegistryCredentials {
  /** The registry endpoint ECR names, e.g. `https://123456789012.dkr.ecr.eu-west-1.amazonaws.com`. */
  endpoint: string;
  /** The host (and port) of that endpoint: what `docker login` and image references use. */
  host: string;
  username: string;
  password: string;
  expiresAt?: Date;
}

/**
 * Asks ECR for registry credentials. `protect` is called with the password the moment it is decoded, before
 * anything else happens, so the caller can mask it in the log.
 */
export async function getRegistryCredentials(
  client: ECRClient,
  options: { registryId?: string; protect: (secret: string) => void; signal?: AbortSignal },
): Promise<RegistryCredentials> {
  let data;
  try {
    const answer = await client.send(
      new GetAuthorizationTokenCommand(options.registryId ? { registryIds: [options.registryId] } : {}),
      { abortSignal: options.signal },
    );
    data = answer.authorizationData?.[0];
  } catch (error) {
    throw new UserError(
      `Could not get ECR registry credentials (${describeAwsError(error)}). Check that the role may call ecr:GetAuthorizationToken.`,
      { title: 'ECR', cause: error },
    );
  }
  if (!data?.authorizationToken || !data.proxyEndpoint) {
    throw new UserError('ECR returned no authorization data. Check the region and the registry id.', { title: 'ECR' });
  }
  // Mask both forms before decoding anything further: the token itself is as good as the password.
  options.protect(data.authorizationToken);
  const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new UserError('ECR returned an authorization token in an unknown format.', { title: 'ECR' });
  const password = decoded.slice(colon + 1);
  options.protect(password);
  const endpoint = data.proxyEndpoint.replace(/\/+$/, '');
  return {
    endpoint: /^[a-z]+:\/\//.test(endpoint) ? endpoint : `https://${endpoint}`,
    host: new URL(/^[a-z]+:\/\//.test(endpoint) ? endpoint : `https://${endpoint}`).host,
    username: decoded.slice(0, colon),
    password,
    expiresAt: data.expiresAt,
  };
}
