/** rnnkit-text-classifier: Train and run a text classifier (Embedding -> RNN -> Dense) from the command line. (a shell until its issue lands). */
export async function main(args: string[]): Promise<number> {
  console.error(`rnnkit-text-classifier is not implemented yet (arguments: ${args.join(' ') || 'none'})`);
  return 1;
}
