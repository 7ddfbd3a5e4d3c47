// Members the sandbox sends or accepts that AWS's API has and the installed botocore model does not yet have (botocore
// trails the service). Each entry names where the member is documented; the validator accepts exactly these.
export const NEWER_MEMBERS: Record<string, Record<string, readonly string[]>> = {
  ecs: {
    // The circuit breaker's reset and threshold settings: DeploymentCircuitBreaker in @aws-sdk/client-ecs 3.1164
    // (resetOnHealthyTask, thresholdConfiguration: ThresholdConfiguration { type, value }).
    DeploymentCircuitBreaker: ['resetOnHealthyTask', 'thresholdConfiguration'],
  },
};
