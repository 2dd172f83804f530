/** Type declarations for packages that ship none, and for build-time text imports. */

declare module 'fs-native-extensions' {
  export function tryLock(fd: number, options?: { shared?: boolean }): boolean;
  export function unlock(fd: number): void;
}

declare module '*?raw' {
  const text: string;
  export default text;
}
