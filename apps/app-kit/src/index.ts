// Public API of @rnnkit/app-kit: what the rnnkit apps share (CLI options and exit codes, logging,
// backend selection, model directories, checkpoints and resume, charts).
export { UsageError, EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_INTERRUPTED } from './usage_error.js';
export { addCommonOptions, runProgram, integerArgument, numberArgument, choiceOption } from './cli.js';
export type { CommonOptions } from './cli.js';
export { createLogger, jsonLine } from './logger.js';
export type { Logger } from './logger.js';
export { selectBackend } from './backend.js';
export { RNNKIT_VERSION } from './version.js';
export { writeModelDirectory, openModelDirectory, CONFIG_FILE, WEIGHTS_FILE } from './model_directory.js';
export type { ModelDirectory, ModelDirectoryConfig, ModelDirectoryHeader } from './model_directory.js';
export { saveCheckpoint, loadCheckpoint, CHECKPOINT_DIR } from './checkpoint.js';
export type { CheckpointState, LoadedCheckpoint } from './checkpoint.js';
export { renderChart, trainingCurvesSpec, confusionMatrixSpec } from './charts.js';
export type { RenderedChart } from './charts.js';
export { installInterruptHandler } from './interrupt.js';
export type { InterruptHandler } from './interrupt.js';
