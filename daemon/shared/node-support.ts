/**
 * The Node.js release lines the packaged gateway runs on: the one list. `npm run package`
 * (scripts/native/build.ts) builds a better-sqlite3 binding per line against the headers of the
 * pinned release `build`; the daemon loads the binding whose ABI matches the Node running it
 * (daemon/gateway/store/native-binding.ts); the extension refuses any other major before it starts
 * the gateway (extension/node-runtime.ts).
 *
 * `abi` is that line's process.versions.modules. Node keeps it, and the ABI of the V8 and node
 * symbols an addon links against, fixed for a whole major, so one binding serves every 22.x.
 * Odd majors are left out: they are short-lived and a user on one can point at an LTS.
 */
export const SUPPORTED_NODES = [
  { major: 20, abi: 115, build: '20.20.2' },
  { major: 22, abi: 127, build: '22.23.5' },
  { major: 24, abi: 137, build: '24.21.0' },
] as const;

export type SupportedNode = (typeof SUPPORTED_NODES)[number];

/** The VS Code setting that picks the Node the extension starts the gateway with. */
export const NODE_PATH_SETTING = 'tollgate.daemon.nodePath';

/** "20, 22 or 24". */
export function describeMajors(majors: readonly number[] = SUPPORTED_NODES.map((node) => node.major)): string {
  if (majors.length <= 1) return majors.join('');
  return `${majors.slice(0, -1).join(', ')} or ${majors[majors.length - 1]}`;
}

export function supportedMajor(major: number): SupportedNode | undefined {
  return SUPPORTED_NODES.find((node) => node.major === major);
}

/** "linux-x64": the platform part of a binding's directory, and of the npm package with that platform's Node. */
export function platformKey(platform: string = process.platform, arch: string = process.arch): string {
  return `${platform}-${arch}`;
}

/** dist/native/<this>/better_sqlite3.node: named like prebuild's tarballs, so a name says what it loads into. */
export function bindingDirName(abi: number | string, platform: string = platformKey()): string {
  return `node-v${abi}-${platform}`;
}

export function parseBindingDirName(name: string): { abi: number; platform: string } | undefined {
  const match = /^node-v(\d+)-(.+)$/.exec(name);
  return match ? { abi: Number(match[1]), platform: match[2]! } : undefined;
}
