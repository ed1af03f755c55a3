import { Command } from 'commander';
import { runProgram } from '@rnnkit/app-kit';

import { addEvaluateCommand, addPredictCommand } from './evaluate.js';
import { addTrainCommand } from './train.js';

/** rnnkit-classify: train, evaluate and run a recurrent text classifier. Resolves to the exit code. */
export async function main(args: string[]): Promise<number> {
  const program = new Command('rnnkit-classify')
    .description('Train, evaluate and run a recurrent text classifier (Embedding -> RNN -> Dense).')
    .showSuggestionAfterError(true);
  addTrainCommand(program);
  addEvaluateCommand(program);
  addPredictCommand(program);
  return runProgram(program, args);
}
