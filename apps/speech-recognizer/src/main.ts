/** rnnkit-speech-recognizer: Train and run a CTC speech recogniser from the command line. (a shell until its issue lands). */
export async function main(args: string[]): Promise<number> {
  console.error(`rnnkit-speech-recognizer is not implemented yet (arguments: ${args.join(' ') || 'none'})`);
  return 1;
}
