/** rnnkit-translator: Train and run an attention encoder-decoder translator from the command line. (a shell until its issue lands). */
export async function main(args: string[]): Promise<number> {
  console.error(`rnnkit-translator is not implemented yet (arguments: ${args.join(' ') || 'none'})`);
  return 1;
}
