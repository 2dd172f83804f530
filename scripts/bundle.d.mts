export function bundleNode(options: {
  entryPoints: Record<string, string>;
  outdir: string;
  define?: Record<string, string>;
}): Promise<void>;
