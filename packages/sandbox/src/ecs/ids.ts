// Identifiers shaped like the ones ECS hands out.
import { randomBytes, randomInt } from 'node:crypto';

/** A task id: 32 lowercase hex digits. */
export function taskId(): string {
  return randomBytes(16).toString('hex');
}

/** 19 decimal digits, the shape of deployment ids (`ecs-svc/<19 digits>`) and service revision ids. */
export function nineteenDigits(): string {
  let digits = String(randomInt(1, 10));
  while (digits.length < 19) digits += String(randomInt(0, 10));
  return digits;
}

/** A service deployment id: 22 URL-safe characters, as in `service-deployment/<cluster>/<service>/<id>`. */
export function serviceDeploymentId(): string {
  return randomBytes(17).toString('base64url').slice(0, 22);
}

/** A UUID-like id for container ARNs, ENIs and similar. */
export function uuid(): string {
  return crypto.randomUUID();
}
