// Moved to @ecs-ship/testing (packages/testing). This file only keeps imports from branches written before the move
// working while they are merged; import '@ecs-ship/testing/runner-protocol' instead. It goes once nothing imports it.
export * from '@ecs-ship/testing/runner-protocol';
