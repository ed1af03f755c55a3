/** The SHA-256 of `bytes` as hex (Node: node:crypto, loaded on use so browsers never import it). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(bytes).digest('hex');
}
