// Preview environments: a service created from a template with its own host on the template's load balancer, and
// removed with everything it was given.
export * from './names.js';
export * from './template.js';
export * from './create.js';
export * from './remove.js';
export { previewUrl } from './load-balancer.js';
